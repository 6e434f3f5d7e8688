"""Who may do what to which rows: the one place that answers it.

Two questions, both answered from the account's active grants and the two trees:
- `visible(user, Model, action)` — which rows of a type the account may act on, as a queryset;
- `can(user, action, obj)` — whether it may act on one row (the same rule, applied to one pk).

Each rule is (tree, the field that places a row in that tree, roles). A grant on a node covers the
node's subtree. A street's territory grant shows the street's places, units, residents and its
territorial party organisations' members; a unit's internal party records (its members) are seen
only through a grant on the unit's organisation in the 隶属 tree."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction, AuditResult
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.trees import is_within, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.people.services import REVEALABLE
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .models import NON_STAFF_ROLES, RoleGrant
from .models import Role as R

M = TypeVar("M", bound=Model)


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    REVEAL = "reveal"  # see a sensitive value in clear
    EXPORT = "export"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    R.DISTRICT_ADMIN: frozenset(Action),
    R.STREET_STAFF: frozenset(Action) - {Action.DELETE},
    R.COMMUNITY_STAFF: frozenset(Action) - {Action.DELETE},
    R.UNIT_CONTACT: frozenset({Action.VIEW, Action.CHANGE, Action.REVEAL, Action.EXPORT}),
    R.GRID_WORKER: frozenset({Action.VIEW}),
}
OFFICE = frozenset({R.DISTRICT_ADMIN, R.STREET_STAFF, R.COMMUNITY_STAFF})
TERRITORY, ORGANIZATION = "territory", "organization"


@dataclass(frozen=True)
class Rule:
    tree: str
    field: str
    roles: frozenset[str]
    extra: Any = None  # a further condition on the row (a Q or a boolean expression)


# Territorial party organisations are those that belong to no unit.
_TERRITORIAL_ORG = ~Exists(Organization.units.through.objects.filter(organization_id=OuterRef("pk")))

# Whose member roster (memberships, member counts, branch-rule findings) an account may see: a
# territory grant covers the territorial organisations located there, not a unit's own branch.
ROSTER_RULES = [
    Rule(TERRITORY, "territory__path", OFFICE, extra=_TERRITORIAL_ORG),
    Rule(ORGANIZATION, "path", OFFICE | {R.UNIT_CONTACT}),
]

RULES: dict[type[Model], list[Rule]] = {
    Territory: [Rule(TERRITORY, "path", OFFICE | {R.GRID_WORKER})],
    Organization: [
        Rule(TERRITORY, "territory__path", OFFICE),
        Rule(ORGANIZATION, "path", OFFICE | {R.UNIT_CONTACT}),
    ],
    Unit: [
        Rule(TERRITORY, "territory__path", OFFICE),
        Rule(ORGANIZATION, "organizations__path", OFFICE | {R.UNIT_CONTACT}),
    ],
    Person: [
        Rule(TERRITORY, "residence__path", OFFICE | {R.GRID_WORKER}),
    ],
}
# Rows reached through a member roster: whoever may see a branch's members may open their
# membership records and their person records, wherever they live.
ROSTER_FIELD: dict[type[Model], str] = {
    Membership: "organization__in",
    Person: "membership__organization__in",
}
# Rows that are the account holder's own, visible (read-only) whatever the roles.
SELF_FIELD: dict[type[Model], str] = {Person: "pk", Membership: "person_id"}


def active_grants(user: Any) -> list[RoleGrant]:
    """The account's active grants with their nodes, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_grants", None)
    if cached is None:
        cached = list(
            RoleGrant.objects.active().filter(user=user).select_related("territory", "organization")
        )
        user._active_grants = cached
    return cached


def roles_of(user: Any) -> set[str]:
    return {g.role for g in active_grants(user)}


def grant_roots(user: Any, *, tree: str, roles: Iterable[str], action: Action) -> list[str]:
    """Paths of the nodes on which the account holds one of `roles` permitting `action`."""
    roles = set(roles)
    roots = []
    for grant in active_grants(user):
        if grant.role not in roles or action not in ROLE_ACTIONS.get(grant.role, ()):
            continue
        node = grant.territory if tree == TERRITORY else grant.organization
        if node is not None:
            roots.append(node.path)
    return roots


def _rules_q(user: Any, rules: list[Rule], action: Action) -> Q:
    q = Q(pk__in=[])
    for rule in rules:
        roots = grant_roots(user, tree=rule.tree, roles=rule.roles, action=action)
        if not roots:
            continue
        if rule.field.startswith("organizations__"):
            # Many-to-many: filter through a subquery so a unit with two organisations is not
            # listed twice.
            links = Organization.units.through.objects.filter(subtree_q(roots, field="organization__path"))
            q |= Q(pk__in=links.values("unit_id"))
            continue
        rule_q = subtree_q(roots, field=rule.field)
        q |= rule_q & rule.extra if rule.extra is not None else rule_q
    return q


def scope_q(user: Any, model: type[Model], action: Action = Action.VIEW) -> Q:
    q = _rules_q(user, RULES.get(model, []), action)
    if model in ROSTER_FIELD:
        q |= Q(**{ROSTER_FIELD[model]: with_visible_rosters(user, action)})
    own = getattr(user, "person_id", None)
    if action == Action.VIEW and own is not None and model in SELF_FIELD:
        q |= Q(**{SELF_FIELD[model]: own})
    return q


def visible(user: Any, model: type[M], action: Action = Action.VIEW) -> QuerySet[M]:
    """The rows of `model` that `user` may act on with `action`."""
    return model._default_manager.filter(scope_q(user, model, action))


def with_visible_rosters(user: Any, action: Action = Action.VIEW) -> QuerySet[Organization]:
    """Organisations whose members the account may see, and so their counts and rule findings."""
    return Organization.objects.filter(_rules_q(user, ROSTER_RULES, action))


def creatable(user: Any, model: type[Territory] | type[Organization]) -> QuerySet[Any]:
    """Nodes under which the account may add rows: the set form of can_create_under."""
    tree = TERRITORY if model is Territory else ORGANIZATION
    roots = grant_roots(user, tree=tree, roles=OFFICE, action=Action.CREATE)
    return model._default_manager.filter(subtree_q(roots))


def can(user: Any, action: Action, obj: Model) -> bool:
    return visible(user, type(obj), action).filter(pk=obj.pk).exists()


def get_visible_or_404(user: Any, model: type[M], pk: object, action: Action = Action.VIEW) -> M:
    """Fetch-and-check: a missing row and a forbidden row raise the same error."""
    try:
        return visible(user, model, action).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。")) from None


def person_to_reveal(user: Any, pk: object, field: str, *, by: Actor) -> Person:
    """The person whose `field` the account may see in clear, asked of the policy again whatever
    the page showed. Pages and API share it so that a refusal (no right, no such person, no such
    field) is audited as DENIED alike and answered with the same error as a missing person."""
    person = None
    if field in REVEALABLE:
        try:
            person = get_visible_or_404(user, Person, pk, Action.REVEAL)
        except NotFoundOrForbidden:
            person = None
    if person is None:
        audit_record(
            actor=by,
            action=AuditAction.REVEAL,
            result=AuditResult.DENIED,
            object_type=Person._meta.label_lower,
            object_id=str(pk)[:30],
            detail={"field": field[:30]},
        )
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return person


def can_create_under(user: Any, node: Territory | Organization) -> bool:
    """May the account add rows (children, units, residents) under this node of either tree."""
    tree = TERRITORY if isinstance(node, Territory) else ORGANIZATION
    roots = grant_roots(user, tree=tree, roles=OFFICE, action=Action.CREATE)
    return is_within(node.path, roots)


# --- Administrator roles (三员分立) --------------------------------------------------------------


def can_view_audit(user: Any) -> bool:
    return R.AUDIT_ADMIN in roles_of(user)


def belongs_on_phone_site(user: Any) -> bool:
    """Only resident or party-member roles: the staff pages (workbench, import) are not their
    place; they are sent to the phone site. An account with no role at all stays (an unfinished
    staff account, told so on the home page), as does anyone who also holds a staff role."""
    roles = roles_of(user)
    return bool(roles) and roles <= NON_STAFF_ROLES


def has_registry_role(user: Any) -> bool:
    return bool(roles_of(user) & set(ROLE_ACTIONS))

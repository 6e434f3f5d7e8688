"""Who may see and act on which needs, composed from the accounts policy's grants and trees.

- Staff (office roles) with a territory grant over the need's community see and run it.
- The assignee handles it: the assigned person, staff of the assigned organisation's subtree,
  the assigned unit's contacts, the assigned territory's staff.
- The resident who submitted it (or for whom it was entered) follows it, withdraws and rates it.
- Members whose residence or organisation lies in the community may see, to claim them, open
  unassigned needs that are neither private nor in a sensitive category (DESIGN.md §7); members
  of a branch a need was dispatched to may see and claim it.
- Registered volunteers claim the same open needs where they live and in the communities they
  chose to serve (the volunteers app says which, see `claim_places_register`).
- The system (the scheduled clock, an Actor without a user) may urge and escalate, nothing else."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q, QuerySet

from tongxin.accounts.models import Role, RoleGrant, User
from tongxin.accounts.policies import OFFICE, ORGANIZATION, TERRITORY, Action, can, grant_roots, visible
from tongxin.core.trees import is_within, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory, TerritoryLevel
from tongxin.units.models import Unit

from .categories import SENSITIVE_CATEGORIES
from .models import EventKind as K
from .models import Need
from .models import Status as S

COMMUNITY_LEVELS = (TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE)
ORG_HANDLERS = OFFICE | {Role.UNIT_CONTACT}


def is_sensitive(need: Need) -> bool:
    return need.private or need.category_id in SENSITIVE_CATEGORIES


def _prefixes(path: str, steplen: int) -> list[str]:
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def staff_roots(user: Any, action: Action = Action.CHANGE) -> list[str]:
    return grant_roots(user, tree=TERRITORY, roles=OFFICE, action=action)


def is_staff_for(user: Any, need: Need) -> bool:
    return is_within(need.community.path, staff_roots(user))


def is_submitter(user: Any, need: Need) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    person_id = getattr(user, "person_id", None)
    return (person_id is not None and need.person_id == person_id) or need.submitted_by_id == user.pk


def is_resident(user: Any, need: Need) -> bool:
    """The resident herself: her own person, or her own account on the phone. Staff who entered
    a caller's need are its submitter but not its resident."""
    if not getattr(user, "is_authenticated", False):
        return False
    if need.person_id is not None and getattr(user, "person_id", None) == need.person_id:
        return True
    return need.channel == "mobile" and need.submitted_by_id == user.pk


def _member_org_path(user: Any) -> str | None:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    if not hasattr(user, "_needs_member_org"):
        membership = Membership.objects.filter(person_id=person_id).select_related("organization").first()
        user._needs_member_org = membership.organization.path if membership else None
    return user._needs_member_org  # type: ignore[no-any-return]


# Apps above needs that put people to work on them (the volunteers) register, at start-up, a
# function person id → territory paths where that person may claim; needs cannot import them.
# An empty answer means the person is not one of theirs.
ClaimPlaces = Callable[[int], Iterable[str]]
_claim_place_sources: list[ClaimPlaces] = []


def claim_places_register(source: ClaimPlaces) -> None:
    if source not in _claim_place_sources:
        _claim_place_sources.append(source)


def _registered_claim_places(user: Any) -> list[str]:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return []
    if not hasattr(user, "_needs_claim_places"):
        user._needs_claim_places = [path for source in _claim_place_sources for path in source(person_id)]
    return user._needs_claim_places  # type: ignore[no-any-return]


def claim_communities(user: Any) -> list[str]:
    """Paths of the communities where the account's person may claim: where they live, where
    their party organisation is, and where they chose to serve as a volunteer."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is None:
        return []
    places: list[str] = list(_registered_claim_places(user))
    if person.residence is not None:
        places.append(person.residence.path)
    membership = Membership.objects.filter(person=person).select_related("organization__territory").first()
    territory = membership.organization.territory if membership is not None else None
    if territory is not None:
        places.append(territory.path)
    prefixes = {p for place in places for p in _prefixes(place, Territory.steplen)}
    return list(
        Territory.objects.filter(path__in=prefixes, level__in=COMMUNITY_LEVELS).values_list("path", flat=True)
    )


def is_claimer(user: Any) -> bool:
    """A party member, or a person a registered source (the volunteers) puts to work."""
    return _member_org_path(user) is not None or bool(_registered_claim_places(user))


def open_for_claim_q(user: Any) -> Q:
    """Needs the account may claim from the community's open list or from its branch's queue."""
    if not is_claimer(user):
        return Q(pk__in=[])
    q = Q(
        status=S.ACCEPTED,
        private=False,
        community__path__in=claim_communities(user),
        assigned_territory__isnull=True,
        assigned_org__isnull=True,
        assigned_unit__isnull=True,
        assigned_person__isnull=True,
    ) & ~Q(category_id__in=SENSITIVE_CATEGORIES)
    org_path = _member_org_path(user)
    if org_path:
        # Staff who send a need to a branch mean its members: any need. Sent to a committee
        # higher up, it reaches the members below only when it is neither private nor about a
        # vulnerable resident (a street committee's need must not reach every member below).
        q |= Q(status=S.DISPATCHED, assigned_org__path=org_path)
        q |= Q(
            status=S.DISPATCHED,
            private=False,
            assigned_org__path__in=_prefixes(org_path, Organization.steplen),
        ) & ~Q(category_id__in=SENSITIVE_CATEGORIES)
    # Nobody claims, and so resolves and rates, their own need.
    own = Q(submitted_by_id=user.pk)
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        own |= Q(person_id=person_id)
    return q & ~own


def visible_q(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = Q(submitted_by=user)
    roots = staff_roots(user, Action.VIEW)
    if roots:
        q |= subtree_q(roots, field="community__path") | subtree_q(roots, field="assigned_territory__path")
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        q |= Q(person_id=person_id) | Q(assigned_person_id=person_id)
    org_roots = grant_roots(user, tree=ORGANIZATION, roles=ORG_HANDLERS, action=Action.VIEW)
    if org_roots:
        q |= subtree_q(org_roots, field="assigned_org__path")
        q |= Q(assigned_unit__in=visible(user, Unit).values("pk"))
    return q | open_for_claim_q(user)


def is_assignee(user: Any, need: Need) -> bool:
    if need.assigned_person_id is not None:
        return getattr(user, "person_id", None) == need.assigned_person_id
    if need.assigned_org is not None:
        roots = grant_roots(user, tree=ORGANIZATION, roles=ORG_HANDLERS, action=Action.CHANGE)
        return is_within(need.assigned_org.path, roots)
    if need.assigned_unit is not None:
        return can(user, Action.CHANGE, need.assigned_unit)
    if need.assigned_territory is not None:
        return is_within(need.assigned_territory.path, staff_roots(user))
    return False


def may_claim(user: Any, need: Need) -> bool:
    return Need.objects.filter(open_for_claim_q(user), pk=need.pk).exists()


def could_have_claimed(user: Any, need: Need) -> bool:
    """Would this account have been offered the need before someone claimed it? Such a
    latecomer is thanked, not told they have no right."""
    if not is_claimer(user):
        return False
    from_key = (
        need.events.filter(kind=K.CLAIM).order_by("-at", "-pk").values_list("assignee_key", flat=True).first()
    )
    if from_key and from_key.startswith("org:"):
        org = Organization.objects.filter(pk=from_key[4:]).first()
        member_org = _member_org_path(user)
        if not (org and member_org):
            return False
        return member_org == org.path or (not is_sensitive(need) and member_org.startswith(org.path))
    return not is_sensitive(need) and need.community.path in claim_communities(user)


# What the scheduled clock may do on its own: nothing that a person would have to answer for.
SYSTEM_STEPS = frozenset({K.URGE, K.ESCALATE})


def may(user: Any, kind: str, need: Need) -> bool:
    """May the account take step `kind` on the need (the transition table decides if it makes
    sense from the current status). `user` None is the system: the clock."""
    if user is None:
        return kind in SYSTEM_STEPS
    if kind in SYSTEM_STEPS:
        return False
    staff = is_staff_for(user, need)
    if kind in (K.ACCEPT, K.RETURN, K.DISPATCH, K.ARCHIVE, K.MERGE):
        return staff
    if kind == K.BOUNCE:
        return is_assignee(user, need)
    if kind == K.CLAIM:
        return may_claim(user, need)
    if kind in (K.START, K.RESOLVE):
        return staff or is_assignee(user, need)
    if kind == K.WITHDRAW:
        return is_submitter(user, need)
    if kind in (K.VISIT, K.REOPEN):
        return staff or is_submitter(user, need)
    if kind == K.RECLASSIFY:
        return staff
    if kind == K.CONSENT:
        # Consent to a story about oneself is the resident's alone, never staff's on their behalf.
        return is_resident(user, need)
    return False


def may_attach_photos(user: Any, need: Need, stage: str) -> bool:
    """The resident (or whoever entered the need) adds photos of the problem; the handlers add
    photos of the result."""
    if stage == "submit":
        return is_submitter(user, need) or is_staff_for(user, need)
    return is_staff_for(user, need) or is_assignee(user, need)


def may_submit_for(user: Any, community: Territory) -> bool:
    """Staff and grid workers over the community enter needs on others' behalf."""
    roots = grant_roots(user, tree=TERRITORY, roles=OFFICE | {Role.GRID_WORKER}, action=Action.VIEW)
    return is_within(community.path, roots)


def may_dispatch_to(user: Any, target: object) -> bool:
    if isinstance(target, Territory | Organization | Unit | Person):
        return can(user, Action.VIEW, target)
    return False


# --- Who hears about a need (notifications) ---------------------------------------------------


def _nearest_staff(territory: Territory | None, roles: frozenset[str] = OFFICE) -> QuerySet[User]:
    """Accounts holding an office grant on the nearest node, from `territory` upwards, that has
    any: the community's own staff if it has some, else the street's. Not everybody above: a
    district administrator must not hear of every broken lamp."""
    if territory is None:
        return User.objects.none()
    grants = RoleGrant.objects.active().filter(
        role__in=roles, territory__path__in=_prefixes(territory.path, Territory.steplen), user__is_active=True
    )
    nearest = grants.order_by("-territory__depth").values_list("territory_id", flat=True).first()
    if nearest is None:
        return User.objects.none()
    return User.objects.filter(grants__in=grants.filter(territory_id=nearest)).distinct()


def staff_to_notify(need: Need) -> QuerySet[User]:
    return _nearest_staff(need.community)


def supervisors_to_notify(territory: Territory) -> QuerySet[User]:
    """Staff of the node a need was escalated to (督办)."""
    return User.objects.filter(
        is_active=True,
        grants__in=RoleGrant.objects.active().filter(role__in=OFFICE, territory=territory),
    ).distinct()


def assignees_to_notify(need: Need) -> QuerySet[User]:
    """The accounts that handle the need now: the assigned person's account, the office and unit
    contacts granted on the assigned organisation, the unit's organisations, or the assigned
    territory's staff."""
    if need.assigned_person_id is not None:
        return User.objects.filter(is_active=True, person_id=need.assigned_person_id)
    if need.assigned_org_id is not None:
        return User.objects.filter(
            is_active=True,
            grants__in=RoleGrant.objects.active().filter(
                role__in=ORG_HANDLERS, organization_id=need.assigned_org_id
            ),
        ).distinct()
    if need.assigned_unit_id is not None:
        return User.objects.filter(
            is_active=True,
            grants__in=RoleGrant.objects.active().filter(
                role=Role.UNIT_CONTACT, organization__units=need.assigned_unit_id
            ),
        ).distinct()
    if need.assigned_territory_id is not None:
        return _nearest_staff(need.assigned_territory)
    return User.objects.none()


def resident_account(need: Need) -> User | None:
    """The account that follows the need on the phone: the resident's own, else whoever
    submitted it when that was the resident themself (never a staff member who entered it)."""
    if need.person_id is not None:
        account = User.objects.filter(is_active=True, person_id=need.person_id).first()
        if account is not None:
            return account
    if need.submitted_by_id is not None and need.channel == "mobile":
        return User.objects.filter(is_active=True, pk=need.submitted_by_id).first()
    return None

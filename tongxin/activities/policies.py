"""Who organises which activities: staff whose grant covers the organiser (a community or party
organisation in their subtree, a unit they may change), and the managers of a volunteer team.
"Missing" and "not yours" look the same (NotFoundOrForbidden)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tongxin.accounts.models import Role
from tongxin.accounts.policies import OFFICE, ORGANIZATION, TERRITORY, Action, grant_roots, visible
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.trees import subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.volunteers.models import Team, Volunteer, VolunteerStatus
from tongxin.volunteers.policies import teams_managed_by

from .models import Activity

ORG_ROLES = OFFICE | {Role.UNIT_CONTACT}
Organiser = Organization | Territory | Unit | Team


def _teams(user: Any) -> QuerySet[Team]:
    return teams_managed_by(user)


def organiser_q(user: Any) -> Q:
    """Activities the account organises (lists, edits, rosters, exports)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    t_roots = grant_roots(user, tree=TERRITORY, roles=OFFICE, action=Action.CHANGE)
    o_roots = grant_roots(user, tree=ORGANIZATION, roles=ORG_ROLES, action=Action.CHANGE)
    q = Q(pk__in=[])
    if t_roots:
        q |= subtree_q(t_roots, field="territory__path")
    if o_roots:
        q |= subtree_q(o_roots, field="organization__path")
    if t_roots or o_roots:
        q |= Q(unit__in=visible(user, Unit, Action.CHANGE).values("pk"))
    q |= Q(team__in=_teams(user).values("pk"))
    return q


def organised_by(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(organiser_q(user))


def is_organiser(user: Any) -> bool:
    """Has anything at all to organise (the staff list is shown, possibly empty)."""
    if grant_roots(user, tree=TERRITORY, roles=OFFICE, action=Action.CHANGE):
        return True
    if grant_roots(user, tree=ORGANIZATION, roles=ORG_ROLES, action=Action.CHANGE):
        return True
    return _teams(user).exists()


def activity_for_organiser(user: Any, pk: int | str) -> Activity:
    try:
        return (
            organised_by(user)
            .select_related("organization", "territory", "unit", "team", "community")
            .get(pk=pk)
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden(_("未找到该活动,或您无权查看。")) from None


def may_organise_as(user: Any, organiser: Organiser) -> bool:
    """May the account create an activity in this organiser's name."""
    if user is None:  # the system (demo data)
        return True
    if isinstance(organiser, Team):
        return _teams(user).filter(pk=organiser.pk).exists()
    if isinstance(organiser, Unit):
        return visible(user, Unit, Action.CHANGE).filter(pk=organiser.pk).exists()
    if isinstance(organiser, Territory):
        roots = grant_roots(user, tree=TERRITORY, roles=OFFICE, action=Action.CHANGE)
    else:
        roots = grant_roots(user, tree=ORGANIZATION, roles=ORG_ROLES, action=Action.CHANGE)
    return any(organiser.path.startswith(r) for r in roots)


@dataclass(frozen=True)
class OrganiserChoice:
    key: str  # "territory:12", "org:3", "unit:5", "team:7"
    label: str
    organiser: Organiser


KEY_PREFIX = {Territory: "territory", Organization: "org", Unit: "unit", Team: "team"}
MAX_CHOICES = 200


def organiser_key(organiser: Organiser) -> str:
    return f"{KEY_PREFIX[type(organiser)]}:{organiser.pk}"


def organiser_choices(user: Any) -> list[OrganiserChoice]:
    """The nodes the account may organise in the name of: its own grant nodes (and the
    communities under a territory grant), its units and its teams."""
    choices: list[OrganiserChoice] = []
    t_roots = grant_roots(user, tree=TERRITORY, roles=OFFICE, action=Action.CHANGE)
    if t_roots:
        nodes = Territory.objects.filter(subtree_q(t_roots)).exclude(level="grid").order_by("path")
        choices += [OrganiserChoice(organiser_key(t), t.name, t) for t in nodes[:MAX_CHOICES]]
    o_roots = grant_roots(user, tree=ORGANIZATION, roles=ORG_ROLES, action=Action.CHANGE)
    if o_roots:
        orgs = Organization.objects.filter(subtree_q(o_roots), is_external=False).order_by("path")
        choices += [OrganiserChoice(organiser_key(o), o.name, o) for o in orgs[:MAX_CHOICES]]
    if t_roots or o_roots:
        units = visible(user, Unit, Action.CHANGE).order_by("name")
        choices += [OrganiserChoice(organiser_key(u), u.name, u) for u in units[:MAX_CHOICES]]
    choices += [
        OrganiserChoice(organiser_key(t), t.name, t) for t in _teams(user).order_by("name")[:MAX_CHOICES]
    ]
    return choices


def may_take_part(person: Person) -> bool:
    """A registered volunteer (consent not withdrawn) or a party member."""
    if Volunteer.objects.filter(person=person, status=VolunteerStatus.ACTIVE).exists():
        return True
    return Membership.objects.filter(person=person).exists()

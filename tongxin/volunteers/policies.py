"""Who may see which volunteers and manage which teams.

A team is managed by staff whose grant covers its owner (the organisation, the community or the
unit, through accounts.policies), and by its leader. Staff see the volunteers who live in their
territory scope (or whose member roster they see) and the members of the teams they manage."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tongxin.accounts.policies import Action, can, visible
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .models import Team, TeamMember, Volunteer, VolunteerStatus


def volunteer_of(person: Person | None) -> Volunteer | None:
    """The person's volunteer registration, active or suspended, or None."""
    if person is None:
        return None
    return Volunteer.objects.filter(person=person).first()


def claim_places(person_id: int) -> list[str]:
    """Where an active volunteer may claim residents' needs: the community she lives in and the
    communities she chose to serve (registered with the needs policy at start-up). A suspended
    volunteer, who withdrew her consent, claims nowhere."""
    volunteer = (
        Volunteer.objects.filter(person_id=person_id, status=VolunteerStatus.ACTIVE)
        .select_related("person__residence")
        .first()
    )
    if volunteer is None:
        return []
    residence = volunteer.person.residence
    served = Territory.objects.filter(helper_profiles__person_id=person_id).values_list("path", flat=True)
    return [*([residence.path] if residence is not None else []), *served]


def may_manage_owner(user: Any, owner: Organization | Territory | Unit) -> bool:
    """Staff whose grant lets them change the owner node (and so its teams and records)."""
    if user is None:  # the system: demo data, commands
        return True
    return can(user, Action.CHANGE, owner)


def owner_q(user: Any, *, prefix: str = "") -> Q:
    """Rows whose organisation / territory / unit column lies in the account's change scope."""
    return (
        Q(**{f"{prefix}organization__in": visible(user, Organization, Action.CHANGE)})
        | Q(**{f"{prefix}territory__in": visible(user, Territory, Action.CHANGE)})
        | Q(**{f"{prefix}unit__in": visible(user, Unit, Action.CHANGE)})
    )


def teams_managed_by(user: Any) -> QuerySet[Team]:
    """Teams the account may edit: owner in its change scope, or led by its person."""
    q = owner_q(user)
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        q |= Q(leader__person_id=person_id)
    return Team.objects.filter(q)


def can_manage_team(user: Any, team: Team) -> bool:
    if user is None:
        return True
    person_id = getattr(user, "person_id", None)
    if (
        team.leader_id is not None
        and person_id is not None
        and Volunteer.objects.filter(pk=team.leader_id, person_id=person_id).exists()
    ):
        return True
    return may_manage_owner(user, team.owner)  # type: ignore[arg-type]


def teams_visible_to(user: Any) -> QuerySet[Team]:
    """Teams listed on the staff pages: those managed, and those owned inside the view scope."""
    q = (
        Q(organization__in=visible(user, Organization))
        | Q(territory__in=visible(user, Territory))
        | Q(unit__in=visible(user, Unit))
        | Q(pk__in=teams_managed_by(user).values("pk"))
    )
    return Team.objects.filter(q)


def volunteers_visible_to(user: Any) -> QuerySet[Volunteer]:
    in_teams = TeamMember.objects.filter(left_on__isnull=True, team__in=teams_managed_by(user)).values(
        "volunteer_id"
    )
    return Volunteer.objects.filter(Q(person__in=visible(user, Person)) | Q(pk__in=in_teams))


def access_volunteer(user: Any, pk: Any) -> Volunteer:
    """Fetch-and-check: missing and out of scope look the same."""
    try:
        return volunteers_visible_to(user).select_related("person__residence").get(pk=pk)
    except (Volunteer.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。")) from None


def access_team(user: Any, pk: Any, *, manage: bool = False) -> Team:
    try:
        team = (
            teams_visible_to(user)
            .select_related("organization", "territory", "unit", "leader__person")
            .get(pk=pk)
        )
    except (Team.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。")) from None
    if manage and not can_manage_team(user, team):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return team

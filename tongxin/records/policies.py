"""Who records and certifies which service: 谁组织谁记录、谁记录谁证明.

The organiser's staff (a grant covering the organisation, community or unit, or the team's owner)
and a team's leader record and correct; staff also see the records of the volunteers they see."""

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from tongxin.accounts.policies import Action, visible
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.volunteers.models import Team
from tongxin.volunteers.policies import can_manage_team, may_manage_owner, teams_managed_by, teams_visible_to

from .models import CorrectionRequest, ServiceRecord

Organiser = Team | Organization | Territory | Unit


def may_record_for(user: Any, organiser: Model) -> bool:
    """May the account record (and correct, and answer correction requests) for this organiser."""
    if isinstance(organiser, Team):
        return can_manage_team(user, organiser)
    return may_manage_owner(user, organiser)  # type: ignore[arg-type]


def organised_q(user: Any, action: Action = Action.CHANGE) -> Q:
    """Records whose organiser the account manages (CHANGE) or sees (VIEW)."""
    teams = teams_managed_by(user) if action == Action.CHANGE else teams_visible_to(user)
    return (
        Q(organization__in=visible(user, Organization, action))
        | Q(territory__in=visible(user, Territory, action))
        | Q(unit__in=visible(user, Unit, action))
        | Q(team__in=teams)
    )


def records_visible_to(user: Any) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(organised_q(user, Action.VIEW) | Q(person__in=visible(user, Person)))


def corrections_for(user: Any) -> QuerySet[CorrectionRequest]:
    """Correction requests the account answers: those on records it organised, except her own
    (nobody approves her own correction)."""
    qs = CorrectionRequest.objects.filter(record__in=ServiceRecord.objects.filter(organised_q(user)))
    own = getattr(user, "person_id", None)
    return qs.exclude(record__person_id=own) if own is not None else qs


def access_record(user: Any, pk: Any) -> ServiceRecord:
    try:
        return records_visible_to(user).get(pk=pk)
    except (ServiceRecord.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。")) from None


def own_record(person: Person | None, pk: Any) -> ServiceRecord:
    """A volunteer's own record; someone else's looks exactly like a missing one."""
    try:
        if person is None:
            raise ServiceRecord.DoesNotExist
        return ServiceRecord.objects.get(pk=pk, person=person)
    except (ServiceRecord.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。")) from None

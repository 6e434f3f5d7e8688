"""Writes for volunteering: real-name registration with consent, teams and their members."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError, NotFoundOrForbidden
from tongxin.matching.models import HelperProfile
from tongxin.matching.services import MAX_COMMUNITIES, helper_profile_save, may_edit_profile
from tongxin.matching.skills import SKILL_BIT, SLOT_BIT
from tongxin.needs.models import Need
from tongxin.needs.models import Status as NeedStatus
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory, TerritoryLevel
from tongxin.units.models import Unit

from .models import (
    CodeSequence,
    Team,
    TeamMember,
    Volunteer,
    VolunteerEvent,
    VolunteerEventKind,
    VolunteerStatus,
)
from .policies import can_manage_team, may_manage_owner

TeamOwner = Organization | Territory | Unit
NAME_MAX = 100
NO_DISTRICT = "000000"


class VolunteerError(ApplicationError):
    """The registration or the team change was refused; nothing changed."""


def _not_found() -> NotFoundOrForbidden:
    return NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))


# --- Codes -------------------------------------------------------------------------------------


def _district_code(person: Person) -> str:
    """The code of the district the person lives in (or whose branch she belongs to)."""
    path = person.residence.path if person.residence is not None else ""
    if not path:
        membership = (
            Membership.objects.filter(person=person).select_related("organization__territory").first()
        )
        if membership is not None and membership.organization.territory is not None:
            path = membership.organization.territory.path
    if not path:
        return NO_DISTRICT
    district = Territory.objects.filter(path=path[: Territory.steplen]).values_list("code", flat=True).first()
    return (district or NO_DISTRICT)[:6]


def next_volunteer_code(*, person: Person, now: datetime) -> str:
    """ZY + district code + year + a five-digit sequence, e.g. ZY310110202600042. The counter
    row is locked, so two registrations at once never share a number."""
    prefix = f"ZY{_district_code(person)}{timezone.localtime(now).year}"
    CodeSequence.objects.get_or_create(prefix=prefix)
    seq = CodeSequence.objects.select_for_update().get(prefix=prefix)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{prefix}{seq.last:05d}"


# --- The profile (shared with matching) ----------------------------------------------------------


def _bits(codes: Iterable[str], table: dict[str, int], *, field: str, message: str) -> int:
    mask = 0
    for code in codes:
        if code not in table:
            raise VolunteerError(message, field=field)
        mask |= table[code]
    return mask


def _profile_save(
    *,
    person: Person,
    skills: list[str],
    slots: list[str],
    communities: list[Territory],
    active: bool,
    by: Actor,
    now: datetime,
) -> HelperProfile:
    """The one HelperProfile for matching and volunteering, through matching's own service: a
    volunteer who is active has agreed to be suggested for needs."""
    return helper_profile_save(
        person=person,
        skills=skills,
        slots=slots,
        communities=communities,
        active=active,
        consent=active,
        by=by,
        now=now,
    )


def _check_profile(*, skills: list[str], slots: list[str], communities: list[Territory]) -> None:
    """The rules every volunteer's profile meets, checked before anything is written."""
    _bits(skills, SKILL_BIT, field="skills", message=_("请从列表中选择专长。"))
    if not skills:
        raise VolunteerError(_("请至少选择一项专长。"), field="skills")
    _bits(slots, SLOT_BIT, field="slots", message=_("请从列表中选择空闲时段。"))
    if not slots:
        raise VolunteerError(_("请至少选择一个空闲时段,方便社区联系您。"), field="slots")
    if not communities:
        raise VolunteerError(_("请至少选择一个服务社区。"), field="communities")
    if len(communities) > MAX_COMMUNITIES:
        raise VolunteerError(_("服务社区最多选择%(n)d个。") % {"n": MAX_COMMUNITIES}, field="communities")
    if any(c.level not in COMMUNITY_LEVELS for c in communities):
        raise VolunteerError(_("服务范围只能选择社区或村。"), field="communities")


# --- Registration --------------------------------------------------------------------------------


def volunteer_register(
    *,
    person: Person,
    skills: list[str],
    slots: list[str],
    communities: list[Territory],
    consent: bool,
    by: Actor,
    now: datetime,
) -> Volunteer:
    """Register a person (resident or member) as a volunteer, or update her registration.

    The person herself (phone page) or staff who may change her record (a paper form she signed)
    registers; `consent` is her explicit agreement, recorded with its time. Without consent a new
    registration is refused, and an existing one is suspended (consent withdrawn): her records
    stay, she is no longer suggested or invited."""
    if not may_edit_profile(by.user, person):
        raise _not_found()
    skills, slots = list(dict.fromkeys(skills)), list(dict.fromkeys(slots))
    places = list({c.pk: c for c in communities}.values())
    existing = Volunteer.objects.filter(person=person).first()
    if not consent:
        if existing is None:
            raise VolunteerError(_("请阅读说明并勾选同意后再登记。"), field="consent")
        return volunteer_withdraw(volunteer=existing, by=by, now=now)
    _check_profile(skills=skills, slots=slots, communities=places)
    user = by.user if getattr(by.user, "pk", None) else None
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        volunteer = Volunteer.objects.select_for_update().filter(person=person).first()
        if volunteer is None:
            volunteer = Volunteer.objects.create(
                person=person,
                code=next_volunteer_code(person=person, now=now),
                status=VolunteerStatus.ACTIVE,
                consent_at=now,
                registered_at=now,
                registered_by=user,
                updated_at=now,
            )
            kind = VolunteerEventKind.REGISTER
        else:
            kind = VolunteerEventKind.UPDATE
            if volunteer.status == VolunteerStatus.SUSPENDED:
                kind = VolunteerEventKind.RESUME
                volunteer.status, volunteer.consent_at, volunteer.withdrawn_at = (
                    VolunteerStatus.ACTIVE,
                    now,
                    None,
                )
            volunteer.updated_at = now
            volunteer.save(update_fields=["status", "consent_at", "withdrawn_at", "updated_at"])
        _profile_save(
            person=person, skills=skills, slots=slots, communities=places, active=True, by=by, now=now
        )
        VolunteerEvent.objects.create(volunteer=volunteer, kind=kind, at=now, by=user)
        audit_record(
            actor=by,
            action=AuditAction.CREATE if kind == VolunteerEventKind.REGISTER else AuditAction.UPDATE,
            target=volunteer,
            detail={"person": person.pk, "event": str(kind), "consent": True},
            now=now,
        )
    return volunteer


def _needs_in_hand(person: Person) -> list[int]:
    """Needs a volunteer who is no party member still holds (claimed, or given to her): she only
    holds them as a volunteer, so they must be finished or handed over before she withdraws."""
    if Membership.objects.filter(person=person).exists():
        return []
    held = Need.objects.filter(
        assigned_person=person, status__in=(NeedStatus.DISPATCHED, NeedStatus.CLAIMED, NeedStatus.IN_PROGRESS)
    )
    return list(held.order_by("pk").values_list("pk", flat=True))


def volunteer_withdraw(*, volunteer: Volunteer, by: Actor, now: datetime) -> Volunteer:
    """Consent withdrawn: the registration is suspended and the profile no longer suggested.
    Needs she holds as a volunteer are not left with nobody watching them: she is asked to
    finish them or have the community hand them over first."""
    if not may_edit_profile(by.user, volunteer.person):
        raise _not_found()
    user = by.user if getattr(by.user, "pk", None) else None
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().select_related("person").get(pk=volunteer.pk)
        if volunteer.status == VolunteerStatus.SUSPENDED:
            return volunteer
        held = _needs_in_hand(volunteer.person)
        if held:
            raise VolunteerError(
                _("还有%(n)d件诉求在您手上未办结(编号%(numbers)s),请先办结,或请社区改派后再撤回同意。")
                % {"n": len(held), "numbers": "、".join(str(pk) for pk in held)},
                field="consent",
            )
        volunteer.status, volunteer.withdrawn_at, volunteer.updated_at = VolunteerStatus.SUSPENDED, now, now
        volunteer.save(update_fields=["status", "withdrawn_at", "updated_at"])
        HelperProfile.objects.filter(person=volunteer.person).update(
            active=False, consent_at=None, updated_at=now
        )
        VolunteerEvent.objects.create(volunteer=volunteer, kind=VolunteerEventKind.WITHDRAW, at=now, by=user)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=volunteer,
            detail={"person": volunteer.person_id, "event": "withdraw", "consent": False},
            now=now,
        )
    return volunteer


# --- Teams ----------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise VolunteerError(_("请填写服务队名称。"), field="name")
    if len(name) > NAME_MAX:
        raise VolunteerError(_("服务队名称最多%(n)d个字。") % {"n": NAME_MAX}, field="name")
    return name


def _check_leader(leader: Volunteer | None) -> None:
    if leader is not None and leader.status != VolunteerStatus.ACTIVE:
        raise VolunteerError(_("队长须是在册志愿者。"), field="leader")


def team_create(
    *,
    name: str,
    owner: TeamOwner,
    leader: Volunteer | None = None,
    description: str = "",
    by: Actor,
    now: datetime,
) -> Team:
    """A team owned by an organisation, a community or a unit the creator manages."""
    name = _clean_name(name)
    if not isinstance(owner, Organization | Territory | Unit):
        raise VolunteerError(_("服务队须隶属于一个党组织、社区或单位。"), field="owner")
    if isinstance(owner, Territory) and owner.level == TerritoryLevel.GRID:
        raise VolunteerError(_("服务队不能隶属于网格,请选择社区。"), field="owner")
    if not may_manage_owner(by.user, owner):
        raise VolunteerError(_("找不到该党组织、社区或单位,或不在您的管辖范围内。"), field="owner")
    _check_leader(leader)
    field = {Organization: "organization", Territory: "territory", Unit: "unit"}[type(owner)]
    with transaction.atomic():
        team = Team.objects.create(
            name=name,
            leader=leader,
            description=(description or "").strip()[:300],
            created_at=now,
            updated_at=now,
            **{field: owner},
        )
        if leader is not None:
            _member_add(team=team, volunteer=leader, by=by, now=now)
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=team,
            detail={"owner": f"{field}:{owner.pk}", "leader": leader.pk if leader else None},
            now=now,
        )
    return team


def team_update(
    *, team: Team, name: str, leader: Volunteer | None, description: str = "", by: Actor, now: datetime
) -> Team:
    if not can_manage_team(by.user, team):
        raise _not_found()
    name = _clean_name(name)
    _check_leader(leader)
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        team.name, team.leader, team.description, team.updated_at = (
            name,
            leader,
            (description or "").strip()[:300],
            now,
        )
        team.save(update_fields=["name", "leader", "description", "updated_at"])
        if (
            leader is not None
            and not TeamMember.objects.filter(team=team, volunteer=leader, left_on__isnull=True).exists()
        ):
            _member_add(team=team, volunteer=leader, by=by, now=now)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=team,
            detail={"name": name, "leader": leader.pk if leader else None},
            now=now,
        )
    return team


def _member_add(*, team: Team, volunteer: Volunteer, by: Actor, now: datetime) -> TeamMember:
    return TeamMember.objects.create(
        team=team,
        volunteer=volunteer,
        joined_on=timezone.localtime(now).date(),
        added_by=by.user if getattr(by.user, "pk", None) else None,
    )


def team_member_add(*, team: Team, volunteer: Volunteer, by: Actor, now: datetime) -> TeamMember:
    """入队: an active volunteer joins; joining twice is refused."""
    if not can_manage_team(by.user, team):
        raise _not_found()
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise VolunteerError(_("该志愿者已暂停注册,不能加入服务队。"), field="volunteer")
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        if TeamMember.objects.filter(team=team, volunteer=volunteer, left_on__isnull=True).exists():
            raise VolunteerError(_("该志愿者已是本队队员。"), field="volunteer")
        member = _member_add(team=team, volunteer=volunteer, by=by, now=now)
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=member,
            detail={"team": team.pk, "volunteer": volunteer.pk},
            now=now,
        )
    return member


def team_member_remove(*, team: Team, volunteer: Volunteer, by: Actor, now: datetime) -> TeamMember:
    """离队: the membership is closed with a date, not deleted; the leader leaves as leader too."""
    if not can_manage_team(by.user, team):
        raise _not_found()
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        member = (
            TeamMember.objects.select_for_update()
            .filter(team=team, volunteer=volunteer, left_on__isnull=True)
            .first()
        )
        if member is None:
            raise VolunteerError(_("该志愿者不是本队队员。"), field="volunteer")
        member.left_on = max(timezone.localtime(now).date(), member.joined_on)
        member.save(update_fields=["left_on"])
        if team.leader_id == volunteer.pk:
            team.leader, team.updated_at = None, now
            team.save(update_fields=["leader", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=member,
            detail={"team": team.pk, "left": True},
            now=now,
        )
    return member

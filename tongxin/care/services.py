"""Writes of the care registry: register, update and close a subject, assign visitors, log visits,
remind visitors of overdue visits, and the audited reads of personal data (a staff view of a
subject, a visitor's tap-to-call).

Every function is keyword-only and takes `by` (who) and `now` (when) from its caller. Bad input
raises CareError with a Chinese message and changes nothing. Status changes lock the subject's row
and append a CareEvent; every write is audited; notifications go through tongxin.notifications and
never name the subject or their situation (a lock screen may show them)."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.accounts.models import RoleGrant, User
from tongxin.accounts.policies import OFFICE, Action, visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError
from tongxin.core.masking import age_on
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.notifications.services import IN_APP, WECHAT, Message, notify, notify_many
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from . import policies
from .models import (
    CADENCE_MAX,
    CADENCE_MIN,
    DEFAULT_CADENCE,
    Basis,
    CareAssignment,
    CareEvent,
    CareReminder,
    CareSubject,
    CareVisit,
    CloseReason,
    Condition,
    ConsentBy,
    EventKind,
    Kind,
    Way,
    kinds_of,
)

GUARDIAN_AGE = 14  # under this age only a guardian consents (DESIGN.md §7)
NOTES_MAX = 1000
VISIT_NOTES_MAX = 500
PLACE_MAX = 60
CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"
OVERDUE_SMS = "care_overdue"
SMS_TEMPLATES = {OVERDUE_SMS: "【同心】您有{count}位关爱对象已到走访时间,请在“我的走访”中查看。"}


class CareError(ApplicationError):
    """A care registry rule refused the request; nothing was changed. `field` names the input."""


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def due_date(*, last: date, cadence_days: int) -> date:
    """The day the next visit falls due: the last visit's day (or the registration day) plus the
    cadence. Overdue when that day is before today."""
    return last + timedelta(days=cadence_days)


def is_overdue(subject: CareSubject, today: date) -> bool:
    return subject.active and subject.due_on < today


def overdue_days(subject: CareSubject, today: date) -> int:
    return max(0, (today - subject.due_on).days)


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- validation -------------------------------------------------------------------------------


def _kind_bits(kinds: Iterable[int | str]) -> int:
    bits = 0
    for k in kinds:
        try:
            value = int(k)
        except (TypeError, ValueError):
            raise CareError(_("请从列表中选择关爱类别。"), field="kinds") from None
        if value not in Kind.values:
            raise CareError(_("请从列表中选择关爱类别。"), field="kinds")
        bits |= value
    if not bits:
        raise CareError(_("请至少选择一个关爱类别。"), field="kinds")
    return bits


def default_cadence(bits: int) -> int:
    return min(DEFAULT_CADENCE[k] for k in kinds_of(bits))


def _cadence(value: int | str | None, bits: int) -> int:
    if value is None or value == "":
        return default_cadence(bits)
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise CareError(_("走访周期请填写1到90之间的天数。"), field="cadence_days") from None
    if not CADENCE_MIN <= days <= CADENCE_MAX:
        raise CareError(_("走访周期请填写1到90之间的天数。"), field="cadence_days")
    return days


def _text(value: str, *, limit: int, field: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise CareError(
            _("%(label)s最多%(n)d个字,现在是%(m)d个字。") % {"label": label, "n": limit, "m": len(value)},
            field=field,
        )
    return value


def _basis(
    *,
    person: Person,
    basis: str,
    consent_by: str,
    guardian_name: str,
    consent_on: date | None,
    legal_basis: str,
    legal_reference: str,
    today: date,
) -> dict[str, Any]:
    """The recorded basis, checked: consent (whose, when) or a legal basis; under 14 a guardian."""
    minor = age_on(person.birth_date, today) < GUARDIAN_AGE
    if basis not in Basis.values:
        raise CareError(_("请选择登记依据:本人或监护人同意,或法定依据。"), field="basis")
    guardian_name = _text(guardian_name, limit=50, field="guardian_name", label=_("监护人姓名"))
    legal_basis = _text(legal_basis, limit=100, field="legal_basis", label=_("法定依据"))
    legal_reference = _text(legal_reference, limit=100, field="legal_reference", label=_("认定文号"))
    if minor and not (basis == Basis.CONSENT and consent_by == ConsentBy.GUARDIAN):
        raise CareError(_("不满14周岁的未成年人须由监护人同意后登记。"), field="consent_by")
    if basis == Basis.CONSENT:
        if consent_by not in ConsentBy.values:
            raise CareError(_("请选择由谁同意:本人或监护人。"), field="consent_by")
        if consent_by == ConsentBy.GUARDIAN and not guardian_name:
            raise CareError(_("请填写同意登记的监护人姓名。"), field="guardian_name")
        if consent_on is None:
            raise CareError(_("请填写同意日期。"), field="consent_on")
        if consent_on > today:
            raise CareError(_("同意日期不能晚于今天。"), field="consent_on")
        return {
            "basis": basis,
            "consent_by": consent_by,
            "guardian_name": guardian_name if consent_by == ConsentBy.GUARDIAN else "",
            "consent_on": consent_on,
            "legal_basis": "",
            "legal_reference": "",
        }
    if not legal_basis:
        raise CareError(_("请填写法定依据,例如“民政部门认定”。"), field="legal_basis")
    return {
        "basis": basis,
        "consent_by": "",
        "guardian_name": "",
        "consent_on": None,
        "legal_basis": legal_basis,
        "legal_reference": legal_reference,
    }


def _check_community(community: Territory | None, by: Actor, action: Action) -> Territory:
    if community is None or community.level not in COMMUNITY_LEVELS:
        raise CareError(_("请选择关爱对象所在的社区或村。"), field="community")
    if by.user is not None and not policies.is_within_staff(by.user, community, action):
        raise CareError(_("您只能在自己负责的社区登记关爱对象。"), field="community")
    return community


def _event(subject: CareSubject, kind: str, by: Actor, now: datetime, **detail: Any) -> CareEvent:
    return CareEvent.objects.create(
        subject=subject, kind=kind, at=now, actor=by.user, actor_label=by.label, detail=detail
    )


def _lock(subject: CareSubject) -> CareSubject:
    locked = CareSubject.objects.select_for_update().filter(pk=subject.pk).first()
    if locked is None:
        raise policies.not_found()
    return locked


# --- subjects ---------------------------------------------------------------------------------


def subject_register(
    *,
    person: Person,
    kinds: Iterable[int | str],
    community: Territory | None,
    basis: str,
    by: Actor,
    now: datetime,
    consent_by: str = "",
    guardian_name: str = "",
    consent_on: date | None = None,
    legal_basis: str = "",
    legal_reference: str = "",
    cadence_days: int | str | None = None,
    place: str = "",
    notes: str = "",
) -> CareSubject:
    """Record a person in the registry. Staff of the community (or the system) only; the person
    must be one the account may see; one active record per person."""
    today = local_date(now)
    community = _check_community(community, by, Action.CREATE)
    if by.user is not None and not visible(by.user, Person).filter(pk=person.pk).exists():
        raise CareError(_("找不到该人员,或不在您的管辖范围内。"), field="person")
    bits = _kind_bits(kinds)
    days = _cadence(cadence_days, bits)
    recorded = _basis(
        person=person,
        basis=basis,
        consent_by=consent_by,
        guardian_name=guardian_name,
        consent_on=consent_on,
        legal_basis=legal_basis,
        legal_reference=legal_reference,
        today=today,
    )
    place = _text(place, limit=PLACE_MAX, field="place", label=_("楼栋门牌"))
    notes = _text(notes, limit=NOTES_MAX, field="notes", label=_("备注"))
    duplicate = _("%(name)s已在关爱对象名册中,请打开原记录修改。") % {"name": person.name}
    with transaction.atomic():
        # The person's row serialises two registrations of the same person.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if CareSubject.objects.filter(person=person, active=True).exists():
            raise CareError(duplicate, field="person")
        try:
            with transaction.atomic():
                subject = CareSubject.objects.create(
                    person=person,
                    kind_bits=bits,
                    community=community,
                    place=place,
                    cadence_days=days,
                    notes=notes,
                    due_on=due_date(last=today, cadence_days=days),
                    created_by=by.user,
                    created_at=now,
                    updated_at=now,
                    **recorded,
                )
        except IntegrityError:
            raise CareError(duplicate, field="person") from None
        _event(subject, EventKind.REGISTER, by, now, kinds=bits, cadence=days, basis=recorded["basis"])
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=subject,
            detail={"person": person.pk, "kinds": bits, "basis": recorded["basis"], "cadence": days},
            now=now,
        )
    return subject


UPDATABLE: tuple[str, ...] = ("kind_bits", "place", "cadence_days", "notes", "basis", "consent_by")
UPDATABLE += ("guardian_name", "consent_on", "legal_basis", "legal_reference", "community_id")


def subject_update(
    *,
    subject: CareSubject,
    kinds: Iterable[int | str],
    basis: str,
    by: Actor,
    now: datetime,
    community: Territory | None = None,
    consent_by: str = "",
    guardian_name: str = "",
    consent_on: date | None = None,
    legal_basis: str = "",
    legal_reference: str = "",
    cadence_days: int | str | None = None,
    place: str = "",
    notes: str = "",
) -> CareSubject:
    """Change what is recorded of an active subject. A new cadence moves the due date."""
    today = local_date(now)
    bits = _kind_bits(kinds)
    days = _cadence(cadence_days, bits)
    with transaction.atomic():
        locked = _lock(subject)
        if by.user is not None and not policies.is_within_staff(by.user, locked.community, Action.CHANGE):
            raise policies.not_found()
        if not locked.active:
            raise CareError(_("该关爱对象已销册,不能修改。"))
        target = _check_community(community or locked.community, by, Action.CHANGE)
        recorded = _basis(
            person=locked.person,
            basis=basis,
            consent_by=consent_by,
            guardian_name=guardian_name,
            consent_on=consent_on,
            legal_basis=legal_basis,
            legal_reference=legal_reference,
            today=today,
        )
        before = {f: getattr(locked, f) for f in UPDATABLE}
        locked.kind_bits, locked.cadence_days, locked.community = bits, days, target
        locked.place = _text(place, limit=PLACE_MAX, field="place", label=_("楼栋门牌"))
        locked.notes = _text(notes, limit=NOTES_MAX, field="notes", label=_("备注"))
        for name, value in recorded.items():
            setattr(locked, name, value)
        changed = sorted(f for f in UPDATABLE if before[f] != getattr(locked, f))
        if not changed:  # saved as it was: nothing to record
            return locked
        last = local_date(locked.last_visited_at) if locked.last_visited_at else local_date(locked.created_at)
        locked.due_on = due_date(last=last, cadence_days=days)
        locked.updated_at = now
        locked.save()
        _event(locked, EventKind.UPDATE, by, now, fields=changed)
        audit_record(actor=by, action=AuditAction.UPDATE, target=locked, detail={"fields": changed}, now=now)
    return locked


def subject_close(
    *, subject: CareSubject, reason: str, note: str = "", by: Actor, now: datetime
) -> CareSubject:
    """Take a subject off the active registry (moved, deceased, consent withdrawn …); the record
    and its visits stay. Open assignments end today."""
    if reason not in CloseReason.values:
        raise CareError(_("请选择销册原因。"), field="reason")
    note = _text(note, limit=200, field="note", label=_("销册说明"))
    if reason == CloseReason.OTHER and not note:
        raise CareError(_("选择“其他”时请写明销册原因。"), field="note")
    with transaction.atomic():
        locked = _lock(subject)
        if by.user is not None and not policies.is_within_staff(by.user, locked.community, Action.CHANGE):
            raise policies.not_found()
        if not locked.active:
            raise CareError(_("该关爱对象已销册。"))
        locked.active, locked.closed_at, locked.close_reason, locked.close_note = False, now, reason, note
        locked.updated_at = now
        locked.save()
        ended = CareAssignment.objects.filter(subject=locked, until__isnull=True).update(
            until=local_date(now)
        )
        _event(locked, EventKind.CLOSE, by, now, reason=reason, assignments_ended=ended)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "close", "reason": reason},
            now=now,
        )
    return locked


# --- visitors ---------------------------------------------------------------------------------


def may_visit(person: Person) -> bool:
    """Party members, and volunteers whose registration is active (not withdrawn)."""
    return policies.may_visit(person.pk)


def visitor_assign(*, subject: CareSubject, visitor: Person, by: Actor, now: datetime) -> CareAssignment:
    today = local_date(now)
    with transaction.atomic():
        locked = _lock(subject)
        if by.user is not None:
            if not policies.is_within_staff(by.user, locked.community, Action.CHANGE):
                raise policies.not_found()
            if not visible(by.user, Person).filter(pk=visitor.pk).exists():
                raise CareError(_("找不到该走访人,或不在您的管辖范围内。"), field="visitor")
        if not locked.active:
            raise CareError(_("该关爱对象已销册,不能指派走访人。"))
        if visitor.pk == locked.person_id:
            raise CareError(_("关爱对象本人不能做自己的走访人。"), field="visitor")
        if not may_visit(visitor):
            raise CareError(_("走访人须是党员或登记的志愿者。"), field="visitor")
        if CareAssignment.objects.filter(subject=locked, visitor=visitor, until__isnull=True).exists():
            raise CareError(_("%(name)s已经是该对象的走访人。") % {"name": visitor.name}, field="visitor")
        assignment = CareAssignment.objects.create(
            subject=locked, visitor=visitor, since=today, created_at=now
        )
        _event(locked, EventKind.ASSIGN, by, now, visitor=visitor.pk)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "assign", "visitor": visitor.pk},
            now=now,
        )
        account = User.objects.filter(person=visitor, is_active=True).first()
        if account is not None:
            notify(
                recipient_user=account,
                message=Message(
                    title=_("您有新的关爱走访对象"),
                    body=_("社区为您指派了一位关爱对象,请在“我的走访”中查看。"),
                    url=_url("care:my_visits"),
                ),
                channels={IN_APP, WECHAT},
                now=now,
            )
    return assignment


def visitor_unassign(*, assignment: CareAssignment, by: Actor, now: datetime) -> CareAssignment:
    today = local_date(now)
    with transaction.atomic():
        locked = _lock(assignment.subject)
        if by.user is not None and not policies.is_within_staff(by.user, locked.community, Action.CHANGE):
            raise policies.not_found()
        row = CareAssignment.objects.select_for_update().filter(pk=assignment.pk, subject=locked).first()
        if row is None or row.until is not None:
            raise CareError(_("该指派已经结束。"))
        row.until = max(today, row.since)
        row.save(update_fields=["until"])
        _event(locked, EventKind.UNASSIGN, by, now, visitor=row.visitor_id)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "unassign", "visitor": row.visitor_id},
            now=now,
        )
    return row


# --- visits -----------------------------------------------------------------------------------


def visit_log(
    *,
    subject: CareSubject,
    visitor: Person,
    visited_at: datetime,
    way: str,
    condition: str,
    by: Actor,
    now: datetime,
    notes: str = "",
    follow_up: bool = False,
) -> CareVisit:
    """Record a visit, by the assigned visitor (their own) or by staff of the community (theirs or
    an assigned visitor's, from a paper form). Moves the subject's due date; an urgent condition
    tells the community's staff (in-app, without detail)."""
    today = local_date(now)
    if way not in Way.values:
        raise CareError(_("请选择走访方式。"), field="way")
    if condition not in Condition.values:
        raise CareError(_("请选择对象的情况。"), field="condition")
    notes = _text(notes, limit=VISIT_NOTES_MAX, field="notes", label=_("走访记录"))
    if visited_at > now + CLOCK_SKEW:
        raise CareError(_("走访时间不能晚于现在。"), field="visited_at")
    with transaction.atomic():
        locked = _lock(subject)
        user = by.user
        staff = user is None or policies.is_staff_for(user, locked, Action.CHANGE)
        own = getattr(user, "person_id", None)
        if not staff and not policies.is_assigned(own, locked, today):
            raise policies.not_found()
        if not locked.active:
            raise CareError(_("该关爱对象已销册,不能登记走访。"))
        if not staff and visitor.pk != own:
            raise CareError(_("只能登记您本人的走访。"), field="visitor")
        if staff and not (policies.is_assigned(visitor.pk, locked, today) or (own and visitor.pk == own)):
            raise CareError(_("走访人须是该对象的走访人或您本人。"), field="visitor")
        if local_date(visited_at) < local_date(locked.created_at):
            raise CareError(_("走访时间不能早于登记日期。"), field="visited_at")
        visit = CareVisit.objects.create(
            subject=locked,
            visitor=visitor,
            visited_at=visited_at,
            way=way,
            condition=condition,
            notes=notes,
            follow_up=follow_up,
            recorded_by=user,
            recorded_at=now,
        )
        if locked.last_visited_at is None or visited_at > locked.last_visited_at:
            locked.last_visited_at = visited_at
            locked.due_on = due_date(last=local_date(visited_at), cadence_days=locked.cadence_days)
            locked.save(update_fields=["last_visited_at", "due_on"])
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=visit,
            detail={"subject": locked.pk, "visitor": visitor.pk, "way": way, "condition": condition},
            now=now,
        )
        if condition == Condition.URGENT:
            notify_many(
                recipients=community_staff(locked.community),
                message=Message(
                    title=_("关爱对象走访反映紧急情况"),
                    body=_("请尽快查看走访记录并跟进。"),
                    url=_url("care:subject_detail", locked.pk),
                ),
                now=now,
            )
    return visit


def community_staff(community: Territory) -> list[User]:
    """Office accounts of the nearest node, from the community upwards, that has any."""
    step = Territory.steplen
    prefixes = [community.path[:i] for i in range(step, len(community.path) + 1, step)]
    grants = RoleGrant.objects.active().filter(
        role__in=OFFICE, territory__path__in=prefixes, user__is_active=True
    )
    nearest = grants.order_by("-territory__depth").values_list("territory_id", flat=True).first()
    if nearest is None:
        return []
    return list(User.objects.filter(grants__in=grants.filter(territory_id=nearest)).distinct())


# --- the daily reminder ----------------------------------------------------------------------


def overdue_remind(*, now: datetime) -> int:
    """Tell each assigned visitor how many of their subjects are overdue today: in-app, WeChat,
    and an SMS to their mobile. Once per visitor per day, however often it runs. Returns how many
    visitors were told this run."""
    today = local_date(now)
    overdue = CareSubject.objects.filter(active=True, due_on__lt=today)
    counts = (
        policies.visiting_assignments(today)
        .filter(subject__in=overdue)
        .order_by()
        .values("visitor_id")
        .annotate(n=Count("subject_id", distinct=True))
        .values_list("visitor_id", "n")
    )
    told = 0
    for visitor_id, n in list(counts):
        with transaction.atomic():
            _row, created = CareReminder.objects.get_or_create(
                visitor_id=visitor_id, day=today, defaults={"subjects": n, "sent_at": now}
            )
            if not created:
                continue
            visitor = Person.objects.get(pk=visitor_id)
            account = User.objects.filter(person_id=visitor_id, is_active=True).first()
            notify(
                recipient_user=account,
                phone=visitor.mobile,
                message=Message(
                    title=_("有%(n)d位关爱对象到了走访时间") % {"n": n},
                    body=_("请在“我的走访”中查看,走访后随手登记。"),
                    url=_url("care:my_visits"),
                    sms_template=OVERDUE_SMS,
                    sms_params={"count": str(n)},
                ),
                now=now,
            )
            told += 1
    return told


# --- audited reads ----------------------------------------------------------------------------


def subject_viewed(*, subject: CareSubject, by: Actor, now: datetime, view: str = "care_subject") -> None:
    """A staff member opened a subject's record or its edit form (DESIGN.md §7: every view is
    audited); `view` names which."""
    audit_record(actor=by, action=AuditAction.REVEAL, target=subject, detail={"view": view}, now=now)


def subject_phone_reveal(*, subject: CareSubject, by: Actor, now: datetime) -> str:
    """The subject's mobile in clear, for a visitor's or staff member's call; audited. The caller
    has checked access (policies)."""
    phone = subject.person.mobile
    audit_record(
        actor=by,
        action=AuditAction.REVEAL,
        target=subject.person,
        detail={"field": "mobile", "via": "care", "subject": subject.pk},
        now=now,
    )
    return phone


def subjects_export_audit(*, count: int, filters: dict[str, str], by: Actor, now: datetime) -> None:
    audit_record(
        actor=by,
        action=AuditAction.EXPORT,
        object_type=CareSubject._meta.label_lower,
        detail={"rows": count, "filters": filters},
        now=now,
    )

"""Check-in and check-out (scanned QR, the organiser's roster, the paper sheet entered later),
no-shows, and the service record each attendance becomes.

Hours run from check-in to check-out, capped by the slot: arriving early or leaving late does not
add time. The record is made through tongxin.records (the organiser records, "谁组织谁记录"), with
the source "signup:<pk>"; an organiser's adjustment is a correction there, never an edit."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.services import LedgerError
from tongxin.records.models import ServiceRecord
from tongxin.records.policies import may_record_for
from tongxin.records.services import RecordError, current_record_for, record_correct, record_create

from .. import policies
from ..models import CheckMethod, SignUp, SignUpStatus, Slot, Status
from ..models import SignUpEventKind as SK
from .common import hm, lock_slot, own_person_id, signup_event
from .errors import ActivityError

# Check-out stays open this long after the slot's end (people leave a little late).
CHECKOUT_GRACE = timedelta(minutes=60)
REASON_MAX = 100
_SCAN = Actor.system("activities:scan")


def checkin_window(slot: Slot) -> tuple[datetime, datetime]:
    return slot.starts_at - timedelta(minutes=slot.activity.checkin_minutes), slot.ends_at


def checkout_window(slot: Slot) -> tuple[datetime, datetime]:
    return slot.starts_at - timedelta(minutes=slot.activity.checkin_minutes), slot.ends_at + CHECKOUT_GRACE


def served_span(
    slot: Slot, checked_in_at: datetime, checked_out_at: datetime
) -> tuple[datetime, datetime, int]:
    """(start, end, minutes) of the service, capped by the slot."""
    start = max(checked_in_at, slot.starts_at)
    end = min(checked_out_at, slot.ends_at)
    if end <= start:
        return start, start, 0
    return start, end, int((end - start).total_seconds() // 60)


def _locked(signup: SignUp, by: Actor, *, organiser_only: bool) -> tuple[Slot, SignUp]:
    slot = lock_slot(signup.slot_id)
    locked = SignUp.objects.select_for_update().select_related("person").filter(pk=signup.pk).first()
    if locked is None:
        raise NotFoundOrForbidden(_("未找到该报名记录,或您无权查看。"))
    organiser = by.user is None or policies.organised_by(by.user).filter(pk=slot.activity_id).exists()
    mine = own_person_id(by) == locked.person_id
    if not (organiser or (mine and not organiser_only)):
        raise NotFoundOrForbidden(_("未找到该报名记录,或您无权查看。"))
    if slot.activity.status == Status.CANCELLED:
        raise ActivityError(_("该活动已取消。"))
    locked.slot = slot
    return slot, locked


def _records(write: Callable[..., ServiceRecord], **kwargs: Any) -> ServiceRecord:
    """A write through tongxin.records; its refusals read as the activities' own."""
    try:
        return write(**kwargs)
    except (RecordError, LedgerError) as refusal:
        raise ActivityError(refusal.message, field=refusal.field) from refusal


def current_record(signup: SignUp) -> ServiceRecord | None:
    """The sign-up's record in force, even when it was corrected in tongxin.records since."""
    if signup.record_id is None:
        return None
    return current_record_for(f"signup:{signup.pk}")


def _refuse_own(locked: SignUp, by: Actor) -> None:
    if own_person_id(by) is not None and own_person_id(by) == locked.person_id:
        raise ActivityError(_("不能补录或调整本人的服务时长,请由组织方其他负责人处理。"))


def _record(locked: SignUp, slot: Slot, *, by: Actor, now: datetime) -> None:
    """The service record of a finished attendance (none when the activity awards no hours)."""
    assert locked.checked_in_at is not None
    assert locked.checked_out_at is not None
    start, end, minutes = served_span(slot, locked.checked_in_at, locked.checked_out_at)
    locked.minutes = minutes
    activity = slot.activity
    if activity.awards_hours and minutes > 0 and locked.record_id is None:
        # A volunteer checking herself out by QR does not record her own hours: the system does,
        # in the organiser's name, from the times the organiser's QR code attested.
        # Nor does an organiser checking herself out (the time is now, as with the QR code).
        own = own_person_id(by) == locked.person_id
        recorder = (
            by if by.user is None or (may_record_for(by.user, activity.organiser) and not own) else _SCAN
        )
        locked.record = _records(
            record_create,
            person=locked.person,
            organiser=activity.organiser,
            title=activity.title,
            place=activity.venue,
            started_at=start,
            ended_at=end,
            minutes=minutes,
            source=f"signup:{locked.pk}",
            award_points=activity.awards_points,
            by=recorder,
            now=now,
        )
        signup_event(locked, kind=SK.RECORD, by=by, now=now, note=f"{minutes}")


def signup_check_in(*, signup: SignUp, by: Actor, now: datetime, method: str = CheckMethod.QR) -> SignUp:
    with transaction.atomic():
        slot, locked = _locked(signup, by, organiser_only=method != CheckMethod.QR)
        if locked.status != SignUpStatus.CONFIRMED:
            raise ActivityError(_("您不在该时段的正式报名名单中,不能签到。"))
        if locked.checked_in_at is not None:
            raise ActivityError(_("已于%(t)s签到,无需重复签到。") % {"t": hm(locked.checked_in_at)})
        opens, closes = checkin_window(slot)
        if not opens <= now <= closes:
            raise ActivityError(_("签到时间为%(a)s–%(b)s。") % {"a": hm(opens), "b": hm(closes)})
        locked.checked_in_at, locked.check_method = now, method
        locked.save(update_fields=["checked_in_at", "check_method"])
        signup_event(locked, kind=SK.CHECK_IN, by=by, now=now, note=method)
        if method != CheckMethod.QR:
            audit_record(
                actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "check_in"}, now=now
            )
    return locked


def signup_check_out(*, signup: SignUp, by: Actor, now: datetime, method: str = CheckMethod.QR) -> SignUp:
    """Check-out records the hours at once."""
    with transaction.atomic():
        slot, locked = _locked(signup, by, organiser_only=method != CheckMethod.QR)
        if locked.status != SignUpStatus.CONFIRMED:
            raise ActivityError(_("该报名已取消或不在正式名单中,不能签退。"))
        if locked.checked_in_at is None:
            raise ActivityError(_("还没有签到,请先签到。"))
        if locked.checked_out_at is not None:
            raise ActivityError(_("已于%(t)s签退,无需重复签退。") % {"t": hm(locked.checked_out_at)})
        opens, closes = checkout_window(slot)
        if not opens <= now <= closes:
            raise ActivityError(_("签退时间为%(a)s–%(b)s。") % {"a": hm(opens), "b": hm(closes)})
        locked.checked_out_at = now
        _record(locked, slot, by=by, now=now)
        locked.save(update_fields=["checked_out_at", "minutes", "record"])
        signup_event(locked, kind=SK.CHECK_OUT, by=by, now=now, note=method)
        if method != CheckMethod.QR:
            audit_record(
                actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "check_out"}, now=now
            )
    return locked


def signup_mark_no_show(*, signup: SignUp, by: Actor, now: datetime) -> SignUp:
    with transaction.atomic():
        slot, locked = _locked(signup, by, organiser_only=True)
        if now < slot.starts_at:
            raise ActivityError(_("时段开始后才能标记缺席。"))
        if locked.status != SignUpStatus.CONFIRMED or locked.checked_in_at is not None:
            raise ActivityError(_("只有已报名但未签到的人可以标记缺席。"))
        locked.status = SignUpStatus.NO_SHOW
        locked.save(update_fields=["status"])
        signup_event(locked, kind=SK.NO_SHOW, by=by, now=now)
        audit_record(actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "no_show"}, now=now)
    return locked


def signup_enter_paper(
    *, signup: SignUp, checked_in_at: datetime, checked_out_at: datetime, by: Actor, now: datetime
) -> SignUp:
    """The times written on the paper sheet, entered by the organiser afterwards. A person marked
    absent who signed the paper is put back; times already recorded are corrected through the
    records service (a reversal and a replacement). Times outside the slot count only within it;
    times that leave nothing of the slot cannot take back hours already recorded (refused)."""
    with transaction.atomic():
        slot, locked = _locked(signup, by, organiser_only=True)
        _refuse_own(locked, by)
        if locked.status not in (SignUpStatus.CONFIRMED, SignUpStatus.NO_SHOW):
            raise ActivityError(_("该报名已取消或在候补中,不能补录。"), field="times")
        if now < slot.starts_at:
            raise ActivityError(_("时段开始后才能补录签到。"), field="times")
        opens, closes = checkout_window(slot)
        if not (opens <= checked_in_at <= slot.ends_at and opens <= checked_out_at <= closes):
            raise ActivityError(
                _("签到、签退时间应在%(a)s–%(b)s之间。") % {"a": hm(opens), "b": hm(closes)}, field="times"
            )
        if checked_out_at <= checked_in_at:
            raise ActivityError(_("签退时间必须晚于签到时间。"), field="times")
        locked.status = SignUpStatus.CONFIRMED
        locked.checked_in_at, locked.checked_out_at = checked_in_at, checked_out_at
        locked.check_method = CheckMethod.PAPER
        current = current_record(locked)
        if current is None:
            locked.record = None
            _record(locked, slot, by=by, now=now)
        else:
            start, end, minutes = served_span(slot, checked_in_at, checked_out_at)
            if minutes == 0:
                raise ActivityError(
                    _(
                        "按填写的时间,在时段%(a)s–%(b)s内的服务时长为0分钟,不能据此取消已记录的时长;"
                        "请核对纸质签到表。"
                    )
                    % {"a": hm(slot.starts_at), "b": hm(slot.ends_at)},
                    field="times",
                )
            locked.record, locked.minutes = current, current.minutes
            if minutes != current.minutes:
                locked.record = _records(
                    record_correct,
                    record=current,
                    minutes=minutes,
                    reason=_("按纸质签到表补录"),
                    started_at=start,
                    ended_at=end,
                    by=by,
                    now=now,
                )
                locked.minutes = minutes
        locked.save()
        signup_event(locked, kind=SK.PAPER, by=by, now=now, note=f"{hm(checked_in_at)}-{hm(checked_out_at)}")
        audit_record(actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "paper"}, now=now)
    return locked


def signup_adjust(*, signup: SignUp, minutes: int, reason: str, by: Actor, now: datetime) -> SignUp:
    """The organiser changes the recorded hours, with a reason; the records service reverses the
    record and writes its replacement."""
    reason = (reason or "").strip()
    if not reason:
        raise ActivityError(_("请填写调整原因。"), field="reason")
    if len(reason) > REASON_MAX:
        raise ActivityError(_("调整原因不能超过100个字。"), field="reason")
    with transaction.atomic():
        slot, locked = _locked(signup, by, organiser_only=True)
        _refuse_own(locked, by)
        span = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
        if not isinstance(minutes, int) or not 1 <= minutes <= span:
            raise ActivityError(
                _("服务时长应在1到%(n)d分钟之间(不超过时段长度)。") % {"n": span}, field="minutes"
            )
        current = current_record(locked)
        if current is None:
            raise ActivityError(_("该报名还没有服务记录,请先签到签退或补录。"), field="minutes")
        if minutes == current.minutes:
            raise ActivityError(_("时长没有变化。"), field="minutes")
        # More than the checked-in span: the record then runs over the whole slot.
        started_at, ended_at = current.started_at, current.ended_at
        if minutes > int((ended_at - started_at).total_seconds() // 60):
            started_at, ended_at = slot.starts_at, slot.ends_at
        before = current.minutes
        locked.record = _records(
            record_correct,
            record=current,
            minutes=minutes,
            reason=reason,
            started_at=started_at,
            ended_at=ended_at,
            by=by,
            now=now,
        )
        locked.minutes = minutes
        locked.save(update_fields=["record", "minutes"])
        signup_event(locked, kind=SK.ADJUST, by=by, now=now, note=f"{before}→{minutes} {reason}")
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "adjust", "from": before, "to": minutes},
            now=now,
        )
    return locked


def slot_confirm(*, slot: Slot, by: Actor, now: datetime) -> dict[str, int]:
    """The organiser confirms the roster once the slot is over: whoever checked in but not out is
    checked out at the slot's end (and recorded); whoever never checked in is marked absent."""
    counts = {"recorded": 0, "no_show": 0}
    with transaction.atomic():
        locked_slot = lock_slot(slot.pk)
        if (
            by.user is not None
            and not policies.organised_by(by.user).filter(pk=locked_slot.activity_id).exists()
        ):
            raise NotFoundOrForbidden(_("未找到该活动,或您无权查看。"))
        if now < locked_slot.ends_at:
            raise ActivityError(_("时段结束后才能确认名单。"))
        if locked_slot.confirmed_at is not None:
            raise ActivityError(_("该时段的名单已经确认过了。"))
        rows = (
            SignUp.objects.select_for_update()
            .select_related("person")
            .filter(slot=locked_slot, status=SignUpStatus.CONFIRMED)
        )
        for row in rows:
            row.slot = locked_slot
            if row.checked_in_at is None:
                row.status = SignUpStatus.NO_SHOW
                row.save(update_fields=["status"])
                signup_event(row, kind=SK.NO_SHOW, by=by, now=now)
                counts["no_show"] += 1
            elif row.checked_out_at is None:
                row.checked_out_at = locked_slot.ends_at
                _record(row, locked_slot, by=by, now=now)
                row.save(update_fields=["checked_out_at", "minutes", "record"])
                signup_event(row, kind=SK.CHECK_OUT, by=by, now=now, note=CheckMethod.ROSTER)
                counts["recorded"] += 1
        locked_slot.confirmed_at = now
        locked_slot.save(update_fields=["confirmed_at"])
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked_slot,
            detail={"step": "confirm", **counts},
            now=now,
        )
    return counts

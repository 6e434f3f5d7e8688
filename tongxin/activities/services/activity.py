"""Creating, editing, publishing and cancelling an activity with its slots."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.matching.skills import SKILL_BIT
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.orgs.models import Organization
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.volunteers.models import Team

# The module, not the name: qr imports services.errors, so importing qr first (as the phone
# views do) would meet this package half-built.
from .. import notify, policies, qr
from ..models import ACTIVE_SIGNUP, Activity, Category, EventKind, SignUp, SignUpStatus, Slot, Status
from ..models import SignUpEventKind as SK
from .common import activity_event, lock_slot, signup_event
from .errors import ActivityError
from .signup import promote_next

MAX_SLOTS = 20
MAX_CAPACITY = 1000
MAX_SLOT_HOURS = 24
MAX_AGE = 100
Organiser = Organization | Territory | Unit | Team


@dataclass
class SlotData:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    pk: int | None = None  # an existing slot being kept (or changed)


@dataclass
class ActivityData:
    title: str
    category: str
    community: Territory
    venue: str
    address: str = ""
    description: str = ""
    skills: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    awards_hours: bool = True
    awards_points: bool = True
    cancel_hours: int = 2
    checkin_minutes: int = 30


def _clean(data: ActivityData) -> int:
    """Checks the fields; returns the skills as bits."""
    data.title = (data.title or "").strip()
    data.venue = (data.venue or "").strip()
    data.address = (data.address or "").strip()
    data.description = (data.description or "").strip()
    if not data.title:
        raise ActivityError(_("请填写活动名称。"), field="title")
    if len(data.title) > 60:
        raise ActivityError(_("活动名称不能超过60个字。"), field="title")
    if data.category not in Category.values:
        raise ActivityError(_("请从列表中选择活动类别。"), field="category")
    if data.community is None or data.community.level not in COMMUNITY_LEVELS:
        raise ActivityError(_("所在社区只能选择社区或村。"), field="community")
    if not data.venue:
        raise ActivityError(_("请填写活动地点。"), field="venue")
    if len(data.venue) > 60 or len(data.address) > 120:
        raise ActivityError(_("活动地点不能超过60个字,详细地址不能超过120个字。"), field="venue")
    if len(data.description) > 2000:
        raise ActivityError(_("活动内容不能超过2000个字。"), field="description")
    bits = 0
    for code in data.skills:
        if code not in SKILL_BIT:
            raise ActivityError(_("请从列表中选择所需专长。"), field="skills")
        bits |= SKILL_BIT[code]
    for age in (data.min_age, data.max_age):
        if age is not None and not 0 <= age <= MAX_AGE:
            raise ActivityError(_("年龄限制应在0到100岁之间。"), field="min_age")
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        raise ActivityError(_("最低年龄不能大于最高年龄。"), field="min_age")
    if not 0 <= data.cancel_hours <= 168:
        raise ActivityError(_("取消报名截止时间应在开始前0到168小时之间。"), field="cancel_hours")
    if not 0 <= data.checkin_minutes <= 180:
        raise ActivityError(_("提前签到时间应在0到180分钟之间。"), field="checkin_minutes")
    return bits


def _check_slot(slot: SlotData, *, now: datetime, changed: bool) -> None:
    if slot.ends_at <= slot.starts_at:
        raise ActivityError(_("结束时间必须晚于开始时间。"), field="slots")
    if slot.ends_at - slot.starts_at > timedelta(hours=MAX_SLOT_HOURS):
        raise ActivityError(_("一个时段不能超过24小时,请分成几个时段。"), field="slots")
    if not isinstance(slot.capacity, int) or slot.capacity < 1:
        raise ActivityError(_("每个时段的名额至少为1人。"), field="slots")
    if slot.capacity > MAX_CAPACITY:
        raise ActivityError(_("每个时段的名额不能超过1000人。"), field="slots")
    if changed and slot.starts_at <= now:
        raise ActivityError(_("开始时间不能早于现在。"), field="slots")


def _apply(activity: Activity, data: ActivityData, bits: int) -> None:
    activity.title, activity.category, activity.community = data.title, data.category, data.community
    activity.venue, activity.address, activity.description = data.venue, data.address, data.description
    activity.skill_bits, activity.min_age, activity.max_age = bits, data.min_age, data.max_age
    activity.awards_hours, activity.awards_points = data.awards_hours, data.awards_points
    activity.cancel_hours, activity.checkin_minutes = data.cancel_hours, data.checkin_minutes


def _set_organiser(activity: Activity, organiser: Organiser) -> None:
    activity.organization = organiser if isinstance(organiser, Organization) else None
    activity.territory = organiser if isinstance(organiser, Territory) else None
    activity.unit = organiser if isinstance(organiser, Unit) else None
    activity.team = organiser if isinstance(organiser, Team) else None


def _save_slots(
    activity: Activity, slots: Sequence[SlotData], *, by: Actor, now: datetime, creating: bool
) -> None:
    if not slots:
        raise ActivityError(_("请至少添加一个时段。"), field="slots")
    if len(slots) > MAX_SLOTS:
        raise ActivityError(_("一个活动最多20个时段。"), field="slots")
    existing = (
        {} if creating else {s.pk: s for s in Slot.objects.select_for_update().filter(activity=activity)}
    )
    kept = set()
    for data in slots:
        slot = existing.get(data.pk) if data.pk is not None else None
        if data.pk is not None and slot is None:
            raise ActivityError(_("该时段不存在,请刷新页面后重试。"), field="slots")
        moved = slot is None or (slot.starts_at, slot.ends_at) != (data.starts_at, data.ends_at)
        _check_slot(data, now=now, changed=moved)
        if slot is None:
            Slot.objects.create(
                activity=activity,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                capacity=data.capacity,
                qr_key=qr.new_qr_key(),
            )
            continue
        kept.add(slot.pk)
        taken = slot.signups.filter(status__in=ACTIVE_SIGNUP).exists()
        if moved and taken:
            raise ActivityError(_("已有人报名的时段不能改时间,请新增一个时段并通知报名者。"), field="slots")
        confirmed = slot.signups.filter(status=SignUpStatus.CONFIRMED).count()
        if data.capacity < confirmed:
            raise ActivityError(
                _("名额不能少于已报名人数(%(n)d人)。") % {"n": confirmed},
                field="slots",
            )
        added = data.capacity - max(slot.capacity, confirmed)
        slot.starts_at, slot.ends_at, slot.capacity = data.starts_at, data.ends_at, data.capacity
        slot.save()
        # More places: the waiting list moves up into them, first come first served.
        if activity.status == Status.PUBLISHED and slot.starts_at > now:
            slot.activity = activity
            for _n in range(max(0, added)):
                if promote_next(slot, by=by, now=now) is None:
                    break
    for pk, slot in existing.items():
        if pk not in kept:
            if slot.signups.exists():
                raise ActivityError(_("已有人报名的时段不能删除。"), field="slots")
            slot.delete()


def activity_create(
    *, organiser: Organiser, data: ActivityData, slots: Sequence[SlotData], by: Actor, now: datetime
) -> Activity:
    """A draft activity in the organiser's name; bad input raises ActivityError at a field."""
    if not policies.may_organise_as(by.user, organiser):
        raise NotFoundOrForbidden(_("未找到该主办方,或您无权以其名义发布活动。"))
    bits = _clean(data)
    with transaction.atomic():
        activity = Activity(created_by=by.user, created_at=now, updated_at=now)
        _set_organiser(activity, organiser)
        _apply(activity, data, bits)
        activity.save()
        _save_slots(activity, slots, by=by, now=now, creating=True)
        activity_event(activity, kind=EventKind.CREATE, by=by, now=now)
        audit_record(
            actor=by, action=AuditAction.CREATE, target=activity, detail={"slots": len(slots)}, now=now
        )
    return activity


def _lock(activity: Activity, by: Actor) -> Activity:
    locked = Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if locked is None or (
        by.user is not None and not policies.organised_by(by.user).filter(pk=locked.pk).exists()
    ):
        raise NotFoundOrForbidden(_("未找到该活动,或您无权查看。"))
    return locked


def activity_update(
    *, activity: Activity, data: ActivityData, slots: Sequence[SlotData], by: Actor, now: datetime
) -> Activity:
    bits = _clean(data)
    with transaction.atomic():
        locked = _lock(activity, by)
        if locked.status in (Status.CANCELLED, Status.FINISHED):
            raise ActivityError(_("活动已取消或已结束,不能再修改。"))
        _apply(locked, data, bits)
        locked.updated_at = now
        locked.save()
        _save_slots(locked, slots, by=by, now=now, creating=False)
        activity_event(locked, kind=EventKind.EDIT, by=by, now=now, before=locked.status)
        audit_record(
            actor=by, action=AuditAction.UPDATE, target=locked, detail={"slots": len(slots)}, now=now
        )
    return locked


def activity_publish(*, activity: Activity, by: Actor, now: datetime) -> Activity:
    """Draft → published: subscribers of its category in its community are told."""
    with transaction.atomic():
        locked = _lock(activity, by)
        if locked.status != Status.DRAFT:
            raise ActivityError(_("活动当前状态为“%(s)s”,不能发布。") % {"s": Status(locked.status).label})
        first = locked.slots.filter(starts_at__gt=now).order_by("starts_at").first()
        if first is None:
            raise ActivityError(_("活动没有尚未开始的时段,请先添加时段再发布。"))
        locked.status, locked.published_at, locked.updated_at = Status.PUBLISHED, now, now
        locked.save()
        activity_event(locked, kind=EventKind.PUBLISH, by=by, now=now, before=Status.DRAFT)
        told = notify.tell_subscribers(locked, first)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "publish", "told": told},
            now=now,
        )
    return locked


def activity_cancel(*, activity: Activity, reason: str, by: Actor, now: datetime) -> Activity:
    """Everyone signed up to a slot not yet over is told, and their sign-ups are cancelled."""
    reason = (reason or "").strip()
    if not reason:
        raise ActivityError(_("请填写取消原因,报名者会收到通知。"), field="reason")
    if len(reason) > 100:
        raise ActivityError(_("取消原因不能超过100个字。"), field="reason")
    with transaction.atomic():
        locked = _lock(activity, by)
        if locked.status not in (Status.DRAFT, Status.PUBLISHED):
            raise ActivityError(_("活动当前状态为“%(s)s”,不能取消。") % {"s": Status(locked.status).label})
        before = locked.status
        locked.status, locked.updated_at = Status.CANCELLED, now
        locked.save()
        activity_event(locked, kind=EventKind.CANCEL, by=by, now=now, before=before, note=reason)
        signups = list(
            SignUp.objects.select_for_update(of=("self",))
            .filter(slot__activity=locked, slot__ends_at__gt=now, status__in=ACTIVE_SIGNUP)
            .select_related("slot", "person")
        )
        for signup in signups:
            signup.status, signup.cancelled_at = SignUpStatus.CANCELLED, now
            signup.save(update_fields=["status", "cancelled_at"])
            signup_event(signup, kind=SK.CANCEL, by=by, now=now, note=_("活动取消"))
        notify.tell_cancelled(locked, signups, reason)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=locked,
            detail={"step": "cancel", "signups": len(signups)},
            now=now,
        )
    return locked


def activity_finish(*, activity: Activity, by: Actor, now: datetime) -> Activity:
    """Published → finished, once every slot is over."""
    with transaction.atomic():
        locked = _lock(activity, by)
        if locked.status != Status.PUBLISHED:
            raise ActivityError(_("活动当前状态为“%(s)s”,不能结束。") % {"s": Status(locked.status).label})
        if locked.slots.filter(ends_at__gt=now).exists():
            raise ActivityError(_("还有时段没有结束,不能结束活动。"))
        locked.status, locked.updated_at = Status.FINISHED, now
        locked.save()
        activity_event(locked, kind=EventKind.FINISH, by=by, now=now, before=Status.PUBLISHED)
        audit_record(actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "finish"}, now=now)
    return locked


def slot_qr_renew(*, slot: Slot, by: Actor, now: datetime) -> Slot:
    """Give the slot a new QR key: every code issued for it, the live one and the printed paper
    sheet alike, stops working at once (a sheet photographed and passed around; the paper code is
    otherwise good for the whole check-in window, since paper cannot refresh). Print the sheet
    again afterwards."""
    with transaction.atomic():
        locked = lock_slot(slot.pk)
        if by.user is not None and not policies.organised_by(by.user).filter(pk=locked.activity_id).exists():
            raise NotFoundOrForbidden(_("未找到该活动,或您无权查看。"))
        if now > locked.ends_at + timedelta(hours=1):
            raise ActivityError(_("该时段已结束,无需更换签到二维码。"))
        locked.qr_key = qr.new_qr_key()
        locked.save(update_fields=["qr_key"])
        audit_record(actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "qr_renew"}, now=now)
    return locked

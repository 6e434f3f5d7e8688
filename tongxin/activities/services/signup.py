"""Signing up for a slot, the waiting list, and cancelling.

The slot row is locked for every change of its sign-ups, so two people asking for the last place
at once get one place and one waiting-list position, and a cancellation moves exactly one person
up."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.masking import age_on
from tongxin.matching.models import HelperProfile
from tongxin.matching.skills import SKILL_CODES, SKILL_LABEL, codes_of
from tongxin.people.models import Person

from .. import notify, policies
from ..models import ACTIVE_SIGNUP, SignUp, SignUpStatus, Slot, Status
from ..models import SignUpEventKind as SK
from .common import lock_slot, own_person_id, signup_event, when
from .errors import ActivityError


class NotEligible(ActivityError):
    """The person may not take part (not a volunteer or member, age, skills)."""


def waitlist_position(signup: SignUp) -> int:
    """1 for the next to move up."""
    ahead = SignUp.objects.filter(
        slot_id=signup.slot_id, status=SignUpStatus.WAITLISTED, waitlisted_at__lt=signup.waitlisted_at
    ).count()
    same_moment = SignUp.objects.filter(
        slot_id=signup.slot_id,
        status=SignUpStatus.WAITLISTED,
        waitlisted_at=signup.waitlisted_at,
        pk__lt=signup.pk,
    ).count()
    return ahead + same_moment + 1


def _check_eligible(slot: Slot, person: Person) -> None:
    activity = slot.activity
    if not policies.may_take_part(person):
        raise NotEligible(_("报名志愿活动需要先登记成为志愿者。"), field="volunteer")
    age = age_on(person.birth_date, timezone.localtime(slot.starts_at).date())
    if activity.min_age is not None and age < activity.min_age:
        raise NotEligible(
            _("本活动要求年满%(min)d周岁,您目前%(age)d周岁,暂不能报名。")
            % {"min": activity.min_age, "age": age},
            field="age",
        )
    if activity.max_age is not None and age > activity.max_age:
        raise NotEligible(
            _("本活动要求年龄不超过%(max)d周岁,您目前%(age)d周岁,暂不能报名。")
            % {"max": activity.max_age, "age": age},
            field="age",
        )
    if activity.skill_bits:
        bits = HelperProfile.objects.filter(person=person).values_list("skill_bits", flat=True).first() or 0
        if not bits & activity.skill_bits:
            names = _("、").join(str(SKILL_LABEL[c]) for c in codes_of(activity.skill_bits, SKILL_CODES))
            raise NotEligible(
                _("本活动需要以下专长之一:%(skills)s。请先在志愿者登记中补充您的专长。") % {"skills": names},
                field="skills",
            )


def _refuse_twice(current: SignUp, person: Person, *, self_service: bool) -> None:
    """She already holds this slot: told in her words, or the organiser's about her."""
    waiting = current.status == SignUpStatus.WAITLISTED
    if self_service and waiting:
        raise ActivityError(
            _("您已在该时段的候补名单中(第%(n)d位),不用重复报名。") % {"n": waitlist_position(current)}
        )
    if self_service:
        raise ActivityError(_("您已报名该时段,不用重复报名。"))
    name = person.name
    if waiting:
        raise ActivityError(
            _("%(name)s已在该时段的候补名单中(第%(n)d位)。") % {"name": name, "n": waitlist_position(current)}
        )
    raise ActivityError(_("%(name)s已报名该时段。") % {"name": name})


def _check_no_clash(slot: Slot, person: Person, *, self_service: bool) -> None:
    """Nobody can be in two places at once: a place or a waiting-list place in another slot whose
    time overlaps this one is named to the person, who chooses which to keep. An organiser
    signing her up is told only the time (the other activity may be someone else's)."""
    # Her row is locked so that two sign-ups of hers into two different slots queue here.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    other = (
        SignUp.objects.filter(
            person=person,
            status__in=ACTIVE_SIGNUP,
            slot__starts_at__lt=slot.ends_at,
            slot__ends_at__gt=slot.starts_at,
        )
        .exclude(slot=slot)
        .select_related("slot__activity")
        .order_by("slot__starts_at", "pk")
        .first()
    )
    if other is None:
        return
    if not self_service:
        raise ActivityError(
            _("%(name)s在%(when)s已有其他活动的报名或候补,不能同时参加。")
            % {"name": person.name, "when": when(other.slot)},
            field="clash",
        )
    named = {"title": other.slot.activity.title, "when": when(other.slot)}
    if other.status == SignUpStatus.WAITLISTED:
        raise ActivityError(
            _("您已在同一时间的「%(title)s」(%(when)s)候补名单中。如要改报本时段,请先取消那边的候补。")
            % named,
            field="clash",
        )
    raise ActivityError(
        _("您已报名同一时间的「%(title)s」(%(when)s),不能同时参加。如要改报本时段,请先取消那边的报名。")
        % named,
        field="clash",
    )


def signup_create(*, slot: Slot, person: Person, by: Actor, now: datetime) -> SignUp:
    """A place if one is left, else the end of the waiting list. The person signs up herself, or
    the organiser signs her up (someone without a phone)."""
    with transaction.atomic():
        locked = lock_slot(slot.pk)
        activity = locked.activity
        self_service = own_person_id(by) == person.pk
        if (
            not self_service
            and by.user is not None
            and not policies.organised_by(by.user).filter(pk=activity.pk).exists()
        ):
            raise NotFoundOrForbidden(_("未找到该活动,或您无权查看。"))
        if activity.status != Status.PUBLISHED:
            raise ActivityError(_("该活动未在报名中。"))
        if locked.starts_at <= now:
            raise ActivityError(_("该时段已经开始,报名已截止。"))
        current = SignUp.objects.filter(
            slot=locked, person=person, status__in=(*ACTIVE_SIGNUP, SignUpStatus.NO_SHOW)
        ).first()
        if current is not None:
            _refuse_twice(current, person, self_service=self_service)
        _check_eligible(locked, person)
        _check_no_clash(locked, person, self_service=self_service)
        confirmed = SignUp.objects.filter(slot=locked, status=SignUpStatus.CONFIRMED).count()
        full = confirmed >= locked.capacity
        signup = SignUp(
            slot=locked,
            person=person,
            status=SignUpStatus.WAITLISTED if full else SignUpStatus.CONFIRMED,
            created_at=now,
            waitlisted_at=now if full else None,
        )
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError:  # the same person twice at once (the slot lock makes this rare)
            raise ActivityError(_("您已报名该时段,不用重复报名。")) from None
        signup_event(signup, kind=SK.WAITLIST if full else SK.SIGN_UP, by=by, now=now)
        if not self_service:
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                target=signup,
                detail={"slot": locked.pk, "person": person.pk},
                now=now,
            )
    return signup


def cancel_deadline(slot: Slot) -> datetime:
    return slot.starts_at - timedelta(hours=slot.activity.cancel_hours)


def promote_next(slot: Slot, *, by: Actor, now: datetime) -> SignUp | None:
    nxt = (
        SignUp.objects.filter(slot=slot, status=SignUpStatus.WAITLISTED)
        .select_related("person")
        .order_by("waitlisted_at", "pk")
        .first()
    )
    if nxt is None:
        return None
    nxt.status = SignUpStatus.CONFIRMED
    nxt.save(update_fields=["status"])
    nxt.slot = slot
    signup_event(nxt, kind=SK.PROMOTE, by=by, now=now)
    notify.tell_promoted(nxt)
    return nxt


def signup_cancel(*, signup: SignUp, by: Actor, now: datetime) -> SignUp:
    """The person withdraws: a waiting-list place any time before the start, a confirmed place
    until the organiser's deadline; the first on the waiting list then moves up and is told."""
    with transaction.atomic():
        locked_slot = lock_slot(signup.slot_id)
        locked = SignUp.objects.select_for_update().filter(pk=signup.pk).first()
        if locked is None or own_person_id(by) != locked.person_id:
            raise NotFoundOrForbidden(_("未找到该报名记录,或您无权查看。"))
        if locked.status not in ACTIVE_SIGNUP:
            raise ActivityError(_("该报名已取消或已结束,无需再取消。"))
        if locked.checked_in_at is not None:
            raise ActivityError(_("您已签到,不能再取消报名;如需提前离开,请签退。"))
        if locked.status == SignUpStatus.CONFIRMED and now >= cancel_deadline(locked_slot):
            raise ActivityError(
                _("已过取消截止时间(活动开始前%(h)d小时,%(time)s),如确实不能参加,请联系组织者。")
                % {"h": locked_slot.activity.cancel_hours, "time": when(locked_slot)}
            )
        if locked.status == SignUpStatus.WAITLISTED and now >= locked_slot.starts_at:
            raise ActivityError(_("该时段已经开始,无需取消候补。"))
        was_confirmed = locked.status == SignUpStatus.CONFIRMED
        locked.status, locked.cancelled_at = SignUpStatus.CANCELLED, now
        locked.save(update_fields=["status", "cancelled_at"])
        signup_event(locked, kind=SK.CANCEL, by=by, now=now)
        if was_confirmed and locked_slot.activity.status == Status.PUBLISHED:
            promote_next(locked_slot, by=by, now=now)
    return locked

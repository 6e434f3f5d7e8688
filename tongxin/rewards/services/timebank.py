"""时间银行: time credits (ledger CREDITS, in minutes; 60 = 1 时间币) earned by service to people
aged 65 and over are given to a relative, donated to a community's pool, or spent to book a
service for an elderly person.

A booking holds its credits from the start (payer → the escrow account), so a credit cannot be
spent twice; when the service is confirmed done the hold goes to the spent account and a service
record is written for the volunteer (records.record_create, which earns them hours, points and
credits); a cancellation reverses the hold."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import ApplicationError, NotFoundOrForbidden
from tongxin.core.masking import age_on
from tongxin.core.validators import clean_text, normalize_mobile, normalize_person_name
from tongxin.ledger.models import Account, Currency
from tongxin.ledger.selectors import balance_of
from tongxin.ledger.services import (
    InsufficientBalance,
    person_account,
    posting_create,
    source_reverse,
    system_account,
)
from tongxin.matching.skills import SKILL_CODES, SKILL_LABEL
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Person
from tongxin.people.services import mobile_index
from tongxin.records.services import record_create
from tongxin.territory.models import Territory
from tongxin.volunteers.policies import volunteer_of

from .. import policies
from ..models import (
    BookingEvent,
    BookingStatus,
    TimeBankBooking,
    TimeBankRelative,
    TimeBankTransfer,
    TransferKind,
)
from ..notify import booking_notify
from .errors import NoSuchRelative, TimeBankError

ELDERLY_AGE = 65
MAX_TRANSFER_MINUTES = 1000 * 60
BOOKING_MIN_MINUTES, BOOKING_MAX_MINUTES = 30, 8 * 60
ADDRESS_MAX, NOTE_MAX = 60, 200
ESCROW_CODE, SPENT_CODE = "timebank:escrow", "timebank:spent"


def pool_code(community: Territory) -> str:
    return f"timebank:pool:{community.pk}"


def format_credits(minutes: int) -> str:
    """60 → "1", 90 → "1.5", 20 → "0.33": credits as the person counts them (1 小时 = 1 时间币)."""
    whole, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if not rest:
        return f"{sign}{whole}"
    return f"{sign}{whole + rest / 60:.2f}".rstrip("0").rstrip(".")


def _check_minutes(minutes: object, *, field: str = "minutes", limit: int = MAX_TRANSFER_MINUTES) -> int:
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        raise TimeBankError(_("时长必须大于零。"), field=field)
    if minutes > limit:
        raise TimeBankError(_("一次最多 %(n)s 个时间币。") % {"n": format_credits(limit)}, field=field)
    return minutes


def _short_of_credits(have: int, need: int) -> TimeBankError:
    return TimeBankError(
        _("时间币不足:现有 %(have)s 个,需要 %(need)s 个。")
        % {"have": format_credits(have), "need": format_credits(need)},
        field="minutes",
    )


def _own(by: Actor, person: Person) -> None:
    if by.user is not None and getattr(by.user, "person_id", None) != person.pk:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))


def _move(
    *,
    payer: Person,
    to_account: Account,
    minutes: int,
    kind: str,
    source: str,
    memo: str,
    by: Actor,
    now: datetime,
) -> None:
    """Person → account, or the clear message with both figures; inside the caller's transaction."""
    have = balance_of(person=payer, currency=Currency.CREDITS)
    if have < minutes:
        raise _short_of_credits(have, minutes)
    try:
        posting_create(
            lines=[
                (person_account(person=payer, currency=Currency.CREDITS), -minutes),
                (to_account, minutes),
            ],
            kind=kind,
            source=source,
            memo=memo,
            by=by,
            now=now,
        )
    except InsufficientBalance:
        raise _short_of_credits(balance_of(person=payer, currency=Currency.CREDITS), minutes) from None


def relative_find(*, name: str, mobile: str) -> Person:
    """The registered person with this name and mobile; both must match."""
    try:
        number = normalize_mobile(mobile)
    except ValidationError:
        raise TimeBankError(_("手机号应为11位中国大陆手机号码,如13812345678。"), field="mobile") from None
    try:
        clean_name = normalize_person_name(name)
    except ValidationError:
        raise TimeBankError(_("请填写亲属的姓名。"), field="name") from None
    found = Person.objects.filter(mobile_index=mobile_index(number), name=clean_name).order_by("pk").first()
    if found is None:
        raise NoSuchRelative(
            _("没有找到姓名和手机号都相符的登记人员,请核对;亲属须先在社区登记。"), field="name"
        )
    return found


def credits_transfer(
    *, person: Person, to_name: str, to_mobile: str, minutes: int, by: Actor, now: datetime
) -> TimeBankTransfer:
    """Give credits to a relative, named by name and mobile (declared as her relative on the way).
    The amount and the balance are checked before the look-up, so that the answer never tells
    someone without credits whether a name and mobile are registered."""
    _own(by, person)
    minutes = _check_minutes(minutes)
    have = balance_of(person=person, currency=Currency.CREDITS)
    if have < minutes:
        raise _short_of_credits(have, minutes)
    relative = relative_find(name=to_name, mobile=to_mobile)
    if relative.pk == person.pk:
        raise TimeBankError(_("不能转给自己。"), field="name")
    with transaction.atomic():
        TimeBankRelative.objects.get_or_create(
            person=person, relative=relative, defaults={"declared_at": now}
        )
        transfer = TimeBankTransfer.objects.create(
            kind=TransferKind.TRANSFER,
            from_person=person,
            to_person=relative,
            minutes=minutes,
            created_at=now,
            created_by=by.user,
        )
        _move(
            payer=person,
            to_account=person_account(person=relative, currency=Currency.CREDITS),
            minutes=minutes,
            kind="timebank_transfer",
            source=transfer.ledger_source,
            memo=_("转给亲属"),
            by=by,
            now=now,
        )
    return transfer


def credits_donate(
    *, person: Person, community: Territory, minutes: int, by: Actor, now: datetime
) -> TimeBankTransfer:
    """Donate credits to a community's pool, from which its staff book for those who have none."""
    _own(by, person)
    minutes = _check_minutes(minutes)
    if community.level not in COMMUNITY_LEVELS:
        raise TimeBankError(_("只能捐给社区或村的时间银行。"), field="community")
    with transaction.atomic():
        transfer = TimeBankTransfer.objects.create(
            kind=TransferKind.DONATE,
            from_person=person,
            pool=community,
            minutes=minutes,
            created_at=now,
            created_by=by.user,
        )
        _move(
            payer=person,
            to_account=pool_account(community),
            minutes=minutes,
            kind="timebank_donate",
            source=transfer.ledger_source,
            memo=_("捐给社区时间银行"),
            by=by,
            now=now,
        )
    return transfer


def pool_account(community: Territory) -> Account:
    return system_account(
        code=pool_code(community),
        currency=Currency.CREDITS,
        name=_("%(name)s时间银行互助池") % {"name": community.name},
    )


def pool_balance(community: Territory) -> int:
    return int(Account.objects.filter(pk=pool_account(community).pk).values_list("balance", flat=True)[0])


def community_of(person: Person) -> Territory | None:
    residence = person.residence
    if residence is None:
        return None
    if residence.level in COMMUNITY_LEVELS:
        return residence
    return Territory.objects.filter(
        path=residence.path[: 3 * Territory.steplen], level__in=COMMUNITY_LEVELS
    ).first()


def _event(booking: TimeBankBooking, kind: str, before: str, *, by: Actor, now: datetime) -> None:
    BookingEvent.objects.create(
        booking=booking,
        kind=kind,
        from_status=before,
        to_status=booking.status,
        at=now,
        actor=by.user,
        actor_label=by.label,
    )


def booking_create(
    *,
    beneficiary: Person,
    skill: str,
    minutes: int,
    wanted_at: datetime,
    address: str,
    by: Actor,
    now: datetime,
    payer: Person | None = None,
    note: str = "",
) -> TimeBankBooking:
    """Book a service for an elderly person (65+), paid in credits: by herself, by a relative she
    is declared for (the relative pays), or by community staff for a resident without a phone
    (paid by her own credits, or with `payer` None from the community's pool)."""
    user = by.user
    community = community_of(beneficiary)
    if community is None:
        raise TimeBankError(_("服务对象尚未登记居住社区,请先到社区登记。"), field="beneficiary")
    staff = user is None or policies.is_community_staff(user, community)
    if not staff:
        person_id = getattr(user, "person_id", None)
        if payer is None or payer.pk != person_id:
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        if (
            payer.pk != beneficiary.pk
            and not TimeBankRelative.objects.filter(person=payer, relative=beneficiary).exists()
        ):
            raise TimeBankError(_("只能为自己或已登记的亲属预约。"), field="beneficiary")
    if skill not in SKILL_CODES:
        raise TimeBankError(_("请从列表中选择服务内容。"), field="skill")
    minutes = _check_minutes(minutes, limit=BOOKING_MAX_MINUTES)
    if minutes < BOOKING_MIN_MINUTES:
        raise TimeBankError(_("预约时长至少半小时。"), field="minutes")
    if wanted_at <= now:
        raise TimeBankError(_("希望时间须晚于现在。"), field="wanted_at")
    if wanted_at > now + timedelta(days=60):
        raise TimeBankError(_("只能预约60天以内的服务。"), field="wanted_at")
    if age_on(beneficiary.birth_date, timezone.localdate(wanted_at)) < ELDERLY_AGE:
        raise TimeBankError(
            _("时间银行的服务对象须年满%(age)d周岁。") % {"age": ELDERLY_AGE}, field="beneficiary"
        )
    address = clean_text(address)
    if not address:
        raise TimeBankError(_("请填写服务地点,如“3号楼2单元”。"), field="address")
    if len(address) > ADDRESS_MAX:
        raise TimeBankError(_("服务地点不能超过%(n)d个字。") % {"n": ADDRESS_MAX}, field="address")
    note = clean_text(note)
    if len(note) > NOTE_MAX:
        raise TimeBankError(_("备注不能超过%(n)d个字。") % {"n": NOTE_MAX}, field="note")
    with transaction.atomic():
        booking = TimeBankBooking.objects.create(
            beneficiary=beneficiary,
            community=community,
            payer=payer,
            skill=skill,
            minutes=minutes,
            wanted_at=wanted_at,
            address=address,
            note=note,
            created_at=now,
            created_by=user,
        )
        memo = _("预约服务:%(skill)s") % {"skill": SKILL_LABEL[skill]}
        if payer is not None:
            _move(
                payer=payer,
                to_account=escrow_account(),
                minutes=minutes,
                kind="timebank_hold",
                source=booking.ledger_source,
                memo=memo,
                by=by,
                now=now,
            )
        else:
            # The pool is a system account (it may go negative in the ledger); its floor is kept
            # here, under a lock on the community row that only pool spending takes.
            Territory.objects.select_for_update().filter(pk=community.pk).first()
            have = pool_balance(community)
            if have < minutes:
                raise _short_of_credits(have, minutes)
            posting_create(
                lines=[(pool_account(community), -minutes), (escrow_account(), minutes)],
                kind="timebank_hold",
                source=booking.ledger_source,
                memo=memo,
                by=by,
                now=now,
            )
        _event(booking, "create", "", by=by, now=now)
        if user is not None and staff:
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                target=booking,
                detail={"beneficiary": beneficiary.pk, "minutes": minutes, "pool": payer is None},
                now=now,
            )
    return booking


def escrow_account() -> Account:
    return system_account(code=ESCROW_CODE, currency=Currency.CREDITS, name=_("时间银行预约冻结"))


def booking_end(booking: TimeBankBooking) -> datetime:
    return booking.wanted_at + timedelta(minutes=booking.minutes)


def _lock(booking_id: int) -> TimeBankBooking:
    locked = (
        TimeBankBooking.objects.select_for_update(of=("self",))
        .select_related("community", "beneficiary", "volunteer")
        .filter(pk=booking_id)
        .first()
    )
    if locked is None:
        raise NotFoundOrForbidden(_("未找到该预约,或您无权查看。"))
    return locked


def booking_take(*, booking: TimeBankBooking, volunteer: Person, by: Actor, now: datetime) -> TimeBankBooking:
    """A registered volunteer takes an open booking on her phone (or the system for her, in demo
    data); two at once, one wins."""
    _own(by, volunteer)
    person = volunteer
    if volunteer_of(person) is None:
        raise TimeBankError(_("请先登记为志愿者,再来接单。"))
    with transaction.atomic():
        locked = _lock(booking.pk)
        if locked.status != BookingStatus.OPEN:
            if locked.status == BookingStatus.TAKEN:
                raise TimeBankError(_("该预约刚刚已被其他志愿者接单,谢谢您的热心!"))
            raise TimeBankError(
                _("该预约当前状态为“%(status)s”,不能接单。") % {"status": BookingStatus(locked.status).label}
            )
        if person.pk in (locked.beneficiary_id, locked.payer_id):
            raise TimeBankError(_("不能接自己的预约。"))
        before = locked.status
        locked.status, locked.volunteer, locked.taken_at = BookingStatus.TAKEN, person, now
        locked.save(update_fields=["status", "volunteer", "taken_at"])
        _event(locked, "take", before, by=by, now=now)
        booking_notify(booking=locked, step="take", now=now)
    return locked


def booking_complete(*, booking: TimeBankBooking, by: Actor, now: datetime) -> TimeBankBooking:
    """Confirmed done by the elderly person herself or the community's staff: the held credits
    are spent and the volunteer's service is recorded (beneficiary = the elderly person). The
    relative who paid may not confirm: giving credits is enough to become someone's "relative",
    and the confirmation is what writes the volunteer's hours and points."""
    with transaction.atomic():
        locked = _lock(booking.pk)
        side = policies.booking_side(by.user, locked)
        herself = policies.is_beneficiary(by.user, locked)
        staff = not herself and policies.is_community_staff(by.user, locked.community)
        if not (herself or staff):
            if side:
                raise TimeBankError(_("请服务对象本人或社区工作人员确认服务完成。"))
            raise NotFoundOrForbidden(_("未找到该预约,或您无权查看。"))
        if locked.status != BookingStatus.TAKEN:
            raise TimeBankError(
                _("该预约当前状态为“%(status)s”,不能确认完成。")
                % {"status": BookingStatus(locked.status).label}
            )
        if booking_end(locked) > now:
            raise TimeBankError(_("服务时间还没结束,结束后再确认。"))
        posting_create(
            lines=[
                (escrow_account(), -locked.minutes),
                (
                    system_account(code=SPENT_CODE, currency=Currency.CREDITS, name=_("时间银行已兑付")),
                    locked.minutes,
                ),
            ],
            kind="timebank_spend",
            source=locked.ledger_source,
            memo=_("服务完成"),
            by=by,
            now=now,
        )
        assert locked.volunteer is not None
        # The time bank records the service itself (谁组织谁记录: the community through its
        # time bank); the confirming person is named in the label.
        recorder = Actor(user=None, ip=by.ip, label=f"timebank:{by.label}"[:150])
        try:
            record_create(
                person=locked.volunteer,
                organiser=locked.community,
                title=_("时间银行:%(skill)s") % {"skill": SKILL_LABEL[locked.skill]},
                place=locked.community.name,
                started_at=locked.wanted_at,
                ended_at=locked.wanted_at + timedelta(minutes=locked.minutes),
                minutes=locked.minutes,
                source=f"booking:{locked.pk}",
                beneficiary=locked.beneficiary,
                by=recorder,
                now=now,
            )
        except ApplicationError as refusal:
            raise TimeBankError(refusal.message) from None
        before = locked.status
        locked.status, locked.done_at = BookingStatus.DONE, now
        locked.save(update_fields=["status", "done_at"])
        _event(locked, "done", before, by=by, now=now)
        booking_notify(booking=locked, step="done", now=now)
        if by.user is not None and staff:
            audit_record(actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "done"}, now=now)
    return locked


def booking_cancel(*, booking: TimeBankBooking, by: Actor, now: datetime) -> TimeBankBooking:
    """Before it is done, the elderly person's side or the staff cancel: the hold is released."""
    with transaction.atomic():
        locked = _lock(booking.pk)
        side = policies.booking_side(by.user, locked)
        staff = not side and policies.is_community_staff(by.user, locked.community)
        if not (side or staff):
            raise NotFoundOrForbidden(_("未找到该预约,或您无权查看。"))
        if locked.status not in (BookingStatus.OPEN, BookingStatus.TAKEN):
            raise TimeBankError(
                _("该预约当前状态为“%(status)s”,不能取消。") % {"status": BookingStatus(locked.status).label}
            )
        source_reverse(source=locked.ledger_source, memo=_("取消预约,退回时间币"), by=by, now=now)
        before = locked.status
        locked.status, locked.cancelled_at = BookingStatus.CANCELLED, now
        locked.save(update_fields=["status", "cancelled_at"])
        _event(locked, "cancel", before, by=by, now=now)
        booking_notify(booking=locked, step="cancel", now=now)
        if by.user is not None and staff:
            audit_record(
                actor=by, action=AuditAction.UPDATE, target=locked, detail={"step": "cancel"}, now=now
            )
    return locked

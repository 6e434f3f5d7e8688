"""Time bank: transfers to a relative, donations, bookings held, taken, done and cancelled; every
refusal changes nothing."""

from datetime import date, timedelta

import pytest

from conftest import NOW, SYSTEM, add_person
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.models import Account, Currency, Posting
from tongxin.ledger.selectors import balance_of
from tongxin.notifications.models import Notification
from tongxin.records.models import ServiceRecord
from tongxin.rewards.models import BookingStatus, TimeBankBooking, TimeBankRelative, TimeBankTransfer
from tongxin.rewards.services import (
    TimeBankError,
    booking_cancel,
    booking_complete,
    booking_create,
    booking_take,
    credits_donate,
    credits_transfer,
    format_credits,
)
from tongxin.rewards.services.timebank import pool_balance

from .conftest import as_user, give

pytestmark = pytest.mark.django_db


def credits(person) -> int:  # type: ignore[no-untyped-def]
    return balance_of(person=person, currency=Currency.CREDITS)


def counts() -> tuple[int, int, int, int]:
    return (
        Posting.objects.count(),
        TimeBankTransfer.objects.count(),
        TimeBankBooking.objects.count(),
        TimeBankRelative.objects.count(),
    )


def test_format_credits() -> None:
    assert [format_credits(m) for m in (0, 60, 90, 20, -30, 600)] == ["0", "1", "1.5", "0.33", "-0.5", "10"]


def test_a_son_gives_credits_to_his_mother(rw) -> None:  # type: ignore[no-untyped-def]
    t = credits_transfer(
        person=rw.son,
        to_name="赵桂兰",
        to_mobile="136 0000 1111",
        minutes=90,
        by=as_user(rw.son_user),
        now=NOW,
    )
    assert (credits(rw.son), credits(rw.granny)) == (510, 210)
    assert t.to_person == rw.granny
    assert TimeBankRelative.objects.filter(person=rw.son, relative=rw.granny).exists()
    assert Posting.objects.get(source=f"timebank:transfer:{t.pk}").kind == "timebank_transfer"


@pytest.mark.parametrize(
    ("name", "mobile", "minutes", "message"),
    [
        ("赵强", "13600002222", 60, "不能转给自己。"),
        ("赵桂兰", "13600009999", 60, "没有找到姓名和手机号都相符的登记人员,请核对;亲属须先在社区登记。"),
        ("赵桂芳", "13600001111", 60, "没有找到姓名和手机号都相符的登记人员,请核对;亲属须先在社区登记。"),
        ("赵桂兰", "1234", 60, "手机号应为11位中国大陆手机号码,如13812345678。"),
        ("赵桂兰", "13600001111", 0, "时长必须大于零。"),
        ("赵桂兰", "13600001111", -60, "时长必须大于零。"),
        ("赵桂兰", "13600001111", 660, "时间币不足:现有 10 个,需要 11 个。"),
    ],
)
def test_bad_transfers_change_nothing(rw, name, mobile, minutes, message) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(TimeBankError) as refusal:
        credits_transfer(
            person=rw.son, to_name=name, to_mobile=mobile, minutes=minutes, by=as_user(rw.son_user), now=NOW
        )
    assert refusal.value.message == message
    assert counts() == before
    assert (credits(rw.son), credits(rw.granny)) == (600, 120)


def test_nobody_transfers_someone_elses_credits(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundOrForbidden):
        credits_transfer(
            person=rw.son, to_name="赵桂兰", to_mobile="13600001111", minutes=60, by=as_user(rw.bob), now=NOW
        )
    assert credits(rw.son) == 600


def test_donation_goes_to_the_community_pool(rw) -> None:  # type: ignore[no-untyped-def]
    credits_donate(person=rw.son, community=rw.w.c11, minutes=120, by=as_user(rw.son_user), now=NOW)
    assert credits(rw.son) == 480
    assert pool_balance(rw.w.c11) == 120
    assert Account.objects.get(code=f"timebank:pool:{rw.w.c11.pk}").currency == Currency.CREDITS
    before = counts()
    with pytest.raises(TimeBankError, match="只能捐给社区或村"):
        credits_donate(person=rw.son, community=rw.w.street1, minutes=60, by=as_user(rw.son_user), now=NOW)
    with pytest.raises(TimeBankError, match="时间币不足:现有 8 个,需要 9 个"):
        credits_donate(person=rw.son, community=rw.w.c11, minutes=540, by=as_user(rw.son_user), now=NOW)
    assert counts() == before


def book(rw, **kw):  # type: ignore[no-untyped-def]
    args = {
        "beneficiary": rw.granny,
        "payer": rw.granny,
        "skill": "cleaning",
        "minutes": 120,
        "wanted_at": rw.later,
        "address": "3号楼2单元101",
        "by": as_user(rw.granny_user),
        "now": NOW,
    }
    return booking_create(**(args | kw))


def test_a_booking_holds_is_taken_and_done_with_a_service_record(rw) -> None:  # type: ignore[no-untyped-def]
    b = book(rw)
    assert credits(rw.granny) == 0
    assert Account.objects.get(code="timebank:escrow").balance == 120
    assert b.community == rw.w.c11
    with pytest.raises(TimeBankError, match="请先登记为志愿者"):
        booking_take(booking=b, volunteer=rw.w.bob, by=as_user(rw.bob), now=NOW)
    booking_take(booking=b, volunteer=rw.w.dave, by=as_user(rw.dave), now=NOW)
    with pytest.raises(TimeBankError, match="刚刚已被其他志愿者接单"):
        booking_take(booking=b, volunteer=rw.w.dave, by=as_user(rw.dave), now=NOW)
    with pytest.raises(TimeBankError, match="服务时间还没结束"):
        booking_complete(booking=b, by=as_user(rw.granny_user), now=NOW)
    done_at = rw.later + timedelta(hours=3)
    with pytest.raises(NotFoundOrForbidden):
        booking_complete(booking=b, by=as_user(rw.dave), now=done_at)  # the volunteer cannot confirm herself
    booking_complete(booking=b, by=as_user(rw.granny_user), now=done_at)
    b.refresh_from_db()
    assert b.status == BookingStatus.DONE
    assert Account.objects.get(code="timebank:escrow").balance == 0
    assert Account.objects.get(code="timebank:spent").balance == 120
    record = ServiceRecord.objects.get(source=f"booking:{b.pk}")
    assert (record.person, record.beneficiary, record.territory, record.minutes) == (
        rw.w.dave, rw.granny, rw.w.c11, 120
    )  # fmt: skip
    # The volunteer earned credits for serving an 80-year-old (records → ledger credits_earn).
    assert credits(rw.w.dave) == 120
    assert list(b.events.values_list("kind", flat=True)) == ["create", "take", "done"]
    assert Notification.objects.filter(recipient=rw.granny_user, title="时间银行:志愿者已接单").exists()
    assert Notification.objects.filter(recipient=rw.dave, title="时间银行:服务已确认完成").exists()
    with pytest.raises(TimeBankError, match="不能取消"):
        booking_cancel(booking=b, by=as_user(rw.granny_user), now=done_at)


def test_cancel_releases_the_hold(rw) -> None:  # type: ignore[no-untyped-def]
    b = book(rw)
    booking_take(booking=b, volunteer=rw.w.dave, by=as_user(rw.dave), now=NOW)
    booking_cancel(booking=b, by=as_user(rw.staff11), now=NOW)
    assert credits(rw.granny) == 120
    assert Account.objects.get(code="timebank:escrow").balance == 0
    with pytest.raises(TimeBankError, match="不能接单"):
        booking_take(booking=b, volunteer=rw.w.dave, by=as_user(rw.dave), now=NOW)


def test_a_relative_books_and_pays_for_his_mother(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TimeBankError, match="只能为自己或已登记的亲属预约"):
        book(rw, payer=rw.son, by=as_user(rw.son_user))
    credits_transfer(
        person=rw.son, to_name="赵桂兰", to_mobile="13600001111", minutes=60, by=as_user(rw.son_user), now=NOW
    )
    b = book(rw, payer=rw.son, by=as_user(rw.son_user), minutes=240)
    assert credits(rw.son) == 300
    booking_take(booking=b, volunteer=rw.w.dave, by=as_user(rw.dave), now=NOW)
    booking_cancel(booking=b, by=as_user(rw.son_user), now=NOW)
    assert credits(rw.son) == 540


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"minutes": 180}, "时间币不足:现有 2 个,需要 3 个。"),
        ({"minutes": 0}, "时长必须大于零。"),
        ({"minutes": 20}, "预约时长至少半小时。"),
        ({"skill": "flying"}, "请从列表中选择服务内容。"),
        ({"wanted_at": NOW - timedelta(hours=1)}, "希望时间须晚于现在。"),
        ({"address": "  "}, "请填写服务地点,如“3号楼2单元”。"),
    ],
)
def test_bad_bookings_change_nothing(rw, kw, message) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(TimeBankError) as refusal:
        book(rw, **kw)
    assert refusal.value.message == message
    assert counts() == before
    assert credits(rw.granny) == 120


def test_only_people_aged_65_and_over_are_served(rw) -> None:  # type: ignore[no-untyped-def]
    young = add_person("钱小", rw.w.c11, mobile="13600003333", birth=date(1990, 1, 1))
    give(young, Currency.CREDITS, 120)
    with pytest.raises(TimeBankError, match="年满65周岁"):
        booking_create(
            beneficiary=young, payer=None, skill="cleaning", minutes=60, wanted_at=rw.later,
            address="1号楼", by=as_user(rw.staff11), now=NOW,
        )  # fmt: skip


def test_staff_book_from_the_pool_for_a_resident_without_a_phone(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TimeBankError, match="时间币不足:现有 0 个,需要 1 个"):
        book(rw, payer=None, by=as_user(rw.staff11), minutes=60)
    credits_donate(person=rw.son, community=rw.w.c11, minutes=60, by=as_user(rw.son_user), now=NOW)
    b = book(rw, payer=None, by=as_user(rw.staff11), minutes=60)
    assert pool_balance(rw.w.c11) == 0
    assert credits(rw.granny) == 120
    with pytest.raises(NotFoundOrForbidden):
        book(rw, payer=None, by=as_user(rw.staff21), minutes=60)
    with pytest.raises(NotFoundOrForbidden):
        book(rw, payer=None, by=as_user(rw.granny_user), minutes=60)
    booking_cancel(booking=b, by=as_user(rw.staff11), now=NOW)
    assert pool_balance(rw.w.c11) == 60
    booking_create(
        beneficiary=rw.granny, payer=rw.granny, skill="meals", minutes=60, wanted_at=rw.later,
        address="3号楼", by=SYSTEM, now=NOW,
    )  # fmt: skip
    assert credits(rw.granny) == 60

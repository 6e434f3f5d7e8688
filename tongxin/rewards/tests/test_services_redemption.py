"""Catalogue and redemptions: the happy path, and every refusal with nothing changed."""

from datetime import date, timedelta

import pytest

from conftest import NOW, SYSTEM
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.models import Currency, Posting
from tongxin.ledger.selectors import balance_of
from tongxin.rewards.models import (
    CatalogueItem,
    Redemption,
    RedemptionEvent,
    RedemptionStatus,
)
from tongxin.rewards.services import (
    CatalogueError,
    ItemData,
    RedemptionError,
    item_save,
    redemption_cancel,
    redemption_create,
    redemption_hand_over,
)

from .conftest import as_user

pytestmark = pytest.mark.django_db


def points(person) -> int:  # type: ignore[no-untyped-def]
    return balance_of(person=person, currency=Currency.POINTS)


def snapshot(item) -> tuple:  # type: ignore[no-untyped-def]
    item.refresh_from_db()
    return (item.stock, Redemption.objects.count(), Posting.objects.count(), RedemptionEvent.objects.count())


def test_a_redemption_debits_points_decrements_stock_and_gives_a_code(rw) -> None:  # type: ignore[no-untyped-def]
    r = redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    assert points(rw.w.alice) == 70
    rw.tea.refresh_from_db()
    assert rw.tea.stock == 4
    assert r.status == RedemptionStatus.ISSUED
    assert len(r.code) == 8
    posting = Posting.objects.get(source=f"redemption:{r.pk}")
    sink = posting.entries.get(amount=30).account
    assert sink.code == f"redemption:unit:{rw.w.unit.pk}"
    assert list(r.events.values_list("kind", "to_status")) == [("redeem", "issued")]


def test_over_balance_says_both_figures_and_changes_nothing(rw) -> None:  # type: ignore[no-untyped-def]
    redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)  # 70 left
    before = snapshot(rw.book)
    with pytest.raises(RedemptionError) as refusal:
        redemption_create(item=rw.book, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    assert refusal.value.message == "积分不足:现有 70 分,需要 80 分。"
    assert snapshot(rw.book) == before
    assert points(rw.w.alice) == 70


def test_the_last_item_goes_once_then_sold_out(rw) -> None:  # type: ignore[no-untyped-def]
    give_points = 100
    redemption_create(item=rw.book, person=rw.w.bob, by=as_user(rw.bob), now=NOW)
    from .conftest import give

    give(rw.w.alice, Currency.POINTS, give_points)
    before = snapshot(rw.book)
    with pytest.raises(RedemptionError, match="已兑完"):
        redemption_create(item=rw.book, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    assert snapshot(rw.book) == before == (0, 1, before[2], before[3])


def test_the_per_person_limit_counts_live_redemptions_only(rw) -> None:  # type: ignore[no-untyped-def]
    first = redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    before = snapshot(rw.tea)
    with pytest.raises(RedemptionError) as refusal:
        redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    assert refusal.value.message == "“电力公司定制水杯”每人限兑 2 次,您已兑过 2 次。"
    assert snapshot(rw.tea) == before
    redemption_cancel(redemption=first, by=as_user(rw.alice), now=NOW)
    redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)


def test_off_the_shelf_and_expired_items_are_refused(rw) -> None:  # type: ignore[no-untyped-def]
    item_save(data=ItemData(name="社区义剪一次", price=10, active=False), item=rw.haircut, by=SYSTEM, now=NOW)
    with pytest.raises(RedemptionError, match="已下架"):
        redemption_create(item=rw.haircut, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    item_save(
        data=ItemData(name="社区义剪一次", price=10, valid_until=NOW.date()),
        item=rw.haircut,
        by=SYSTEM,
        now=NOW,
    )
    with pytest.raises(RedemptionError, match="有效期"):
        redemption_create(
            item=rw.haircut, person=rw.w.alice, by=as_user(rw.alice), now=NOW + timedelta(days=1)
        )
    assert Redemption.objects.count() == 0


def test_nobody_redeems_for_someone_else(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundOrForbidden):
        redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.bob), now=NOW)
    assert points(rw.w.alice) == 100


def test_hand_over_once_then_says_when(rw) -> None:  # type: ignore[no-untyped-def]
    r = redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    done = redemption_hand_over(code=r.code.lower(), by=as_user(rw.unit_contact), now=NOW)
    assert done.status == RedemptionStatus.HANDED_OVER
    assert done.handed_over_by == rw.unit_contact
    with pytest.raises(RedemptionError) as refusal:
        redemption_hand_over(code=r.code, by=as_user(rw.unit_contact), now=NOW + timedelta(hours=1))
    assert refusal.value.message == "该兑换码已于 2026-11-29 10:00 领取过,不能重复领取。"
    assert list(r.events.values_list("kind", flat=True)) == ["redeem", "hand_over"]
    with pytest.raises(RedemptionError, match="已领取的兑换不能取消"):
        redemption_cancel(redemption=r, by=as_user(rw.alice), now=NOW)


def test_another_offerers_staff_cannot_see_the_code(rw) -> None:  # type: ignore[no-untyped-def]
    r = redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    for user in (rw.unit2_contact, rw.staff21, rw.bob):
        with pytest.raises(NotFoundOrForbidden):
            redemption_hand_over(code=r.code, by=as_user(user), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        redemption_hand_over(code="NOPE2345", by=as_user(rw.unit_contact), now=NOW)
    # Community staff over the unit's territory may run its counter too.
    redemption_hand_over(code=r.code, by=as_user(rw.staff11), now=NOW)


def test_cancel_refunds_through_a_reversal_and_restores_stock(rw) -> None:  # type: ignore[no-untyped-def]
    r = redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    redemption_cancel(redemption=r, by=as_user(rw.unit_contact), now=NOW)
    assert points(rw.w.alice) == 100
    rw.tea.refresh_from_db()
    assert rw.tea.stock == 5
    postings = Posting.objects.filter(source=f"redemption:{r.pk}").order_by("pk")
    assert [p.reverses_id for p in postings] == [None, postings[0].pk]
    with pytest.raises(RedemptionError, match="已经取消"):
        redemption_cancel(redemption=r, by=as_user(rw.alice), now=NOW)
    with pytest.raises(RedemptionError, match="已取消"):
        redemption_hand_over(code=r.code, by=as_user(rw.unit_contact), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        redemption_cancel(redemption=r, by=as_user(rw.bob), now=NOW)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (ItemData(name=" ", price=10), "name", "请填写名称。"),
        (ItemData(name="水杯", price=0), "price", "所需积分须为正整数。"),
        (ItemData(name="水杯", price=-5), "price", "所需积分须为正整数。"),
        (
            ItemData(name="水杯", price=10, stock=-1),
            "stock",
            "库存须为0到100000之间的整数;服务类不限量请留空。",
        ),
        (
            ItemData(name="水杯", price=10, per_person_limit=0),
            "per_person_limit",
            "每人限兑须为正整数;不限请留空。",
        ),
        (
            ItemData(name="水杯", price=10, valid_until=date(2026, 1, 1)),
            "valid_until",
            "有效期不能早于今天。",
        ),
    ],
)
def test_item_validation_in_chinese(rw, data, field, message) -> None:  # type: ignore[no-untyped-def]
    count = CatalogueItem.objects.count()
    with pytest.raises(CatalogueError) as refusal:
        item_save(data=data, offerer=rw.w.unit, by=as_user(rw.unit_contact), now=NOW)
    assert (refusal.value.field, refusal.value.message) == (field, message)
    assert CatalogueItem.objects.count() == count


def test_only_the_offerers_staff_manage_items(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundOrForbidden):
        item_save(data=ItemData(name="书", price=5), offerer=rw.w.unit, by=as_user(rw.unit2_contact), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        item_save(data=ItemData(name="书", price=5), item=rw.tea, by=as_user(rw.staff21), now=NOW)
    with pytest.raises(CatalogueError, match="社区、村或驻区单位"):
        item_save(data=ItemData(name="书", price=5), offerer=rw.w.street1, by=SYSTEM, now=NOW)
    item = item_save(data=ItemData(name="理发券", price=5), offerer=rw.w.c11, by=as_user(rw.staff11), now=NOW)
    assert item.community == rw.w.c11
    assert item.sink_code == f"redemption:community:{rw.w.c11.pk}"

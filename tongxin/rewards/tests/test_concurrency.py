"""Two people after the last item at the same moment: one gets it, the other is told it is gone
and keeps her points. Two volunteers take one booking: one wins."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from conftest import NOW, SYSTEM, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.rewards.models import BookingStatus, Redemption
from tongxin.rewards.services import RewardsError, booking_create, booking_take, redemption_create
from tongxin.rewards.services import redemption as redemption_module
from tongxin.rewards.services import timebank as timebank_module
from tongxin.volunteers.services import volunteer_register

from .conftest import as_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrent_writers]


def race(monkeypatch: Any, module: Any, name: str, calls: dict[str, Callable[[], object]]) -> dict[str, str]:
    """Run the calls in threads; the first to reach `module.name` (called under the row lock)
    holds it for half a second, so the others arrive while the row is locked."""
    real = getattr(module, name)
    inside = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        if not inside.is_set():
            inside.set()
            time.sleep(0.5)
        return result

    monkeypatch.setattr(module, name, slow)
    outcomes: dict[str, str] = {}

    def run(key: str, call: Callable[[], object], wait_first: bool) -> None:
        try:
            if wait_first:
                assert inside.wait(5)
            call()
            outcomes[key] = "won"
        except RewardsError as refusal:
            outcomes[key] = str(refusal.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(key, call, i > 0)) for i, (key, call) in enumerate(calls.items())
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_concurrent_redemptions_of_the_last_item_give_one_success(rw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    outcomes = race(
        monkeypatch,
        redemption_module,
        "new_code",
        {
            "alice": lambda: redemption_create(
                item=rw.book, person=rw.w.alice, by=as_user(rw.alice), now=NOW
            ),
            "bob": lambda: redemption_create(item=rw.book, person=rw.w.bob, by=as_user(rw.bob), now=NOW),
        },
    )
    assert outcomes == {"alice": "won", "bob": "来晚了一步,“图书一本”已兑完。"}
    rw.book.refresh_from_db()
    assert rw.book.stock == 0
    assert Redemption.objects.filter(item=rw.book).count() == 1
    assert balance_of(person=rw.w.alice, currency=Currency.POINTS) == 20
    assert balance_of(person=rw.w.bob, currency=Currency.POINTS) == 100


def test_two_volunteers_take_one_booking_one_wins(rw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    erin = add_person("周芳", rw.w.c11, mobile="13600004444")
    volunteer_register(
        person=erin,
        skills=["cleaning"],
        slots=["0-am"],
        communities=[rw.w.c11],
        consent=True,
        by=SYSTEM,
        now=NOW,
    )
    erin_user = make_account("erin", (Role.RESIDENT, rw.w.c11), person=erin)
    booking = booking_create(
        beneficiary=rw.granny, payer=rw.granny, skill="cleaning", minutes=60, wanted_at=rw.later,
        address="3号楼", by=as_user(rw.granny_user), now=NOW,
    )  # fmt: skip
    outcomes = race(
        monkeypatch,
        timebank_module,
        "_lock",
        {
            "dave": lambda: booking_take(booking=booking, volunteer=rw.w.dave, by=as_user(rw.dave), now=NOW),
            "erin": lambda: booking_take(booking=booking, volunteer=erin, by=as_user(erin_user), now=NOW),
        },
    )
    assert outcomes == {"dave": "won", "erin": "该预约刚刚已被其他志愿者接单,谢谢您的热心!"}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.TAKEN
    assert booking.volunteer == rw.w.dave


def test_twelve_people_after_five_items_never_oversell(rw) -> None:  # type: ignore[no-untyped-def]
    from tongxin.rewards.services import ItemData, item_save

    from .conftest import give

    item = item_save(
        data=ItemData(name="限量纪念章", price=10, stock=5), offerer=rw.w.c11, by=SYSTEM, now=NOW
    )
    people = [add_person(f"测试{i}", rw.w.c11, mobile=f"1370000{i:04d}") for i in range(12)]
    for person in people:
        give(person, Currency.POINTS, 10)
    start = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(person: Any) -> None:
        try:
            start.wait(5)
            redemption_create(item=item, person=person, by=SYSTEM, now=NOW)
            result = "won"
        except RewardsError as refusal:
            result = str(refusal.message)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    assert sorted(outcomes) == ["won"] * 5 + ["来晚了一步,“限量纪念章”已兑完。"] * 7
    item.refresh_from_db()
    assert item.stock == 0
    assert Redemption.objects.filter(item=item).count() == 5
    spent = [balance_of(person=p, currency=Currency.POINTS) for p in people]
    assert sorted(spent) == [0] * 5 + [10] * 7
    print(f"12 concurrent redemptions of 5 items: {elapsed * 1000:.0f} ms")

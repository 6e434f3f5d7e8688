"""Two people ask for the last place at the same moment: exactly one gets it, the other is put
on the waiting list (the slot row is locked for every sign-up)."""

import threading
import time

import pytest
from django.db import connections

from conftest import NOW
from tongxin.activities.models import SignUp, SignUpStatus, Slot
from tongxin.activities.services import common, signup_create, waitlist_position
from tongxin.activities.services import signup as signup_module

from .conftest import actor, make_activity


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_two_sign_ups_for_the_last_place_give_one_confirmed(aw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=1)
    slot = activity.slots.get()
    real_lock = common.lock_slot
    locked_once = threading.Event()

    def slow_lock(slot_id: int) -> Slot:
        row = real_lock(slot_id)
        if not locked_once.is_set():
            locked_once.set()
            time.sleep(0.5)  # the rival arrives while this sign-up holds the slot
        return row

    monkeypatch.setattr(signup_module, "lock_slot", slow_lock)
    outcomes: dict[str, str] = {}

    def sign_up(user, wait_first: bool) -> None:  # type: ignore[no-untyped-def]
        try:
            if wait_first:
                assert locked_once.wait(5)
            outcomes[user.username] = signup_create(
                slot=slot, person=user.person, by=actor(user), now=NOW
            ).status
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=sign_up, args=(aw.sun_user, False)),
        threading.Thread(target=sign_up, args=(aw.n.alice, True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == {"sun": SignUpStatus.CONFIRMED, "alice": SignUpStatus.WAITLISTED}
    assert SignUp.objects.filter(slot=slot, status=SignUpStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_eight_sign_ups_at_once_for_three_places(aw) -> None:  # type: ignore[no-untyped-def]
    from conftest import add_member, add_person

    activity = make_activity(aw, capacity=3)
    slot = activity.slots.get()
    people = [add_person(f"志愿者{i}", aw.w.c11) for i in range(8)]
    for person in people:
        add_member(person, aw.w.b11)
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def sign_up(person) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(5)
            signup_create(slot=slot, person=person, by=actor_system(), now=NOW)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = SignUp.objects.filter(slot=slot)
    assert rows.filter(status=SignUpStatus.CONFIRMED).count() == 3
    waiting = rows.filter(status=SignUpStatus.WAITLISTED)
    assert sorted(waitlist_position(s) for s in waiting) == [1, 2, 3, 4, 5]


def actor_system():  # type: ignore[no-untyped-def]
    from tongxin.core.actor import Actor

    return Actor.system("test")

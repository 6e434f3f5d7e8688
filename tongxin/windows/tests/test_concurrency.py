"""Two residents take the last place of a slot at the same moment: one wins, the other is told
the slot is full."""

import threading
import time

import pytest
from django.db import connections

from conftest import NOW
from tongxin.windows import services as window_services
from tongxin.windows.models import Appointment, AppointmentStatus
from tongxin.windows.services import SlotFull, appointment_book

from .conftest import MATTERS, actor, at


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_the_last_place_has_one_winner(ww, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    n = ww.n
    slot = at(1, 9)
    appointment_book(
        point=ww.point,
        person=n.w.dave,
        matter=MATTERS[0],
        starts_at=slot,
        by=actor(n.other_resident),
        now=NOW,
    )  # one of two places taken
    real_day_bounds = window_services.day_bounds
    locked_once = threading.Event()

    def slow_bounds(day):  # type: ignore[no-untyped-def]
        # Called just after the point's row is locked: hold it while the rival arrives.
        if not locked_once.is_set():
            locked_once.set()
            time.sleep(0.5)
        return real_day_bounds(day)

    monkeypatch.setattr(window_services, "day_bounds", slow_bounds)
    outcomes: dict[str, str] = {}

    def take(user, person, wait_first: bool) -> None:  # type: ignore[no-untyped-def]
        try:
            if wait_first:
                assert locked_once.wait(5)
            appointment_book(
                point=ww.point, person=person, matter=MATTERS[0], starts_at=slot, by=actor(user), now=NOW
            )
            outcomes[user.username] = "won"
        except SlotFull as exc:
            outcomes[user.username] = exc.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=take, args=(ww.resident, ww.fang, False)),
        threading.Thread(target=take, args=(n.alice, n.w.alice, True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == {"fang": "won", "alice": "该时段刚刚约满了,请选择其他时间。"}
    assert Appointment.objects.filter(starts_at=slot, status=AppointmentStatus.BOOKED).count() == 2

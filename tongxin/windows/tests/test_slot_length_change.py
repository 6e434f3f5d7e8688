"""After staff change the slot length, the places of a slot count every booking that overlaps
it, not only those that start exactly at it."""

from unittest import mock

import pytest

from conftest import NOW, SYSTEM
from tongxin.windows.selectors import schedule_for, slots_for_day
from tongxin.windows.services import PointData, SlotFull, appointment_book, point_save

from .conftest import actor, at

pytestmark = pytest.mark.django_db


def _relength(point, minutes: int):  # type: ignore[no-untyped-def]
    data = PointData(
        community=point.community,
        name=point.name,
        address=point.address,
        matters=tuple(point.matters),
        slot_minutes=minutes,
        slot_capacity=point.slot_capacity,
    )
    return point_save(data=data, point=point, by=SYSTEM, now=NOW)


def test_longer_slots_count_the_bookings_inside_them(ww, nw) -> None:  # type: ignore[no-untyped-def]
    # Capacity 2: 方兰 at 09:00 and dave at 09:30 (30-minute slots) ...
    appointment_book(
        point=ww.point, person=ww.fang, matter="老年证", starts_at=at(2, 9), by=actor(ww.resident), now=NOW
    )
    appointment_book(
        point=ww.point, person=nw.w.dave, matter="老年证", starts_at=at(2, 9, 30), by=SYSTEM, now=NOW
    )
    point = _relength(ww.point, 60)  # ... then the slots become an hour long.
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        slots = slots_for_day(point, schedule_for(point, today=NOW.date()), at(2, 9).date(), now=NOW)
    assert at(2, 9) not in [s.starts_at for s in slots]  # 09:00–10:00 is full
    assert at(2, 10) in [s.starts_at for s in slots]
    with pytest.raises(SlotFull):
        appointment_book(
            point=point, person=nw.w.alice, matter="老年证", starts_at=at(2, 9), by=SYSTEM, now=NOW
        )


def test_shorter_slots_keep_a_booking_in_each_part(ww, nw) -> None:  # type: ignore[no-untyped-def]
    point = _relength(ww.point, 30)
    for person in (ww.fang, nw.w.dave):
        appointment_book(point=point, person=person, matter="老年证", starts_at=at(2, 9), by=SYSTEM, now=NOW)
    point = _relength(point, 15)
    slots = slots_for_day(point, schedule_for(point, today=NOW.date()), at(2, 9).date(), now=NOW)
    starts = [s.starts_at for s in slots]
    assert at(2, 9) not in starts
    assert at(2, 9, 15) not in starts  # still inside the two 09:00–09:30 bookings
    assert at(2, 9, 30) in starts

"""The demo seeding: a centre per street, a station per community, staggered weeks, bookings past
and ahead through the services, and one evening (or else the first) booking for demo_resident."""

import pytest

from conftest import NOW, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.windows.demo import seed_windows
from tongxin.windows.models import (
    Appointment,
    AppointmentStatus,
    HoursKind,
    OpeningHours,
    PointKind,
    ServicePoint,
)

pytestmark = pytest.mark.django_db


def test_seed_windows(nw) -> None:  # type: ignore[no-untyped-def]
    person = add_person("孙桂兰", nw.w.g111, mobile="13900009999")
    user = make_account("demo_resident", (Role.RESIDENT, nw.w.g111), person=person)
    counts = seed_windows(now=NOW, seed=1)
    assert ServicePoint.objects.filter(kind=PointKind.CENTER).count() == 2  # two streets
    assert ServicePoint.objects.filter(kind=PointKind.STATION).count() == 3  # three communities
    assert counts["service points"] == 5
    assert counts["opening hours"] == OpeningHours.objects.count()
    assert OpeningHours.objects.filter(kind=HoursKind.BOOKING).exists()
    assert OpeningHours.objects.filter(weekday__gte=5).exists()
    assert counts["appointments"] == Appointment.objects.count() > 5
    mine = Appointment.objects.get(person=user.person, channel="mobile")
    assert (mine.status, mine.channel) == (AppointmentStatus.BOOKED, "mobile")
    assert mine.starts_at > NOW
    assert Appointment.objects.filter(starts_at__lt=NOW).exclude(status=AppointmentStatus.BOOKED).exists()
    assert not Appointment.objects.filter(starts_at__lt=NOW, status=AppointmentStatus.BOOKED).exists()
    assert counts["closures"] == 1

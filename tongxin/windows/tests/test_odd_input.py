"""Odd input gets a page with a clear message, never a server error: digits that are not ASCII,
days outside the booking horizon, a point that is missing or someone else's, a closure years
ahead."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.test import Client

from conftest import NOW
from tongxin.audit.models import AuditEvent
from tongxin.windows.models import Closure
from tongxin.windows.services import WindowError, closure_add

from .conftest import actor, verified_client

pytestmark = pytest.mark.django_db

ODD = ["²", "٣", "１", "-1", "9" * 40]
TODAY = NOW.date()
YESTERDAY, BEYOND = (TODAY - timedelta(days=1)).isoformat(), (TODAY + timedelta(days=15)).isoformat()


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def phone(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def staff(ww):  # type: ignore[no-untyped-def]
    client = verified_client(ww.staff)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("value", ODD)
def test_an_odd_matter_number_asks_for_the_matter_again(ww, value) -> None:  # type: ignore[no-untyped-def]
    page = phone(ww.resident).get(f"/windows/m/points/{ww.point.pk}/book/", {"m": value})
    assert page.status_code == 200
    assert "社保卡办理" in page.content.decode()  # the list of matters again


@pytest.mark.parametrize("value", ODD)
def test_odd_numbers_elsewhere_show_the_page(ww, staff, value) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/windows/m/", {"c": value, "page": value}).status_code == 200
    assert phone(ww.resident).get("/windows/m/mine/", {"page": value}).status_code == 200
    assert staff.get("/windows/", {"page": value}).status_code == 200
    assert staff.get("/windows/appointments/", {"point": value, "page": value}).status_code == 200


@pytest.mark.parametrize(
    "day",
    [
        "0001-01-01",
        "9999-12-31",
        (TODAY - timedelta(days=1)).isoformat(),
        (TODAY + timedelta(days=15)).isoformat(),
    ],
)
def test_a_day_outside_the_booking_horizon_offers_no_times(ww, day) -> None:  # type: ignore[no-untyped-def]
    page = phone(ww.resident).get(f"/windows/m/points/{ww.point.pk}/book/", {"m": "0", "day": day})
    assert page.status_code == 200
    html = page.content.decode()
    assert "只能预约今天起14天内的日期" in html
    assert "确认预约" not in html


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_staff_booking_on_a_far_day_offers_no_times(ww, staff, day) -> None:  # type: ignore[no-untyped-def]
    page = staff.get("/windows/appointments/new/", {"point": ww.point.pk, "day": day})
    assert page.status_code == 200


def test_staff_booking_for_a_missing_or_foreign_point_is_not_found(ww, staff) -> None:  # type: ignore[no-untyped-def]
    assert staff.get("/windows/appointments/new/", {"point": "99999"}).status_code == 404
    assert staff.get("/windows/appointments/new/", {"point": str(ww.other.pk)}).status_code == 404
    assert staff.post("/windows/appointments/new/", {"point": str(ww.other.pk)}).status_code == 404
    assert staff.get("/windows/appointments/new/").status_code == 200  # no choice: the first point


def test_a_closure_years_ahead_is_refused_in_chinese(ww, staff) -> None:  # type: ignore[no-untyped-def]
    audits = AuditEvent.objects.count()
    page = staff.post(
        f"/windows/points/{ww.point.pk}/hours/",
        {"form": "closure", "starts_on": "9999-12-30", "ends_on": "9999-12-31", "reason": "测试"},
    )
    assert page.status_code == 400
    assert "闭馆日只能登记一年以内开始的" in page.content.decode()
    assert not Closure.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_closure_dates_must_start_within_a_year(ww) -> None:  # type: ignore[no-untyped-def]
    def add(starts_on: date, ends_on: date) -> Closure:
        return closure_add(
            point=ww.point, starts_on=starts_on, ends_on=ends_on, reason="装修", by=actor(ww.staff), now=NOW
        )

    with pytest.raises(WindowError, match="闭馆日只能登记一年以内开始的"):
        add(TODAY + timedelta(days=367), TODAY + timedelta(days=370))
    with pytest.raises(WindowError, match="一次登记的闭馆不超过一年"):
        add(TODAY + timedelta(days=300), TODAY + timedelta(days=700))
    assert not Closure.objects.exists()
    assert add(TODAY + timedelta(days=360), TODAY + timedelta(days=366)).pk

"""The pages: public list and hours, booking in steps on the phone, 我的预约 and cancel; the
staff list, export, outcomes, hours and closures forms, booking for a caller; 404 for missing
and forbidden alike."""

import io
from unittest import mock

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import NOW
from tongxin.audit.models import AuditEvent
from tongxin.windows.models import Appointment, AppointmentStatus
from tongxin.windows.services import appointment_book

from .conftest import MATTERS, actor, at, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():  # type: ignore[no-untyped-def]
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def phone(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_public_list_and_point_page_need_no_login(ww) -> None:  # type: ignore[no-untyped-def]
    page = Client().get("/windows/m/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "杨树浦社区党群服务中心" in html
    assert "长阳社区党群服务中心" in html
    assert "明天09:00开放" in html  # Sunday morning
    detail = Client().get(f"/windows/m/points/{ww.point.pk}/").content.decode()
    assert "18:00–20:30" in detail
    assert "预约服务" in detail
    assert "w-weekend" in detail
    assert "社保卡办理" in detail


def test_a_resident_sees_her_own_community_first(ww) -> None:  # type: ignore[no-untyped-def]
    html = phone(ww.resident).get("/windows/m/").content.decode()
    assert "杨树浦社区党群服务中心" in html
    assert "长阳社区党群服务中心" not in html
    assert "长阳社区党群服务中心" in phone(ww.resident).get("/windows/m/?all=1").content.decode()


def test_booking_in_steps_then_cancel(ww) -> None:  # type: ignore[no-untyped-def]
    client = phone(ww.resident)
    url = f"/windows/m/points/{ww.point.pk}/book/"
    assert "您要办什么?" in client.get(url).content.decode()
    days = client.get(url + "?m=1").content.decode()
    assert "晚上可约" in days  # Tuesday
    assert "day=2026-12-01" in days
    times = client.get(url + "?m=1&day=2026-12-01").content.decode()
    assert "18:30" in times
    assert "t=1830" in times
    confirm = client.get(url + "?m=1&day=2026-12-01&t=1830").content.decode()
    assert "确认预约" in confirm
    done = client.post(url, {"m": "1", "day": "2026-12-01", "t": "1830", "note": "带了户口本"})
    assert done.status_code == 302
    a = Appointment.objects.get(person=ww.fang)
    assert (a.matter, a.note, a.starts_at) == (MATTERS[1], "带了户口本", at(2, 18, 30))
    mine = client.get("/windows/m/mine/").content.decode()
    assert "老年证" in mine
    assert "取消这个预约" in mine
    assert client.post(f"/windows/m/mine/{a.pk}/cancel/").status_code == 302
    a.refresh_from_db()
    assert a.status == AppointmentStatus.CANCELLED


def test_a_taken_time_is_refused_on_the_page(ww, nw) -> None:  # type: ignore[no-untyped-def]
    for person, user in ((nw.w.alice, nw.alice), (nw.w.dave, nw.other_resident)):
        appointment_book(
            point=ww.point, person=person, matter=MATTERS[0], starts_at=at(2, 18, 30), by=actor(user), now=NOW
        )
    url = f"/windows/m/points/{ww.point.pk}/book/"
    response = phone(ww.resident).post(url, {"m": "0", "day": "2026-12-01", "t": "1830"})
    assert response.status_code == 400
    assert "这个时间已经约不上了" in response.content.decode()
    assert not Appointment.objects.filter(person=ww.fang).exists()


def test_someone_elses_appointment_cannot_be_cancelled(ww, nw) -> None:  # type: ignore[no-untyped-def]
    a = appointment_book(
        point=ww.point, person=nw.w.alice, matter=MATTERS[0], starts_at=at(1, 9), by=actor(nw.alice), now=NOW
    )
    assert phone(ww.resident).post(f"/windows/m/mine/{a.pk}/cancel/").status_code == 404
    a.refresh_from_db()
    assert a.status == AppointmentStatus.BOOKED


def test_staff_list_and_export_with_masked_phones(ww, nw) -> None:  # type: ignore[no-untyped-def]
    appointment_book(
        point=ww.point, person=ww.fang, matter=MATTERS[0], starts_at=at(1, 9), by=actor(ww.resident), now=NOW
    )
    client = verified_client(ww.staff)
    html = client.get("/windows/appointments/?when=upcoming").content.decode()
    assert "方兰" in html
    assert "136****2222" in html
    assert "13611112222" not in html
    # Another community's staff do not see it.
    assert (
        "方兰" not in verified_client(ww.staff21).get("/windows/appointments/?when=upcoming").content.decode()
    )
    export = client.get("/windows/appointments/?when=upcoming&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [c.value for c in sheet[2]]
    assert "方兰" in values
    assert "136****2222" in values
    assert AuditEvent.objects.filter(action="export", object_type="windows.appointment").exists()


def test_staff_mark_done_from_todays_list(ww) -> None:  # type: ignore[no-untyped-def]
    a = appointment_book(
        point=ww.point, person=ww.fang, matter=MATTERS[0], starts_at=at(1, 9), by=actor(ww.resident), now=NOW
    )
    with mock.patch("django.utils.timezone.now", return_value=at(1, 9, 10)):
        client = verified_client(ww.staff)
        today = client.get("/windows/appointments/").content.decode()
        assert "方兰" in today
        response = client.post(
            f"/windows/appointments/{a.pk}/outcome/", {"outcome": "done", "back": "when=today"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith("/windows/appointments/?when=today")
        other = verified_client(ww.staff21).post(
            f"/windows/appointments/{a.pk}/outcome/", {"outcome": "no_show"}
        )
        assert other.status_code == 404
    a.refresh_from_db()
    assert a.status == AppointmentStatus.DONE


def test_staff_cancel_needs_a_reason(ww) -> None:  # type: ignore[no-untyped-def]
    a = appointment_book(
        point=ww.point, person=ww.fang, matter=MATTERS[0], starts_at=at(1, 9), by=actor(ww.resident), now=NOW
    )
    client = verified_client(ww.staff)
    page = client.post(f"/windows/appointments/{a.pk}/cancel/", {"reason": ""}, follow=True).content.decode()
    assert "请填写取消原因" in page
    client.post(f"/windows/appointments/{a.pk}/cancel/", {"reason": "停电"})
    a.refresh_from_db()
    assert (a.status, a.cancel_reason) == (AppointmentStatus.CANCELLED, "停电")


def test_hours_and_closure_forms(ww) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(ww.staff)
    url = f"/windows/points/{ww.point.pk}/hours/"
    count = ww.point.hours.count()
    bad = client.post(
        url, {"form": "hours", "weekday": "1", "opens": "20:00", "closes": "19:00", "kind": "open"}
    )
    assert bad.status_code == 400
    assert "结束时间须晚于开始时间" in bad.content.decode()
    overlap = client.post(
        url, {"form": "hours", "weekday": "1", "opens": "19:00", "closes": "21:00", "kind": "open"}
    )
    assert "与当天已有的时段重叠" in overlap.content.decode()
    assert ww.point.hours.count() == count
    ok = client.post(
        url, {"form": "hours", "weekday": "6", "opens": "09:00", "closes": "11:00", "kind": "booking"}
    )
    assert ok.status_code == 302
    assert ww.point.hours.count() == count + 1
    appointment_book(
        point=ww.point, person=ww.fang, matter=MATTERS[0], starts_at=at(3, 9), by=actor(ww.resident), now=NOW
    )
    closed = client.post(
        url,
        {"form": "closure", "starts_on": "2026-12-02", "ends_on": "2026-12-02", "reason": "消防检查"},
        follow=True,
    )
    assert "闭馆期间已有1个预约" in closed.content.decode()
    assert "消防检查" in Client().get(f"/windows/m/points/{ww.point.pk}/").content.decode()


def test_point_form_creates_and_refuses(ww, nw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(ww.staff)
    data = {
        "community": nw.w.c11.pk,
        "name": "杨树浦便民服务站",
        "kind": "convenience",
        "address": "杨树浦路200号",
        "matters": "老年证\n居住证明\n",
        "active": "on",
        "slot_minutes": "20",
        "slot_capacity": "1",
        "days_ahead": "7",
        "notice_minutes": "60",
    }
    assert client.post("/windows/points/new/", data).status_code == 302
    bad = client.post("/windows/points/new/", {**data, "matters": "  "})
    assert bad.status_code == 400
    other = client.post("/windows/points/new/", {**data, "community": nw.w.c21.pk})
    assert other.status_code == 400  # not a choice for this staff


def test_staff_book_for_a_caller(ww, nw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(ww.staff)
    found = client.get("/windows/persons/?pq=方兰").content.decode()
    assert "136****2222" in found
    page = client.get(f"/windows/appointments/new/?point={ww.point.pk}&day=2026-12-01").content.decode()
    assert "18:30" in page
    response = client.post(
        "/windows/appointments/new/",
        {"point": ww.point.pk, "day": "2026-12-01", "person": nw.fang.pk, "matter": MATTERS[2], "t": "1830"},
    )
    assert response.status_code == 302
    a = Appointment.objects.get(person=nw.fang)
    assert (a.channel, a.booked_by) == ("staff", ww.staff)
    missing = client.post(
        "/windows/appointments/new/", {"point": ww.point.pk, "day": "2026-12-01", "person": "", "t": "1900"}
    )
    assert missing.status_code == 400
    assert "请从搜索结果中选择预约人" in missing.content.decode()


def test_missing_and_forbidden_points_look_the_same(ww) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(ww.staff21)
    assert client.get(f"/windows/points/{ww.point.pk}/hours/").status_code == 404
    assert client.get("/windows/points/999999/hours/").status_code == 404
    assert phone(ww.resident).get("/windows/").status_code == 302  # a resident goes to the phone site


def test_the_public_list_costs_the_same_queries_for_more_points(
    ww, nw, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_point

    client = Client()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/windows/m/?all=1").status_code == 200
    for i in range(4):
        make_point(nw.w.c12, name=f"复兴岛社区服务站{i}")
    with CaptureQueriesContext(connection) as more:
        assert client.get("/windows/m/?all=1").status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries) <= 12


def test_the_phone_pages_speak_english(ww) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/windows/m/points/{ww.point.pk}/").content.decode()
    assert "Opening hours" in html
    assert "Opens tomorrow at 09:00" in html
    assert "By appointment" in html
    days = phone(ww.resident)
    days.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Dec 1" in days.get(f"/windows/m/points/{ww.point.pk}/book/?m=0").content.decode()


def test_a_communitys_points_by_link(ww, nw) -> None:  # type: ignore[no-untyped-def]
    html = Client().get(f"/windows/m/?c={nw.w.c21.pk}").content.decode()
    assert "长阳社区党群服务中心" in html
    assert "杨树浦社区党群服务中心" not in html
    assert "长阳社区" in html
    assert Client().get("/windows/m/?c=abc").status_code == 200  # ignored, all points

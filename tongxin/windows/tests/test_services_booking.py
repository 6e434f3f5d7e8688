"""Booking rules and their refusals (each a Chinese message, nothing written), cancelling,
marking done or no-show, and who may do what."""

from datetime import date, time

import pytest

from conftest import NOW, SYSTEM
from tongxin.audit.models import AuditEvent
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.notifications.models import Notification
from tongxin.windows.models import Appointment, AppointmentStatus, EventKind, HoursKind
from tongxin.windows.services import (
    PointData,
    SlotFull,
    WindowError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    closure_add,
    opening_hours_add,
    point_save,
)

from .conftest import MATTERS, actor, at

pytestmark = pytest.mark.django_db


def book(ww, starts_at, *, person=None, by=None, matter=MATTERS[0], now=NOW, point=None):  # type: ignore[no-untyped-def]
    return appointment_book(
        point=point or ww.point,
        person=person or ww.fang,
        matter=matter,
        starts_at=starts_at,
        by=actor(by or ww.resident),
        now=now,
    )


def refused(ww, starts_at, message, **kw):  # type: ignore[no-untyped-def]
    before = Appointment.objects.count()
    with pytest.raises(WindowError) as err:
        book(ww, starts_at, **kw)
    assert err.value.message == message
    assert Appointment.objects.count() == before
    return err.value


def test_a_resident_books_a_tuesday_evening_and_is_told(
    ww, outbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        a = book(ww, at(2, 18, 30))
    assert a.status == AppointmentStatus.BOOKED
    assert a.channel == "mobile"
    assert (a.ends_at - a.starts_at).seconds == 30 * 60
    assert list(a.events.values_list("kind", flat=True)) == [EventKind.BOOK]
    assert Notification.objects.filter(recipient=ww.resident, title="预约成功").exists()
    assert [m.template for m in outbox] == ["window_booked"]
    assert "社保卡" not in outbox[0].text  # the matter stays off the lock screen
    assert "18:30" in outbox[0].text
    assert AuditEvent.objects.filter(object_type="windows.appointment", object_id=str(a.pk)).exists()


def test_bad_times_are_refused_in_chinese(ww) -> None:  # type: ignore[no-untyped-def]
    refused(ww, at(0, 9), "这个时间已经过去了,请选择以后的时间。")
    refused(ww, at(0, 11), "请至少提前2小时预约。")
    refused(ww, at(20, 9), "最多可以预约14天内的时段。")
    refused(ww, at(1, 9, 10), "该时间不在可预约时段内,请从列表中选择。")  # not a slot start
    refused(ww, at(1, 12), "该时间不在可预约时段内,请从列表中选择。")  # lunch
    refused(ww, at(1, 18), "该时间不在可预约时段内,请从列表中选择。")  # no Monday evening
    refused(ww, at(7, 9), "该时间不在可预约时段内,请从列表中选择。")  # Sunday


def test_a_closure_day_is_refused_with_its_reason(ww) -> None:  # type: ignore[no-untyped-def]
    monday = at(1, 0).date()
    closure_add(
        point=ww.point, starts_on=monday, ends_on=monday, reason="换届选举", by=actor(ww.staff), now=NOW
    )
    refused(ww, at(1, 9), "11月30日闭馆(换届选举),请选择其他日期。")


def test_a_public_holiday_is_refused(ww) -> None:  # type: ignore[no-untyped-def]
    from tongxin.workdays.models import CalendarDay

    CalendarDay.objects.create(
        date=at(1, 0).date(), kind="holiday", name="示范节", source="manual", updated_at=NOW
    )
    refused(ww, at(1, 9), "11月30日闭馆(示范节),请选择其他日期。")


def test_matter_and_note_and_inactive_point(ww) -> None:  # type: ignore[no-untyped-def]
    refused(ww, at(1, 9), "请从列表中选择要办理的事项。", matter="办护照")
    with pytest.raises(WindowError, match="备注不超过200个字"):
        appointment_book(
            point=ww.point,
            person=ww.fang,
            matter=MATTERS[0],
            starts_at=at(1, 9),
            by=actor(ww.resident),
            now=NOW,
            note="很" * 201,
        )
    ww.point.active = False
    refused(ww, at(1, 9), "该服务点暂停预约,请选择其他服务点或致电咨询。")


def test_capacity_then_full(ww, nw) -> None:  # type: ignore[no-untyped-def]
    book(ww, at(1, 9))
    book(ww, at(1, 9), person=nw.w.alice, by=nw.alice)
    err = refused(ww, at(1, 9), "该时段刚刚约满了,请选择其他时间。", person=nw.w.dave, by=nw.other_resident)
    assert isinstance(err, SlotFull)


def test_one_open_booking_per_person_per_point_per_day(ww) -> None:  # type: ignore[no-untyped-def]
    first = book(ww, at(1, 9))
    refused(ww, at(1, 14), "当天在该服务点已有预约。如需改时间,请先取消原来的预约。")
    book(ww, at(2, 9))  # another day is fine
    appointment_cancel(appointment=first, by=actor(ww.resident), now=NOW)
    book(ww, at(1, 14))  # after cancelling, the day is free again


def test_nobody_books_for_someone_else_except_the_points_staff(ww, nw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundOrForbidden):
        book(ww, at(1, 9), person=nw.w.alice, by=ww.resident)
    with pytest.raises(NotFoundOrForbidden):
        book(ww, at(1, 9), by=ww.staff21)  # staff of another community
    a = book(ww, at(1, 9), by=ww.staff)
    assert (a.channel, a.booked_by) == ("staff", ww.staff)


def test_resident_cancels_before_start_staff_with_a_reason(
    ww, outbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    a = book(ww, at(1, 9))
    with pytest.raises(WindowError, match="预约时间已到"):
        appointment_cancel(appointment=a, by=actor(ww.resident), now=at(1, 9, 5))
    with pytest.raises(WindowError, match="请填写取消原因"):
        appointment_cancel(appointment=a, by=actor(ww.staff), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        appointment_cancel(appointment=a, by=actor(ww.staff21), now=NOW, reason="x")
    a.refresh_from_db()
    assert a.status == AppointmentStatus.BOOKED
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=a, by=actor(ww.staff), now=NOW, reason="工作人员临时外出")
    a.refresh_from_db()
    assert (a.status, a.cancel_reason) == (AppointmentStatus.CANCELLED, "工作人员临时外出")
    assert outbox[-1].template == "window_cancelled"
    assert "工作人员临时外出" in outbox[-1].text
    with pytest.raises(WindowError, match="该预约已取消,不能再更改"):
        appointment_cancel(appointment=a, by=actor(ww.resident), now=NOW)


def test_done_and_no_show(ww, nw) -> None:  # type: ignore[no-untyped-def]
    a = book(ww, at(1, 9))
    b = book(ww, at(1, 9), person=nw.w.alice, by=nw.alice)
    with pytest.raises(WindowError, match="预约日期还没到"):
        appointment_mark(appointment=a, outcome="done", by=actor(ww.staff), now=NOW)
    with pytest.raises(WindowError, match="预约时间还没到"):
        appointment_mark(appointment=a, outcome="no_show", by=actor(ww.staff), now=at(1, 8, 50))
    with pytest.raises(NotFoundOrForbidden):
        appointment_mark(appointment=a, outcome="done", by=actor(ww.resident), now=at(1, 9))
    with pytest.raises(WindowError, match="请选择办结或未到场"):
        appointment_mark(appointment=a, outcome="cancelled", by=actor(ww.staff), now=at(1, 9))
    appointment_mark(appointment=a, outcome="done", by=actor(ww.staff), now=at(1, 8, 50))  # came early
    appointment_mark(appointment=b, outcome="no_show", by=actor(ww.staff), now=at(1, 9, 40))
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.handled_by) == (AppointmentStatus.DONE, ww.staff)
    assert b.status == AppointmentStatus.NO_SHOW
    assert list(b.events.values_list("kind", flat=True)) == ["book", "no_show"]
    with pytest.raises(WindowError, match="该预约已办结"):
        appointment_mark(appointment=a, outcome="no_show", by=actor(ww.staff), now=at(1, 10))


def test_hours_validation(ww) -> None:  # type: ignore[no-untyped-def]
    staff = actor(ww.staff)

    def add(weekday, opens, closes, kind=HoursKind.OPEN):  # type: ignore[no-untyped-def]
        return opening_hours_add(
            point=ww.point, weekday=weekday, opens=opens, closes=closes, kind=kind, by=staff, now=NOW
        )

    count = ww.point.hours.count()
    with pytest.raises(WindowError, match="结束时间须晚于开始时间;不支持跨过午夜的时段"):
        add(6, time(22), time(1))
    with pytest.raises(WindowError, match="与当天已有的时段重叠"):
        add(1, time(11), time(14))
    with pytest.raises(WindowError, match="时段太短"):
        add(6, time(9), time(9, 20))
    with pytest.raises(WindowError, match="请选择星期几"):
        add(7, time(9), time(10))
    with pytest.raises(NotFoundOrForbidden):
        opening_hours_add(
            point=ww.point,
            weekday=6,
            opens=time(9),
            closes=time(10),
            kind="open",
            by=actor(ww.staff21),
            now=NOW,
        )
    assert ww.point.hours.count() == count
    add(6, time(9), time(11, 30), HoursKind.BOOKING)  # Sunday mornings by appointment
    assert ww.point.hours.count() == count + 1


def test_point_and_closure_validation(ww, nw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WindowError, match="请至少填写一项可办事项"):
        point_save(
            data=PointData(community=nw.w.c11, name="x", address="y", matters=(" ",)), by=SYSTEM, now=NOW
        )
    with pytest.raises(WindowError, match="服务点只能设在"):
        point_save(
            data=PointData(community=nw.w.g111, name="x", address="y", matters=("a",)), by=SYSTEM, now=NOW
        )
    with pytest.raises(WindowError, match="只能在您管辖的社区"):
        point_save(
            data=PointData(community=nw.w.c21, name="x", address="y", matters=("a",)),
            by=actor(ww.staff),
            now=NOW,
        )
    with pytest.raises(WindowError, match="每个时段须在10到240分钟之间"):
        point_save(
            data=PointData(community=nw.w.c11, name="x", address="y", matters=("a",), slot_minutes=5),
            by=SYSTEM,
            now=NOW,
        )
    with pytest.raises(WindowError, match="结束日期不能早于开始日期"):
        closure_add(
            point=ww.point,
            starts_on=date(2026, 12, 3),
            ends_on=date(2026, 12, 1),
            reason="x",
            by=actor(ww.staff),
            now=NOW,
        )
    with pytest.raises(WindowError, match="请填写闭馆原因"):
        closure_add(
            point=ww.point,
            starts_on=date(2026, 12, 3),
            ends_on=date(2026, 12, 3),
            reason=" ",
            by=actor(ww.staff),
            now=NOW,
        )
    assert ww.point.closures.count() == 0

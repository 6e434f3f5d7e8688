"""Giving someone credits makes her one's "relative" for booking; it must not let the giver book a
service for her and confirm it done herself (hours and points for a friendly volunteer with no
check). Done is confirmed by the elderly person herself or by her community's staff; the relative
who paid may still cancel."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.records.models import ServiceRecord
from tongxin.rewards.models import BookingStatus, TimeBankBooking
from tongxin.rewards.services import (
    TimeBankError,
    booking_complete,
    booking_create,
    booking_take,
    credits_transfer,
)

from .conftest import as_user

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def phone(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _taken_booking_paid_by_a_giver(rw, now):  # type: ignore[no-untyped-def]
    """The son gives 赵桂兰 a credit (so she is his "relative"), books for her, 陈伟 takes it."""
    credits_transfer(
        person=rw.son, to_name="赵桂兰", to_mobile="13600001111", minutes=60, by=as_user(rw.son_user), now=now
    )
    booking = booking_create(
        beneficiary=rw.granny, payer=rw.son, skill="companion", minutes=60,
        wanted_at=now + timedelta(hours=2), address="3号楼", by=as_user(rw.son_user), now=now,
    )  # fmt: skip
    booking_take(booking=booking, volunteer=rw.w.dave, by=as_user(rw.dave), now=now)
    return booking


def test_the_relative_who_paid_cannot_confirm_done_herself(rw) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() - timedelta(hours=5)
    booking = _taken_booking_paid_by_a_giver(rw, start)
    after = start + timedelta(hours=4)
    with pytest.raises(TimeBankError, match="请服务对象本人或社区工作人员确认"):
        booking_complete(booking=booking, by=as_user(rw.son_user), now=after)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.TAKEN
    assert not ServiceRecord.objects.filter(person=rw.w.dave).exists()
    # The elderly person herself confirms: the volunteer's service is recorded.
    booking_complete(booking=booking, by=as_user(rw.granny_user), now=after)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DONE
    assert ServiceRecord.objects.filter(person=rw.w.dave, beneficiary=rw.granny).count() == 1


def test_community_staff_may_confirm_done(rw) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() - timedelta(hours=5)
    booking = _taken_booking_paid_by_a_giver(rw, start)
    booking_complete(booking=booking, by=as_user(rw.staff11), now=start + timedelta(hours=4))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DONE


def test_the_paying_relative_sees_who_confirms_and_may_still_cancel(rw) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() - timedelta(hours=5)
    booking = _taken_booking_paid_by_a_giver(rw, start)
    url = f"/rewards/m/timebank/bookings/{booking.pk}/"
    son = phone(rw.son_user)
    page = son.get(url).content.decode()
    assert "服务已完成,确认" not in page
    assert "服务完成后,请服务对象本人或社区工作人员确认。" in page
    refused = son.post(url, {"action": "done"}, follow=True).content.decode()
    assert "请服务对象本人或社区工作人员确认" in refused
    assert TimeBankBooking.objects.get().status == BookingStatus.TAKEN
    assert "服务已完成,确认" in phone(rw.granny_user).get(url).content.decode()
    son.post(url, {"action": "cancel"})
    assert TimeBankBooking.objects.get().status == BookingStatus.CANCELLED
    assert balance_of(person=rw.son, currency=Currency.CREDITS) == 540

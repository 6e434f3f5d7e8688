"""Pages: staff catalogue, counter, lists and exports; phone shop, redemption with its QR, time
bank. Permissions answer 404 alike for missing and forbidden."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import NOW
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.registry.tests.conftest import verified_client
from tongxin.rewards.models import (
    BookingStatus,
    CatalogueItem,
    Redemption,
    RedemptionStatus,
    TimeBankBooking,
)
from tongxin.rewards.services import booking_create, booking_take, redemption_create

from .conftest import as_user

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def phone(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_staff_add_an_item_with_errors_in_chinese(rw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(rw.unit_contact)
    page = client.get("/rewards/items/new/")
    assert page.status_code == 200
    assert "示范电力公司" in page.content.decode()
    offerer = f"unit:{rw.w.unit.pk}"
    bad = client.post(
        "/rewards/items/new/", {"offerer": offerer, "name": "雨伞", "price": "0", "active": "on"}
    )
    assert bad.status_code == 400
    assert "所需积分须为正整数。" in bad.content.decode()
    bad = client.post("/rewards/items/new/", {"offerer": offerer, "name": "雨伞", "price": "abc"})
    assert "请输入整数。" in bad.content.decode()
    # Another unit is not among the choices.
    other = client.post(
        "/rewards/items/new/", {"offerer": f"unit:{rw.unit2.pk}", "name": "雨伞", "price": "5"}
    )
    assert other.status_code == 400
    assert not CatalogueItem.objects.filter(name="雨伞").exists()
    ok = client.post("/rewards/items/new/", {"offerer": offerer, "name": "雨伞", "price": "15", "stock": "3"})
    assert ok.status_code == 302
    item = CatalogueItem.objects.get(name="雨伞")
    assert (item.unit, item.price, item.stock, item.active) == (rw.w.unit, 15, 3, False)
    listing = client.get("/rewards/").content.decode()
    assert "雨伞" in listing
    assert "图书一本" not in listing
    assert client.get(f"/rewards/items/{rw.book.pk}/").status_code == 404
    edit = client.post(f"/rewards/items/{item.pk}/", {"name": "雨伞", "price": "20", "active": "on"})
    assert edit.status_code == 302
    item.refresh_from_db()
    assert (item.price, item.stock, item.active) == (20, None, True)


def test_counter_hands_over_once_and_others_see_nothing(rw) -> None:  # type: ignore[no-untyped-def]
    r = redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    client = verified_client(rw.unit_contact)
    page = client.get("/rewards/counter/", {"code": r.code.lower()})
    assert page.status_code == 200
    assert "电力公司定制水杯" in page.content.decode()
    assert "确认交付" in page.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL, object_id=str(r.pk)).exists()
    done = client.post("/rewards/counter/", {"code": r.code, "action": "hand_over"})
    assert done.status_code == 302
    r.refresh_from_db()
    assert r.status == RedemptionStatus.HANDED_OVER
    again = client.post("/rewards/counter/", {"code": r.code, "action": "hand_over"}, follow=True)
    assert "领取过,不能重复领取" in again.content.decode()
    stranger = verified_client(rw.unit2_contact)
    missing = stranger.get("/rewards/counter/", {"code": r.code})
    assert missing.status_code == 404
    assert "未找到该兑换码" in missing.content.decode()


def test_redemptions_list_and_export(rw) -> None:  # type: ignore[no-untyped-def]
    redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    redemption_create(item=rw.book, person=rw.w.bob, by=as_user(rw.bob), now=NOW)
    client = verified_client(rw.unit_contact)
    listing = client.get("/rewards/redemptions/", {"status": "issued"}).content.decode()
    assert "王秀英" in listing
    assert "李建国" not in listing
    export = client.get("/rewards/redemptions/export/")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "兑换码"
    assert len(rows) == 2
    assert rows[1][3] == "王秀英"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__rows=1).exists()
    assert phone(rw.alice).get("/rewards/redemptions/").status_code == 302  # members go to the phone site


def test_phone_shop_redeem_and_show_the_qr(rw) -> None:  # type: ignore[no-untyped-def]
    client = phone(rw.alice)
    shop = client.get("/rewards/m/").content.decode()
    assert "电力公司定制水杯" in shop
    assert "100" in shop
    short = client.post(f"/rewards/m/items/{rw.book.pk}/")  # 80 of 100: fine
    assert short.status_code == 302
    over = client.post(f"/rewards/m/items/{rw.tea.pk}/")
    assert over.status_code == 400
    assert "积分不足:现有 20 分,需要 30 分。" in over.content.decode()
    r = Redemption.objects.get(person=rw.w.alice)
    page = client.get(f"/rewards/m/mine/{r.pk}/").content.decode()
    assert r.code in page
    assert "<svg" in page
    assert phone(rw.bob).get(f"/rewards/m/mine/{r.pk}/").status_code == 404
    cancel = client.post(f"/rewards/m/mine/{r.pk}/", follow=True)
    assert "80 积分已退回" in cancel.content.decode()
    assert balance_of(person=rw.w.alice, currency=Currency.POINTS) == 100
    assert "图书一本" in client.get("/rewards/m/mine/").content.decode()


def test_phone_time_bank_transfer_donate_and_book(rw) -> None:  # type: ignore[no-untyped-def]
    client = phone(rw.son_user)
    assert "10" in client.get("/rewards/m/timebank/").content.decode()
    own = client.post(
        "/rewards/m/timebank/transfer/", {"name": "赵强", "mobile": "13600002222", "amount": "1"}
    )
    assert own.status_code == 400
    assert "不能转给自己。" in own.content.decode()
    zero = client.post(
        "/rewards/m/timebank/transfer/", {"name": "赵桂兰", "mobile": "13600001111", "amount": "0"}
    )
    assert "时长必须大于零。" in zero.content.decode()
    words = client.post(
        "/rewards/m/timebank/transfer/", {"name": "赵桂兰", "mobile": "13600001111", "amount": "x"}
    )
    assert "请输入数字" in words.content.decode()
    ok = client.post(
        "/rewards/m/timebank/transfer/", {"name": "赵桂兰", "mobile": "13600001111", "amount": "1.5"}
    )
    assert ok.status_code == 302
    assert balance_of(person=rw.granny, currency=Currency.CREDITS) == 210
    donate = client.post("/rewards/m/timebank/donate/", {"community": rw.w.c21.pk, "amount": "1"})
    assert donate.status_code == 302
    wanted = timezone.localtime() + timedelta(days=3)
    form = {
        "beneficiary": rw.granny.pk, "skill": "meals", "minutes": "60", "day": wanted.date().isoformat(),
        "at": "09:30", "address": "3号楼2单元", "note": "",
    }  # fmt: skip
    booked = client.post("/rewards/m/timebank/book/", form)
    assert booked.status_code == 302, booked.content.decode()
    booking = TimeBankBooking.objects.get()
    assert (booking.payer, booking.beneficiary, booking.minutes) == (rw.son, rw.granny, 60)
    detail = client.get(f"/rewards/m/timebank/bookings/{booking.pk}/").content.decode()
    assert "3号楼2单元" in detail
    # The volunteer sees it nearby without the address, takes it, then sees the address.
    volunteer = phone(rw.dave)
    nearby = volunteer.get("/rewards/m/timebank/open/").content.decode()
    assert "烹饪送餐" in nearby
    assert "3号楼2单元" not in nearby
    taken = volunteer.post(f"/rewards/m/timebank/open/{booking.pk}/take/")
    assert taken.status_code == 302
    assert "3号楼2单元" in volunteer.get(f"/rewards/m/timebank/bookings/{booking.pk}/").content.decode()
    assert (
        volunteer.post(f"/rewards/m/timebank/bookings/{booking.pk}/", {"action": "cancel"}).status_code == 404
    )
    assert phone(rw.bob).get(f"/rewards/m/timebank/bookings/{booking.pk}/").status_code == 404
    client.post(f"/rewards/m/timebank/bookings/{booking.pk}/", {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_staff_bookings_list_detail_export_and_new(rw) -> None:  # type: ignore[no-untyped-def]
    later = timezone.now() + timedelta(days=2)
    b = booking_create(
        beneficiary=rw.granny, payer=rw.granny, skill="cleaning", minutes=60, wanted_at=later,
        address="3号楼", by=as_user(rw.granny_user), now=timezone.now(),
    )  # fmt: skip
    booking_take(booking=b, volunteer=rw.w.dave, by=as_user(rw.dave), now=timezone.now())
    client = verified_client(rw.staff11)
    assert "赵桂兰" in client.get("/rewards/bookings/", {"status": "taken"}).content.decode()
    assert "赵桂兰" not in client.get("/rewards/bookings/", {"status": "done"}).content.decode()
    detail = client.get(f"/rewards/bookings/{b.pk}/").content.decode()
    assert "136****1111" in detail
    assert "3号楼" in detail
    assert verified_client(rw.staff21).get(f"/rewards/bookings/{b.pk}/").status_code == 404
    export = client.get("/rewards/bookings/export/")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "赵桂兰"
    form = {
        "resident_name": "赵桂兰", "resident_id": "110101190001011234", "skill": "meals", "minutes": "60",
        "day": timezone.localtime(later).date().isoformat(), "at": "10:00", "address": "3号楼",
    }  # fmt: skip
    bad = client.post("/rewards/bookings/new/", form)
    assert bad.status_code == 400
    form["resident_id"] = rw.granny.id_number
    ok = client.post("/rewards/bookings/new/", form)
    assert ok.status_code == 302, ok.content.decode()
    assert TimeBankBooking.objects.filter(created_by=rw.staff11).count() == 1
    cancel = client.post(f"/rewards/bookings/{b.pk}/", {"action": "cancel"})
    assert cancel.status_code == 302


def test_phone_and_counter_pages_in_english(rw) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    r = redemption_create(item=rw.tea, person=rw.w.alice, by=as_user(rw.alice), now=NOW)
    client = phone(rw.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Points shop" in client.get("/rewards/m/").content.decode()
    assert "Show this at the counter" in client.get(f"/rewards/m/mine/{r.pk}/").content.decode()
    over = client.post(f"/rewards/m/items/{rw.book.pk}/").content.decode()
    assert "Not enough points: you have 70, 80 are needed." in over
    son = phone(rw.son_user)
    son.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "My credits" in son.get("/rewards/m/timebank/").content.decode()
    staff = verified_client(rw.unit_contact)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Hand over" in staff.get("/rewards/counter/", {"code": r.code}).content.decode()

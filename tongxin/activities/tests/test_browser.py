"""The activity loop in a real browser: a community worker (1366×768) creates an activity with a
slot on the staff form and publishes it; a volunteer subscribed to 助老 in her community gets the
message, opens the activity on her phone (375×740), signs up, scans the venue's QR code (the URL
read from the organiser's full-screen QR page), checks in and out, and sees the hours in 我的活动;
the service record and the ledger carry the sign-up as their source. The paper sign-in sheet is
rendered to PNG too. Screenshots: test-artifacts/screenshots/activities-*.png, each looked at;
axe-core checks each screen; phone screens are checked for 44 px targets and no sideways scroll.

The clock cannot be waited on in a test: after publishing, the slot is moved to have started two
hours ago (as if the morning had passed), and the check-in time is moved back the same way before
the check-out, so the hours are real minutes of a real slot."""

import subprocess
from datetime import timedelta
from pathlib import Path
from shutil import which

import pytest
from django.utils import timezone

from conftest import NOW, SHOTS, Walk, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.activities.models import Activity, SignUp, SignUpStatus, Status
from tongxin.activities.services import subscription_save
from tongxin.ledger.models import Posting
from tongxin.mobile.tests.test_browser_needs import PhoneWalk, logged_in
from tongxin.notifications.models import Notification
from tongxin.records.models import ServiceRecord

from .conftest import actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("activities-",)
PHONE_375 = {"width": 375, "height": 740}


def test_publish_sign_up_and_check_in_and_out_by_qr(live_server, aw, browser) -> None:  # type: ignore[no-untyped-def]
    subscription_save(
        person=aw.sun,
        categories=["elderly"],
        communities=[aw.w.c11],
        by_sms=True,
        by=actor(aw.sun_user),
        now=NOW,
    )
    device = totp_device_create(user=aw.staff, confirmed=True)
    start = timezone.localtime() + timedelta(minutes=20)
    start = start.replace(second=0, microsecond=0)
    end = min(start + timedelta(hours=2), start.replace(hour=23, minute=59))

    staff = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = staff.new_page()
    walk = Walk(page, "activities-staff-")
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "staff11", device)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/activities/")
    walk.look("list-empty")
    page.get_by_role("link", name="新建活动").first.click()
    page.get_by_label("活动名称").fill("重阳敬老陪伴")
    page.get_by_label("类别").select_option(label="助老")
    page.get_by_label("所在社区").select_option(label="杨树浦社区")
    page.get_by_label("活动地点").fill("杨树浦敬老院")
    page.get_by_label("详细地址").fill("杨树浦路100号")
    page.get_by_label("活动内容").fill("陪老人聊天、读报,协助午餐。")
    page.locator("#id_slots-0-day").fill(start.date().isoformat())
    page.locator("#id_slots-0-start").fill(start.strftime("%H:%M"))
    page.locator("#id_slots-0-end").fill(end.strftime("%H:%M"))
    page.locator("#id_slots-0-capacity").fill("0")
    walk.look("form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("名额").first).to_be_visible()
    assert not Activity.objects.exists()  # capacity 0: refused, nothing written
    walk.look("form-refused")
    page.locator("#id_slots-0-capacity").fill("10")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").first).to_contain_text("已创建草稿")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("status").first).to_contain_text("已发布")
    walk.look("published")
    activity = Activity.objects.get()
    assert activity.status == Status.PUBLISHED
    assert Notification.objects.filter(recipient=aw.sun_user, title="新活动:重阳敬老陪伴").exists()

    # The volunteer on her phone.
    phone = logged_in(browser, live_server, aw.sun_user)
    mpage = phone.new_page()
    mpage.set_viewport_size(PHONE_375)
    mwalk = PhoneWalk(mpage, "activities-phone-")
    mpage.goto(f"{live_server.url}/activities/m/")
    expect(mpage.get_by_role("link", name="重阳敬老陪伴")).to_be_visible()
    mwalk.look("list")
    mpage.get_by_role("link", name="重阳敬老陪伴").click()
    expect(mpage.get_by_text("剩余名额 10 / 10")).to_be_visible()
    mwalk.look("detail")
    mpage.get_by_role("button", name="报名", exact=True).click()
    expect(mpage.get_by_role("status")).to_contain_text("报名成功")
    mwalk.look("signed-up")
    signup = SignUp.objects.get(person=aw.sun)
    assert signup.status == SignUpStatus.CONFIRMED

    # The morning passes: the slot began two hours ago and ends in an hour.
    slot = activity.slots.get()
    slot.starts_at = timezone.now() - timedelta(hours=2)
    slot.ends_at = timezone.now() + timedelta(hours=1)
    slot.save()

    page.goto(f"{live_server.url}/activities/slots/{slot.pk}/qr/")
    expect(page.locator(".qr svg")).to_be_visible()
    scan_url = page.locator("a[data-scan-url]").get_attribute("href")
    assert scan_url
    assert "/activities/m/scan/" in scan_url
    walk.look("qr")

    mpage.goto(scan_url.replace("http://testserver", live_server.url))
    mwalk.look("scan")
    mpage.get_by_role("button", name="签到").click()
    expect(mpage.get_by_role("status")).to_contain_text("签到成功")
    mwalk.look("checked-in")
    # She arrived five minutes after the start (the check-in moved back with the clock).
    SignUp.objects.filter(pk=signup.pk).update(checked_in_at=slot.starts_at + timedelta(minutes=5))
    mpage.get_by_role("button", name="签退").click()
    expect(mpage.get_by_role("status")).to_contain_text("签退成功")
    mwalk.look("checked-out")
    signup.refresh_from_db()
    assert 110 <= signup.minutes <= 116
    record = ServiceRecord.objects.get(source=f"signup:{signup.pk}")
    assert record.minutes == signup.minutes
    assert record.territory == aw.w.c11
    assert Posting.objects.filter(source=f"record:{record.pk}").exists()

    mpage.goto(f"{live_server.url}/activities/m/mine/")
    expect(mpage.get_by_text(f"{signup.minutes}分钟").first).to_be_visible()
    mwalk.look("mine")
    mpage.set_viewport_size({"width": 320, "height": 640})
    mpage.goto(f"{live_server.url}/activities/m/{activity.pk}/")
    mwalk.look("detail-320")

    # The organiser's roster shows her checked out; the paper sheet prints with the QR.
    page.goto(f"{live_server.url}/activities/slots/{slot.pk}/")
    expect(page.get_by_role("cell", name="孙悦")).to_be_visible()
    walk.look("roster")
    response = page.request.get(f"{live_server.url}/activities/slots/{slot.pk}/sheet.pdf")
    assert response.headers["content-type"] == "application/pdf"
    pdf = SHOTS / "activities-sheet.pdf"
    pdf.write_bytes(response.body())
    if which("pdftoppm"):
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(SHOTS / "activities-sheet")],  # noqa: S607
            check=True,
        )
        assert Path(f"{SHOTS / 'activities-sheet'}.png").exists()
    pdf.unlink()
    phone.close()
    staff.close()
    assert walk.faults + mwalk.faults == []

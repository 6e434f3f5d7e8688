"""The organiser's pages and the volunteer's phone pages through the test client: scope (another
community's activity is 404), forms with Chinese errors that change nothing, the roster, the
exports (audited), the QR page and the scan landing page's refusals."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import NOW
from tongxin.activities.models import Activity, SignUp, SignUpStatus, Status, Subscription
from tongxin.activities.qr import live_token, sheet_token
from tongxin.activities.services import signup_create
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.records.models import ServiceRecord
from tongxin.registry.tests.conftest import verified_client

from .conftest import actor, make_activity

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def phone(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def soon(**kw):  # type: ignore[no-untyped-def]
    return timezone.now() + timedelta(**kw)


def test_staff_list_filters_and_scope(aw) -> None:  # type: ignore[no-untyped-def]
    make_activity(aw, title="敬老院陪伴老人", start=soon(days=2))
    make_activity(aw, title="河道清洁", category="environment", publish=False, start=soon(days=3))
    client = verified_client(aw.staff)
    page = client.get("/activities/").content.decode()
    assert "敬老院陪伴老人" in page
    assert "河道清洁" in page
    page = client.get("/activities/", {"category": "environment"}).content.decode()
    assert "河道清洁" in page
    assert "敬老院陪伴老人" not in page
    page = client.get("/activities/", {"q": "不存在"}).content.decode()
    assert "没有符合条件的活动。" in page
    # Another community's staff sees none of it, and the page of one is 404.
    other = verified_client(aw.n.staff21)
    assert "敬老院陪伴老人" not in other.get("/activities/").content.decode()
    activity = Activity.objects.get(title="敬老院陪伴老人")
    assert other.get(f"/activities/{activity.pk}/").status_code == 404
    assert other.get(f"/activities/slots/{activity.slots.get().pk}/").status_code == 404


def test_create_form_errors_then_create_and_publish(aw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(aw.staff)
    assert client.get("/activities/new/").status_code == 200
    day = (timezone.localtime() + timedelta(days=3)).date().isoformat()
    form = {
        "organiser": f"territory:{aw.w.c11.pk}",
        "title": "社区义诊",
        "category": "health",
        "community": aw.w.c11.pk,
        "venue": "社区卫生站",
        "min_age": "60",
        "max_age": "18",
        "awards_hours": "on",
        "cancel_hours": "2",
        "checkin_minutes": "30",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-0-day": day,
        "slots-0-start": "09:00",
        "slots-0-end": "08:00",
        "slots-0-capacity": "0",
    }
    response = client.post("/activities/new/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "结束时间必须晚于开始时间。" in page
    assert not Activity.objects.exists()
    form |= {"slots-0-end": "11:00", "slots-0-capacity": "5"}
    response = client.post("/activities/new/", form)
    assert response.status_code == 400
    assert "最低年龄不能大于最高年龄。" in response.content.decode()
    form |= {"max_age": "90"}
    response = client.post("/activities/new/", form)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.status == Status.DRAFT
    assert activity.slots.get().capacity == 5
    client.post(f"/activities/{activity.pk}/publish/")
    activity.refresh_from_db()
    assert activity.status == Status.PUBLISHED
    response = client.post(f"/activities/{activity.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.status == Status.PUBLISHED


def test_roster_tap_check_in_export_and_sheet(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, start=soon(minutes=10))
    slot = activity.slots.get()
    signup = signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    client = verified_client(aw.staff)
    page = client.get(f"/activities/slots/{slot.pk}/").content.decode()
    assert "孙悦" in page
    assert "136****3333" in page
    assert "13600003333" not in page
    client.post(f"/activities/slots/{slot.pk}/", {"action": "check_in", "signup": signup.pk})
    signup.refresh_from_db()
    assert signup.checked_in_at is not None
    assert signup.check_method == "roster"
    # Checked in already: a second tap is refused with the time, nothing changes.
    response = client.post(f"/activities/slots/{slot.pk}/", {"action": "check_in", "signup": signup.pk})
    assert response.status_code == 400
    assert "无需重复签到" in response.content.decode()

    response = client.post(f"/activities/slots/{slot.pk}/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == ["孙悦", "136****3333", "已报名"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(slot.pk)).count() == 1

    response = client.get(f"/activities/slots/{slot.pk}/sheet.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(slot.pk)).count() == 2

    page = client.get(f"/activities/slots/{slot.pk}/qr/").content.decode()
    assert "<svg" in page
    assert "/activities/m/scan/" in page
    assert "?part=live" in page
    part = client.get(f"/activities/slots/{slot.pk}/qr/", {"part": "live"}).content.decode()
    assert part.startswith('<div class="qr"')
    assert "/activities/m/scan/" in part


def test_paper_results_are_validated_within_the_slot(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, start=soon(days=2))
    slot = activity.slots.get()
    signup = signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    # The slot took place this morning.
    start = timezone.localtime().replace(hour=6, minute=0, second=0, microsecond=0) - timedelta(days=1)
    slot.starts_at, slot.ends_at = start, start + timedelta(hours=2)
    slot.save()
    client = verified_client(aw.staff)
    form = {
        "paper-TOTAL_FORMS": "1",
        "paper-INITIAL_FORMS": "1",
        "paper-0-signup_id": signup.pk,
        "paper-0-checked_in": "03:00",
        "paper-0-checked_out": "07:00",
    }
    response = client.post(f"/activities/slots/{slot.pk}/paper/", form)
    assert response.status_code == 400
    assert "孙悦:签到、签退时间应在05:30–09:00之间。" in response.content.decode()
    assert not ServiceRecord.objects.exists()
    form |= {"paper-0-checked_in": "06:05", "paper-0-checked_out": "07:35"}
    response = client.post(f"/activities/slots/{slot.pk}/paper/", form)
    assert response.status_code == 302
    signup.refresh_from_db()
    assert signup.minutes == 90
    assert ServiceRecord.objects.get().minutes == 90


def test_phone_list_detail_sign_up_waitlist_and_cancel(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=1, start=soon(days=2))
    client = phone(aw.sun_user)
    assert "敬老院陪伴老人" in client.get("/activities/m/").content.decode()
    page = client.get(f"/activities/m/{activity.pk}/").content.decode()
    assert "剩余名额 1 / 1" in page
    slot = activity.slots.get()
    response = client.post(f"/activities/m/slots/{slot.pk}/signup/", follow=True)
    assert "报名成功" in response.content.decode()
    alice = phone(aw.n.alice)
    response = alice.post(f"/activities/m/slots/{slot.pk}/signup/", follow=True)
    assert "排第1位" in response.content.decode()
    assert "候补第1位" in alice.get("/activities/m/mine/").content.decode()
    mine = SignUp.objects.get(person=aw.sun)
    client.post(f"/activities/m/signups/{mine.pk}/cancel/")
    assert SignUp.objects.get(person=aw.w.alice).status == SignUpStatus.CONFIRMED
    # A resident who is not a volunteer is offered the registration.
    page = phone(aw.n.resident).get(f"/activities/m/{activity.pk}/").content.decode()
    assert "登记成为志愿者" in page
    assert "/volunteers/" in page
    # Someone else's sign-up cannot be cancelled: 404.
    assert (
        client.post(f"/activities/m/signups/{SignUp.objects.get(person=aw.w.alice).pk}/cancel/").status_code
        == 404
    )


def test_the_phone_names_the_overlapping_sign_up_and_keeps_the_other(aw) -> None:  # type: ignore[no-untyped-def]
    first = make_activity(aw, start=soon(days=2)).slots.get()
    clash = make_activity(aw, start=soon(days=2) + timedelta(hours=1), title="社区义诊").slots.get()
    client = phone(aw.sun_user)
    client.post(f"/activities/m/slots/{first.pk}/signup/")
    page = client.post(f"/activities/m/slots/{clash.pk}/signup/", follow=True).content.decode()
    assert "您已报名同一时间的「敬老院陪伴老人」" in page
    assert "请先取消那边的报名" in page
    assert list(SignUp.objects.filter(person=aw.sun).values_list("slot", flat=True)) == [first.pk]


def test_draft_is_not_on_the_phone(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, publish=False, start=soon(days=2))
    assert phone(aw.sun_user).get(f"/activities/m/{activity.pk}/").status_code == 404


def test_subscription_page(aw) -> None:  # type: ignore[no-untyped-def]
    client = phone(aw.sun_user)
    assert client.get("/activities/m/subscriptions/").status_code == 200
    response = client.post("/activities/m/subscriptions/", {"categories": ["elderly"], "communities": []})
    assert response.status_code == 400
    assert "请至少选择一个关注的社区。" in response.content.decode()
    client.post(
        "/activities/m/subscriptions/", {"categories": ["elderly", "health"], "communities": [aw.w.c11.pk]}
    )
    sub = Subscription.objects.get(person=aw.sun)
    assert sub.categories == ["elderly", "health"]
    assert not sub.by_sms


def test_scan_page_refusals_and_check_in_out(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, start=soon(minutes=10))
    slot = activity.slots.get()
    signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    client = phone(aw.sun_user)
    old = live_token(slot, now=timezone.now() - timedelta(minutes=5))
    response = client.get(f"/activities/m/scan/{old}/")
    assert response.status_code == 400
    assert "二维码已过期,请扫描现场最新二维码" in response.content.decode()
    token = live_token(slot, now=timezone.now())
    page = client.get(f"/activities/m/scan/{token}/").content.decode()
    assert "签到" in page
    client.post(f"/activities/m/scan/{token}/", {"action": "in"})
    assert SignUp.objects.get().checked_in_at is not None
    # Someone not signed up is told so.
    page = phone(aw.n.erin).get(f"/activities/m/scan/{token}/").content.decode()
    assert "您没有报名这个时段" in page
    # A slot far away: the window message, nothing changed.
    later = make_activity(aw, title="周末义诊", start=soon(days=2))
    later_slot = later.slots.get()
    later_signup = signup_create(slot=later_slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    response = client.post(f"/activities/m/scan/{sheet_token(later_slot)}/", {"action": "in"})
    assert response.status_code == 400
    assert "签到时间为" in response.content.decode()
    later_signup.refresh_from_db()
    assert later_signup.checked_in_at is None


def test_a_member_without_a_role_on_staff_pages_goes_to_the_phone(aw) -> None:  # type: ignore[no-untyped-def]
    response = phone(aw.n.alice).get("/activities/")
    assert response.status_code == 302
    assert response["Location"].startswith("/m/")


def test_roster_check_in_outside_window(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, start=soon(days=2))
    slot = activity.slots.get()
    signup = signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    client = verified_client(aw.staff)
    response = client.post(f"/activities/slots/{slot.pk}/", {"action": "check_in", "signup": signup.pk})
    assert response.status_code == 400
    assert "签到时间为" in response.content.decode()


def test_organiser_signs_up_someone_without_a_phone_by_id_number(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=1, start=soon(days=2))
    slot = activity.slots.get()
    client = verified_client(aw.staff)
    response = client.post(
        f"/activities/slots/{slot.pk}/", {"action": "add", "id_number": "110101199003077777"}
    )
    assert response.status_code == 400
    assert "未找到该身份证号对应的人员" in response.content.decode()
    # bob lives in another street: out of the community's scope, the same answer.
    response = client.post(
        f"/activities/slots/{slot.pk}/", {"action": "add", "id_number": aw.w.bob.id_number}
    )
    assert response.status_code == 400
    assert not SignUp.objects.exists()
    response = client.post(
        f"/activities/slots/{slot.pk}/", {"action": "add", "id_number": aw.w.alice.id_number}, follow=True
    )
    assert "已为王秀英报名。" in response.content.decode()
    assert SignUp.objects.get().person == aw.w.alice
    # Added twice: the organiser is told about her, not addressed as if she were the volunteer.
    response = client.post(
        f"/activities/slots/{slot.pk}/", {"action": "add", "id_number": aw.w.alice.id_number}, follow=True
    )
    assert "王秀英已报名该时段。" in response.content.decode()
    assert "您已报名" not in response.content.decode()
    assert SignUp.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="activities.signup").exists()


def test_edit_page_keeps_the_slot_and_adds_places(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=2, start=soon(days=2))
    slot = activity.slots.get()
    client = verified_client(aw.staff)
    page = client.get(f"/activities/{activity.pk}/edit/").content.decode()
    assert f'value="{slot.pk}"' in page
    local = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    form = {
        "title": "敬老院陪伴老人(周末)",
        "category": "elderly",
        "community": aw.w.c11.pk,
        "venue": "杨树浦敬老院",
        "awards_hours": "on",
        "cancel_hours": "2",
        "checkin_minutes": "30",
        "slots-TOTAL_FORMS": "2",
        "slots-INITIAL_FORMS": "1",
        "slots-0-slot_id": slot.pk,
        "slots-0-day": local.date().isoformat(),
        "slots-0-start": local.strftime("%H:%M"),
        "slots-0-end": end.strftime("%H:%M"),
        "slots-0-capacity": "5",
    }
    response = client.post(f"/activities/{activity.pk}/edit/", form)
    assert response.status_code == 302
    activity.refresh_from_db()
    slot.refresh_from_db()
    assert activity.title == "敬老院陪伴老人(周末)"
    assert (slot.capacity, activity.slots.count()) == (5, 1)
    # The phone page offers volunteer registration at the phone address.
    page = phone(aw.n.resident).get(f"/activities/m/{activity.pk}/").content.decode()
    assert 'href="/volunteers/m/register/"' in page

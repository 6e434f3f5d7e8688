"""Logging in as a person would: password, lockout, second factor, idle timeout, audit rows."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import make_account
from tongxin.accounts.models import Role
from tongxin.accounts.second_factor import current_totp_code
from tongxin.accounts.services import recovery_codes_issue, totp_device_create
from tongxin.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "Tongxin-Test-2026!"


def login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_staff_must_pass_the_second_factor_before_any_page(world) -> None:  # type: ignore[no-untyped-def]
    user = make_account("street", (Role.STREET_STAFF, world.street1))
    device = totp_device_create(user=user, confirmed=True)
    client = Client()
    login(client, "street")
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/second-factor/" in response["Location"]
    client.post("/accounts/second-factor/", {"code": current_totp_code(device)})
    assert client.get("/").status_code == 200
    actions = list(AuditEvent.objects.filter(actor_label="street").values_list("action", "result"))
    assert (AuditAction.LOGIN, "success") in actions
    assert (AuditAction.SECOND_FACTOR, "success") in actions


def wrong_code(device) -> str:  # type: ignore[no-untyped-def]
    return "000000" if current_totp_code(device) != "000000" else "111111"


def test_a_wrong_code_is_refused_and_retries_are_slowed_down(world) -> None:  # type: ignore[no-untyped-def]
    user = make_account("street", (Role.STREET_STAFF, world.street1))
    device = totp_device_create(user=user, confirmed=True)
    client = Client()
    login(client, "street")
    first = client.post("/accounts/second-factor/", {"code": wrong_code(device)})
    assert "验证码不正确" in first.content.decode()
    # django-otp doubles the wait after each failure; an immediate retry, even right, must wait.
    retry = client.post("/accounts/second-factor/", {"code": current_totp_code(device)})
    assert "秒后再试" in retry.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR, result="failure").count() == 2


def test_recovery_code_works_once(world) -> None:  # type: ignore[no-untyped-def]
    user = make_account("street", (Role.STREET_STAFF, world.street1))
    totp_device_create(user=user, confirmed=True)
    code = recovery_codes_issue(user=user)[0]
    first = Client()
    login(first, "street")
    first.post("/accounts/second-factor/", {"code": code})
    assert first.get("/").status_code == 200
    second = Client()
    login(second, "street")
    second.post("/accounts/second-factor/", {"code": code})
    assert second.get("/").status_code == 302


def test_staff_without_a_device_is_sent_to_enrolment(world) -> None:  # type: ignore[no-untyped-def]
    make_account("fresh", (Role.COMMUNITY_STAFF, world.c11))
    client = Client()
    login(client, "fresh")
    page = client.get("/accounts/second-factor/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/accounts/second-factor/setup/")
    assert "<svg" in page.content.decode()  # the QR code, drawn locally


def test_enrolment_confirms_the_device_and_shows_recovery_codes(world) -> None:  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    make_account("fresh", (Role.COMMUNITY_STAFF, world.c11))
    client = Client()
    login(client, "fresh")
    client.get("/accounts/second-factor/setup/")
    device = TOTPDevice.objects.get(user__username="fresh")
    page = client.post("/accounts/second-factor/setup/", {"code": current_totp_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert page.content.decode().count("<li") >= 10  # ten recovery codes, shown once
    assert client.get("/").status_code == 200


def test_residents_and_members_need_no_second_factor(world) -> None:  # type: ignore[no-untyped-def]
    make_account("alice", (Role.PARTY_MEMBER, world.b11), person=world.alice)
    client = Client()
    login(client, "alice")
    response = client.get("/", follow=True)  # members use the phone site
    assert (response.request["PATH_INFO"], response.status_code) == ("/m/", 200)


def test_five_failures_lock_the_account_for_fifteen_minutes(world) -> None:  # type: ignore[no-untyped-def]
    make_account("street", (Role.STREET_STAFF, world.street1))
    client = Client()
    for _ in range(4):
        response = login(client, "street", "wrong-password")
        assert "用户名或密码不正确" in response.content.decode()
    fifth = login(client, "street", "wrong-password")
    assert fifth.status_code == 429
    locked = login(client, "street")  # even the right password is refused now
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_repr="street").count() >= 5
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, object_repr="street").exists()


def test_idle_timeout_is_thirty_minutes_from_the_last_request() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_session_enrolls_its_own_secret(world) -> None:  # type: ignore[no-untyped-def]
    """Someone else who knows the password never sees the secret a colleague is enrolling."""
    make_account("fresh", (Role.COMMUNITY_STAFF, world.c11))
    first, second = Client(), Client()
    login(first, "fresh")
    login(second, "fresh")
    secret_one = first.get("/accounts/second-factor/setup/").context["secret"]
    secret_two = second.get("/accounts/second-factor/setup/").context["secret"]
    assert secret_one != secret_two
    assert first.get("/accounts/second-factor/setup/").context["secret"] != secret_one  # replaced


def test_passing_the_second_factor_renews_the_session_key(world) -> None:  # type: ignore[no-untyped-def]
    user = make_account("street", (Role.STREET_STAFF, world.street1))
    device = totp_device_create(user=user, confirmed=True)
    client = Client()
    login(client, "street")
    before = client.session.session_key
    client.post("/accounts/second-factor/", {"code": current_totp_code(device)})
    assert client.session.session_key != before
    assert client.get("/").status_code == 200


def test_the_requested_page_survives_the_second_factor(world) -> None:  # type: ignore[no-untyped-def]
    user = make_account("street", (Role.STREET_STAFF, world.street1))
    device = totp_device_create(user=user, confirmed=True)
    client = Client()
    login(client, "street")
    first = client.get("/persons/", {"q": "王", "page": 2})
    assert "next=%2Fpersons%2F%3Fq%3D" in first["Location"]
    done = client.post(first["Location"], {"code": current_totp_code(device)})
    assert done["Location"] == "/persons/?q=%E7%8E%8B&page=2"

"""What a page answers to someone who may not see it: the same 404 as for nothing at all."""

import pytest

from conftest import make_account
from tongxin.accounts.models import Role

from .conftest import verified_client, without_csrf

pytestmark = pytest.mark.django_db


def test_pages_need_login(world, client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/persons/{world.alice.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_without_second_factor_are_sent_to_it(world, client) -> None:  # type: ignore[no-untyped-def]
    user = make_account("street1", (Role.STREET_STAFF, world.street1))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/persons/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/")


@pytest.mark.parametrize(
    ("kind", "other"),
    [("persons", "alice"), ("territory", "c11"), ("orgs", "b11"), ("units", "unit")],
)
def test_out_of_scope_detail_is_identical_to_a_missing_one(world, login, kind, other) -> None:  # type: ignore[no-untyped-def]
    street2 = login("street2", (Role.STREET_STAFF, world.street2))
    forbidden_url, missing_url = f"/{kind}/{getattr(world, other).pk}/", f"/{kind}/999999/"
    forbidden, missing = street2.get(forbidden_url), street2.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404
    # Byte for byte the same page, once the CSRF tokens and the echoed address (the language
    # switch returns to it) are set aside.
    assert without_csrf(forbidden.content.decode()).replace(forbidden_url, "URL") == without_csrf(
        missing.content.decode()
    ).replace(missing_url, "URL")
    assert "未找到该记录,或您无权查看。" in forbidden.content.decode()
    assert getattr(world, other).name not in forbidden.content.decode()


def test_unknown_address_gets_the_same_page(world, login) -> None:  # type: ignore[no-untyped-def]
    street1 = login("street1", (Role.STREET_STAFF, world.street1))
    response = street1.get("/no/such/page/")
    assert response.status_code == 404
    assert "未找到该记录,或您无权查看。" in response.content.decode()


def test_audit_page_is_404_for_everyone_but_the_audit_admin(world, login) -> None:  # type: ignore[no-untyped-def]
    district = login("district", (Role.DISTRICT_ADMIN, world.district))
    security = login("security", (Role.SECURITY_ADMIN, world.district))
    for client in (district, security):
        response = client.get("/audit/")
        assert response.status_code == 404
        assert "/audit/" not in client.get("/").content.decode()  # and no menu entry for it
    auditor = login("auditor", (Role.AUDIT_ADMIN, world.district))
    assert auditor.get("/audit/").status_code == 200


def test_admin_only_accounts_get_a_page_about_what_they_may_do(world, login) -> None:  # type: ignore[no-untyped-def]
    auditor = login("auditor", (Role.AUDIT_ADMIN, world.district))
    html = auditor.get("/").content.decode()
    assert "打开审计日志" in html
    assert "/persons/" not in html  # no registry menu
    assert auditor.get(f"/persons/{world.alice.pk}/").status_code == 404
    system = login("system", (Role.SYSTEM_ADMIN, world.district))
    html = system.get("/").content.decode()
    assert "系统管理员负责系统配置与运行维护" in html
    assert "/audit/" not in html


def test_login_page_and_second_factor_setup_render(world, client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/accounts/login/").content.decode()
    assert "登录同心" in html
    user = make_account("newcomer", (Role.COMMUNITY_STAFF, world.c11))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/accounts/second-factor/", follow=True)
    html = response.content.decode()
    assert "绑定手机令牌" in html
    assert "<svg" in html  # the QR code, inline
    assert 'class="tx-secret' in html


def test_recovery_codes_are_shown_once_after_enrolment(world, client) -> None:  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tongxin.accounts.second_factor import current_totp_code

    user = make_account("newcomer", (Role.COMMUNITY_STAFF, world.c11))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/accounts/second-factor/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    html = client.post("/accounts/second-factor/setup/", {"code": current_totp_code(device)}).content.decode()
    assert "请保存恢复码" in html
    assert html.count("<li>") >= 10


def test_language_switch_keeps_the_page(world) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(make_account("street1", (Role.STREET_STAFF, world.street1)))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/persons/"})
    assert response.status_code == 302
    assert response["Location"] == "/persons/"
    html = client.get("/persons/").content.decode()
    assert '<html lang="en">' in html
    assert "中文" in html  # the way back
    assert "Register person" in html
    assert "ID number" in html
    assert "3 persons in your scope." in html
    assert "Street staff" in html  # role labels come from the same catalogue
    assert "登记人员" not in html


def test_repeated_wrong_passwords_show_the_lockout_page(world, client) -> None:  # type: ignore[no-untyped-def]
    make_account("street1", (Role.STREET_STAFF, world.street1))
    for _ in range(5):
        client.post("/accounts/login/", {"username": "street1", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "street1", "password": "Tongxin-Test-2026!"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "账号已暂时锁定" in html
    assert "请在 15 分钟后再试。" in html

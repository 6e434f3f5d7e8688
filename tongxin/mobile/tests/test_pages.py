"""The phone site as a resident uses it: log in with number and SMS code, see 我的, log out."""

import re

import pytest
from django.test import Client
from django.utils import translation

from conftest import make_account
from tongxin.accounts.models import PhoneLoginCode, Role
from tongxin.accounts.second_factor import current_totp_code
from tongxin.accounts.services import totp_device_create
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.notifications.sms import InMemorySmsBackend
from tongxin.registry.tests.conftest import without_csrf

pytestmark = pytest.mark.django_db
ALICE = "13812345678"


def test_the_site_asks_a_stranger_to_log_in(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/m/me/")
    assert response.status_code == 302
    assert response["Location"] == "/m/login/?next=/m/me/"


def test_the_login_page_is_made_for_a_phone(world) -> None:  # type: ignore[no-untyped-def]
    html = Client().get("/m/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'name="viewport"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="tel"' in html
    assert "bootstrap" not in html
    assert "echarts" not in html
    assert 'href="/static/css/mobile.css"' in html


def test_a_resident_logs_in_with_an_sms_code_and_sees_her_page(
    world, django_capture_on_commit_callbacks, outbox
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/m/login/", {"mobile": "138 1234 5678"})
    assert response["Location"] == "/m/login/code/"
    assert ALICE not in str(dict(client.session.items()))  # kept encrypted between the two steps
    page = client.get("/m/login/code/").content.decode()
    assert "138****5678" in page
    assert ALICE not in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert 'data-countdown="60"' in page or 'data-countdown="59"' in page

    code = outbox[-1].params["code"]
    wrong = client.post("/m/login/code/", {"code": "000000" if code != "000000" else "111111"})
    html = wrong.content.decode()
    assert "验证码不正确,还可以再试4次。" in html
    assert 'aria-invalid="true"' in html

    response = client.post("/m/login/code/", {"code": code})
    assert response["Location"] == "/m/"
    home = client.get("/m/").content.decode()
    assert "您好,王秀英" in home
    assert 'href="/m/me/"' in home

    me = client.get("/m/me/").content.decode()
    for shown in ("王秀英", "138****5678", "46岁", "杨树浦社区", "杨树浦社区第一党支部", "正式党员", "居民"):
        assert shown in me, shown
    assert ALICE not in me


def test_a_wrong_number_is_refused_at_the_field_and_kept(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/m/login/", {"mobile": "1381234"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "手机号应为11位中国大陆手机号码" in html
    assert 'value="1381234"' in html
    assert 'aria-invalid="true"' in html


def countdown_blank(html: str) -> str:
    return re.sub(r'data-countdown="\d+"', 'data-countdown=""', re.sub(r"\d+秒后", "N秒后", html))


def test_an_unknown_number_sees_the_same_pages_as_a_known_one(
    world, django_capture_on_commit_callbacks, outbox
) -> None:  # type: ignore[no-untyped-def]
    pages = []
    for number in (ALICE, "13812345679"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/m/login/", {"mobile": number})
        assert response["Location"] == "/m/login/code/"
        page = client.get("/m/login/code/").content.decode()
        wrong = client.post("/m/login/code/", {"code": "999999"}).content.decode()
        pages.append((page.replace(number[:3] + "****" + number[-4:], "N"), without_csrf(wrong)))
    assert len(outbox) == 1
    assert outbox[0].to == ALICE
    known, unknown = pages
    # The countdown may differ by the second that passed between the two (the first SMS, sent
    # after commit, can take a moment); everything else must be the same.
    assert countdown_blank(without_csrf(known[0])) == countdown_blank(without_csrf(unknown[0]))
    assert countdown_blank(known[1].replace("138****5678", "N")) == countdown_blank(
        unknown[1].replace("138****5679", "N")
    )


def test_asking_again_too_soon_says_when(world, django_capture_on_commit_callbacks) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/m/login/", {"mobile": ALICE})
        response = client.post("/m/login/code/", {"resend": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "秒后再获取验证码" in html
    assert "disabled" in html


def test_going_back_to_the_number_leads_to_the_code_already_sent(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/m/login/", {"mobile": ALICE})
        page = client.get("/m/login/").content.decode()
        again = client.post("/m/login/", {"mobile": ALICE})
    assert "已收到验证码?去输入" in page
    assert again["Location"] == "/m/login/code/"  # not "wait 60 seconds" with no way forward
    assert len(InMemorySmsBackend.outbox) == 1  # and no second code was sent


def test_the_code_page_without_a_number_goes_back_to_the_number(world) -> None:
    assert Client().get("/m/login/code/")["Location"] == "/m/login/"


def test_logout_ends_the_session(world, phone_login) -> None:  # type: ignore[no-untyped-def]
    client = phone_login(ALICE)
    assert client.get("/m/").status_code == 200
    response = client.post("/m/logout/")
    assert response["Location"] == "/m/login/"
    assert client.get("/m/")["Location"] == "/m/login/?next=/m/"


def test_next_leads_back_within_the_phone_site_only(
    world, django_capture_on_commit_callbacks, outbox
) -> None:  # type: ignore[no-untyped-def]
    for target, expected in (("/m/me/", "/m/me/"), ("https://evil.example/", "/m/"), ("/persons/", "/m/")):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/m/login/?next={target}", {"mobile": ALICE, "next": target})
        code = outbox[-1].params["code"]
        response = client.post("/m/login/code/", {"code": code, "next": target})
        assert response["Location"] == expected
        PhoneLoginCode.objects.all().delete()  # let the next round ask at once


def test_staff_logged_in_by_sms_still_pass_their_second_factor(world, phone_login) -> None:
    make_account("wang.xy", (Role.COMMUNITY_STAFF, world.c11), person=world.alice)
    client = phone_login(ALICE)
    for path in ("/m/", "/m/me/", "/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/second-factor/"), path


def test_a_member_with_an_account_sees_the_staff_tile_only_when_staff(world, phone_login) -> None:
    make_account("li.jg", (Role.PARTY_MEMBER, world.b21), person=world.bob)
    html = phone_login("13987654321").get("/m/").content.decode()
    assert "党员" in html
    assert 'href="/m/me/"' in html
    assert "工作台" not in html


def test_staff_see_a_way_to_the_workbench(world, phone_login) -> None:  # type: ignore[no-untyped-def]
    """…after their TOTP step, which /m/ sends them to and which brings them back."""
    user = make_account("wang.xy", (Role.COMMUNITY_STAFF, world.c11), person=world.alice)
    client = phone_login(ALICE)
    assert client.get("/m/")["Location"] == "/accounts/second-factor/?next=%2Fm%2F"
    device = totp_device_create(user=user, confirmed=True)
    response = client.post("/accounts/second-factor/", {"code": current_totp_code(device), "next": "/m/"})
    assert response["Location"] == "/m/"
    html = client.get("/m/").content.decode()
    assert "社区工作人员" in html
    assert 'href="/"' in html
    assert "工作台" in html


def test_the_site_speaks_english_on_request(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    # The middleware leaves its language active in this thread; override restores ours after.
    with translation.override("zh-hans"):
        client.post("/i18n/setlang/", {"language": "en", "next": "/m/login/"})
        html = client.get("/m/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in with your mobile number" in html
    assert "手机号登录" not in html
    assert InMemorySmsBackend.outbox == []


def test_a_phone_login_is_in_the_audit_log(world, phone_login) -> None:  # type: ignore[no-untyped-def]
    client = phone_login(ALICE)
    user_id = int(client.session["_auth_user_id"])
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user_id))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.LOGIN]  # the resident account, then the login

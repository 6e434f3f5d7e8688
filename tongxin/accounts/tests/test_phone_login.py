"""SMS-code login: codes are sent only to numbers that may log in, stored hashed, expire, are used
once, survive five wrong tries at most; requests are limited per number and per address; an
unknown number gets the same answers as a known one."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections

from conftest import NOW, add_person, make_account
from tongxin.accounts.models import PhoneLoginCode, Role, RoleGrant, User
from tongxin.accounts.phone_login import PhoneLoginError, login_code_request, login_code_verify
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.core.actor import Actor
from tongxin.notifications.sms import InMemorySmsBackend

ALICE = "13812345678"  # 王秀英, resident of 杨树浦社区 and member of its first branch, no account
UNKNOWN = "13700000000"
HERE = Actor(user=None, ip="203.0.113.7")

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """ask(number, at=NOW, ip=…) → the code texted to the number (None when nothing was sent)."""

    def request(number: str, *, at=NOW, ip: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
        before = len(InMemorySmsBackend.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            login_code_request(mobile=number, by=Actor(user=None, ip=ip), now=at)
        sent = InMemorySmsBackend.outbox[before:]
        return sent[0].params["code"] if sent else None

    return request


def refusal(call) -> PhoneLoginError:  # type: ignore[no-untyped-def]
    with pytest.raises(PhoneLoginError) as caught:
        call()
    return caught.value


def verify(number: str, code: str, *, at=NOW):  # type: ignore[no-untyped-def]
    return login_code_verify(mobile=number, code=code, by=HERE, now=at)


def test_a_registered_number_gets_a_six_digit_code_that_is_stored_only_hashed(world, ask, outbox) -> None:
    code = ask("+86 138-1234-5678")
    assert code is not None
    assert len(code) == 6
    assert code.isdigit()
    assert outbox[0].to == ALICE
    assert code in outbox[0].text
    assert "5分钟" in outbox[0].text
    row = PhoneLoginCode.objects.get()
    assert row.code_hash
    assert code not in row.code_hash
    assert row.expires_at == NOW + timedelta(minutes=5)


def test_an_unknown_number_gets_no_sms_and_the_same_answers(world, ask, outbox) -> None:
    known = login_code_request(mobile=ALICE, by=HERE, now=NOW)
    unknown = login_code_request(mobile=UNKNOWN, by=HERE, now=NOW)
    assert known.resend_after == unknown.resend_after == 60
    assert outbox == []  # (the known one is still waiting for its commit)
    assert ask(UNKNOWN, at=NOW + timedelta(minutes=2)) is None
    assert outbox == []
    # Verifying: the same wording for an unknown number as for a wrong code on a known one.
    wrong_known = refusal(lambda: verify(ALICE, "000000"))
    wrong_unknown = refusal(lambda: verify(UNKNOWN, "000000"))
    assert wrong_known.message == wrong_unknown.message == "验证码不正确,还可以再试4次。"
    # And the same rate limit.
    assert refusal(lambda: ask(UNKNOWN, at=NOW + timedelta(minutes=2, seconds=10))).message == (
        "请50秒后再获取验证码。"
    )


def test_a_number_shared_by_two_people_logs_in_nobody(world, ask, outbox) -> None:
    add_person("王小英", world.c11, mobile=ALICE)  # her daughter, registered with the family phone
    assert ask(ALICE) is None
    assert outbox == []


def test_bad_numbers_and_codes_are_refused_at_their_field(world) -> None:  # type: ignore[no-untyped-def]
    bad_number = refusal(lambda: login_code_request(mobile="1381234567", by=HERE, now=NOW))
    assert bad_number.field == "mobile"
    assert "11位" in bad_number.message
    bad_code = refusal(lambda: verify(ALICE, "12a456"))
    assert bad_code.field == "code"
    assert bad_code.message == "请输入短信中的6位数字验证码。"
    assert PhoneLoginCode.objects.count() == 0


def test_first_login_makes_a_resident_account_on_the_community(world, ask) -> None:
    user = verify(ALICE, ask(ALICE))
    assert user.person == world.alice
    assert not user.has_usable_password()
    grants = {(g.role, g.territory, g.organization) for g in RoleGrant.objects.active().filter(user=user)}
    # She lives in 杨树浦社区 and is a member of its first branch: both show in 我的.
    assert grants == {(Role.RESIDENT, world.c11, None), (Role.PARTY_MEMBER, None, world.b11)}
    # The next login finds the same account.
    again = verify(ALICE, ask(ALICE, at=NOW + timedelta(minutes=2)), at=NOW + timedelta(minutes=2))
    assert again == user
    assert User.objects.filter(person=world.alice).count() == 1


def test_a_grid_resident_gets_the_grant_on_the_grid_s_community(world, ask) -> None:
    world.dave.mobile = "13911112222"
    from tongxin.people.services import mobile_index

    world.dave.mobile_index = mobile_index("13911112222")
    world.dave.save()
    user = verify("13911112222", ask("13911112222"))
    assert RoleGrant.objects.active().get(user=user).territory == world.c11


def test_an_existing_account_logs_in_as_itself(world, ask) -> None:  # type: ignore[no-untyped-def]
    staff = make_account("wang.xy", (Role.COMMUNITY_STAFF, world.c11), person=world.alice)
    assert verify(ALICE, ask(ALICE)) == staff
    assert RoleGrant.objects.active().filter(user=staff, role=Role.RESIDENT).count() == 0


def test_a_deactivated_account_gets_no_code(world, ask, outbox) -> None:  # type: ignore[no-untyped-def]
    account = make_account("wang.xy", (Role.RESIDENT, world.c11), person=world.alice)
    account.is_active = False
    account.save()
    assert ask(ALICE) is None


def test_a_code_expires_after_five_minutes(world, ask) -> None:  # type: ignore[no-untyped-def]
    code = ask(ALICE)
    late = refusal(lambda: verify(ALICE, code, at=NOW + timedelta(minutes=5, seconds=1)))
    assert late.message == "验证码已过期或已使用,请重新获取验证码。"
    assert verify(ALICE, code, at=NOW + timedelta(minutes=4, seconds=59)).person == world.alice


def test_a_code_is_used_once(world, ask) -> None:  # type: ignore[no-untyped-def]
    code = ask(ALICE)
    verify(ALICE, code)
    assert refusal(lambda: verify(ALICE, code)).message == "验证码已过期或已使用,请重新获取验证码。"


def test_a_newer_code_replaces_the_older_one(world, ask) -> None:  # type: ignore[no-untyped-def]
    first = ask(ALICE)
    second = ask(ALICE, at=NOW + timedelta(seconds=61))
    if first != second:
        refusal(lambda: verify(ALICE, first, at=NOW + timedelta(seconds=62)))
    assert verify(ALICE, second, at=NOW + timedelta(seconds=62)).person == world.alice


def test_five_wrong_tries_spoil_the_code(world, ask) -> None:  # type: ignore[no-untyped-def]
    code = ask(ALICE)
    wrong = "000000" if code != "000000" else "111111"
    messages = [refusal(lambda: verify(ALICE, wrong)).message for _ in range(5)]
    assert messages[0] == "验证码不正确,还可以再试4次。"
    assert messages[3] == "验证码不正确,还可以再试1次。"
    assert messages[4] == "验证码输错次数过多,已失效,请重新获取验证码。"
    assert refusal(lambda: verify(ALICE, code)).message == "验证码输错次数过多,已失效,请重新获取验证码。"
    assert not User.objects.filter(person=world.alice).exists()


def test_one_code_a_minute_per_number(world, ask) -> None:  # type: ignore[no-untyped-def]
    ask(ALICE)
    too_soon = refusal(lambda: ask(ALICE, at=NOW + timedelta(seconds=15), ip="198.51.100.1"))
    assert too_soon.field == "mobile"
    assert too_soon.message == "请45秒后再获取验证码。"
    assert too_soon.retry_after == 45
    assert ask(ALICE, at=NOW + timedelta(seconds=60)) is not None


def test_five_codes_an_hour_per_number(world, ask) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        assert ask(ALICE, at=NOW + timedelta(minutes=2 * i), ip=f"198.51.100.{i}") is not None
    sixth = refusal(lambda: ask(ALICE, at=NOW + timedelta(minutes=10), ip="198.51.100.9"))
    assert sixth.message == "获取验证码过于频繁,请50分钟后再试。"
    assert ask(ALICE, at=NOW + timedelta(minutes=60, seconds=1)) is not None


def test_thirty_requests_an_hour_per_address(world, ask) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        ask(f"1370000{i:04d}", at=NOW + timedelta(seconds=60 * i))
    late = refusal(lambda: ask(ALICE, at=NOW + timedelta(minutes=30)))
    assert late.message == "获取验证码过于频繁,请30分钟后再试。"
    assert ask(ALICE, at=NOW + timedelta(minutes=30), ip="198.51.100.1") is not None  # another address


def test_sends_failures_and_refusals_are_audited_with_masked_numbers(world, ask) -> None:
    code = ask(ALICE)
    refusal(lambda: ask(ALICE, at=NOW + timedelta(seconds=1)))
    refusal(lambda: verify(ALICE, "000000" if code != "000000" else "111111"))
    events = list(AuditEvent.objects.order_by("seq").filter(object_repr="138****5678"))
    assert [(e.action, e.result, e.detail.get("step")) for e in events] == [
        (AuditAction.SMS_CODE, "success", "code_request"),
        (AuditAction.LOGIN_FAILED, "denied", "code_request"),
        (AuditAction.LOGIN_FAILED, "failure", "code_verify"),
    ]
    assert events[0].detail["sent"] is True
    assert events[0].ip == "203.0.113.7"
    assert not AuditEvent.objects.filter(object_repr__contains=ALICE).exists()
    assert not AuditEvent.objects.filter(detail__icontains=ALICE).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_two_simultaneous_requests_for_one_number_send_one_code(world, outbox, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tongxin.accounts import phone_login

    real_wait_needed = phone_login._wait_needed
    counted = threading.Event()

    def slow_wait_needed(**kwargs):  # type: ignore[no-untyped-def]
        found = real_wait_needed(**kwargs)
        counted.set()
        time.sleep(0.5)  # the twin arrives while this request's transaction is still open
        return found

    monkeypatch.setattr(phone_login, "_wait_needed", slow_wait_needed)
    outcomes: list[str] = []

    def call(delay: float) -> None:
        try:
            if delay:
                counted.wait(5)  # the first request has counted and holds its transaction open
            login_code_request(mobile=ALICE, by=HERE, now=NOW)
            outcomes.append("sent")
        except PhoneLoginError as refused:
            outcomes.append(str(refused.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(delay,)) for delay in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["sent", "请60秒后再获取验证码。"]
    assert len(outbox) == 1
    assert PhoneLoginCode.objects.count() == 1

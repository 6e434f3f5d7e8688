"""The demo commands: seeding refuses a non-empty database (or skips with --if-empty), and the
commands that print secrets refuse to run where DEBUG is off."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tongxin.accounts.models import User
from tongxin.accounts.second_factor import base32_secret, confirmed_totp, current_totp_code
from tongxin.demo.accounts import DEMO_PASSWORD
from tongxin.demo.seeding import BULK, seed_demo

from .snapshots import tiny_options

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    seed_demo(tiny_options(tree_path=BULK, people_path=BULK, accounts=True))


@pytest.fixture
def debug(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True


@pytest.mark.parametrize("command", [("demo_logins",), ("totp_code", "demo_district"), ("seed_demo",)])
def test_demo_commands_refuse_when_debug_is_off(seeded, settings, command):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run(*command)


def test_demo_logins_lists_every_role_with_its_totp_secret(seeded, debug):  # type: ignore[no-untyped-def]
    output = run("demo_logins")
    assert "区级管理员" in output
    assert "审计管理员" in output
    assert DEMO_PASSWORD in output
    district = User.objects.get(username="demo_district")
    assert base32_secret(confirmed_totp(district)) in output
    assert "python manage.py totp_code" in output


def test_totp_code_prints_the_current_code(seeded, debug):  # type: ignore[no-untyped-def]
    output = run("totp_code", "demo_street").strip()
    assert re.fullmatch(r"\d{6}", output)
    device = confirmed_totp(User.objects.get(username="demo_street"))
    assert output == current_totp_code(device)  # same 30-second step, almost always
    with pytest.raises(CommandError, match="TOTP"):
        run("totp_code", "demo_member")


def test_seed_demo_refuses_a_non_empty_database_unless_if_empty(seeded, debug):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="不是空的"):
        run("seed_demo", "--tier", "tiny")
    assert "未生成演示数据" in run("seed_demo", "--tier", "tiny", "--if-empty")


def test_seed_demo_command_fills_an_empty_database(db, debug):  # type: ignore[no-untyped-def]
    output = run("seed_demo", "--tier", "tiny", "--tree-path", "bulk", "--people-path", "bulk", "--seed", "3")
    assert "已生成演示数据" in output
    assert User.objects.filter(username__startswith="demo_").count() == 10


def test_dry_run_writes_nothing(db, debug):  # type: ignore[no-untyped-def]
    output = run("seed_demo", "--tier", "district", "--dry-run")
    assert "不写数据库" in output
    assert not User.objects.exists()


def test_seed_demo_with_needs_and_demo_logins_says_what_waits(db, debug):  # type: ignore[no-untyped-def]
    from tongxin.needs.models import Need

    output = run(
        "seed_demo", "--tier", "tiny", "--tree-path", "bulk", "--people-path", "bulk", "--needs", "20"
    )
    assert "needs: " in output
    assert "诉求经业务服务" in output
    # the 20 drawn and the few featured for the demo accounts
    assert Need.objects.count() > 20
    logins = run("demo_logins")
    assert "demo_community 有" in logins
    assert "demo_member 可认领" in logins
    assert "/needs/public/" in logins

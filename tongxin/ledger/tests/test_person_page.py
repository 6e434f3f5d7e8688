"""时长与积分 of one person on the staff side: the balances and history she sees herself, an Excel
export, and a manual adjustment with a reason (audited, shown in her own history). Staff outside
her scope get the same 404 as a missing person; staff who may only look get no form; bad input is
refused in words and posts nothing."""

import re
from io import BytesIO

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from conftest import NOW, SYSTEM, make_account
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.ledger.models import Currency, PointsRule, Posting
from tongxin.ledger.selectors import balance_of
from tongxin.ledger.services import hours_record, points_award
from tongxin.mobile.tests.test_english import words_left
from tongxin.registry.tests.conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw(world):  # type: ignore[no-untyped-def]
    """staff11 works for 杨树浦社区, where alice lives; staff21 for another street's community;
    the grid worker of 杨树浦社区 may look but not change."""
    world.staff11 = make_account("staff11", (Role.COMMUNITY_STAFF, world.c11))
    world.staff21 = make_account("staff21", (Role.COMMUNITY_STAFF, world.c21))
    world.grid = make_account("grid111", (Role.GRID_WORKER, world.c11))
    world.alice_user = make_account("alice", (Role.PARTY_MEMBER, world.b11), person=world.alice)
    hours_record(person=world.alice, minutes=120, source="record:7", memo="敬老院陪伴", by=SYSTEM, now=NOW)
    points_award(
        person=world.alice,
        rule_code="service_hour",
        quantity=2,
        source="record:7",
        memo="",
        by=SYSTEM,
        now=NOW,
    )
    return world


def url(world) -> str:  # type: ignore[no-untyped-def]
    return f"/ledger/persons/{world.alice.pk}/"


def test_staff_see_her_balances_and_history_and_the_person_page_links_there(sw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(sw.staff11)
    assert f'href="{url(sw)}"' in client.get(f"/persons/{sw.alice.pk}/").content.decode()
    page = client.get(url(sw)).content.decode()
    assert "王秀英的时长与积分" in page
    assert "志愿服务记录 #7" in page
    assert "敬老院陪伴" in page
    assert re.search(r">\s*\+2\s*</td>", page)  # two hours
    assert "人工调整" in page
    points_only = client.get(url(sw), {"currency": Currency.POINTS}).content.decode()
    assert "敬老院陪伴" not in points_only


def test_an_adjustment_with_a_reason_lands_in_her_history_and_the_audit(sw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(sw.staff11)
    before = balance_of(person=sw.alice, currency=Currency.POINTS)
    response = client.post(
        url(sw),
        {"currency": "points", "direction": "credit", "amount": "15", "reason": "补记11月线下义诊积分"},
        follow=True,
    )
    assert "已调整" in response.content.decode()
    assert balance_of(person=sw.alice, currency=Currency.POINTS) == before + 15
    posting = Posting.objects.get(kind="adjustment")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="ledger.posting", object_id=str(posting.pk)
    ).exists()
    # She sees it on her phone, with the reason.
    phone = Client()
    phone.force_login(sw.alice_user, backend="django.contrib.auth.backends.ModelBackend")
    mine = phone.get("/ledger/m/").content.decode()
    assert "人工调整" in mine
    assert "补记11月线下义诊积分" in mine

    ninety_minutes = {
        "currency": "credits",
        "direction": "credit",
        "amount": "1.5",
        "reason": "线下助老服务补记",
    }
    client.post(url(sw), ninety_minutes)
    assert balance_of(person=sw.alice, currency=Currency.CREDITS) == 90


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "0"}, "数额须大于 0。"),
        ({"amount": "abc"}, "请输入数字,如 1.5 或 20。"),
        ({"amount": "NaN"}, "请输入数字,如 1.5 或 20。"),
        ({"amount": "9e999999"}, "请输入数字,如 1.5 或 20。"),
        ({"amount": "-5"}, "数额须大于 0。"),  # the direction chooses the sign
        ({"amount": "１５"}, "请输入数字,如 1.5 或 20。"),  # one rule with the time bank's forms
        ({"amount": "1_000"}, "请输入数字,如 1.5 或 20。"),
        ({"amount": "٣"}, "请输入数字,如 1.5 或 20。"),
        ({"amount": "²"}, "请输入数字,如 1.5 或 20。"),
        ({"amount": "1.5"}, "积分须为整数。"),
        ({"amount": "200000"}, "单次调整最多 100000 积分,请核对。"),
        ({"currency": "credits", "amount": "16000"}, "单次调整最多 1000 小时,请核对。"),
        ({"currency": "credits", "amount": "0.01"}, "时间币须为整分钟,如 0.5 小时或 1.25 小时。"),
        ({"currency": "hours"}, "请从列表中选择。"),
        ({"currency": "gold"}, "请从列表中选择。"),
        ({"reason": "补记"}, "请写明调整原因(至少4个字)。"),
        ({"reason": ""}, "请写明调整原因(至少4个字)。"),
        ({"direction": "debit", "amount": "500"}, "积分余额不足"),
    ],
)
def test_bad_input_is_refused_in_words_and_posts_nothing(sw, data, message) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(sw.staff11)
    form = {"currency": "points", "direction": "credit", "amount": "10", "reason": "补记线下活动", **data}
    count = Posting.objects.count()
    response = client.post(url(sw), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Posting.objects.count() == count
    if form["reason"]:  # what she typed stays in the form
        assert f"{form['reason']}</textarea>" in response.content.decode()


def test_nobody_adjusts_her_own_balance(sw) -> None:  # type: ignore[no-untyped-def]
    """carol lives in 杨树浦社区 and works for it: her own page has no form and refuses a post."""
    own = make_account("carol_staff", (Role.COMMUNITY_STAFF, sw.c11), person=sw.carol)
    client = verified_client(own)
    assert "人工调整" not in client.get(f"/ledger/persons/{sw.carol.pk}/").content.decode()
    form = {"currency": "credits", "direction": "credit", "amount": "100", "reason": "给自己补记"}
    assert client.post(f"/ledger/persons/{sw.carol.pk}/", form).status_code == 404
    assert not Posting.objects.filter(kind="adjustment").exists()


def test_outside_her_scope_it_is_missing_and_a_looker_cannot_adjust(sw) -> None:  # type: ignore[no-untyped-def]
    assert verified_client(sw.staff21).get(url(sw)).status_code == 404
    assert verified_client(sw.staff21).get("/ledger/persons/987654/").status_code == 404
    grid = verified_client(sw.grid)
    page = grid.get(url(sw))
    assert page.status_code == 200
    assert "人工调整" not in page.content.decode()
    form = {"currency": "points", "direction": "credit", "amount": "9", "reason": "随便加点"}
    posted = grid.post(url(sw), form)
    assert posted.status_code == 404
    assert not Posting.objects.filter(kind="adjustment").exists()
    # A grid worker may look, not export.
    assert "导出收支明细" not in page.content.decode()
    assert grid.get(url(sw), {"format": "xlsx"}).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_export_holds_every_entry_and_is_audited(sw) -> None:  # type: ignore[no-untyped-def]
    response = verified_client(sw.staff11).get(url(sw), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("记账时间", "币种", "来源", "摘要", "数额")
    points = PointsRule.objects.get(code="service_hour").points_per_unit * 2
    assert sorted((r[1], r[4], r[6]) for r in rows[1:]) == [("服务时长", 2, "小时"), ("积分", points, "积分")]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__list="ledger_person_history").exists()
    # The tab chosen on the page is the tab exported.
    response = verified_client(sw.staff11).get(url(sw), {"format": "xlsx", "currency": "points"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["积分"]


def test_the_page_in_english(sw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(sw.staff11)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url(sw)).content.decode()
    main = re.search(r"<main.*?</main>", html, flags=re.S)
    assert main is not None
    assert words_left(main.group(0), "王秀英敬老院陪伴") == set()
    assert "Manual adjustment" in html


def test_the_navigation_marks_the_person_not_the_district_totals(sw) -> None:  # type: ignore[no-untyped-def]
    admin = make_account("district_admin", (Role.DISTRICT_ADMIN, sw.district))
    client = verified_client(admin)
    page = client.get(url(sw)).content.decode()
    assert re.search(r'class="nav-link active"[^>]*href="/persons/"', page)
    assert not re.search(r'active"[^>]*href="/ledger/totals/"', page)
    assert re.search(r'active"[^>]*href="/ledger/totals/"', client.get("/ledger/totals/").content.decode())
    assert re.search(r'active"[^>]*href="/ledger/rules/"', client.get("/ledger/rules/").content.decode())

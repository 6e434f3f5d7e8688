"""The staff rules page, the district totals (with export) and the phone page 我的时长与积分."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import NOW, SYSTEM, make_account
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.ledger.models import PointsRule
from tongxin.ledger.selectors import district_month_table, hours_by_month
from tongxin.ledger.services import hours_record, points_award, posting_reverse
from tongxin.registry.tests.conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(world):  # type: ignore[no-untyped-def]
    world.admin = make_account("district_admin", ("district_admin", world.district))
    world.street = make_account("street1", ("street_staff", world.street1))
    world.alice_user = make_account("alice", ("party_member", world.b11), person=world.alice)
    return world


def test_a_district_admin_tunes_a_rule_and_it_is_audited(pw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(pw.admin)
    rule = PointsRule.objects.get(code="service_hour")
    listing = client.get("/ledger/rules/").content.decode()
    assert "志愿服务时长" in listing
    assert "封顶次数" in listing
    data = {
        "points_per_unit": 12,
        "cap_per_day": 60,
        "cap_per_month": 500,
        "cap_per_year": 2000,
        "active": "on",
    }
    response = client.post(f"/ledger/rules/{rule.pk}/", data | {"yearly_budget": 1000000})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.points_per_unit, rule.cap_per_day, rule.yearly_budget) == (12, 60, 1_000_000)
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="ledger.pointsrule").get()
    assert event.detail["fields"] == [
        "cap_per_day",
        "cap_per_month",
        "cap_per_year",
        "points_per_unit",
        "yearly_budget",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cap_per_day": 900}, "每日上限不能大于每月上限。"),
        ({"points_per_unit": 0}, "每单位积分须为 1 至 1000 之间的整数。"),
        ({"cap_per_year": "很多"}, "请输入整数。"),
        ({"cap_per_day": "٨٠"}, "请输入整数。"),  # other scripts' digits are not read as 80
        ({"cap_per_month": -3}, "上限须为 1 至 1000000 之间的整数,留空表示不设上限。"),
        ({"yearly_budget": 100}, "个人每年上限不能大于年度预算。"),
    ],
)
def test_bad_rule_settings_get_a_message_and_change_nothing(pw, change, message) -> None:  # type: ignore[no-untyped-def]
    rule = PointsRule.objects.get(code="service_hour")
    data = {"points_per_unit": 10, "cap_per_day": 80, "cap_per_month": 600, "cap_per_year": 3000}
    data |= {"yearly_budget": 2000000, "active": "on"} | change
    response = verified_client(pw.admin).post(f"/ledger/rules/{rule.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    fresh = PointsRule.objects.get(pk=rule.pk)
    assert (fresh.points_per_unit, fresh.cap_per_day, fresh.updated_at) == (10, 80, rule.updated_at)
    assert not AuditEvent.objects.filter(object_type="ledger.pointsrule").exists()


def test_street_staff_and_members_see_no_rules(pw) -> None:  # type: ignore[no-untyped-def]
    rule = PointsRule.objects.get(code="service_hour")
    street = verified_client(pw.street)
    assert street.get("/ledger/rules/").status_code == 404
    assert street.get(f"/ledger/rules/{rule.pk}/").status_code == 404
    assert street.get("/ledger/rules/999999/").status_code == 404
    assert street.get("/ledger/totals/").status_code == 404


def test_district_totals_per_street_and_export(pw) -> None:  # type: ignore[no-untyped-def]
    hours_record(person=pw.alice, minutes=90, source="record:1", memo="", by=SYSTEM, now=NOW)
    hours_record(person=pw.bob, minutes=60, source="record:2", memo="", by=SYSTEM, now=NOW)
    wrong = hours_record(person=pw.dave, minutes=30, source="record:3", memo="", by=SYSTEM, now=NOW)
    posting_reverse(posting=wrong, memo="", by=SYSTEM, now=NOW)
    points_award(
        person=pw.alice, rule_code="service_hour", quantity=1, source="record:1", memo="", by=SYSTEM, now=NOW
    )
    table = district_month_table(district=pw.district, year=NOW.year)
    assert [(r["street"].name, r["month"], r["hours"], r["points"]) for r in table] == [
        ("定海路街道", 11, 90, 10),
        ("平凉路街道", 11, 60, 0),
    ]
    client = verified_client(pw.admin)
    page = client.get(f"/ledger/totals/?year={NOW.year}").content.decode()
    assert "定海路街道" in page
    assert "1.5" in page
    export = client.get(f"/ledger/totals/?year={NOW.year}&format=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.values)
    assert rows[1] == ("定海路街道", 11, 1.5, 10)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_team_hours_by_month(pw) -> None:  # type: ignore[no-untyped-def]
    hours_record(person=pw.alice, minutes=60, source="record:1", memo="", by=SYSTEM, now=NOW)
    hours_record(
        person=pw.bob, minutes=30, source="record:2", memo="", by=SYSTEM, now=NOW - timedelta(days=40)
    )
    hours_record(person=pw.carol, minutes=500, source="record:3", memo="", by=SYSTEM, now=NOW)
    rows = [
        (r["month"].month, r["minutes"])
        for r in hours_by_month(person_ids=[pw.alice.pk, pw.bob.pk], year=2026)
    ]
    assert rows == [(10, 30), (11, 60)]


def test_my_hours_and_points_on_the_phone(pw) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        hours_record(person=pw.alice, minutes=300, source=f"record:{i + 1}", memo="", by=SYSTEM, now=NOW)
    points_award(
        person=pw.alice, rule_code="service_hour", quantity=2, source="record:1", memo="", by=SYSTEM, now=NOW
    )
    client = Client()
    client.force_login(pw.alice_user)
    page = client.get("/ledger/m/").content.decode()
    assert "我的时长与积分" in page
    assert "125" in page  # hours
    assert "志愿服务记录 #25" in page
    assert "第1/2页" in page
    assert "还差 175 小时" in page
    points = client.get("/ledger/m/?currency=points").content.decode()
    assert "+20" in points
    assert "志愿服务记录 #1" in points
    assert "#25" not in points
    assert client.get("/ledger/m/?currency=points&page=9").status_code == 200


def test_the_phone_page_needs_a_person(pw) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/ledger/m/").status_code == 302
    client = Client()
    client.force_login(make_account("nobody", ("party_member", pw.b11)))
    assert client.get("/ledger/m/").status_code == 404

"""设置 pages: who sees them (district and system administrators; everyone else the ordinary 404),
the categories' inline edit with its messages at the field, the calendar's grids, day form and
载入默认安排, and an audit row for every change."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tongxin.accounts.models import Role
from tongxin.audit.models import AuditEvent
from tongxin.needs.categories_admin import need_category_rename
from tongxin.needs.models import NeedCategory
from tongxin.workdays.calendar import work_calendar
from tongxin.workdays.models import CalendarDay, DayKind, DaySource

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "/settings/categories/", {}),
    ("post", "/settings/categories/elderly/", {"cat-elderly-name": "养老", "cat-elderly-order": "1"}),
    ("get", "/settings/calendar/", {}),
    ("get", "/settings/calendar/day/?date=2026-12-31", {}),
    ("post", "/settings/calendar/day/", {"date": "2026-12-31", "kind": "holiday", "name": "元旦"}),
    ("post", "/settings/calendar/load/", {"year": "2026"}),
]


@pytest.fixture
def district(world, login) -> Client:  # type: ignore[no-untyped-def]
    return login("district", (Role.DISTRICT_ADMIN, world.district))


@pytest.fixture
def freeze(monkeypatch):  # type: ignore[no-untyped-def]
    """The pages read timezone.now(); pin it to the suite's NOW (2026-11-29) so 'this year' is 2026."""
    from conftest import NOW

    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def test_district_and_system_administrators_see_the_settings_entry(world, login, district) -> None:  # type: ignore[no-untyped-def]
    system = login("system", (Role.SYSTEM_ADMIN, world.district))
    for client in (district, system):
        home = client.get("/").content.decode()
        assert 'href="/settings/categories/"' in home
        assert "设置" in home
        assert client.get("/settings/categories/").status_code == 200
        assert client.get("/settings/calendar/").status_code == 200


@pytest.mark.parametrize(
    "role", [Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.GRID_WORKER]
)
def test_everyone_else_gets_the_ordinary_404_and_changes_nothing(world, login, role) -> None:  # type: ignore[no-untyped-def]
    node = world.district if role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN) else world.c11
    client = login(f"u-{role}", (role, node))
    assert 'href="/settings/categories/"' not in client.get("/").content.decode()
    missing = client.get("/registry-page-that-does-not-exist/")
    for method, url, data in PAGES:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
        assert response.content == missing.content or "未找到" in response.content.decode()
    assert NeedCategory.objects.get(code="elderly").name == "养老助老"
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.filter(
        object_type__in=["needs.needcategory", "workdays.calendarday"]
    ).exists()


def test_the_categories_table_shows_codes_read_only(district) -> None:  # type: ignore[no-untyped-def]
    html = district.get("/settings/categories/").content.decode()
    assert html.count('<tr id="cat-') == 14
    assert "<code>elderly</code>" in html
    assert 'name="cat-elderly-code"' not in html
    assert html.index("cat-elderly") < html.index("cat-other")


def test_rename_inline_returns_the_row_and_audits(district) -> None:  # type: ignore[no-untyped-def]
    response = district.post(
        "/settings/categories/elderly/",
        {"cat-elderly-name": " 养老·助老服务 ", "cat-elderly-order": "20"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<tr")
    assert "已保存" in html
    assert NeedCategory.objects.filter(code="elderly", name="养老·助老服务", order=20).exists()
    event = AuditEvent.objects.get(object_type="needs.needcategory", object_id="elderly")
    assert event.action == "update"
    assert event.actor_id == district.user.pk
    assert event.detail == {
        "code": "elderly",
        "before": {"name": "养老助老", "order": 1},
        "after": {"name": "养老·助老服务", "order": 20},
    }
    # The same values again: nothing to record.
    district.post(
        "/settings/categories/elderly/",
        {"cat-elderly-name": "养老·助老服务", "cat-elderly-order": "20"},
        HTTP_HX_REQUEST="true",
    )
    assert AuditEvent.objects.filter(object_type="needs.needcategory").count() == 1


@pytest.mark.parametrize(
    ("name", "order", "message"),
    [
        ("", "1", "请填写类别名称"),
        ("老" * 21, "1", "不能超过 20 个字"),
        ("助残康复", "1", "已有名为“助残康复”的类别(编码 disability)"),
        ("养老!", "1", "不能包含:!"),
        ("养老😀", "1", "不能包含:😀"),
        ("养老/助老", "1", "不能包含:/"),
        ("养老", "abc", "排序须是整数"),
        ("养老", "-1", "排序不能小于 0"),
        ("养老", "", "请填写排序"),
    ],
)
def test_bad_input_lands_at_the_field_in_chinese_and_changes_nothing(district, name, order, message) -> None:  # type: ignore[no-untyped-def]
    response = district.post(
        "/settings/categories/elderly/",
        {"cat-elderly-name": name, "cat-elderly-order": order},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert message in html
    assert "is-invalid" in html
    assert 'aria-invalid="true"' in html
    assert f'value="{name}"' in html  # what was typed is kept
    assert NeedCategory.objects.filter(code="elderly", name="养老助老", order=1).exists()
    assert not AuditEvent.objects.filter(object_type="needs.needcategory").exists()


def test_without_scripts_the_form_posts_and_redirects(district) -> None:  # type: ignore[no-untyped-def]
    response = district.post(
        "/settings/categories/other/", {"cat-other-name": "其它", "cat-other-order": "99"}
    )
    assert response.status_code == 302
    assert "已保存类别“其它”" in district.get(response["Location"]).content.decode()
    refused = district.post("/settings/categories/other/", {"cat-other-name": "", "cat-other-order": "99"})
    assert refused.status_code == 200
    assert "请填写类别名称" in refused.content.decode()


def test_unknown_category_is_the_ordinary_404(district) -> None:  # type: ignore[no-untyped-def]
    assert district.post("/settings/categories/nope/", {}).status_code == 404


def test_service_refuses_an_account_without_a_settings_role(world) -> None:  # type: ignore[no-untyped-def]
    from conftest import NOW, make_account
    from tongxin.core.actor import Actor
    from tongxin.core.errors import NotFoundOrForbidden

    staff = make_account("street", (Role.STREET_STAFF, world.street1))
    with pytest.raises(NotFoundOrForbidden):
        need_category_rename(code="elderly", name="养老", order=1, by=Actor(user=staff), now=NOW)


def test_the_calendar_shows_twelve_months_with_holidays_and_adjusted_days(district, freeze) -> None:  # type: ignore[no-untyped-def]
    html = district.get("/settings/calendar/?year=2026").content.decode()
    assert html.count('class="tx-month"') == 12
    assert "tx-holiday" in html
    assert "国庆节" in html
    assert "tx-workday" in html
    assert "目前按节假日数据包计算" in html
    assert 'href="/settings/calendar/?year=2027"' in html
    # An unknown year shows this year rather than failing.
    assert "2026 年的安排尚未写入日历表" in district.get("/settings/calendar/?year=1999").content.decode()


def test_the_coming_year_says_the_package_does_not_know_it(district, freeze) -> None:  # type: ignore[no-untyped-def]
    html = district.get("/settings/calendar/?year=2027").content.decode()
    assert "节假日数据包只收录到 2026 年,还没有 2027 年的放假安排" in html
    response = district.post("/settings/calendar/load/", {"year": "2027"}, follow=True)
    assert "还没有 2027 年的放假安排,没有载入任何内容" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_loading_the_defaults_fills_the_year_and_is_audited(district, freeze) -> None:  # type: ignore[no-untyped-def]
    response = district.post("/settings/calendar/load/", {"year": "2026"}, follow=True)
    assert "已载入 2026 年默认安排" in response.content.decode()
    assert CalendarDay.objects.filter(date__year=2026, source=DaySource.PACKAGE).count() > 20
    event = AuditEvent.objects.get(object_type="workdays.calendarday", action="import")
    assert event.actor_id == district.user.pk


def test_the_day_form_sets_a_holiday_and_the_next_deadline_sees_it(district, freeze) -> None:  # type: ignore[no-untyped-def]
    form = district.get("/settings/calendar/day/?date=2027-01-04").content.decode()
    assert 'value="normal"' in form
    assert "checked" in form
    assert work_calendar().is_workday(date(2027, 1, 4))
    response = district.post(
        "/settings/calendar/day/",
        {"date": "2027-01-04", "kind": "holiday", "name": "元旦补休"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == "/settings/calendar/?year=2027"
    assert not work_calendar().is_workday(date(2027, 1, 4))
    page = district.get("/settings/calendar/?year=2027").content.decode()
    assert "已将 2027-01-04 设为放假(元旦补休)" in page
    assert "元旦补休" in page
    event = AuditEvent.objects.get(object_type="workdays.calendarday", action="create")
    assert event.actor_id == district.user.pk
    district.post("/settings/calendar/day/", {"date": "2027-01-04", "kind": "normal", "name": ""})
    assert work_calendar().is_workday(date(2027, 1, 4))
    assert AuditEvent.objects.filter(object_type="workdays.calendarday", action="delete").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2027-01-09", "kind": "holiday", "name": "春节"}, "周末本来就休息"),
        ({"date": "2027-01-06", "kind": "workday", "name": "春节"}, "调休上班日必须是周六或周日"),
        ({"date": "2027-01-06", "kind": "holiday", "name": ""}, "请填写节日名称"),
        ({"date": "2027-01-06", "kind": "", "name": ""}, "请选择这一天的安排"),
        ({"date": "2026-11-02", "kind": "holiday", "name": "春节"}, "不能修改已经过去的日期"),
    ],
)
def test_bad_days_are_refused_at_the_field(district, freeze, data, message) -> None:  # type: ignore[no-untyped-def]
    response = district.post("/settings/calendar/day/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "没有保存" in html
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.filter(object_type="workdays.calendarday").exists()


def test_a_day_outside_this_and_next_year_is_not_offered(district, freeze) -> None:  # type: ignore[no-untyped-def]
    assert district.get("/settings/calendar/day/?date=2030-01-01").status_code == 404
    assert district.get("/settings/calendar/day/?date=garbage").status_code == 404
    response = district.post(
        "/settings/calendar/day/", {"date": "2030-01-07", "kind": "holiday", "name": "x"}
    )
    assert response.status_code == 404
    assert not CalendarDay.objects.filter(kind=DayKind.HOLIDAY).exists()


@pytest.fixture
def back_to_chinese() -> Iterator[None]:
    """The test client's requests activate English in this thread; later tests compare Chinese."""
    yield
    translation.activate("zh-hans")


def test_the_pages_in_english(district, freeze, back_to_chinese) -> None:  # type: ignore[no-untyped-def]
    district.post("/i18n/setlang/", {"language": "en", "next": "/"})
    categories = district.get("/settings/categories/").content.decode()
    assert "Category codes are fixed" in categories
    assert "Name of elderly" in categories
    calendar = district.get("/settings/calendar/?year=2027").content.decode()
    assert "only covers years up to 2026 and has no arrangement for 2027" in calendar
    assert "Load the default arrangement" in calendar
    assert "Working-day calendar" in calendar
    assert "January" in calendar
    assert (
        "The 2026 arrangement is not in the calendar table"
        in district.get("/settings/calendar/").content.decode()
    )
    refused = district.post(
        "/settings/categories/elderly/",
        {"cat-elderly-name": "养老!", "cat-elderly-order": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "may contain only Chinese characters" in refused

"""The staff pages (list, filters, export, detail audited, register, assign, close, visit) and the
phone pages (我的走访, a visit in a few taps, the audited call, the history)."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import SYSTEM, add_person
from tongxin.audit.models import AuditEvent
from tongxin.care.models import CareAssignment, CareSubject, CareVisit, Kind
from tongxin.care.services import visit_log

from .conftest import register, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(cw):  # type: ignore[no-untyped-def]
    return verified_client(cw.n.staff11)


def phone(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_the_scope_with_overdue_badges_and_filters(cw, staff) -> None:  # type: ignore[no-untyped-def]
    old = add_person("赵爷爷", cw.w.c11, mobile="13900002222", birth=date(1936, 5, 5))
    register(
        old,
        cw.w.c11,
        kinds=[Kind.DISABLED],
        now=timezone.now() - timedelta(days=40),
        consent_on=date(2026, 1, 1),
    )
    html = staff.get("/care/").content.decode()
    assert "刘桂兰" in html
    assert "赵爷爷" in html
    assert "1 人逾期" in html
    assert html.index("赵爷爷") < html.index("刘桂兰")  # the overdue first
    assert "13900002222" not in html
    only_disabled = staff.get("/care/", {"kind": Kind.DISABLED}).content.decode()
    assert "赵爷爷" in only_disabled
    assert "刘桂兰" not in only_disabled
    overdue = staff.get("/care/overdue/").content.decode()
    assert "赵爷爷" in overdue
    assert "刘桂兰" not in overdue
    by_visitor = staff.get("/care/", {"visitor": cw.w.alice.pk}).content.decode()
    assert "刘桂兰" in by_visitor
    assert "赵爷爷" not in by_visitor
    found = staff.get("/care/", {"q": "桂兰"}).content.decode()
    assert "刘桂兰" in found
    assert "赵爷爷" not in found
    assert "没有符合筛选条件" in staff.get("/care/", {"q": "没有这个人"}).content.decode()
    bars = staff.get("/care/coverage/").content.decode()
    assert "按时 1 人,逾期 1 人" in bars


def test_the_detail_page_is_audited_each_time(cw, staff) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.filter(action="reveal", object_type="care.caresubject").count()
    page = staff.get(f"/care/{cw.subject.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "独居,耳背" in html
    assert "139****1111" in html
    assert "13900001111" not in html
    staff.get(f"/care/{cw.subject.pk}/")
    after = AuditEvent.objects.filter(action="reveal", object_type="care.caresubject").count()
    assert after == before + 2


def test_the_export_masks_phones_and_is_audited(cw, staff) -> None:  # type: ignore[no-untyped-def]
    response = staff.get("/care/export/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "姓名", "关爱类别")
    assert rows[1][1] == "刘桂兰"
    assert rows[1][4] == "139****1111"
    assert rows[1][10] == "王秀英"
    event = AuditEvent.objects.filter(action="export", object_type="care.caresubject").get()
    assert event.detail["rows"] == 1


def test_register_from_the_page_and_a_refusal_in_chinese(cw, staff) -> None:  # type: ignore[no-untyped-def]
    p = add_person("钱阿婆", cw.w.c11, birth=date(1939, 9, 9))
    found = staff.get("/care/persons/", {"pq": "阿婆"}).content.decode()
    assert f'value="{p.pk}"' in found
    already = staff.get("/care/persons/", {"pq": "桂兰"}).content.decode()
    assert "已在名册" in already
    form = {"person": p.pk, "kinds": [Kind.ELDERLY_ALONE], "community": cw.w.c11.pk, "basis": "consent"}
    refused = staff.post("/care/new/", {**form, "consent_by": "self"})
    assert refused.status_code == 400
    assert "请填写同意日期" in refused.content.decode()
    assert not CareSubject.objects.filter(person=p).exists()
    no_person = staff.post("/care/new/", {**form, "person": ""})
    assert "请从搜索结果中选择关爱对象本人" in no_person.content.decode()
    done = staff.post(
        "/care/new/", {**form, "consent_by": "self", "consent_on": "2026-11-28", "place": "5号楼"}
    )
    subject = CareSubject.objects.get(person=p)
    assert done.status_code == 302
    assert done["Location"] == f"/care/{subject.pk}/"
    assert subject.cadence_days == 7


def test_assign_close_and_visit_from_the_detail(cw, staff) -> None:  # type: ignore[no-untyped-def]
    pk = cw.subject.pk
    search = staff.get(f"/care/{pk}/assign/search/", {"vq": "赵琳"}).content.decode()
    assert f'value="{cw.n.erin.person.pk}"' in search
    not_member = staff.get(f"/care/{pk}/assign/search/", {"vq": "方兰"}).content.decode()
    assert f'value="{cw.n.fang.pk}"' not in not_member  # a resident, no member: not offered
    assert staff.post(f"/care/{pk}/assign/", {"visitor": cw.n.erin.person.pk}).status_code == 302
    assert staff.post(f"/care/{pk}/assign/", {"visitor": cw.n.erin.person.pk}).status_code == 400
    visit = staff.post(
        f"/care/{pk}/visit/",
        {"visitor": cw.w.alice.pk, "way": "phone", "condition": "attention", "notes": "血压高"},
    )
    assert visit.status_code == 302
    assert CareVisit.objects.get().recorded_by == cw.n.staff11
    bad = staff.post(f"/care/{pk}/visit/", {"visitor": cw.w.alice.pk, "way": "phone"})
    assert bad.status_code == 400
    assert "请选择对象的情况" in bad.content.decode()
    a = CareAssignment.objects.get(visitor=cw.n.erin.person)
    assert staff.post(f"/care/{pk}/assign/{a.pk}/end/").status_code == 302
    staff.post(f"/care/{pk}/close/", {"reason": "moved"})
    assert not CareSubject.objects.get(pk=pk).active
    assert "已销册" in staff.get("/care/", {"status": "closed"}).content.decode()


def test_the_members_phone_page_logs_a_visit_in_a_few_taps(cw) -> None:  # type: ignore[no-untyped-def]
    client = phone(cw.n.alice)
    listing = client.get("/care/m/").content.decode()
    assert "刘桂兰" in listing
    assert "3号楼201" in listing
    assert "独居" not in listing  # the kind and notes stay with staff
    page = client.get(f"/care/m/{cw.subject.pk}/").content.decode()
    assert "139****1111" in page
    assert "13900001111" not in page
    refused = client.post(f"/care/m/{cw.subject.pk}/", {"way": "home"})
    assert refused.status_code == 400
    assert "请选择对象的情况" in refused.content.decode()
    assert not CareVisit.objects.exists()
    done = client.post(f"/care/m/{cw.subject.pk}/", {"way": "home", "condition": "good", "notes": "一切都好"})
    assert done.status_code == 302
    visit = CareVisit.objects.get()
    assert visit.visitor == cw.w.alice
    assert "一切都好" in client.get("/care/m/history/").content.decode()


def test_the_call_button_reveals_the_number_once_audited(cw) -> None:  # type: ignore[no-untyped-def]
    client = phone(cw.n.alice)
    assert client.get(f"/care/m/{cw.subject.pk}/call/").status_code == 405
    page = client.post(f"/care/m/{cw.subject.pk}/call/").content.decode()
    assert 'href="tel:13900001111"' in page
    event = AuditEvent.objects.filter(action="reveal", object_type="people.person").latest("seq")
    assert event.object_id == str(cw.granny.pk)
    assert event.actor_id == cw.n.alice.pk


def test_overdue_subjects_come_first_in_red(cw) -> None:  # type: ignore[no-untyped-def]
    late = add_person("孙爷爷", cw.w.c11, birth=date(1937, 1, 1))
    s = register(late, cw.w.c11, now=timezone.now() - timedelta(days=30), consent_on=date(2026, 1, 1))
    from tongxin.care.services import visitor_assign

    visitor_assign(subject=s, visitor=cw.w.alice, by=SYSTEM, now=timezone.now() - timedelta(days=30))
    html = phone(cw.n.alice).get("/care/m/").content.decode()
    assert html.index("孙爷爷") < html.index("刘桂兰")
    assert "c-late" in html
    assert "已逾期" in html
    visit_log(
        subject=s,
        visitor=cw.w.alice,
        visited_at=timezone.now(),
        way="home",
        condition="good",
        by=SYSTEM,
        now=timezone.now(),
    )
    assert "已逾期" not in phone(cw.n.alice).get("/care/m/").content.decode()


def test_edit_changes_the_cadence_and_refuses_bad_input(cw, staff) -> None:  # type: ignore[no-untyped-def]
    pk = cw.subject.pk
    form = staff.get(f"/care/{pk}/edit/").content.decode()
    assert 'value="3号楼201"' in form
    assert 'value="2026-11-29"' in form  # the consent date, as the date input reads it
    data = {
        "kinds": [Kind.ELDERLY_ALONE],
        "community": cw.w.c11.pk,
        "basis": "consent",
        "consent_by": "self",
        "consent_on": "2026-11-29",
        "place": "3号楼201",
        "cadence_days": "120",
    }
    refused = staff.post(f"/care/{pk}/edit/", data)
    assert refused.status_code == 400
    assert "走访周期请填写1到90之间的天数" in refused.content.decode()
    assert staff.post(f"/care/{pk}/edit/", {**data, "cadence_days": "3"}).status_code == 302
    assert CareSubject.objects.get(pk=pk).cadence_days == 3


def test_the_pages_read_in_english(cw, staff) -> None:  # type: ignore[no-untyped-def]
    staff.post("/i18n/setlang/", {"language": "en", "next": "/care/"})
    html = staff.get("/care/").content.decode()
    assert "Care recipients" in html
    assert "Elderly living alone" in html
    alice = phone(cw.n.alice)
    alice.post("/i18n/setlang/", {"language": "en", "next": "/care/m/"})
    assert "My visits" in alice.get("/care/m/").content.decode()


def test_the_list_costs_the_same_queries_for_more_rows(cw, staff) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff.get("/care/")
    for i in range(6):
        p = add_person(f"老人{i}", cw.w.c11, birth=date(1940, 1, 1))
        s = register(p, cw.w.c11)
        from tongxin.care.services import visitor_assign

        visitor_assign(subject=s, visitor=cw.w.alice, by=SYSTEM, now=timezone.now())
    with CaptureQueriesContext(connection) as many:
        staff.get("/care/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_navigation_counts(cw) -> None:  # type: ignore[no-untyped-def]
    from django.template import Context, Template

    late = add_person("孙爷爷", cw.w.c11, birth=date(1937, 1, 1))
    month_ago = timezone.now() - timedelta(days=30)
    s = register(late, cw.w.c11, now=month_ago, consent_on=month_ago.date())
    from tongxin.care.services import visitor_assign

    visitor_assign(subject=s, visitor=cw.w.alice, by=SYSTEM, now=month_ago)
    tpl = Template("{% load care_tags %}{% care_overdue_count %}/{% care_my_due_count %}")
    assert tpl.render(Context({"user": cw.n.staff11})) == "1/0"
    assert tpl.render(Context({"user": cw.n.alice})) == "0/1"
    assert tpl.render(Context({"user": cw.n.staff21})) == "0/0"

"""Bulk accept and dispatch with mixed results; 代录诉求 by staff and grid workers; the location
view; the rates page and its export."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.needs.models import Channel, Need, Status
from tongxin.needs.services import need_accept

from .needs_world import actor, submit

pytestmark = pytest.mark.django_db


def test_bulk_dispatch_reports_each_need(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    ready = [submit(p.nw, text=f"第{i}号楼门禁坏了。") for i in range(2)]
    for n in ready:
        need_accept(need=n, by=actor(p.nw.staff11), now=p.now)
    fresh = submit(p.nw, text="还没受理的诉求。")  # 待受理: cannot be dispatched yet
    theirs = submit(p.nw, by=p.nw.staff21, community=p.w.c21, channel=Channel.STAFF, caller_name="刘先生")
    need_accept(need=theirs, by=actor(p.nw.staff21), now=p.now)
    data = {"need": [n.pk for n in ready] + [fresh.pk, theirs.pk, 99999], "to": f"org:{p.w.b11.pk}"}
    response = p.c11.post("/needs/bulk/dispatch/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "派单成功 2 条" in html
    assert "未能派单 3 条" in html
    assert "不能派单" in html  # the status reason for the fresh one
    assert html.count("未找到该诉求,或您无权查看。") == 2  # another street's and a missing one
    assert "长阳" not in html
    assert "刘先生" not in html
    for n in ready:
        n.refresh_from_db()
        assert (n.status, n.assigned_org) == (Status.DISPATCHED, p.w.b11)
    fresh.refresh_from_db()
    theirs.refresh_from_db()
    assert fresh.status == Status.SUBMITTED
    assert theirs.status == Status.ACCEPTED


def test_bulk_refuses_without_a_target_or_a_selection(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    n = submit(p.nw)
    need_accept(need=n, by=actor(p.nw.staff11), now=p.now)
    response = p.c11.post("/needs/bulk/dispatch/", {"need": [n.pk], "to": f"org:{p.w.b21.pk}"}, follow=True)
    assert "请先搜索并选择承办对象" in response.content.decode()
    response = p.c11.post("/needs/bulk/dispatch/", {"to": f"org:{p.w.b11.pk}"}, follow=True)
    assert "请先勾选" in response.content.decode()
    response = p.c11.post(
        "/needs/bulk/dispatch/", {"need": ["x;drop"], "to": f"org:{p.w.b11.pk}"}, follow=True
    )
    assert response.status_code == 200
    n.refresh_from_db()
    assert n.status == Status.ACCEPTED


def test_bulk_accept(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    a, b = submit(p.nw), submit(p.nw, text="小区健身器材坏了。")
    need_accept(need=b, by=actor(p.nw.staff11), now=p.now)
    html = p.c11.post("/needs/bulk/accept/", {"need": [a.pk, b.pk]}).content.decode()
    assert "受理成功 1 条" in html
    assert "未能受理 1 条" in html
    a.refresh_from_db()
    assert a.status == Status.ACCEPTED


def test_staff_enter_a_need_for_a_caller(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    page = p.c11.get("/needs/new/")
    assert page.status_code == 200
    assert "代录诉求" in page.content.decode()
    data = {
        "caller_name": "周阿姨",
        "caller_phone": "13900001234",
        "community": str(p.w.c11.pk),
        "place": "7号楼",
        "text": "家里水管爆了,水漫到楼道里了。",
        "category": "property",
        "urgent": "on",
        "tags": ["急"],
    }
    response = p.c11.post("/needs/new/", data)
    need = Need.objects.get(place="7号楼")
    assert response.status_code == 302
    assert response["Location"] == f"/needs/{need.pk}/"
    assert (need.channel, need.caller_phone, need.urgent, need.tags) == (
        Channel.STAFF,
        "13900001234",
        True,
        ["急"],
    )


def test_entry_for_a_registered_person_and_by_a_grid_worker(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    found = p.c11.get("/needs/persons/?pq=方兰").content.decode()
    assert f'value="{p.nw.fang.pk}"' in found
    assert "136****2222" in found
    assert "value=" not in p.c11.get("/needs/persons/?pq=李建国").content.decode().replace('value=""', "")
    data = {
        "person": str(p.nw.fang.pk),
        "community": str(p.w.c11.pk),
        "text": "想咨询高龄津贴怎么申请。",
        "category": "policy",
    }
    assert p.c11.post("/needs/new/", data).status_code == 302
    assert Need.objects.get(text__startswith="想咨询").person == p.nw.fang
    data = {
        "caller_name": "巡查",
        "community": str(p.w.c11.pk),
        "text": "小区东门的消防通道被车堵了。",
        "category": "safety",
    }
    assert p.grid.post("/needs/new/", data).status_code == 302
    assert Need.objects.get(text__startswith="小区东门").channel == Channel.GRID


def test_entry_refusals_keep_the_input(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    before = Need.objects.count()
    cases = [
        (
            {"caller_name": "周", "community": str(p.w.c11.pk), "text": "", "category": "property"},
            "请填写内容",
        ),
        (
            {"caller_name": "周", "community": str(p.w.c11.pk), "text": "字" * 3000, "category": "property"},
            "内容过长",
        ),
        (
            {"caller_name": "周", "community": str(p.w.c21.pk), "text": "路灯坏了。", "category": "facility"},
            "请选择诉求所在的社区",
        ),
        (
            {"caller_name": "周", "community": str(p.w.c11.pk), "text": "路灯坏了。", "category": ""},
            "请选择诉求类别",
        ),
        (
            {"community": str(p.w.c11.pk), "text": "路灯坏了。", "category": "facility"},
            "请填写诉求人姓名或联系电话",
        ),
        (
            {
                "caller_phone": "12345",
                "community": str(p.w.c11.pk),
                "text": "路灯坏了。",
                "category": "facility",
            },
            "手机号",
        ),
        (
            {
                "person": str(p.w.bob.pk),
                "community": str(p.w.c11.pk),
                "text": "路灯坏了。",
                "category": "facility",
            },
            "请从搜索结果中选择诉求人",
        ),
    ]
    for data, message in cases:
        html = p.c11.post("/needs/new/", data).content.decode()
        assert message in html, message
        if data.get("text") and len(data["text"]) < 100:
            assert data["text"] in html
    assert Need.objects.count() == before
    # an account that enters needs nowhere has no entry page
    assert p.c21.get("/needs/new/").status_code == 200
    from conftest import make_account
    from tongxin.accounts.models import Role

    from .conftest import verified_client

    unit_contact = verified_client(make_account("uc", (Role.UNIT_CONTACT, p.w.unit_branch)))
    assert unit_contact.get("/needs/new/").status_code == 404


def test_the_classifier_suggests_while_typing(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    html = p.c11.post(
        "/needs/suggest/", {"text": "楼上邻居家漏水,把我家卫生间天花板泡坏了,物业不管。"}
    ).content.decode()
    assert "建议类别" in html
    assert "采用建议" in html
    assert "建议类别" not in p.c11.post("/needs/suggest/", {"text": "漏水"}).content.decode()


def test_the_location_view_counts_by_building_and_links_into_the_queue(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    submit(p.nw, place="3号楼")
    submit(p.nw, place="3号楼", category="facility", text="3号楼电梯坏了。")
    b = submit(p.nw, place="")
    need_accept(need=b, by=actor(p.nw.staff11), now=p.now)
    response = p.c11.get(f"/needs/places/?community={p.w.c11.pk}")
    assert response.status_code == 200
    table = response.context["table"]
    assert [(t["row"].place, t["row"].total) for t in table] == [("3号楼", 2), ("", 1)]
    html = response.content.decode()
    assert "未填写楼栋" in html
    # the link for 3号楼's 待受理 count opens exactly those needs
    link = table[0]["states"][0][1]
    rows = p.c11.get(link).context["rows"]
    assert {n.place for n, _d in rows} == {"3号楼"}
    assert len(rows) == 2
    empty = p.street.get("/needs/places/?community=" + str(p.w.c21.pk))
    assert empty.context["community"] is None
    assert p.c11.get("/needs/places/?community=abc").status_code == 200


def test_rates_page_and_export(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    from django.utils import timezone

    now = timezone.now()
    a = submit(p.nw)
    Need.objects.filter(pk=a.pk).update(submitted_at=now)
    response = p.street.get("/needs/rates/")
    assert response.status_code == 200
    view = response.context["view"]
    assert view.node == p.w.street1
    assert [t.name for t, _r in view.children] == ["杨树浦社区", "复兴岛社区"]
    assert view.total.submitted == 1
    html = response.content.decode()
    assert "响应率" in html
    assert "tx-rates-chart" in html
    assert (
        p.street.get("/needs/rates/?period=custom&since=2026-12-01&until=2026-01-01").context["view"] is None
    )
    assert p.street.get("/needs/rates/?period=last_month").status_code == 200
    assert p.street.get(f"/needs/rates/?node={p.w.street2.pk}").context["view"].node == p.w.street1
    export = p.street.post("/needs/rates/export/", {"period": "this_year"})
    assert export.status_code == 200
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "属地"
    assert rows[1][0] == "定海路街道"
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, object_repr__startswith="诉求统计").count() == 1
    )
    assert p.grid.get("/needs/rates/").status_code == 404

"""The needs queue of the workbench: scope, tabs, filters, search, sorting, the due column, the
navigation badge, and the Excel export."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.needs.models import Channel, Need
from tongxin.needs.services import need_accept, need_dispatch

from .needs_world import actor, submit

pytestmark = pytest.mark.django_db
URL = "/needs/"


def rows_of(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [n.pk for n, _due in response.context["rows"]]


def test_the_queue_shows_what_waits_for_the_secretary_and_the_nav_counts_it(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    a = submit(p.nw)
    b = submit(p.nw, text="小区门口的路灯不亮了好几天。")
    need_accept(need=b, by=actor(p.nw.staff11), now=p.now)
    c = submit(p.nw, text="楼上漏水把我家天花板泡坏了。")
    need_accept(need=c, by=actor(p.nw.staff11), now=p.now)
    need_dispatch(need=c, to=p.w.b11, by=actor(p.nw.staff11), now=p.now)
    other = submit(p.nw, by=p.nw.staff21, community=p.w.c21, channel=Channel.STAFF, caller_name="刘先生")
    response = p.c11.get(URL)
    assert response.status_code == 200
    assert set(rows_of(response)) == {a.pk, b.pk}  # 待我处理: to accept and to dispatch
    html = response.content.decode()
    assert "诉求工作台" in html
    assert response.context["tabs"][0][2] == 2
    assert set(rows_of(p.c11.get(URL + "?tab=handling"))) == {c.pk}
    assert set(rows_of(p.c11.get(URL + "?tab=all"))) == {a.pk, b.pk, c.pk}
    assert other.pk not in rows_of(p.c11.get(URL + "?tab=all"))
    # several states at once override the tab
    assert set(rows_of(p.c11.get(URL + "?state=submitted&state=dispatched"))) == {a.pk, c.pk}


def test_filters_search_and_garbage(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    a = submit(p.nw, urgent=True)
    b = submit(p.nw, category="legal", text="邻居装修噪音纠纷,想请人调解。", place="5号楼")
    c = submit(p.nw, community=p.w.c12, by=p.nw.street1, channel=Channel.STAFF, caller_name="周阿姨")
    assert rows_of(p.street.get(URL + "?urgent=yes")) == [a.pk]
    assert rows_of(p.street.get(URL + "?category=legal")) == [b.pk]
    assert rows_of(p.street.get(URL + f"?territory={p.w.c12.pk}")) == [c.pk]
    assert rows_of(p.street.get(URL + "?channel=staff")) == [c.pk]
    assert rows_of(p.street.get(URL + f"?q={b.pk}")) == [b.pk]
    assert rows_of(p.street.get(URL + "?q=噪音")) == [b.pk]
    assert rows_of(p.street.get(URL + "?place=5号楼")) == [b.pk]
    # a place the account may not see is not a choice: ignored, like any garbled filter
    assert set(rows_of(p.street.get(URL + f"?territory={p.w.c21.pk}"))) == {a.pk, b.pk, c.pk}
    # garbage is ignored, never an error page
    for junk in (
        "?state=nonsense",
        "?sort=;drop",
        "?since=yesterday",
        "?page=-3",
        "?due=x",
        "?q=" + "字" * 5000,
    ):
        assert p.street.get(URL + junk).status_code == 200
    day = p.now.date()
    assert len(rows_of(p.street.get(URL + f"?since={day}&until={day}"))) == 3
    assert rows_of(p.street.get(URL + f"?since={day + timedelta(days=1)}")) == []


def test_sorting_and_the_due_column_in_words(needs_pages) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    p = needs_pages
    now = timezone.now()
    late = submit(p.nw, text="电梯困人了,已经半小时。", urgent=True)
    soon = submit(p.nw, text="楼道堆物很多,担心消防安全。")
    Need.objects.filter(pk=late.pk).update(
        accept_due_at=now - timedelta(days=6), urge_at=now - timedelta(days=7)
    )
    Need.objects.filter(pk=soon.pk).update(accept_due_at=now + timedelta(hours=3, minutes=30))
    response = p.c11.get(URL + "?sort=due")
    assert rows_of(response)[:2] == [late.pk, soon.pk]
    html = response.content.decode()
    assert "还剩3小时" in html
    assert "超期6个工作日" in html or "超期5个工作日" in html or "超期4个工作日" in html
    assert rows_of(p.c11.get(URL + "?sort=-due"))[0] == soon.pk
    assert rows_of(p.c11.get(URL + "?tab=overdue")) == [late.pk]
    assert late.pk in rows_of(p.c11.get(URL + "?due=overdue")) or late.pk in rows_of(
        p.c11.get(URL + "?due=escalate")
    )


def test_empty_states_say_what_to_do(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    html = p.c11.get(URL).content.decode()
    assert "没有等待您受理或派单的诉求" in html
    html = p.c11.get(URL + "?q=不存在的词").content.decode()
    assert "没有符合筛选条件的诉求" in html


def test_export_respects_filters_scope_masks_and_audits(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    a = submit(p.nw)
    submit(p.nw, category="legal", text="邻居装修噪音纠纷,想请人调解。")
    submit(
        p.nw,
        by=p.nw.staff21,
        community=p.w.c21,
        channel=Channel.STAFF,
        caller_name="刘先生",
        caller_phone="13500001111",
    )
    response = p.c11.post("/needs/export/", {"tab": "all", "category": "property"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    assert [r[0] for r in rows[1:]] == [a.pk]
    assert rows[1][9] == "13611112222"  # the community's own staff may reveal
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="needs.need")
    assert event.detail["rows"] == 1
    # a grid worker exports nothing
    assert p.grid.post("/needs/export/", {"tab": "all"}).status_code == 404


def test_the_queue_does_not_query_per_row(needs_pages) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    p = needs_pages

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert p.c11.get(URL + "?tab=all").status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        submit(p.nw, text=f"第{i}号楼楼道灯坏了。")
    few = queries()
    for i in range(22):
        submit(p.nw, text=f"第{i}号楼电梯坏了。", urgent=bool(i % 2))
    # At most the working-day calendar of the year, read once per page when a deadline is counted.
    assert queries() <= few + 1


def test_the_needs_pages_switch_to_english(needs_pages) -> None:  # type: ignore[no-untyped-def]
    import re

    p = needs_pages
    need = submit(p.nw)
    p.c11.cookies["django_language"] = "en"
    for url in (URL, f"/needs/{need.pk}/", "/needs/new/", "/needs/places/", "/needs/rates/"):
        html = p.c11.get(url).content.decode()
        assert "Needs queue" in html, url
        # Chinese left on the page is the residents' own words and the names of places only.
        data = r"<(textarea|option|td|dd|p class=\"tx-need-body[^>]*)[^>]*>.*?</\1>"
        chrome = re.sub(data, "", html, flags=re.S)
        assert "诉求工作台" not in chrome, url

"""The needs queue as Excel: the rows the queue shows for the same filters and search, in the
account's scope; contact phones masked unless the account may reveal personal data in that
community (as the person exports decide); one audit row per file."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_

from tongxin.accounts.policies import Action
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core import masking
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.trees import is_within
from tongxin.needs import policies
from tongxin.needs.models import Need
from tongxin.workdays.calendar import work_calendar

from ..listing import filter_items, search_text
from ..needs_queue import due_of
from .workbook import PRIVATE_NOTICE, workbook_response

NEED_HEADERS = [
    N_("编号"),
    N_("提交时间"),
    N_("类别"),
    N_("紧急"),
    N_("标签"),
    N_("所在社区"),
    N_("楼栋/地点"),
    N_("诉求内容"),
    N_("诉求人"),
    N_("联系电话"),
    N_("来源"),
    N_("状态"),
    N_("承办"),
    N_("时限"),
    N_("时限状态"),
]
NEED_TEXT_COLUMNS = {9}
EXPORT_MAX = 100_000


def assignee_name(need: Need) -> str:
    for obj in (need.assigned_territory, need.assigned_org, need.assigned_unit, need.assigned_person):
        if obj is not None:
            return str(getattr(obj, "name", obj))
    return ""


def need_rows(user: Any, needs: QuerySet[Need], *, now: datetime) -> Iterable[list[Any]]:
    reveal_roots = policies.staff_roots(user, Action.REVEAL)
    calendar = work_calendar()
    rows = needs.select_related(
        "category",
        "community",
        "person",
        "assigned_territory",
        "assigned_org",
        "assigned_unit",
        "assigned_person",
    )
    for n in rows.iterator(chunk_size=1000):
        phone = n.contact_phone
        clear = is_within(n.community.path, reveal_roots)
        due = due_of(n, now, calendar)
        yield [
            n.pk,
            timezone.localtime(n.submitted_at).strftime("%Y-%m-%d %H:%M"),
            n.category.name,
            _("是") if n.urgent else _("否"),
            "、".join(n.tags),
            n.community.name,
            n.place,
            n.text,
            n.person.name if n.person else n.caller_name,
            phone if clear else masking.mask_mobile(phone),
            n.get_channel_display(),
            n.get_status_display(),
            assignee_name(n),
            due.words if due else "",
            due.label if due else "",
        ]


def export_needs(request: HttpRequest, rows: QuerySet[Need], *, now: datetime) -> HttpResponse:
    user = request.user
    if not policies.staff_roots(user, Action.EXPORT):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    rows = rows[:EXPORT_MAX]
    reveal_roots = policies.staff_roots(user, Action.REVEAL)
    in_clear = sum(
        1 for path in rows.values_list("community__path", flat=True) if is_within(path, reveal_roots)
    )
    response, count = workbook_response(
        filename=N_("诉求清单"),
        title=N_("诉求"),
        headers=NEED_HEADERS,
        rows=need_rows(user, rows, now=now),
        text_columns=NEED_TEXT_COLUMNS,
        notice=str(PRIVATE_NOTICE) if in_clear else "",
    )
    query = search_text(request)
    filters = {k: v[:100] for k, v in filter_items(request)[:10]}
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type="needs.need",
        object_repr=f"诉求 × {count}",
        detail={
            "rows": count,
            "query": query,
            **({"filters": filters} if filters else {}),
            "rows_in_clear": in_clear,
        },
    )
    token = request.POST.get("download_token", "")
    if token and len(token) <= 64 and token.isalnum():
        response.set_cookie("tx_export", token, max_age=120, samesite="Lax", secure=request.is_secure())
    return response

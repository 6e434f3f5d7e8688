"""诉求工作台: the queue of needs in the account's scope, with tabs, filters, sorting, a count,
bulk accept and bulk dispatch, and its Excel export."""

from typing import Any

from django.db.models import F, OrderBy, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import visible
from tongxin.needs.models import Need
from tongxin.territory.models import Territory

from ...access import registry_page
from ...exports.needs import export_needs
from ...listing import Sort, filter_data, search_text, sort_from
from ...needs_queue import (
    DEFAULT_SORT,
    QUEUE_SORTS,
    TABS,
    NeedQueueFilter,
    queue_rows,
    tab_counts,
    with_due,
)
from ..common import paginate
from .common import entry_communities, is_dispatcher


def queue_filter(request: HttpRequest) -> NeedQueueFilter:
    return NeedQueueFilter(filter_data(request) or None, territories=visible(request.user, Territory))


def ordered(rows: QuerySet[Need], sort: Sort) -> QuerySet[Need]:
    """The whitelisted ordering; needs without a running clock sort after those with one, on
    either database (SQLite and PostgreSQL put NULLs at opposite ends by default)."""
    terms: list[Any] = []
    for field in sort.order_by:
        name = field.lstrip("-")
        if name == "due_at":
            terms.append(OrderBy(F(name), descending=field.startswith("-"), nulls_last=True))
        else:
            terms.append(field)
    return rows.order_by(*terms)


def listed(request: HttpRequest, filters: NeedQueueFilter, *, now: Any) -> QuerySet[Need]:
    """The queue's rows for the current filters and search; the export uses the same."""
    sort = sort_from(request, QUEUE_SORTS, DEFAULT_SORT)
    rows = queue_rows(request.user, filters, search_text(request), now=now)
    return ordered(rows.select_related("category", "community"), sort)


def _tab_links(request: HttpRequest) -> dict[str, str]:
    """Each tab keeps the other filters and the search, and drops the ticked statuses."""
    kept = [
        (k, v) for k in request.GET for v in request.GET.getlist(k) if k not in ("tab", "state", "page") and v
    ]
    return {key: "?" + urlencode([*kept, ("tab", key)]) for key in TABS}


@registry_page
def need_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    filters = queue_filter(request)
    sort = sort_from(request, QUEUE_SORTS, DEFAULT_SORT)
    query = search_text(request)
    page = paginate(request, listed(request, filters, now=now))
    counts = tab_counts(user, now=now)
    links = _tab_links(request)
    context = {
        "filters": filters,
        "query": query,
        "sort": sort,
        "page": page,
        "rows": with_due(page.object_list, now),
        "tabs": [(key, label, counts.get(key, 0), links[key]) for key, (label, _states) in TABS.items()],
        "tab": filters.current_tab,
        "may_dispatch": is_dispatcher(user),
        "may_enter": entry_communities(user).exists(),
        "may_export": is_dispatcher(user),
    }
    return render(request, "registry/needs/queue.html", context)


@require_POST  # carries the search, like the other exports
@registry_page
def need_export(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return export_needs(request, listed(request, queue_filter(request), now=now), now=now)

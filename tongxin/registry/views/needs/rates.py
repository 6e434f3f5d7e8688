"""诉求统计: response, on-time, resolution, satisfaction and bounce rates for a territory node
and each of its children over a period, from tongxin.needs.rates (helper "rates"); a table, a
bar chart of the same numbers, and the table as Excel."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import Action, visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs import policies
from tongxin.needs.rates import need_rates, need_rates_by_child
from tongxin.territory.models import Territory, TerritoryLevel

from ...access import registry_page
from ...exports import workbook_response
from ...forms import territory_choices
from .common import NOT_FOUND

RATE_FIELDS = (
    ("response_rate", N_("响应率")),
    ("on_time_rate", N_("按时办结率")),
    ("resolution_rate", N_("办结率")),
    ("satisfaction_rate", N_("满意率")),
    ("bounce_rate", N_("退单率")),
)
COUNT_FIELDS = (
    ("submitted", N_("诉求数")),
    ("accepted", N_("受理数")),
    ("resolved", N_("办结数")),
    ("rated", N_("评价数")),
    ("bounced", N_("退单数")),
)
NODE_LEVELS = (
    TerritoryLevel.DISTRICT,
    TerritoryLevel.STREET,
    TerritoryLevel.TOWN,
    TerritoryLevel.COMMUNITY,
    TerritoryLevel.VILLAGE,
)
PERIODS = [
    ("this_month", N_("本月")),
    ("last_month", N_("上月")),
    ("this_year", N_("今年")),
    ("custom", N_("自定义")),
]
MAX_DAYS = 3 * 366


class RatesForm(forms.Form):
    node = forms.ChoiceField(label=N_("属地"), required=False)
    period = forms.ChoiceField(label=N_("时间段"), required=False, choices=PERIODS)
    since = forms.DateField(label=N_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=N_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, nodes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = nodes
        self.fields["node"].choices = territory_choices(nodes, levels=NODE_LEVELS)[1:]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == "custom":
            since, until = data.get("since"), data.get("until")
            if since is None or until is None:
                self.add_error("since", _("请填写开始和结束日期。"))
            elif until < since:
                self.add_error("until", _("结束日期不能早于开始日期。"))
            elif (until - since).days > MAX_DAYS:
                self.add_error("until", _("时间段最长三年。"))
        return data


def period_range(period: str, today: date, since: date | None, until: date | None) -> tuple[date, date]:
    """First and last day (both included) of the period."""
    if period == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if period == "this_year":
        return today.replace(month=1, day=1), today
    if period == "custom" and since and until:
        return since, until
    return today.replace(day=1), today


@dataclass(frozen=True)
class RatesView:
    node: Territory
    start: date
    end: date
    total: Any
    children: list[tuple[Territory, Any]]


def _nodes(user: Any) -> Any:
    roots = policies.staff_roots(user, Action.VIEW)
    if not roots:
        raise NotFoundOrForbidden(_(NOT_FOUND))
    return visible(user, Territory).filter(level__in=NODE_LEVELS)


def _compute(request: HttpRequest, source: Any) -> tuple[RatesForm, RatesView | None]:
    nodes = _nodes(request.user)
    form = RatesForm(source or None, nodes=nodes)
    default_node = nodes.order_by("depth", "path").first()
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        # A node or period that is not a choice is ignored like any garbled filter; a custom
        # period typed wrong is shown at its field.
        if "since" in form.errors or "until" in form.errors:
            return form, None
        data = form.cleaned_data
    node = nodes.filter(pk=data.get("node") or default_node.pk).first() or default_node
    today = timezone.localdate()
    start, end = period_range(data.get("period") or "this_month", today, data.get("since"), data.get("until"))
    # The selectors take [start, end); the page's period includes its last day.
    until = end + timedelta(days=1)
    total = need_rates(territory=node, start=start, end=until)
    children = need_rates_by_child(territory=node, start=start, end=until)
    return form, RatesView(node=node, start=start, end=end, total=total, children=list(children))


def _chart(view: RatesView) -> dict[str, Any]:
    """The node and those of its children that had needs: a community's grids hold none (needs
    are filed at the community), and empty bars say nothing."""
    rows = [(view.node, view.total), *[(t, r) for t, r in view.children if r.submitted]]
    return {
        "names": [t.name for t, _r in rows],
        "series": [
            {"name": str(label), "data": [_pct(getattr(r, key)) for _t, r in rows]}
            for key, label in RATE_FIELDS
        ],
    }


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


@registry_page
def need_rates_page(request: HttpRequest) -> HttpResponse:
    form, view = _compute(request, request.GET)
    context = {
        "form": form,
        "view": view,
        "rate_fields": RATE_FIELDS,
        "count_fields": COUNT_FIELDS,
        "chart": _chart(view) if view else None,
        "node_levels": NODE_LEVELS,
    }
    return render(request, "registry/needs/rates.html", context)


@require_POST
@registry_page
def need_rates_export(request: HttpRequest) -> HttpResponse:
    _form, view = _compute(request, request.POST)
    if view is None:
        raise NotFoundOrForbidden(_(NOT_FOUND))
    headers = [N_("属地"), *[label for _k, label in COUNT_FIELDS], *[label for _k, label in RATE_FIELDS]]

    def row(t: Territory, r: Any) -> list[Any]:
        return [
            t.name,
            *[getattr(r, k) for k, _l in COUNT_FIELDS],
            *[("" if getattr(r, k) is None else f"{getattr(r, k) * 100:.1f}%") for k, _l in RATE_FIELDS],
        ]

    rows = [row(view.node, view.total), *[row(t, r) for t, r in view.children]]
    response, count = workbook_response(
        filename=_("诉求统计") + f"-{view.node.name}-{view.start:%Y%m%d}-{view.end:%Y%m%d}",
        title=_("诉求统计"),
        headers=headers,
        rows=rows,
        text_columns=set(),
    )
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type="needs.need",
        object_repr=f"诉求统计 × {count}",
        detail={
            "rows": count,
            "node": view.node.pk,
            "start": view.start.isoformat(),
            "end": view.end.isoformat(),
        },
    )
    return response

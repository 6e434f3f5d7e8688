"""The five rates of 接诉即办 per territory node and period: selectors that the assessment
(责任制考核) will reuse, so each figure is defined here once.

Which needs count
    The needs *submitted* in the period [start, end) (dates, local time: from start 00:00 up to but
    not including end 00:00), whose community lies in the node's subtree (materialised path prefix,
    tongxin.core.trees). A need counts in the period it was submitted in, whatever happened to it
    later, as the 12345 hotline's monthly reports count work orders by their intake month; a need
    still open at the end of a month therefore lowers that month's resolution rate until it is
    resolved, and the figures of a past month settle as its needs are finished.

The counts (NeedRates fields)
    submitted          needs submitted in the period
    accepted           needs answered at intake (受理): accepted, or returned with a reason (退回)
    returned           of these, returned
    responded_on_time  answered by accept_due_at (a need without a deadline counts as on time)
    handling           accepted (accepted_at set) and not withdrawn by the resident or merged into
                       another need: the needs the handlers owe a result
    resolved           of these, resolved or later (办结, 回访, 归档; a reopened need is not)
    resolved_on_time   resolved by resolve_due_at (a need without a deadline counts as on time)
    rated              resolved needs the resident rated (回访 1–5)
    satisfied          rated 4 or 5 (满意 / 非常满意)
    dispatched         needs dispatched (派单) at least once
    bounced            needs bounced (退单) at least once

The rates (None when the denominator is 0: "no data" is not "0 %")
    response_rate      受理及时率  responded_on_time / accepted
    on_time_rate       办结及时率  resolved_on_time / resolved
    resolution_rate    解决率      resolved / handling
    satisfaction_rate  满意率      satisfied / rated
    bounce_rate        退单率      bounced / dispatched

Beijing's 接诉即办 assesses 响应率, 解决率 and 满意率; its 响应率 is the share of work orders
answered in time, which is our response rate. The hotline's 办结及时率 and 退单率 complete the set.

need_rates_by_child computes every child of a node in ONE grouped query: the needs of the subtree
grouped by the first len(child path) characters of their community's path, i.e. by child."""

from dataclasses import dataclass, fields
from datetime import date, datetime, time

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from tongxin.core.trees import subtree_range
from tongxin.territory.models import Territory

from .models import EventKind, Need, NeedEvent, Status

COUNT_FIELDS = (
    "submitted",
    "accepted",
    "returned",
    "responded_on_time",
    "handling",
    "resolved",
    "resolved_on_time",
    "rated",
    "satisfied",
    "dispatched",
    "bounced",
)
SATISFIED_MIN_RATING = 4


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class NeedRates:
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    responded_on_time: int = 0
    handling: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    dispatched: int = 0
    bounced: int = 0

    @property
    def response_rate(self) -> float | None:
        return _ratio(self.responded_on_time, self.accepted)

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.resolved_on_time, self.resolved)

    @property
    def resolution_rate(self) -> float | None:
        return _ratio(self.resolved, self.handling)

    @property
    def satisfaction_rate(self) -> float | None:
        return _ratio(self.satisfied, self.rated)

    @property
    def bounce_rate(self) -> float | None:
        return _ratio(self.bounced, self.dispatched)


assert tuple(f.name for f in fields(NeedRates)) == COUNT_FIELDS


def _returned_q() -> Q:
    # Returned needs are never accepted; a returned need may since have been archived.
    return Q(accepted_at__isnull=True, status__in=(Status.RETURNED, Status.ARCHIVED))


def _event(kind: str, **extra: object) -> Exists:
    return Exists(NeedEvent.objects.filter(need_id=OuterRef("pk"), kind=kind, **extra))


def _aggregates() -> dict[str, Count]:
    """Conditional counts over the needs, one per NeedRates field. The event look-ups (was it
    dispatched, when was it returned) are EXISTS over the need's events: the need row alone does
    not keep them (a bounce clears the assignee, a return has no timestamp of its own)."""
    accepted = Q(accepted_at__isnull=False)
    returned = _returned_q()
    no_accept_due = Q(accept_due_at__isnull=True)
    accepted_on_time = accepted & (no_accept_due | Q(accepted_at__lte=F("accept_due_at")))
    returned_on_time = returned & (
        no_accept_due | Q(_event(EventKind.RETURN, at__lte=OuterRef("accept_due_at")))
    )
    handling = accepted & ~Q(status__in=(Status.WITHDRAWN, Status.MERGED))
    resolved = handling & Q(resolved_at__isnull=False)
    conditions: dict[str, Q | None] = {
        "submitted": None,
        "accepted": accepted | returned,
        "returned": returned,
        "responded_on_time": accepted_on_time | returned_on_time,
        "handling": handling,
        "resolved": resolved,
        "resolved_on_time": resolved
        & (Q(resolve_due_at__isnull=True) | Q(resolved_at__lte=F("resolve_due_at"))),
        "rated": resolved & Q(rating__isnull=False),
        "satisfied": resolved & Q(rating__gte=SATISFIED_MIN_RATING),
        "dispatched": Q(_event(EventKind.DISPATCH)),
        "bounced": Q(bounce_count__gt=0),
    }
    return {name: Count("pk", filter=condition) for name, condition in conditions.items()}


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end 00:00) in the site's time zone (Asia/Shanghai)."""
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end, time.min, tzinfo=zone)


def needs_in_period(*, territory: Territory, start: date, end: date) -> QuerySet[Need]:
    """The needs a node's rates count: submitted in [start, end) in a community of its subtree."""
    since, until = period_bounds(start, end)
    return Need.objects.filter(
        community__path__range=subtree_range(territory.path), submitted_at__gte=since, submitted_at__lt=until
    ).order_by()


def _rates(row: dict[str, int]) -> NeedRates:
    return NeedRates(**{name: int(row.get(name) or 0) for name in COUNT_FIELDS})


def need_rates(*, territory: Territory, start: date, end: date) -> NeedRates:
    """The five rates of one node over a period (see the module docstring for the definitions)."""
    row = needs_in_period(territory=territory, start=start, end=end).aggregate(**_aggregates())
    return _rates(row)


def need_rates_by_child(*, territory: Territory, start: date, end: date) -> list[tuple[Territory, NeedRates]]:
    """The rates of each child of the node (in tree order), children without needs included, in
    one grouped query: a child's subtree is every path starting with the child's path, and all
    children's paths have the same length, so the group key is that prefix of the community's path."""
    children = list(Territory.objects.get_children(territory).order_by("path"))
    if not children:
        return []
    prefix_length = len(territory.path) + Territory.steplen
    rows = (
        needs_in_period(territory=territory, start=start, end=end)
        .annotate(child_path=Substr("community__path", 1, prefix_length))
        .values("child_path")
        .annotate(**_aggregates())
        .order_by()
    )
    by_path = {row["child_path"]: _rates(row) for row in rows}
    return [(child, by_path.get(child.path, NeedRates())) for child in children]

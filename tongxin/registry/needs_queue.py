"""The staff work queue of needs (诉求工作台): the filters above it, the rows it lists, and the
due column in words. Built on tongxin.needs.selectors.need_list_for_scope, so the queue never
shows a need the account may not see, whatever the filters say."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_

from tongxin.core.trees import subtree_q
from tongxin.core.validators import parse_row_id
from tongxin.needs import deadlines, policies
from tongxin.needs.categories import CATEGORIES
from tongxin.needs.models import Channel, Need, NeedCategory
from tongxin.needs.models import Status as S
from tongxin.needs.selectors import need_list_for_scope
from tongxin.territory.models import Territory
from tongxin.workdays.calendar import WorkCalendar, work_calendar
from tongxin.workdays.policy import DueState

from .filters import ALL, ListFilter
from .forms import territory_choices

# The statuses whose clock runs: acceptance while submitted, handling after that.
ACCEPT_CLOCK = frozenset({S.SUBMITTED})
HANDLING_CLOCK = frozenset({S.ACCEPTED, S.DISPATCHED, S.CLAIMED, S.IN_PROGRESS})
# 待我处理: what waits for the dispatcher's hand — new needs to accept and accepted ones to
# dispatch, bounced-back ones included (a bounce returns the need to 已受理).
MINE = (S.SUBMITTED, S.ACCEPTED)
HANDLING = (S.DISPATCHED, S.CLAIMED, S.IN_PROGRESS)

TABS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "mine": (N_("待我处理"), MINE),
    "submitted": (N_("待受理"), (S.SUBMITTED,)),
    "accepted": (N_("待派单"), (S.ACCEPTED,)),
    "handling": (N_("办理中"), HANDLING),
    "overdue": (N_("已超期"), (S.SUBMITTED, S.ACCEPTED, *HANDLING)),
    "resolved": (N_("待回访"), (S.RESOLVED,)),
    "open": (N_("未办结"), (S.SUBMITTED, S.ACCEPTED, *HANDLING)),
    "all": (N_("全部"), ()),
}
DEFAULT_TAB = "mine"
NO_PLACE = "-"

DUE_CHOICES = [
    ALL,
    (DueState.URGE.value, N_("临期")),
    (DueState.OVERDUE.value, N_("已超期")),
    (DueState.ESCALATE.value, N_("已上报")),
]

# Whitelisted sorting (tongxin.registry.listing.sort_from); `due_at` is annotated by queue_rows.
QUEUE_SORTS = {
    "submitted": ("submitted_at",),
    "due": ("due_at",),
    "urgency": ("-urgent", "due_at"),
}
DEFAULT_SORT = "-submitted"


def due_at_expression() -> Case:
    """The deadline of whichever clock is running; none once the need is resolved or closed."""
    return Case(
        When(status__in=list(ACCEPT_CLOCK), then=F("accept_due_at")),
        When(status__in=list(HANDLING_CLOCK), then=F("resolve_due_at")),
        default=None,
    )


def due_filter_q(state: str, now: datetime) -> Q:
    """Needs in a due state (临期 / 已超期 / 已上报), as tongxin.needs.deadlines decides."""
    return deadlines.due_q(state, now)


def overdue_q(now: datetime) -> Q:
    return due_filter_q(DueState.OVERDUE, now) | due_filter_q(DueState.ESCALATE, now)


class NeedQueueFilter(ListFilter):
    """The queue's filters. A tab picks a set of statuses; ticking statuses overrides the tab."""

    tab = forms.ChoiceField(
        required=False, choices=[(k, v[0]) for k, v in TABS.items()], widget=forms.HiddenInput
    )
    state = forms.MultipleChoiceField(
        label=N_("状态"),
        required=False,
        choices=S.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    category = forms.ChoiceField(label=N_("类别"), required=False)
    urgent = forms.ChoiceField(
        label=N_("紧急"), required=False, choices=[ALL, ("yes", N_("紧急")), ("no", N_("不紧急"))]
    )
    due = forms.ChoiceField(label=N_("时限"), required=False, choices=DUE_CHOICES)
    territory = forms.ChoiceField(label=N_("属地"), required=False)
    channel = forms.ChoiceField(label=N_("来源"), required=False, choices=[ALL, *Channel.choices])
    place = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    since = forms.DateField(
        label=N_("提交日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(label=N_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = territories
        self.fields["category"].choices = [ALL, *_category_choices()]  # type: ignore[attr-defined]
        self.fields["territory"].choices = [ALL, *territory_choices(territories)[1:]]  # type: ignore[attr-defined]

    @property
    def current_tab(self) -> str:
        v = self.values()
        if v.get("state"):
            return ""
        return str(v.get("tab") or DEFAULT_TAB)

    @property
    def active(self) -> bool:
        """A filter beyond the tab (the tab is a view, not a narrowing the user must clear)."""
        return any(k != "tab" and value for k, value in self.values().items())

    def apply(self, needs: QuerySet[Need], *, now: datetime) -> QuerySet[Need]:
        v = self.values()
        states = v.get("state") or list(TABS[self.current_tab][1])
        if states:
            needs = needs.filter(status__in=states)
        if self.current_tab == "overdue" and not v.get("state"):
            needs = needs.filter(overdue_q(now))
        if "category" in v:
            needs = needs.filter(category_id=v["category"])
        if "urgent" in v:
            needs = needs.filter(urgent=v["urgent"] == "yes")
        if "due" in v:
            needs = needs.filter(due_filter_q(v["due"], now))
        if "territory" in v:
            place = self.places.filter(pk=v["territory"]).first()
            if place is None:  # not a place the account may see: nothing, not everything
                return needs.none()
            needs = needs.filter(subtree_q([place.path], field="community__path"))
        if "channel" in v:
            needs = needs.filter(channel=v["channel"])
        if "place" in v:
            # "-" is the location view's link to the needs entered without a building.
            needs = needs.filter(place="" if v["place"] == NO_PLACE else v["place"])
        tz = timezone.get_current_timezone()
        if "since" in v:
            needs = needs.filter(submitted_at__gte=datetime.combine(v["since"], time.min, tz))
        if "until" in v:
            needs = needs.filter(
                submitted_at__lt=datetime.combine(v["until"] + timedelta(days=1), time.min, tz)
            )
        return needs


def _category_choices() -> list[tuple[str, str]]:
    names = dict(NeedCategory.objects.values_list("code", "name"))
    return [(code, names.get(code, name)) for code, name in CATEGORIES]


def search_needs(needs: QuerySet[Need], query: str) -> QuerySet[Need]:
    """A number finds that need (编号); words search the text and the place."""
    query = query.strip().lstrip("#").removeprefix("编号")
    if not query:
        return needs
    if query.isdigit():  # a number, though perhaps not one a need can have ("²", 13 digits)
        pk = parse_row_id(query)
        return needs.filter(pk=pk) if pk is not None else needs.none()
    return needs.filter(Q(text__icontains=query) | Q(place__icontains=query))


def queue_rows(user: Any, filters: NeedQueueFilter, query: str, *, now: datetime) -> QuerySet[Need]:
    rows = need_list_for_scope(user).annotate(due_at=due_at_expression())
    return filters.apply(search_needs(rows, query), now=now)


def waiting_count(user: Any) -> int:
    """The navigation's badge: needs waiting for this account as a dispatcher (待受理 + 待派单)
    in the communities it runs. Accounts that dispatch nothing see no badge."""
    roots = policies.staff_roots(user)
    if not roots:
        return 0
    return (
        Need.objects.filter(
            policies.visible_q(user), subtree_q(roots, field="community__path"), status__in=MINE
        )
        .order_by()
        .count()
    )


def tab_counts(user: Any, *, now: datetime) -> dict[str, int]:
    """How many needs each tab holds, in one query (the overdue tab's condition is a filter)."""
    base = need_list_for_scope(user).order_by()
    aggregates = {
        key: Count("pk", filter=Q(status__in=list(states)) if states else Q())
        for key, (_label, states) in TABS.items()
        if key != "overdue"
    }
    aggregates["overdue"] = Count("pk", filter=overdue_q(now))
    return base.aggregate(**aggregates)  # type: ignore[no-any-return]


# --- The due column ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    state: str  # a DueState value, or "" when no clock runs
    words: str  # 还剩3小时 / 超期2个工作日
    css: str  # a Bootstrap text-bg class

    @property
    def label(self) -> str:
        return str(DueState(self.state).label) if self.state else ""


CSS = {
    DueState.ON_TIME: "text-bg-light border",
    DueState.URGE: "text-bg-warning",
    DueState.OVERDUE: "text-bg-danger",
    DueState.ESCALATE: "text-bg-dark",
}


def running_due_at(need: Need) -> datetime | None:
    if need.status in ACCEPT_CLOCK:
        return need.accept_due_at
    if need.status in HANDLING_CLOCK:
        return need.resolve_due_at
    return None


def due_words(due_at: datetime, now: datetime, calendar: WorkCalendar) -> str:
    """Within a working day, hours (minutes in the last hour); beyond, working days, as the
    deadline rules count them."""
    late = now > due_at
    gap = (now - due_at) if late else (due_at - now)
    days = abs(calendar.workdays_between(now, due_at))
    if days >= 1 and gap >= timedelta(hours=24):
        return (_("超期%(n)d个工作日") if late else _("还剩%(n)d个工作日")) % {"n": days}
    hours = int(gap.total_seconds() // 3600)
    if hours >= 1:
        return (_("超期%(n)d小时") if late else _("还剩%(n)d小时")) % {"n": hours}
    minutes = max(1, int(gap.total_seconds() // 60))
    return (_("超期%(n)d分钟") if late else _("还剩%(n)d分钟")) % {"n": minutes}


def due_of(need: Need, now: datetime, calendar: WorkCalendar | None = None) -> Due | None:
    due_at = running_due_at(need)
    if due_at is None:
        return None
    state = str(deadlines.due_state_of(need, now) or DueState.ON_TIME)
    words = due_words(due_at, now, calendar or work_calendar())
    return Due(state=state, words=words, css=CSS.get(DueState(state), "text-bg-light border"))


def with_due(needs: Any, now: datetime) -> list[tuple[Need, Due | None]]:
    calendar = work_calendar()
    return [(n, due_of(n, now, calendar)) for n in needs]

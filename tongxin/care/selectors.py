"""Reads of the care registry: the staff list with its filters, the coverage per community, a
visitor's subjects and visit history. Each starts from the policy's queryset (policies.py)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from tongxin.core.validators import parse_row_id
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from . import policies
from .models import CareAssignment, CareSubject, CareVisit, Kind


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    kind: int | None = None
    community: int | None = None
    visitor: int | None = None
    overdue: bool = False
    closed: bool = False  # the closed records instead of the active ones

    def as_audit(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None, False)}


def _int(raw: str | None) -> int | None:
    """A number from the query string: ASCII digits only ("²" is a digit to str.isdigit())."""
    return parse_row_id(raw)


def parse_filters(params: Any) -> ListFilters:
    kind = _int(params.get("kind"))
    return ListFilters(
        q=(params.get("q") or "").strip()[:50],
        kind=kind if kind in Kind.values else None,
        community=_int(params.get("community")),
        visitor=_int(params.get("visitor")),
        overdue=params.get("overdue") == "1",
        closed=params.get("status") == "closed",
    )


def with_open_visitors(subjects: QuerySet[CareSubject], today: date) -> QuerySet[CareSubject]:
    return subjects.prefetch_related(
        Prefetch(
            "assignments",
            queryset=policies.open_assignments(today).select_related("visitor").order_by("since", "pk"),
            to_attr="open_assignments",
        )
    )


def subject_list(user: Any, filters: ListFilters, *, today: date) -> QuerySet[CareSubject]:
    """The registry in the account's scope, narrowed by the filters; overdue first among the
    active, then by name."""
    rows = policies.staff_subjects(user).filter(active=not filters.closed)
    if filters.q:
        rows = rows.filter(person__name__icontains=filters.q)
    if filters.kind:
        rows = rows.alias(kind_hit=F("kind_bits").bitand(filters.kind)).filter(kind_hit__gt=0)
    if filters.community:
        rows = rows.filter(community_id=filters.community)
    if filters.visitor:
        rows = rows.filter(
            pk__in=policies.open_assignments(today).filter(visitor_id=filters.visitor).values("subject_id")
        )
    if filters.overdue:
        rows = rows.filter(due_on__lt=today)
    order = (
        ("-closed_at", "person__name_sort", "pk") if filters.closed else ("due_on", "person__name_sort", "pk")
    )
    return rows.select_related("person", "community").order_by(*order)


def overdue_count(user: Any, today: date) -> int:
    return policies.staff_subjects(user).filter(active=True, due_on__lt=today).count()


@dataclass(frozen=True)
class CoverageRow:
    community_id: int
    name: str
    total: int
    overdue: int

    @property
    def on_time(self) -> int:
        return self.total - self.overdue

    @property
    def on_time_pct(self) -> int:
        return round(100 * self.on_time / self.total) if self.total else 0

    @property
    def overdue_pct(self) -> int:
        return 100 - self.on_time_pct if self.total else 0


def coverage(user: Any, today: date) -> list[CoverageRow]:
    """Active subjects per community of the scope: how many are visited on time, how many overdue."""
    rows = (
        policies.staff_subjects(user)
        .filter(active=True)
        .order_by()
        .values("community_id", "community__name", "community__path")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("community__path")
    )
    return [CoverageRow(r["community_id"], r["community__name"], r["total"], r["overdue"]) for r in rows]


def scope_communities(user: Any, action: Any = None) -> QuerySet[Territory]:
    from tongxin.accounts.policies import Action
    from tongxin.core.trees import subtree_q

    roots = policies.staff_roots(user, action or Action.VIEW)
    return Territory.objects.filter(subtree_q(roots), level__in=COMMUNITY_LEVELS).order_by("path")


def scope_visitors(user: Any, today: date) -> QuerySet[Person]:
    """Persons assigned today to a subject in the account's scope (the visitor filter)."""
    subjects = policies.staff_subjects(user).filter(active=True).values("pk")
    ids = policies.open_assignments(today).filter(subject_id__in=subjects).values("visitor_id")
    return Person.objects.filter(pk__in=ids).order_by("name_sort", "pk")


def subject_visits(subject: CareSubject) -> QuerySet[CareVisit]:
    return subject.visits.select_related("visitor").order_by("-visited_at", "-pk")


def subject_assignments(subject: CareSubject) -> QuerySet[CareAssignment]:
    return subject.assignments.select_related("visitor").order_by(F("until").desc(nulls_first=True), "-since")


def my_subjects(user: Any, today: date) -> QuerySet[CareSubject]:
    """A visitor's subjects, the most overdue first."""
    return (
        policies.visitor_subjects(user, today).select_related("person", "community").order_by("due_on", "pk")
    )


def my_visits(user: Any, today: date) -> QuerySet[CareVisit]:
    """A visitor's own visits to the subjects they visit now (an open assignment, an active
    subject, the visitor still a member or an active volunteer): once that ends, the subject's
    name and the notes of past visits are no longer theirs to see."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return CareVisit.objects.none()
    current = policies.visitor_subjects(user, today).values("pk")
    return (
        CareVisit.objects.filter(visitor_id=person_id, subject_id__in=current)
        .select_related("subject__person")
        .order_by("-visited_at", "-pk")
    )

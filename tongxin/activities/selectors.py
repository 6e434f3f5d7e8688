"""Reads for activities: the organiser's list, the phone list, a slot's places, my activities."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from tongxin.people.models import Person
from tongxin.records.services import current_records

from .models import CATEGORY_BIT, Activity, SignUp, SignUpStatus, Slot, Status, Subscription
from .policies import organised_by


def staff_activities(
    user: Any, *, query: str = "", status: str = "", category: str = ""
) -> QuerySet[Activity]:
    rows = organised_by(user)
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(venue__icontains=query))
    if status in Status.values:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    return (
        rows.select_related("organization", "territory", "unit", "team", "community")
        .annotate(first_start=Min("slots__starts_at"), slot_count=Count("slots", distinct=True))
        .order_by("-created_at", "-pk")
    )


def slots_with_counts(activity: Activity) -> QuerySet[Slot]:
    return activity.slots.annotate(
        confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
        waitlisted=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED)),
        checked_in=Count("signups", filter=Q(signups__checked_in_at__isnull=False)),
    ).order_by("starts_at", "pk")


def phone_activities(
    *, now: datetime, category: str = "", community_id: int | None = None, person: Person | None = None
) -> QuerySet[Activity]:
    """Published activities with a slot yet to start, soonest first. With `person`: only those
    matching her subscription (its categories in its communities)."""
    upcoming = Slot.objects.filter(activity=OuterRef("pk"), starts_at__gt=now)
    rows = Activity.objects.filter(Exists(upcoming), status=Status.PUBLISHED)
    if category:
        rows = rows.filter(category=category)
    if community_id:
        rows = rows.filter(community_id=community_id)
    if person is not None:
        sub = Subscription.objects.filter(person=person).first()
        if sub is None or not sub.category_bits:
            return Activity.objects.none()
        cats = [c for c, bit in CATEGORY_BIT.items() if sub.category_bits & bit]
        rows = rows.filter(category__in=cats, community__in=sub.communities.all())
    return (
        rows.select_related("community", "organization", "territory", "unit", "team")
        .annotate(next_start=Min("slots__starts_at", filter=Q(slots__starts_at__gt=now)))
        .order_by("next_start", "pk")
    )


@dataclass
class MyActivities:
    upcoming: list[SignUp]
    waitlisted: list[SignUp]
    past: list[SignUp]


PAST_LIMIT = 50


def my_activities(person: Person, *, now: datetime) -> MyActivities:
    rows = SignUp.objects.filter(person=person).select_related("slot__activity").order_by("slot__starts_at")
    upcoming = list(
        rows.filter(status=SignUpStatus.CONFIRMED, slot__ends_at__gt=now, checked_out_at__isnull=True)
    )
    waitlisted = list(rows.filter(status=SignUpStatus.WAITLISTED, slot__starts_at__gt=now))
    past = list(
        rows.filter(
            Q(slot__ends_at__lte=now) | Q(checked_out_at__isnull=False),
            status__in=(SignUpStatus.CONFIRMED, SignUpStatus.NO_SHOW),
        ).order_by("-slot__starts_at")[:PAST_LIMIT]
    )
    return MyActivities(upcoming=upcoming, waitlisted=waitlisted, past=past)


def places_left(slot: Slot) -> int:
    taken = SignUp.objects.filter(slot=slot, status=SignUpStatus.CONFIRMED).count()
    return max(0, slot.capacity - taken)


def roster(slot: Slot) -> QuerySet[SignUp]:
    """Everyone on the slot's list except the cancelled: confirmed first, the waiting list in order;
    `recorded_minutes` is what the record in force says (it may have been corrected in the records
    pages since), else the sign-up's own figure."""
    in_force = (
        current_records()
        .filter(source=Concat(Value("signup:"), Cast(OuterRef("pk"), output_field=CharField())))
        .order_by("-pk")
        .values("minutes")[:1]
    )
    return (
        SignUp.objects.filter(slot=slot)
        .exclude(status=SignUpStatus.CANCELLED)
        .select_related("person")
        .annotate(
            waiting=Case(When(status=SignUpStatus.WAITLISTED, then=Value(1)), default=Value(0)),
            recorded_minutes=Coalesce(Subquery(in_force), F("minutes"), output_field=IntegerField()),
        )
        .order_by("waiting", F("waitlisted_at").asc(nulls_first=True), "person__name_sort", "pk")
    )

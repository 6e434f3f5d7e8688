"""Reads of the rewards app: querysets with their joins done."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tongxin.matching.models import HelperProfile
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from . import policies
from .models import (
    BookingStatus,
    CatalogueItem,
    Redemption,
    RedemptionStatus,
    TimeBankBooking,
    TimeBankRelative,
)


def shop_items(*, now: Any) -> QuerySet[CatalogueItem]:
    """What a person may redeem today: on the shelf, not expired."""
    today = timezone.localdate(now)
    return (
        CatalogueItem.objects.filter(active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("unit", "community")
        .order_by("price", "pk")
    )


def items_for_staff(user: Any) -> QuerySet[CatalogueItem]:
    return (
        CatalogueItem.objects.filter(policies.items_q(user))
        .select_related("unit", "community")
        .annotate(
            issued=Count("redemptions", filter=Q(redemptions__status=RedemptionStatus.ISSUED)),
            handed=Count("redemptions", filter=Q(redemptions__status=RedemptionStatus.HANDED_OVER)),
        )
        .order_by("-active", "name", "pk")
    )


def redemptions_for_staff(user: Any) -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(item__in=CatalogueItem.objects.filter(policies.items_q(user)).values("pk"))
        .select_related("item__unit", "item__community", "person", "handed_over_by")
        .order_by("-created_at", "-pk")
    )


def redemptions_of(person: Person) -> QuerySet[Redemption]:
    return Redemption.objects.filter(person=person).select_related("item__unit", "item__community")


def bookings_for_staff(user: Any) -> QuerySet[TimeBankBooking]:
    return (
        TimeBankBooking.objects.filter(policies.bookings_q(user))
        .select_related("beneficiary", "payer", "volunteer", "community")
        .order_by("-created_at", "-pk")
    )


def bookings_of(person: Person) -> QuerySet[TimeBankBooking]:
    """Bookings she is served by, pays for, or has taken as a volunteer."""
    return (
        TimeBankBooking.objects.filter(Q(beneficiary=person) | Q(payer=person) | Q(volunteer=person))
        .select_related("beneficiary", "volunteer", "community")
        .order_by("-created_at", "-pk")
    )


def volunteer_communities(person: Person) -> QuerySet[Territory]:
    """Where a volunteer serves (her helper profile), else the communities of her street."""
    profile = HelperProfile.objects.filter(person=person).first()
    if profile is not None and profile.communities.exists():
        return profile.communities.all()
    residence = person.residence
    if residence is None:
        return Territory.objects.none()
    street = residence.path[: 2 * Territory.steplen]
    return Territory.objects.filter(path__startswith=street, level__in=COMMUNITY_LEVELS)


def open_bookings_near(person: Person, *, now: Any) -> QuerySet[TimeBankBooking]:
    return (
        TimeBankBooking.objects.filter(
            status=BookingStatus.OPEN,
            wanted_at__gt=now,
            community__in=volunteer_communities(person).values("pk"),
        )
        .exclude(beneficiary=person)
        .select_related("community")
        .order_by("wanted_at", "pk")
    )


def relatives_of(person: Person) -> QuerySet[Person]:
    ids = TimeBankRelative.objects.filter(person=person).values("relative_id")
    return Person.objects.filter(pk__in=ids).order_by("name_sort", "pk")

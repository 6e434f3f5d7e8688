"""Who may manage what a unit or a community offers, and run its counter and bookings.

- An item offered by a unit: the unit's contacts and office staff whose grant covers the unit
  (accounts policy: Action.CHANGE on the unit).
- An item offered by a community, and the community's time-bank bookings: office staff whose
  territory grant covers the community."""

from typing import Any

from django.db.models import Q, QuerySet

from tongxin.accounts.policies import Action, visible
from tongxin.core.trees import is_within, subtree_q
from tongxin.needs.policies import COMMUNITY_LEVELS, staff_roots
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .models import CatalogueItem, TimeBankBooking


def managed_units(user: Any) -> QuerySet[Unit]:
    return visible(user, Unit, Action.CHANGE)


def managed_communities(user: Any) -> QuerySet[Territory]:
    roots = staff_roots(user)
    return Territory.objects.filter(subtree_q(roots), level__in=COMMUNITY_LEVELS).order_by("path")


def items_q(user: Any) -> Q:
    roots = staff_roots(user)
    q = Q(unit__in=managed_units(user).values("pk"))
    if roots:
        q |= subtree_q(roots, field="community__path")
    return q


def may_manage_offerer(user: Any, offerer: Unit | Territory) -> bool:
    if user is None:
        return True
    if isinstance(offerer, Unit):
        return managed_units(user).filter(pk=offerer.pk).exists()
    return offerer.level in COMMUNITY_LEVELS and is_within(offerer.path, staff_roots(user))


def may_manage_item(user: Any, item: CatalogueItem) -> bool:
    if user is None:
        return True
    return CatalogueItem.objects.filter(items_q(user), pk=item.pk).exists()


def has_catalogue_scope(user: Any) -> bool:
    return bool(staff_roots(user)) or managed_units(user).exists()


def bookings_q(user: Any) -> Q:
    roots = staff_roots(user)
    return subtree_q(roots, field="community__path") if roots else Q(pk__in=[])


def is_community_staff(user: Any, community: Territory) -> bool:
    if user is None:
        return True
    return is_within(community.path, staff_roots(user))


def booking_side(user: Any, booking: TimeBankBooking) -> bool:
    """The elderly person herself or whoever pays for her (a relative)."""
    person_id = getattr(user, "person_id", None)
    return person_id is not None and person_id in (booking.beneficiary_id, booking.payer_id)


def is_beneficiary(user: Any, booking: TimeBankBooking) -> bool:
    """The elderly person herself: she (or her community's staff) confirms a service done."""
    person_id = getattr(user, "person_id", None)
    return person_id is not None and person_id == booking.beneficiary_id

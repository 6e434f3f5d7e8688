"""The demo seeding goes through the services and leaves a consistent ledger."""

import pytest
from django.db.models import Sum

from conftest import NOW
from tongxin.ledger.models import Entry
from tongxin.records.models import ServiceRecord
from tongxin.rewards.demo import seed_rewards
from tongxin.rewards.models import BookingStatus, CatalogueItem, Redemption, TimeBankBooking

pytestmark = pytest.mark.django_db


def test_seed_rewards_makes_items_redemptions_transfers_and_bookings(rw) -> None:  # type: ignore[no-untyped-def]
    counts = seed_rewards(now=NOW, seed=1, scale=0.2)
    assert counts["reward items"] == CatalogueItem.objects.count() > 3
    assert counts["redemptions"] == Redemption.objects.count() >= 2
    assert counts["time-bank transfers"] >= 1
    assert counts["time-bank bookings"] >= 1
    for booking in TimeBankBooking.objects.filter(status=BookingStatus.DONE):
        assert ServiceRecord.objects.filter(source=f"booking:{booking.pk}").exists()
    assert Entry.objects.aggregate(total=Sum("amount"))["total"] == 0
    for item in CatalogueItem.objects.exclude(stock=None):
        assert item.stock >= 0

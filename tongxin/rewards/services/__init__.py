"""Writes of the rewards app: the catalogue, redemptions at the counter, and the time bank."""

from .catalogue import ItemData, item_save
from .errors import CatalogueError, NoSuchRelative, RedemptionError, RewardsError, TimeBankError
from .redemption import redemption_cancel, redemption_create, redemption_hand_over
from .timebank import (
    booking_cancel,
    booking_complete,
    booking_create,
    booking_take,
    credits_donate,
    credits_transfer,
    format_credits,
    relative_find,
)

__all__ = [
    "CatalogueError",
    "ItemData",
    "NoSuchRelative",
    "RedemptionError",
    "RewardsError",
    "TimeBankError",
    "booking_cancel",
    "booking_complete",
    "booking_create",
    "booking_take",
    "credits_donate",
    "credits_transfer",
    "format_credits",
    "item_save",
    "redemption_cancel",
    "redemption_create",
    "redemption_hand_over",
    "relative_find",
]

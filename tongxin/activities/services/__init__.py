"""Writes for activities: keyword-only services taking `by` (who) and `now` (when)."""

from .activity import (
    ActivityData,
    SlotData,
    activity_cancel,
    activity_create,
    activity_finish,
    activity_publish,
    activity_update,
    slot_qr_renew,
)
from .attendance import (
    checkin_window,
    checkout_window,
    served_span,
    signup_adjust,
    signup_check_in,
    signup_check_out,
    signup_enter_paper,
    signup_mark_no_show,
    slot_confirm,
)
from .errors import ActivityError, QrExpired, QrInvalid
from .signup import NotEligible, cancel_deadline, signup_cancel, signup_create, waitlist_position
from .subscriptions import subscription_save

__all__ = [
    "ActivityData",
    "ActivityError",
    "NotEligible",
    "QrExpired",
    "QrInvalid",
    "SlotData",
    "activity_cancel",
    "activity_create",
    "activity_finish",
    "activity_publish",
    "activity_update",
    "cancel_deadline",
    "checkin_window",
    "checkout_window",
    "served_span",
    "signup_adjust",
    "signup_cancel",
    "signup_check_in",
    "signup_check_out",
    "signup_create",
    "signup_enter_paper",
    "signup_mark_no_show",
    "slot_confirm",
    "slot_qr_renew",
    "subscription_save",
    "waitlist_position",
]

"""Writes to the ledger: balanced postings, reversals, hours, points within caps, credits, and
the staff's rule settings and manual adjustments."""

from .admin import ledger_adjust, points_rule_update
from .errors import AlreadyReversed, InsufficientBalance, LedgerError, UnbalancedPosting
from .points import points_award, rule_account_code, used_points
from .postings import (
    CREDITS_ISSUED,
    HOURS_ISSUED,
    credits_earn,
    hours_record,
    person_account,
    posting_create,
    posting_reverse,
    source_reverse,
    system_account,
)

__all__ = [
    "CREDITS_ISSUED",
    "HOURS_ISSUED",
    "AlreadyReversed",
    "InsufficientBalance",
    "LedgerError",
    "UnbalancedPosting",
    "credits_earn",
    "hours_record",
    "ledger_adjust",
    "person_account",
    "points_award",
    "points_rule_update",
    "posting_create",
    "posting_reverse",
    "rule_account_code",
    "source_reverse",
    "system_account",
    "used_points",
]

"""Writes to needs: intake and one service per lifecycle step."""

from .annotate import need_reclassify, need_story_consent
from .errors import NeedAlreadyClaimed, NeedError, NeedNotAllowed, NeedTransitionNotAllowed
from .flow import (
    need_accept,
    need_archive,
    need_bounce,
    need_claim,
    need_dispatch,
    need_merge,
    need_reopen,
    need_resolve,
    need_return,
    need_start,
    need_visit,
    need_withdraw,
)
from .intake import need_submit
from .photos import need_attach_photos
from .reveal import need_phone_reveal

__all__ = [
    "NeedAlreadyClaimed",
    "NeedError",
    "NeedNotAllowed",
    "NeedTransitionNotAllowed",
    "need_accept",
    "need_archive",
    "need_attach_photos",
    "need_bounce",
    "need_claim",
    "need_dispatch",
    "need_merge",
    "need_phone_reveal",
    "need_reclassify",
    "need_reopen",
    "need_resolve",
    "need_return",
    "need_start",
    "need_story_consent",
    "need_submit",
    "need_visit",
    "need_withdraw",
]

"""Duplicate hints: while a resident types (and when staff review), the open needs of the same
community that look like the same problem (DESIGN.md §11, tongxin.insight.duplicates).

A hint must not leak what it is about: for a private need or one in a sensitive category the
excerpt is empty, and the page says only that a similar need is being handled; other excerpts are
anonymised (names and phone numbers; the building stays, it is how neighbours recognise it)."""

from dataclasses import dataclass
from datetime import datetime

from tongxin.core.validators import clean_text
from tongxin.territory.models import Territory

from .anonymise import anonymise
from .models import Need, Status
from .policies import is_sensitive
from .transitions import OPEN

# Shorter texts ("灯坏了") match half the community: no hint until there is something to compare.
MIN_TEXT = 8
# The newest open needs of a community are compared (all in one vectorisation): a busy
# community's older open needs are almost always already in someone's hands.
CANDIDATES = 200
EXCERPT = 40


@dataclass(frozen=True)
class DuplicateHint:
    need_pk: int
    text_excerpt: str  # "" for a private or sensitive need: show only that one exists
    score: float
    status_label: str
    submitted_at: datetime


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def need_duplicate_hints(
    *, community: Territory, text: str, exclude_pk: int | None = None, limit: int = 3
) -> list[DuplicateHint]:
    """Open needs in `community` that score as the same problem as `text`, best first."""
    text = clean_text(text or "")
    if len(text) < MIN_TEXT or limit <= 0:
        return []
    # scikit-learn is imported when a hint is asked for, not by every process importing the app.
    from tongxin.insight.duplicates import THRESHOLD, pair_scores

    candidates = Need.objects.filter(community=community, status__in=OPEN)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    candidates = candidates.only("pk", "text", "category_id", "private", "status", "submitted_at").order_by(
        "-submitted_at", "-pk"
    )[:CANDIDATES]
    needs = list(candidates)
    scores = pair_scores(text, [need.text for need in needs])
    scored = [(score, need) for score, need in zip(scores, needs, strict=True) if score >= THRESHOLD]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].submitted_at.timestamp(), -pair[1].pk))
    return [
        DuplicateHint(
            need_pk=need.pk,
            # Neighbours read the hint: names, phones and door numbers are masked there too.
            text_excerpt="" if is_sensitive(need) else _excerpt(anonymise(need.text, doors=False)),
            score=score,
            status_label=str(Status(need.status).label),
            submitted_at=need.submitted_at,
        )
        for score, need in scored[:limit]
    ]

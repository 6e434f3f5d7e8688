"""A community's "本月为民办事": what the public may read about its needs in one month.

What is shown (DESIGN.md §7, issue 4 part 7):
- counts of the needs received in the month (submitted in it), by category and by current state;
- how many were resolved in the month, and the average rating of those the residents rated;
- one line per need resolved in the month that is neither private nor in a sensitive category:
  a category-level phrase written here (never the resident's text, name, place or phone);
- the handler's account of what was done (the resolution) only where the resident recorded
  consent to a public story (Need.story_consent_at), and even then anonymised.
Needs that are private or in a sensitive category (the elderly, disability, children, hardship,
counselling, health) appear in the counts only."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.territory.models import Territory

from .anonymise import anonymise
from .categories import SENSITIVE_CATEGORIES
from .models import Need, NeedCategory, Status
from .policies import COMMUNITY_LEVELS

SUMMARY_LIMIT = 30

# What the public reads for a resolved need of each non-sensitive category: about the kind of
# help, never about the person or the place.
CATEGORY_PHRASES = {
    "legal": _("为居民提供了一次法律咨询或纠纷调解"),
    "property": _("协调解决了一件小区居住环境方面的问题"),
    "facility": _("推动修复了一处公共设施"),
    "safety": _("消除了一处平安或消防隐患"),
    "employment": _("为居民提供了一次就业创业帮助"),
    "culture": _("支持了一项文体或学习活动"),
    "policy": _("帮助居民办理或解答了一件政策事项"),
    "other": _("回应了居民的一条意见建议"),
}
assert not set(CATEGORY_PHRASES) & SENSITIVE_CATEGORIES


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class PublicSummary:
    category: str
    phrase: str
    story: str  # anonymised resolution, only with the resident's consent; else ""


@dataclass(frozen=True)
class PublicMonth:
    community: Territory
    month: date  # the first day
    received: int
    by_category: list[Tally]
    by_state: list[Tally]
    resolved: int
    rated: int
    average_rating: float | None
    summaries: list[PublicSummary]
    more_summaries: int  # resolved public needs beyond SUMMARY_LIMIT


def month_bounds(month: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    first = month.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return datetime.combine(first, time.min, tzinfo=zone), datetime.combine(following, time.min, tzinfo=zone)


def public_community(pk: int) -> Territory:
    """A community or village by id; anything else is the same 404 as a missing one."""
    return get_object_or_404(Territory, pk=pk, level__in=COMMUNITY_LEVELS)


def _known_names(need: Need) -> list[str]:
    names = [need.caller_name]
    if need.person is not None:
        names.append(need.person.name)
    if need.assigned_person is not None:
        names.append(need.assigned_person.name)
    return names


def public_month(*, community: Territory, month: date) -> PublicMonth:
    since, until = month_bounds(month)
    needs = Need.objects.filter(community=community).order_by()
    received = needs.filter(submitted_at__gte=since, submitted_at__lt=until)
    names = dict(NeedCategory.objects.values_list("code", "name"))
    by_category = [
        Tally(label=names.get(row["category_id"], row["category_id"]), count=row["n"])
        for row in received.values("category_id").annotate(n=Count("pk")).order_by("-n", "category_id")
    ]
    states = dict(received.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_state = [Tally(label=str(s.label), count=states[s.value]) for s in Status if states.get(s.value)]
    # resolved_at is cleared when a need is reopened, so a reopened need no longer counts here.
    resolved = needs.filter(resolved_at__gte=since, resolved_at__lt=until)
    figures = resolved.aggregate(n=Count("pk"), rated=Count("rating"), average=Avg("rating"))
    shown = resolved.filter(private=False).exclude(category_id__in=SENSITIVE_CATEGORIES)
    summaries = [
        PublicSummary(
            category=names.get(need.category_id, need.category_id),
            phrase=str(CATEGORY_PHRASES.get(need.category_id, CATEGORY_PHRASES["other"])),
            story=anonymise(need.resolution, known_names=_known_names(need))
            if need.story_consent_at is not None and need.resolution
            else "",
        )
        for need in shown.select_related("person", "assigned_person").order_by("-resolved_at", "-pk")[
            :SUMMARY_LIMIT
        ]
    ]
    total_shown = shown.count() if len(summaries) == SUMMARY_LIMIT else len(summaries)
    return PublicMonth(
        community=community,
        month=month.replace(day=1),
        received=sum(t.count for t in by_category),
        by_category=by_category,
        by_state=by_state,
        resolved=figures["n"],
        rated=figures["rated"],
        average_rating=figures["average"],
        summaries=summaries,
        more_summaries=total_shown - len(summaries),
    )

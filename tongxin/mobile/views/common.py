"""What the needs pages share: finding a need the account may see (else the same 404 as a missing
one), the words and colours of a status, where a resident lives, and the suggestion box."""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from tongxin.accounts.phone_login import residence_community
from tongxin.needs import policies
from tongxin.needs.hints import DuplicateHint, need_duplicate_hints
from tongxin.needs.models import Need, NeedCategory, Status
from tongxin.people.models import Person
from tongxin.territory.models import Territory

if TYPE_CHECKING:
    from tongxin.insight.classifier import Suggestion

PAGE_SIZE = 10
# Below this many characters a guess at the category is noise; the box stays as it is.
SUGGEST_MIN = 4

# One colour family per stage the resident cares about: waiting, being handled, done, stopped.
TONES = {
    Status.SUBMITTED: "wait",
    Status.ACCEPTED: "wait",
    Status.DISPATCHED: "doing",
    Status.CLAIMED: "doing",
    Status.IN_PROGRESS: "doing",
    Status.RESOLVED: "done",
    Status.VISITED: "done",
    Status.ARCHIVED: "done",
    Status.RETURNED: "stop",
    Status.WITHDRAWN: "stop",
    Status.MERGED: "stop",
}
# The status in plain words: what happens next.
STATUS_HINTS = {
    Status.SUBMITTED: _("社区会在1个工作日内受理。"),
    Status.ACCEPTED: _("社区已收到,正在安排人办理。"),
    Status.DISPATCHED: _("已交给负责的单位或同志办理。"),
    Status.CLAIMED: _("已有热心人认领,会尽快联系您。"),
    Status.IN_PROGRESS: _("正在办理中。"),
    Status.RESOLVED: _("已经办好了,请您评价。"),
    Status.VISITED: _("感谢您的评价。"),
    Status.ARCHIVED: _("已办结归档。"),
    Status.RETURNED: _("社区退回了这条诉求,原因见下方记录。"),
    Status.WITHDRAWN: _("您已撤回。"),
    Status.MERGED: _("与同一问题的其他诉求合并办理。"),
}


def tone_of(status: str) -> str:
    return TONES.get(Status(status), "wait")


def page_of(request: HttpRequest, items: QuerySet[Any] | list[Any]) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def visible_need_or_404(user: Any, pk: int) -> Need:
    """The need, if this account may see it; a missing one and someone else's look the same."""
    need = (
        Need.objects.filter(policies.visible_q(user), pk=pk)
        .select_related("category", "community", "person")
        .first()
    )
    if need is None:
        raise Http404
    return need


def home_community(person: Person | None) -> Territory | None:
    if person is None or person.residence is None:
        return None
    return residence_community(person)


_ROOM = re.compile(r"(\d+室|[-—]\d+)$")


def preset_place(person: Person | None) -> str:
    """Where the resident lives, down to the building: the flat number stays out, since the
    place is shown to whoever may claim the need."""
    if person is None:
        return ""
    address = " ".join((person.address or "").split())
    if address:
        return _ROOM.sub("", address)[:100]
    if person.residence is not None and person.residence.level not in policies.COMMUNITY_LEVELS:
        return person.residence.name[:100]  # a grid or building node below the community
    return ""


@dataclass(frozen=True)
class SuggestBox:
    """The category and 急 choices with the classifier's proposal, and the duplicate hints."""

    categories: list[NeedCategory]
    category: str
    urgent: bool
    chosen: bool
    suggestion: "Suggestion | None"
    suggested_name: str
    hints: list[DuplicateHint]
    error: str


def suggest_box(
    *,
    text: str,
    category: str,
    urgent: bool,
    chosen: bool,
    community: Territory | None,
    error: str = "",
    suggest: bool = True,
) -> SuggestBox:
    """Until the resident picks by hand, the proposal is preselected; afterwards it only shows."""
    # scikit-learn is imported on the first suggestion, not by every process loading the URLs.
    from tongxin.insight.classifier import classify

    categories = list(NeedCategory.objects.order_by("order"))
    suggestion = classify(text) if suggest and len(text.strip()) >= SUGGEST_MIN else None
    names = {c.code: c.name for c in categories}
    if suggestion is not None and not chosen:
        category = suggestion.category
        urgent = suggestion.urgent
    hints = need_duplicate_hints(community=community, text=text) if community is not None and suggest else []
    return SuggestBox(
        categories=categories,
        category=category if category in names else "",
        urgent=urgent,
        chosen=chosen,
        suggestion=suggestion,
        suggested_name=names.get(suggestion.category, "") if suggestion else "",
        hints=hints,
        error=error,
    )

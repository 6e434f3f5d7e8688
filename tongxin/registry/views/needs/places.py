"""按小区楼栋: a community's open needs grouped by building or place, counted per state and per
category (a table, no map); every count links into the queue filtered to exactly those needs."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from tongxin.accounts.policies import visible
from tongxin.core.validators import parse_row_id
from tongxin.needs.models import Status as S
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.needs.selectors import need_list_for_scope
from tongxin.needs.transitions import OPEN
from tongxin.territory.models import Territory

from ...access import registry_page
from ...forms import territory_choices
from ...needs_forms import category_choices
from ...needs_queue import NO_PLACE

STATE_ORDER = [S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.CLAIMED, S.IN_PROGRESS]


@dataclass
class PlaceRow:
    place: str
    total: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)


def place_rows(user: Any, community: Territory) -> list[PlaceRow]:
    counts = (
        need_list_for_scope(user)
        .filter(community=community, status__in=list(OPEN))
        .order_by()
        .values("place", "status", "category_id")
        .annotate(n=Count("pk"))
    )
    rows: dict[str, PlaceRow] = defaultdict(lambda: PlaceRow(place=""))
    for c in counts:
        row = rows[c["place"]]
        row.place = c["place"]
        row.total += c["n"]
        row.by_state[c["status"]] = row.by_state.get(c["status"], 0) + c["n"]
        row.by_category[c["category_id"]] = row.by_category.get(c["category_id"], 0) + c["n"]
    # The busiest buildings first; a building's name breaks ties, the unnamed ones last.
    return sorted(rows.values(), key=lambda r: (-r.total, r.place == "", r.place))


@registry_page
def need_places(request: HttpRequest) -> HttpResponse:
    user = request.user
    places = visible(user, Territory)
    communities = places.filter(level__in=COMMUNITY_LEVELS)
    raw = request.GET.get("community", "")
    pk = parse_row_id(raw)
    community = communities.filter(pk=pk).first() if pk is not None else None
    if community is None and communities.count() == 1:
        community = communities.first()
    rows = place_rows(user, community) if community is not None else []
    used = {code for r in rows for code in r.by_category}
    categories = [(code, name) for code, name in category_choices() if code in used]
    queue = reverse("registry:need_queue")

    def link(place: str, **extra: str) -> str:
        assert community is not None
        params = {"territory": str(community.pk), "place": place or NO_PLACE, **extra}
        return f"{queue}?{urlencode(params)}"

    table = [
        {
            "row": r,
            "all_url": link(r.place, tab="open"),
            "states": [(r.by_state.get(s, 0), link(r.place, state=s)) for s in STATE_ORDER],
            "categories": [
                (r.by_category.get(code, 0), link(r.place, category=code, tab="open"))
                for code, _n in categories
            ],
        }
        for r in rows
    ]
    context = {
        "community": community,
        "choices": territory_choices(places, levels=COMMUNITY_LEVELS),
        "states": [S(s).label for s in STATE_ORDER],
        "categories": categories,
        "table": table,
        "total": sum(r.total for r in rows),
    }
    return render(request, "registry/needs/places.html", context)

"""Whom a need may be dispatched to (派单对象): communities, villages and grids, branch
organisations, resident units and persons the dispatcher can see. A target travels in forms as
"kind:pk" and is looked up again in the account's visible set, never trusted from the page."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from tongxin.accounts.policies import visible
from tongxin.core.validators import normalize_mobile, parse_row_id
from tongxin.needs.services.flow import Assignee
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.people.services import mobile_index
from tongxin.territory.models import Territory, TerritoryLevel
from tongxin.units.models import Unit

KINDS: dict[str, type[Model]] = {
    "territory": Territory,
    "org": Organization,
    "unit": Unit,
    "person": Person,
}
TARGET_LEVELS = (TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE, TerritoryLevel.GRID)
PER_KIND = 6


@dataclass(frozen=True)
class Target:
    key: str  # "org:12"
    kind_label: str
    name: str
    hint: str  # where it is, to tell two of the same name apart


def target_key(obj: Model) -> str:
    for key, model in KINDS.items():
        if isinstance(obj, model):
            return f"{key}:{obj.pk}"
    raise ValueError(obj)


def resolve_target(user: Any, key: str) -> Assignee | None:
    """The visible object a "kind:pk" names, or None (unknown, garbled or out of scope)."""
    kind, _sep, raw = (key or "").partition(":")
    model, pk = KINDS.get(kind), parse_row_id(raw)
    if model is None or pk is None:
        return None
    rows = visible(user, model)
    if model is Territory:
        rows = rows.filter(level__in=TARGET_LEVELS)
    if model is Organization:
        rows = rows.filter(is_external=False)
    return rows.filter(pk=pk).first()  # type: ignore[return-value]


def _parent_name(node: Territory | Organization) -> str:
    parent = type(node).objects.get_parent(node)
    return parent.name if parent is not None else ""


def search_targets(user: Any, query: str) -> list[Target]:
    """Up to a few of each kind whose name contains the query (persons also by full mobile)."""
    query = query.strip()[:50]
    if not query:
        return []
    found: list[Target] = []
    places = visible(user, Territory).filter(level__in=TARGET_LEVELS, name__icontains=query).order_by("path")
    for t in places[:PER_KIND]:
        found.append(Target(f"territory:{t.pk}", str(t.get_level_display()), t.name, _parent_name(t)))
    orgs = visible(user, Organization).filter(is_external=False, name__icontains=query).order_by("path")
    for o in orgs[:PER_KIND]:
        found.append(Target(f"org:{o.pk}", str(o.get_kind_display()), o.name, _parent_name(o)))
    units = visible(user, Unit).filter(name__icontains=query).select_related("territory")
    for u in units.order_by("name", "pk")[:PER_KIND]:
        found.append(Target(f"unit:{u.pk}", _("驻区单位"), u.name, u.territory.name))
    persons = visible(user, Person).select_related("residence")
    try:
        by_mobile = persons.filter(mobile_index=mobile_index(normalize_mobile(query)))
    except ValidationError:
        by_mobile = persons.none()
    matched = by_mobile if by_mobile.exists() else persons.filter(name__icontains=query)
    for p in matched.order_by("name_sort", "pk")[:PER_KIND]:
        found.append(Target(f"person:{p.pk}", _("个人"), p.name, p.residence.name if p.residence else ""))
    return found


def describe_target(user: Any, key: str) -> Target | None:
    obj = resolve_target(user, key)
    if obj is None:
        return None
    if isinstance(obj, Territory):
        return Target(key, str(obj.get_level_display()), obj.name, _parent_name(obj))
    if isinstance(obj, Organization):
        return Target(key, str(obj.get_kind_display()), obj.name, _parent_name(obj))
    if isinstance(obj, Person):
        return Target(key, _("个人"), obj.name, obj.residence.name if obj.residence else "")
    return Target(key, _("驻区单位"), obj.name, obj.territory.name)

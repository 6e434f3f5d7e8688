"""Sorting and filter plumbing shared by the registry lists: a column is sorted only when it is in
the list's whitelist, and every filter is a form field, so a garbled address shows the plain list
instead of an error or an unchecked ORDER BY."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.http import HttpRequest, QueryDict

# Parameters that are not filters: paging and sorting of the page itself, the export token.
NOT_FILTERS = {"page", "cpage", "mpage", "upage", "wpage", "sort", "csrfmiddlewaretoken", "download_token"}


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool
    order_by: tuple[str, ...]

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.key


def sort_from(
    request: HttpRequest, columns: Mapping[str, Sequence[str]], default: str, *, param: str = "sort"
) -> Sort:
    """The ordering asked for in `?sort=name` / `?sort=-name`, if `name` is a whitelisted column;
    otherwise the list's default. `pk` always closes the ordering so pages never overlap."""
    raw = request.GET.get(param, "") or default
    descending = raw.startswith("-")
    key = raw.lstrip("-")
    if key not in columns:
        descending, key = default.startswith("-"), default.lstrip("-")
    fields = [_flip(f) if descending else f for f in columns[key]]
    return Sort(key=key, descending=descending, order_by=(*fields, "-pk" if descending else "pk"))


def search_text(request: HttpRequest) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return source.get("q", "").strip()[:100]


def _flip(field: str) -> str:
    return field[1:] if field.startswith("-") else "-" + field


def filter_data(request: HttpRequest) -> QueryDict:
    """Filter values from the page address, or from the export form that carries them."""
    return request.POST if request.method == "POST" else request.GET


def filter_items(request: HttpRequest) -> list[tuple[str, str]]:
    """The current filters as (name, value) pairs, to carry them into the export form."""
    source = filter_data(request)
    return [(k, v) for k in source for v in source.getlist(k) if k not in NOT_FILTERS and k != "q" and v]

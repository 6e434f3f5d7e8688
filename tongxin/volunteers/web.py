"""What the volunteering and records pages share: the staff-page gate (not yours = not there),
the phone-page person, a small .xlsx writer (masked values, IDs as text, one audit row), the
registered-person search of the staff forms, and the choice of an owner node (a team's owner, a
record's organiser). The registry's own helpers sit in a higher layer."""

from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tongxin.accounts.policies import Action, visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.validators import normalize_mobile, parse_row_id
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.people.services import mobile_index
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

View = Callable[..., HttpResponse]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHONE_LOGIN = "mobile:login"
STAFF_PAGE_SIZE = 25
PHONE_PAGE_SIZE = 10


def phone_page(view: View) -> View:
    """Logged in on the phone site, with a registry person behind the account."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person_id = getattr(request.user, "person_id", None)
        person = (
            Person.objects.select_related("residence").filter(pk=person_id).first() if person_id else None
        )
        if person is None:
            raise Http404
        request.person = person  # type: ignore[attr-defined]
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404 from None

    return login_required(never_cache(wrapped), login_url=PHONE_LOGIN)


def page_of(request: HttpRequest, items: QuerySet[Any] | list[Any], size: int = STAFF_PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def person_search(user: Any, query: str, *, limit: int = 8) -> list[Person]:
    """Registered persons in the account's scope, by part of the name or the full mobile."""
    query = (query or "").strip()[:50]
    if not query:
        return []
    persons = visible(user, Person).select_related("residence")
    try:
        matched = persons.filter(mobile_index=mobile_index(normalize_mobile(query)))
    except ValidationError:
        matched = persons.filter(name__icontains=query)
    return list(matched.order_by("name_sort", "pk")[:limit])


def xlsx_export(
    request: HttpRequest,
    *,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    object_type: str,
    filters: dict[str, Any],
) -> HttpResponse:
    """The rows as a streamed write-only workbook, every cell text (codes and IDs never become
    numbers); one audit row with the count and the filters."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=str(h))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value="" if value is None else value)
            if isinstance(value, str):
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    buffer = BytesIO()
    book.save(buffer)
    audit_record(
        actor=actor(request),
        action=AuditAction.EXPORT,
        object_type=object_type,
        detail={"rows": count, "filters": {k: str(v) for k, v in filters.items() if v}},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
    return response


OWNER_CHOICES_MAX = 300
OWNER_MODELS: dict[str, type[Territory] | type[Organization] | type[Unit]] = {
    "territory": Territory,
    "organization": Organization,
    "unit": Unit,
}


def owner_choices(user: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The nodes the account may act for, grouped for a <select>: communities (and the streets
    and districts above them), its party organisations, its units; values "kind:pk"."""
    groups = [
        (
            _("社区"),
            [
                (f"territory:{t.pk}", t.name)
                for t in visible(user, Territory, Action.CHANGE)
                .filter(level__in=(*COMMUNITY_LEVELS, "street", "district"))
                .order_by("path")[:OWNER_CHOICES_MAX]
            ],
        ),
        (
            _("党组织"),
            [
                (f"organization:{o.pk}", o.name)
                for o in visible(user, Organization, Action.CHANGE)
                .filter(is_external=False)
                .order_by("path")[:OWNER_CHOICES_MAX]
            ],
        ),
        (
            _("单位"),
            [
                (f"unit:{u.pk}", u.name)
                for u in visible(user, Unit, Action.CHANGE).order_by("name")[:OWNER_CHOICES_MAX]
            ],
        ),
    ]
    return [(label, items) for label, items in groups if items]


def owner_from_value(user: Any, value: str) -> Territory | Organization | Unit | None:
    """The node a "kind:pk" value names, if the account may act for it (else None, as missing)."""
    kind, _sep, raw = (value or "").partition(":")
    model = OWNER_MODELS.get(kind)
    pk = parse_row_id(raw) if raw else None
    if model is None or pk is None:
        return None
    return visible(user, model, Action.CHANGE).filter(pk=pk).first()

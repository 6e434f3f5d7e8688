"""Excel exports of the registry lists: the rows the account may export, personal data masked
unless the account may reveal that row, ID numbers and codes written as text, each export audited.

openpyxl's write-only mode streams rows, so a street's hundred thousand residents do not sit in
memory as cell objects."""

import itertools
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Model, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.utils.translation import gettext_lazy as N_
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tongxin.accounts.policies import Action, visible, with_visible_rosters
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.audit.services import audit_record
from tongxin.core import masking
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import Organization
from tongxin.orgs.selectors import units_with_org_flag
from tongxin.people.models import Membership, Person
from tongxin.people.selectors import looks_like_id_number
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .listing import filter_items, search_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "@"  # Excel's text format: an 18-digit ID number must never become 3.1011E+17


# Column widths are measured on the header and the first rows (the rest stream past unmeasured),
# in Excel's units of about one Latin character; a Chinese character takes two.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
PRIVATE_NOTICE = gettext_lazy("导出的文件含完整身份证号等个人信息,请妥善保管。")


def display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Wide enough for the header and the longest sampled value (an 18-digit ID number, a long
    organisation name), with a little air, capped so one long address does not push the rest away."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], display_width(value))
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, w + 2))) for w in widths]


def workbook_response(
    *,
    filename: str | Promise,
    title: str | Promise,
    headers: Sequence[str | Promise],
    rows: Iterable[Sequence[Any]],
    text_columns: set[int],
    notice: str = "",
) -> tuple[HttpResponse, int]:
    """An .xlsx download; returns the response and how many data rows it holds. A `notice` (the
    file holds personal data in clear) goes on a 说明 sheet, leaving the table itself as it was,
    so that it still sorts, filters and re-reads from its first row."""
    # Labels may be lazy translations: the file is in the language of the page it came from.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(title)[:31])
    rows = iter(rows)
    labels = [str(h) for h in headers]
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    # In write-only mode the widths must be set before the first row is written.
    for i, width in enumerate(column_widths(labels, sample), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    sheet.append([_cell(sheet, h, font=bold) for h in labels])
    count = 0
    for row in itertools.chain(sample, rows):
        sheet.append(
            [_cell(sheet, v, number_format=TEXT if i in text_columns else None) for i, v in enumerate(row)]
        )
        count += 1
    if notice:
        note = book.create_sheet(title=pgettext("export sheet", "说明"))
        note.column_dimensions["A"].width = float(min(MAX_WIDTH * 2, display_width(notice) + 2))
        note.append([_cell(note, notice, font=Font(bold=True, color="C00000"))])
    buffer = BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'{filename!s}-{stamp}.xlsx')}"
    return response, count


def _cell(
    sheet: Any, value: Any, *, font: Font | None = None, number_format: str | None = None
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value="" if value is None else value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@dataclass(frozen=True)
class ListExport:
    """What differs between the exported lists; the rules (scope, audit, text cells) do not."""

    model: type[Model]
    filename: str | Promise  # translated when the file is made: the page's language
    title: str | Promise
    headers: Sequence[str | Promise]
    text_columns: set[int]
    rows: Callable[[Any, QuerySet[Any]], Iterable[Sequence[Any]]]
    # How many of the exported rows carry personal data in clear (for the audit row).
    clear_rows: Callable[[Any, QuerySet[Any]], int] = lambda user, rows: 0
    # The rows the account may export at all; the policy's EXPORT scope unless a list has its own
    # gate (the audit log: the audit administrator's, all of it).
    exportable: Callable[[Any], QuerySet[Any]] | None = None


def export_list(
    request: HttpRequest, spec: ListExport, matching: Callable[[QuerySet[Any], str], QuerySet[Any]]
) -> HttpResponse:
    """The list as the account sees it, narrowed by its search, as .xlsx; one audit row."""
    if spec.exportable is not None:
        exportable = spec.exportable(request.user)
    else:
        exportable = visible(request.user, spec.model, Action.EXPORT)
    if not exportable.exists():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    query = search_text(request)
    filters = {k: v[:100] for k, v in filter_items(request)[:10]}
    rows = matching(exportable, query)
    in_clear = spec.clear_rows(request.user, rows)
    response, count = workbook_response(
        filename=spec.filename,
        title=spec.title,
        headers=spec.headers,
        rows=spec.rows(request.user, rows),
        text_columns=spec.text_columns,
        notice=str(PRIVATE_NOTICE) if in_clear else "",
    )
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type=spec.model._meta.label_lower,
        object_repr=f"{_in_source_language(spec.title)} × {count}",
        detail={
            "rows": count,
            # A search by ID number is personal data: the log keeps it masked, like every page.
            "query": masking.mask_id_number(query) if looks_like_id_number(query) else query,
            **({"filters": filters} if filters else {}),
            "rows_in_clear": in_clear,
        },
    )
    _mark_download(request, response)
    return response


def _in_source_language(label: str | Promise) -> str:
    """The audit log reads the same whatever language the exporter's pages were in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _mark_download(request: HttpRequest, response: HttpResponse) -> None:
    """Tell the page's "正在生成…" button that the file is on its way (tongxin.js polls for this
    cookie). The workbook is built in this request rather than by a background task: write-only
    openpyxl keeps memory flat, a district's 100,000 rows take seconds, and no file holding personal
    data is left on the server's disk waiting to be fetched."""
    token = request.POST.get("download_token", "")
    if token and len(token) <= 64 and token.isalnum():
        response.set_cookie("tx_export", token, max_age=120, samesite="Lax", secure=request.is_secure())


PERSON_HEADERS = [
    N_("姓名"),
    N_("性别"),
    N_("出生日期/年龄"),
    N_("民族"),
    N_("学历"),
    N_("身份证号"),
    N_("手机号"),
    N_("居住地址"),
    N_("居住社区/网格"),
]
PERSON_TEXT_COLUMNS = {5, 6}


def person_rows(user: Any, persons: QuerySet[Person]) -> Iterable[list[Any]]:
    """One row per person; the clear values only where the account may reveal that person."""
    revealable = visible(user, Person, Action.REVEAL).filter(pk=OuterRef("pk"))
    today = timezone.localdate()
    rows = (
        persons.annotate(may_reveal=Exists(revealable))
        .select_related("residence")
        .order_by("name_sort", "pk")
    )
    for p in rows.iterator(chunk_size=2000):
        clear = p.may_reveal  # type: ignore[attr-defined]
        yield [
            p.name,
            p.get_gender_display(),
            p.birth_date.isoformat() if clear else _("%(n)s岁") % {"n": masking.age_on(p.birth_date, today)},
            p.ethnicity,
            p.education,
            p.id_number if clear else masking.mask_id_number(p.id_number),
            p.mobile if clear else masking.mask_mobile(p.mobile),
            p.address if clear else masking.mask_address(p.address),
            p.residence.name if p.residence else "",
        ]


UNIT_HEADERS = [
    N_("单位名称"),
    N_("统一社会信用代码"),
    N_("单位类型"),
    N_("所在属地"),
    N_("是否建立党组织"),
    N_("单位地址"),
]
UNIT_TEXT_COLUMNS = {1}


def unit_rows(user: Any, units: QuerySet[Unit]) -> Iterable[list[Any]]:
    rows = units_with_org_flag(units).select_related("territory").order_by("name", "pk")
    for u in rows.iterator(chunk_size=2000):
        has_org = u.has_org  # type: ignore[attr-defined]
        yield [
            u.name,
            u.credit_code,
            u.get_kind_display(),
            u.territory.name,
            _("是") if has_org else _("否"),
            u.address,
        ]


def persons_in_clear(user: Any, persons: QuerySet[Person]) -> int:
    return visible(user, Person, Action.REVEAL).filter(pk__in=persons.values("pk")).count()


def persons_export_private(user: Any) -> bool:
    """Whether the account's person export can hold personal data in clear (the notice by the
    button)."""
    return visible(user, Person, Action.REVEAL).filter(pk__in=visible(user, Person, Action.EXPORT)).exists()


MEMBER_HEADERS = [
    N_("姓名"),
    N_("性别"),
    N_("身份证号"),
    N_("手机号"),
    N_("所在党组织"),
    N_("组织编码"),
    N_("党员状态"),
    N_("入党日期"),
    N_("转正日期"),
    N_("党小组"),
    N_("工作单位"),
    N_("流动党员"),
]
MEMBER_TEXT_COLUMNS = {2, 3, 5}


def member_rows(user: Any, memberships: QuerySet[Membership]) -> Iterable[list[Any]]:
    """One row per membership; the person's personal data in clear only where the account may
    reveal that person (the same rule as the person export)."""
    revealable = visible(user, Person, Action.REVEAL).filter(pk=OuterRef("person_id"))
    rows = (
        memberships.annotate(may_reveal=Exists(revealable))
        .select_related("person", "organization", "party_group", "employer")
        .order_by("organization__path", "person__name_sort", "pk")
    )
    for m in rows.iterator(chunk_size=2000):
        p, clear = m.person, m.may_reveal  # type: ignore[attr-defined]
        yield [
            p.name,
            p.get_gender_display(),
            p.id_number if clear else masking.mask_id_number(p.id_number),
            p.mobile if clear else masking.mask_mobile(p.mobile),
            m.organization.name,
            m.organization.code,
            m.get_status_display(),
            m.joined_on.isoformat(),
            m.confirmed_on.isoformat() if m.confirmed_on else "",
            m.party_group.name if m.party_group else "",
            m.employer.name if m.in_service and m.employer else "",
            _("是") if m.is_flowing else _("否"),
        ]


def members_in_clear(user: Any, memberships: QuerySet[Membership]) -> int:
    return memberships.filter(person__in=visible(user, Person, Action.REVEAL)).count()


def members_export_private(user: Any, memberships: QuerySet[Membership] | None = None) -> bool:
    """Whether a roster export (of `memberships`, or all the account may export) can hold
    personal data in clear."""
    exportable = visible(user, Membership, Action.EXPORT)
    if memberships is not None:
        exportable = exportable.filter(pk__in=memberships.values("pk"))
    return members_in_clear(user, exportable) > 0


ORG_HEADERS = [
    N_("名称"),
    N_("组织编码"),
    N_("类别"),
    N_("上级党组织"),
    N_("所在属地"),
    N_("所属单位"),
    N_("党员人数"),
    N_("区外上级"),
]
ORG_TEXT_COLUMNS = {1}


def org_rows(user: Any, orgs: QuerySet[Organization]) -> Iterable[list[Any]]:
    """Member counts only where the account may see the roster (as on the pages)."""
    rosters = with_visible_rosters(user).filter(pk=OuterRef("pk"))
    members = Membership.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
    counted = (
        orgs.annotate(
            roster=Exists(rosters),
            members=Subquery(members.annotate(n=Count("pk")).values("n")[:1]),
        )
        .select_related("territory")
        .prefetch_related("units")
    )
    names = dict(visible(user, Organization).values_list("path", "name"))
    step = Organization.steplen
    for o in counted.order_by("path").iterator(chunk_size=2000):
        units = "、".join(u.name for u in o.units.all())
        yield [
            o.name,
            o.code,
            o.get_kind_display(),
            names.get(o.path[:-step], "") if o.depth > 1 else "",
            o.territory.name if o.territory else "",
            units,
            (o.members or 0) if o.roster else "",  # type: ignore[attr-defined]
            _("是") if o.is_external else _("否"),
        ]


TERRITORY_HEADERS = [
    N_("名称"),
    N_("区划代码"),
    N_("层级"),
    N_("上级"),
    N_("登记居民"),
    N_("驻区单位"),
    N_("已建党组织的单位"),
]
TERRITORY_TEXT_COLUMNS = {1}


def territory_rows(user: Any, nodes: QuerySet[Territory]) -> Iterable[list[Any]]:
    """Counts are of the node's whole subtree and of the rows the account may see: residents and
    units are counted once per place (one grouped query each) and added up the tree here."""
    residents = subtree_totals(visible(user, Person), "residence__path")
    units = units_with_org_flag(visible(user, Unit))
    unit_totals = subtree_totals(units, "territory__path")
    covered = subtree_totals(units.filter(has_org=True), "territory__path")  # type: ignore[misc]
    step = Territory.steplen
    names = dict(visible(user, Territory).values_list("path", "name"))
    for t in nodes.order_by("path").iterator(chunk_size=2000):
        yield [
            t.name,
            t.code,
            t.get_level_display(),
            names.get(t.path[:-step], "") if t.depth > 1 else "",
            residents.get(t.path, 0),
            unit_totals.get(t.path, 0),
            covered.get(t.path, 0),
        ]


def subtree_totals(rows: QuerySet[Any], path_field: str) -> dict[str, int]:
    """Rows per tree path, each also counted for every ancestor path."""
    step = Territory.steplen
    totals: dict[str, int] = {}
    grouped = rows.order_by().values(path_field).annotate(n=Count("pk"))
    for row in grouped:
        path = row[path_field]
        if not path:
            continue
        for end in range(step, len(path) + 1, step):
            totals[path[:end]] = totals.get(path[:end], 0) + row["n"]
    return totals


AUDIT_HEADERS = [
    N_("序号"),
    N_("时间"),
    N_("操作人"),
    N_("操作"),
    N_("结果"),
    N_("对象类型"),
    N_("对象编号"),
    N_("对象"),
    N_("来源地址"),
    N_("详情"),
]
AUDIT_TEXT_COLUMNS = {6, 8}


def audit_rows(user: Any, events: QuerySet[AuditEvent]) -> Iterable[list[Any]]:
    for e in events.order_by("-seq").iterator(chunk_size=2000):
        yield [
            e.seq,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.get_action_display(),
            e.get_result_display(),
            e.object_type,
            e.object_id,
            e.object_repr,
            e.ip or "",
            json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
        ]

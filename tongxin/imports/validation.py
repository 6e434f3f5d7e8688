"""Checking every row of an import before anything is written.

The cell parsers turn spreadsheet values into Python values; the people services' own clean
functions (person_clean, membership_clean) then decide what is valid, so the import and the forms
give the same message for the same mistake. Look-ups (codes, existing persons) are loaded once per
file in batches, and scope is asked of the policy once per file (ImportScope)."""

from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tongxin.core.validators import normalize_credit_code, parse_id_number
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import FlowDirection, Membership, MemberStatus, Person
from tongxin.people.services import (
    MembershipData,
    PersonData,
    id_number_index,
    membership_clean,
    person_clean,
    transfer_first_message,
)
from tongxin.territory.models import TerritoryLevel
from tongxin.units.models import Unit

from . import columns as C
from .cells import CellError, id_number_text, is_blank, parse_bool, parse_choice, parse_date, text
from .lookups import Lookups
from .plans import COLUMN_ORDER, MEMBERSHIP_FIELD_COLUMN, PERSON_FIELD_COLUMN, Checked, Problem, RowPlan
from .reader import DataRow
from .scope import ImportScope

PROGRESS_EVERY = 200
RESIDENCE_LEVELS = {TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE, TerritoryLevel.GRID}
STATUS_CHOICES = {
    "预备党员": MemberStatus.PROBATIONARY,
    "预备": MemberStatus.PROBATIONARY,
    "正式党员": MemberStatus.FULL,
    "正式": MemberStatus.FULL,
    **{v: v for v in MemberStatus.values},
}
FLOW_CHOICES = {"流出": FlowDirection.OUT, "流入": FlowDirection.IN, **{v: v for v in FlowDirection.values}}
Progress = Callable[[int, int], None]


def check_rows(
    rows: list[DataRow], *, scope: ImportScope, today: date, progress: Progress | None = None
) -> Checked:
    lookups = Lookups(rows, scope)
    id_texts: dict[int, str] = {}
    first_errors: dict[int, dict[str, str]] = {}
    seen: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        errors: dict[str, str] = {}
        id_text = _id_number(row, errors)
        if id_text:
            id_texts[row.number] = id_text
            seen[id_number_index(id_text)].append(row.number)
        first_errors[row.number] = errors
    lookups.load_persons(seen)
    duplicates = {n: numbers for numbers in seen.values() if len(numbers) > 1 for n in numbers}

    plans: list[RowPlan] = []
    problems: list[Problem] = []
    for done, row in enumerate(rows, start=1):
        errors = first_errors[row.number]
        if row.number in duplicates:
            others = "、".join(str(n) for n in duplicates[row.number] if n != row.number)
            errors.setdefault(C.ID_NUMBER, _("身份证号与第 %(rows)s 行重复。") % {"rows": others})
        plan = _check_row(row, id_texts.get(row.number, ""), errors, lookups, today)
        if errors:
            problems += [Problem(row.number, col, msg) for col, msg in errors.items()]
        elif plan is not None:
            plans.append(plan)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    problems.sort(key=lambda p: (p.row, COLUMN_ORDER.get(p.column, 99)))
    return Checked(total=len(rows), plans=plans, problems=problems)


def _id_number(row: DataRow, errors: dict[str, str]) -> str:
    """The row's ID number in canonical form, or "" with the reason in `errors`."""
    for name in row.formulas:
        errors[name] = _("公式没有计算结果:请在Excel中打开文件、重新计算并保存,或把公式改成数值。")
    raw = row.values.get(C.ID_NUMBER)
    if C.ID_NUMBER in errors:
        return ""
    if is_blank(raw):
        errors[C.ID_NUMBER] = _("请填写身份证号。")
        return ""
    try:
        return parse_id_number(id_number_text(raw)).number
    except CellError as exc:
        errors[C.ID_NUMBER] = exc.message
    except ValidationError as exc:
        errors[C.ID_NUMBER] = exc.messages[0]
    return ""


class _Cells:
    """A row's cells parsed one by one, the first error per column kept."""

    def __init__(self, row: DataRow, errors: dict[str, str], lookups: Lookups) -> None:
        self.values, self.errors, self.lookups = row.values, errors, lookups

    def given(self, name: str) -> bool:
        return name not in self.errors and not is_blank(self.values.get(name))

    def parse(self, name: str, parser: Callable[[object], Any]) -> Any:
        """The parsed value, or None when blank or wrong (wrong is recorded)."""
        if not self.given(name):
            return None
        try:
            return parser(self.values[name])
        except CellError as exc:
            self.errors[name] = exc.message
            return None


def _check_row(
    row: DataRow, id_text: str, errors: dict[str, str], lookups: Lookups, today: date
) -> RowPlan | None:
    cells = _Cells(row, errors, lookups)
    person = lookups.persons.get(id_number_index(id_text)) if id_text else None
    membership = lookups.memberships.get(person.pk) if person is not None else None
    if person is not None and person.pk not in lookups.changeable:
        errors[C.ID_NUMBER] = _("该身份证号已登记,但不在您可维护的范围内;请联系其所在社区或党组织办理。")
        return None
    if membership is not None:
        moved = _transfer_refusal(cells, membership, lookups)
        if moved:
            errors[C.ORG_CODE] = moved
        if membership.organization_id not in lookups.roster_orgs:
            if not moved:
                errors[C.ID_NUMBER] = _("该党员的组织关系在您无权操作的党组织,请通过组织关系转接办理。")
            return None
    person_values = _person(cells, id_text, person, lookups)
    born_on = person.birth_date if person is not None else _birth_date(id_text)
    membership_values = _membership(cells, membership, lookups, today, born_on)
    if errors or person_values is None or membership_values is None:
        return None
    plan = RowPlan(row.number, person_values, membership_values, person, membership)
    if person is not None:
        plan.person_changed = [
            k for k, v in person_values.items() if not k.endswith("_index") and getattr(person, k) != v
        ]
    if membership is not None:
        plan.membership_changed = [k for k, v in membership_values.items() if getattr(membership, k) != v]
    elif person is not None:
        plan.membership_changed = list(membership_values)
    return plan


def _transfer_refusal(cells: _Cells, membership: Membership, lookups: Lookups) -> str:
    """A file may not move a member to another organisation, as 添加党员 may not: that is a
    transfer (组织关系转接), with its own procedure. The other organisation is named only when the
    importer may see its roster."""
    code = cells.parse(C.ORG_CODE, text)
    if not code or code == membership.organization.code:
        return ""
    seen = membership.organization_id in lookups.seen_orgs
    return transfer_first_message(membership.organization, may_see_roster=seen)


def _birth_date(id_text: str) -> date | None:
    if not id_text:
        return None
    with suppress(ValidationError):
        return parse_id_number(id_text).birth_date
    return None


def _person(cells: _Cells, id_text: str, person: Person | None, lookups: Lookups) -> dict[str, Any] | None:
    name = cells.parse(C.NAME, text) or ""
    if person is not None and name and name != person.name:
        cells.errors[C.NAME] = _("姓名与系统中该身份证号登记的姓名不一致;如需更名,请在人员页面修改。")
    residence = person.residence if person is not None else None
    code = cells.parse(C.COMMUNITY_CODE, text)
    if code:
        place = lookups.territories.get(code)
        if place is None:
            cells.errors[C.COMMUNITY_CODE] = _("社区编码“%(code)s”不存在或无权操作。") % {"code": code}
        elif place.level not in RESIDENCE_LEVELS:
            cells.errors[C.COMMUNITY_CODE] = _("居住社区编码应为社区、村或网格的区划代码。")
        else:
            residence = place
    # Blank cells keep what is stored: a file that leaves a column empty never erases it.
    data = PersonData(
        name=name,
        id_number=id_text or text(cells.values.get(C.ID_NUMBER) or ""),
        mobile=cells.parse(C.MOBILE, text) or (person.mobile if person else ""),
        address=person.address if person else "",
        ethnicity=cells.parse(C.ETHNICITY, text) or (person.ethnicity if person else "汉族"),
        education=cells.parse(C.EDUCATION, text) or (person.education if person else ""),
        residence=residence,
    )
    try:
        return person_clean(data, existing=person)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            cells.errors.setdefault(PERSON_FIELD_COLUMN.get(key, C.NAME), messages[0])
        return None


def _membership(
    cells: _Cells, membership: Membership | None, lookups: Lookups, today: date, born_on: date | None
) -> dict[str, Any] | None:
    """The membership values of a valid row. What an update may change of an existing member:
    status (预备 → 正式 with its 转正日期), 在职 and employer, 流动 and its direction and place;
    not the organisation (a transfer, see _transfer_refusal), not 正式 back to 预备, and not the
    入党日期: a file that disagrees with the register there more likely has it wrong than right,
    so it is reported, to be corrected on the member's page if the register is the one wrong."""
    errors, m = cells.errors, membership
    org = m.organization if m else None
    code = cells.parse(C.ORG_CODE, text)
    if code:
        org = lookups.orgs.get(code)
        if org is None:
            errors[C.ORG_CODE] = _("党组织编码“%(code)s”不存在或无权操作。") % {"code": code}
    elif org is None and C.ORG_CODE not in errors:
        errors[C.ORG_CODE] = _("请填写所在党组织编码。")
    status = cells.parse(C.STATUS, lambda v: parse_choice(v, STATUS_CHOICES, label=C.STATUS)) or (
        m.status if m else None
    )
    if status is None and C.STATUS not in errors:
        errors[C.STATUS] = _("请填写党员状态(预备党员或正式党员)。")
    elif m is not None and m.status == MemberStatus.FULL and status == MemberStatus.PROBATIONARY:
        errors[C.STATUS] = _("此人已登记为正式党员,导入不能改为预备党员;如登记有误,请在党员信息页修改。")
    joined = cells.parse(C.JOINED, parse_date)
    if joined is not None and m is not None and joined != m.joined_on:
        errors[C.JOINED] = _("入党日期与登记不一致(登记为 %(date)s),如需更正请在党员信息页修改。") % {
            "date": m.joined_on.isoformat()
        }
    joined = joined or (m.joined_on if m else None)
    if joined is None and C.JOINED not in errors:
        errors[C.JOINED] = _("请填写入党日期。")
    confirmed = cells.parse(C.CONFIRMED, parse_date)
    if confirmed is None and not cells.given(C.CONFIRMED) and m and status != MemberStatus.PROBATIONARY:
        confirmed = m.confirmed_on
    employer = _employer(cells) if cells.given(C.EMPLOYER) or cells.given(C.EMPLOYER_CODE) else None
    named_employer = employer is not None
    if employer is None and m is not None:
        employer = m.employer
    in_service = cells.parse(C.IN_SERVICE, parse_bool)
    if in_service is None:
        in_service = True if named_employer else (m.in_service if m else False)
    flowing = cells.parse(C.FLOWING, parse_bool)
    if flowing is None:
        flowing = m.is_flowing if m else False
    direction = cells.parse(C.FLOW_DIRECTION, lambda v: parse_choice(v, FLOW_CHOICES, label=C.FLOW_DIRECTION))
    place = cells.parse(C.FLOW_PLACE, text)
    # The service's rules run even when the organisation, status or 入党日期 is missing or wrong,
    # so that a row's every problem is reported at once: a stand-in takes the missing value's
    # place, one that passes its own rules, and what the service says about it is dropped (the
    # cell's own message is already there).
    stand_ins: set[str] = set()
    if org is None or C.ORG_CODE in errors:
        org, stand_ins = _stand_in_org(), stand_ins | {"organization", "party_group"}
    if status is None or C.STATUS in errors:
        status, stand_ins = MemberStatus.FULL, stand_ins | {"status"}
    if joined is None or C.JOINED in errors:
        joined = min(confirmed or today, today)
        stand_ins.add("joined_on")
    data = MembershipData(
        organization=org,
        status=status,
        joined_on=joined,
        confirmed_on=confirmed,
        in_service=in_service,
        employer=employer,
        is_flowing=flowing,
        flow_direction=direction or (m.flow_direction if m else ""),
        flow_place=place or (m.flow_place if m else ""),
        party_group=m.party_group if m and m.organization_id == org.pk else None,
    )
    try:
        values = membership_clean(data, today=today, born_on=born_on)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key in stand_ins:
                continue
            column = MEMBERSHIP_FIELD_COLUMN.get(key, C.ORG_CODE)
            if key == "flow_direction" and C.FLOW_DIRECTION in cells.values:
                column = C.FLOW_DIRECTION
            errors.setdefault(column, messages[0])
        return None
    return None if stand_ins else values


def _stand_in_org() -> Organization:
    """A branch that is no one's (never saved): it passes the organisation rule of
    membership_clean, and its empty path puts no party group outside it."""
    return Organization(kind=OrgKind.BRANCH, is_external=False, path="")


def _employer(cells: _Cells) -> Unit | None:
    """By credit code when given (the name, if also given, must agree), else by exact name."""
    lookups = cells.lookups
    name = cells.parse(C.EMPLOYER, text)
    raw_code = cells.parse(C.EMPLOYER_CODE, text)
    if raw_code:
        try:
            code = normalize_credit_code(raw_code)
        except ValidationError as exc:
            cells.errors[C.EMPLOYER_CODE] = exc.messages[0]
            return None
        unit = lookups.units_by_code.get(code)
        if unit is None:
            cells.errors[C.EMPLOYER_CODE] = _("该统一社会信用代码的单位尚未登记,请先在“驻区单位”中登记。")
        elif name and name != unit.name:
            cells.errors[C.EMPLOYER] = _("单位名称与该统一社会信用代码登记的“%(name)s”不一致。") % {
                "name": unit.name
            }
            return None
        return unit
    if not name:
        return None
    units = lookups.units_by_name.get(name, [])
    if len(units) == 1:
        return units[0]
    if units:
        cells.errors[C.EMPLOYER] = _("有多个名为“%(name)s”的单位,请填写统一社会信用代码。") % {"name": name}
    else:
        cells.errors[C.EMPLOYER] = _(
            "找不到名为“%(name)s”的单位;请核对全称、填写统一社会信用代码或先登记该单位。"
        ) % {"name": name}
    return None

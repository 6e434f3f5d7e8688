"""What each registry list exports: its columns (those written as text) and its rows, masked per
row as the list pages mask them."""

import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_

from tongxin.accounts.policies import Action, visible, with_visible_rosters
from tongxin.audit.models import AuditEvent
from tongxin.core import masking
from tongxin.orgs.models import Organization
from tongxin.orgs.selectors import units_with_org_flag
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

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

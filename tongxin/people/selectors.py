"""Reads over people and memberships: member counts per organisation and the 支部工作条例 warnings."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext as _

from tongxin.core.validators import parse_id_number
from tongxin.orgs.models import BRANCH_KINDS, Organization, OrgKind

from .models import Membership, MemberStatus, Person
from .services import id_number_index

# Thresholds from 《中国共产党支部工作条例(试行)》 and 党章.
MIN_FULL_MEMBERS = 3  # 党员人数3人以上成立支部
COMMITTEE_THRESHOLD = 7  # 正式党员7人以上的支部设立支部委员会
JOINT_BRANCH_MAX_UNITS = 5  # 联合党支部覆盖单位一般不超过5个
PARTY_GROUP_THRESHOLD = 50  # 党员人数较多的支部划分党小组


def _count_subquery(qs: QuerySet, column: str = "id") -> Coalesce:  # type: ignore[type-arg]
    counted = qs.order_by().values(column).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def organizations_with_counts(orgs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate member counts with correlated subqueries: joining memberships, units and child
    groups at once would multiply the rows and inflate every count."""
    members = Membership.objects.filter(organization=OuterRef("pk"))
    return orgs.annotate(
        member_count=_count_subquery(members.values("organization"), "organization"),
        full_count=_count_subquery(
            members.filter(status=MemberStatus.FULL).values("organization"), "organization"
        ),
        unit_count=_count_subquery(
            Organization.units.through.objects.filter(organization_id=OuterRef("pk")).values(
                "organization_id"
            ),
            "organization_id",
        ),
        group_count=_count_subquery(
            Organization.objects.filter(
                kind=OrgKind.PARTY_GROUP,
                # A child's path is the parent's plus one step: a range the path index serves
                # (startswith becomes a LIKE that no index helps; 34x slower at district size).
                path__gt=OuterRef("path"),
                path__lte=Concat(OuterRef("path"), Value("Z" * Organization.steplen)),
                depth=OuterRef("depth") + 1,
            ).values("kind"),
            "kind",
        ),
    )


@dataclass
class BranchWarnings:
    organization: Organization
    messages: list[str] = field(default_factory=list)


def branch_warnings_for(org: Organization) -> list[str]:
    """The rule messages for one organisation annotated by organizations_with_counts."""
    if org.kind not in BRANCH_KINDS or org.is_external:
        return []
    found: list[str] = []
    full, members = org.full_count, org.member_count  # type: ignore[attr-defined]
    if full < MIN_FULL_MEMBERS:
        found.append(_("正式党员仅 %(n)s 人,不足3人,不符合成立党支部的条件。") % {"n": full})
    if full >= COMMITTEE_THRESHOLD and org.committee_elected_on is None:
        found.append(_("正式党员 %(n)s 人(7人以上),应设立支部委员会,但未登记支委会。") % {"n": full})
    if org.kind == OrgKind.JOINT_BRANCH and org.unit_count > JOINT_BRANCH_MAX_UNITS:  # type: ignore[attr-defined]
        found.append(
            _("联合党支部覆盖 %(n)s 个单位,超过5个。") % {"n": org.unit_count}  # type: ignore[attr-defined]
        )
    if members > PARTY_GROUP_THRESHOLD and org.group_count == 0:  # type: ignore[attr-defined]
        found.append(_("党员 %(n)s 人,超过50人,应划分党小组。") % {"n": members})
    return found


def branch_warnings(orgs: QuerySet[Organization]) -> list[BranchWarnings]:
    branches = organizations_with_counts(
        orgs.filter(kind__in=BRANCH_KINDS, is_external=False).select_related("territory")
    )
    result = []
    for org in branches:
        messages = branch_warnings_for(org)
        if messages:
            result.append(BranchWarnings(org, messages))
    return result


def person_find_by_id_number(*, persons: QuerySet[Person], id_number: str) -> Person | None:
    """Exact look-up through the blind index; `persons` is the caller's visible set."""
    try:
        number = parse_id_number(id_number).number
    except ValidationError:
        return None
    return persons.filter(id_number_index=id_number_index(number)).first()


_ID_NUMBER_LIKE = re.compile(r"^\d{17}[\dXx]$")


def looks_like_id_number(text: str) -> bool:
    """A search for an ID number is itself personal data (kept out of addresses and logs)."""
    return bool(_ID_NUMBER_LIKE.match(text))


def persons_matching(*, persons: QuerySet[Person], query: str) -> QuerySet[Person]:
    """The search of the person lists and the API: a full ID number finds its one person, exactly
    (stored encrypted: through the blind index, never LIKE); anything else is part of a name."""
    if looks_like_id_number(query):
        found = person_find_by_id_number(persons=persons, id_number=query)
        return persons.filter(pk=found.pk) if found is not None else persons.none()
    return persons.filter(name__icontains=query) if query else persons


def member_counts_by_org(orgs: QuerySet[Organization]) -> dict[int, dict[str, int]]:
    rows = (
        Membership.objects.filter(organization__in=orgs)
        .order_by()
        .values("organization_id")
        .annotate(total=Count("id"), full=Count("id", filter=Q(status=MemberStatus.FULL)))
    )
    return {r["organization_id"]: {"total": r["total"], "full": r["full"]} for r in rows}

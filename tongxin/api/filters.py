"""Query parameters of the lists. They narrow the caller's visible rows and never widen them: every
filter runs on the queryset the access policy returned."""

import re
from typing import Any

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from tongxin.core.validators import clean_text
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import Membership, MemberStatus, Person
from tongxin.people.selectors import looks_like_id_number, persons_matching
from tongxin.territory.models import Territory, TerritoryLevel
from tongxin.units.models import Unit, UnitKind

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(df.NumberFilter):
    """A row id: a whole number the database can hold (anything else is a field error, not a
    crash in the database driver)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class TerritoryFilter(df.FilterSet):
    parent = IdFilter(field_name="parent_id", label=_("上级节点编号(列出其直接下级)"))
    level = df.ChoiceFilter(choices=TerritoryLevel.choices, label=_("层级"))
    code = df.CharFilter(label=_("区划代码(精确)"))

    class Meta:
        model = Territory
        fields = ["parent", "level", "code"]


class OrganizationFilter(df.FilterSet):
    parent = IdFilter(field_name="parent_id", label=_("上级党组织编号(列出其直接下级)"))
    kind = df.ChoiceFilter(choices=OrgKind.choices, label=_("类别"))
    territory = IdFilter(field_name="territory_id", label=_("所在属地编号"))
    code = df.CharFilter(label=_("组织编码(精确)"))
    is_external = df.BooleanFilter(label=_("是否区外上级"))

    class Meta:
        model = Organization
        fields = ["parent", "kind", "territory", "code", "is_external"]


class UnitFilter(df.FilterSet):
    territory = IdFilter(field_name="territory_id", label=_("所在属地编号"))
    credit_code = df.CharFilter(method="filter_credit_code", label=_("统一社会信用代码(精确)"))
    kind = df.ChoiceFilter(choices=UnitKind.choices, label=_("单位类型"))
    organization = IdFilter(method="filter_organization", label=_("党组织编号"))

    class Meta:
        model = Unit
        fields = ["territory", "credit_code", "kind", "organization"]

    def filter_credit_code(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.filter(credit_code=value.strip().upper())

    def filter_organization(self, queryset: QuerySet[Unit], name: str, value: Any) -> QuerySet[Unit]:
        links = Organization.units.through.objects.filter(organization_id=value)
        return queryset.filter(pk__in=links.values("unit_id"))


def refuse_id_number_in_url(value: str) -> None:
    """A query string ends up in access logs, proxies and browser histories: an ID number is sent
    in the body of POST /api/v1/persons/search/ instead. Refusing (rather than quietly searching)
    teaches a client to move it there."""
    if looks_like_id_number(re.sub(r"\s+", "", clean_text(value))):
        raise ValidationError(
            _("身份证号不可放在网址中:请改用 POST /api/v1/persons/search/,在请求体的 id_number 中提交。"),
            code="id_number_in_url",
        )


class PersonFilter(df.FilterSet):
    residence = IdFilter(field_name="residence_id", label=_("居住社区/网格编号"))
    name = df.CharFilter(lookup_expr="icontains", label=_("姓名包含"))
    search = df.CharFilter(
        method="filter_search",
        validators=[refuse_id_number_in_url],
        label=_("搜索:姓名包含(按身份证号查找请用 POST /api/v1/persons/search/)"),
    )

    class Meta:
        model = Person
        fields = ["residence", "name", "search"]

    def filter_search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return persons_matching(persons=queryset, query=value.strip()[:100])


class MembershipFilter(df.FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("所在党组织编号"))
    status = df.ChoiceFilter(choices=MemberStatus.choices, label=_("党员状态"))
    person = IdFilter(field_name="person_id", label=_("人员编号"))
    is_flowing = df.BooleanFilter(label=_("是否流动党员"))
    in_service = df.BooleanFilter(label=_("是否在职党员"))
    search = df.CharFilter(method="filter_search", label=_("搜索:党员姓名包含"))

    class Meta:
        model = Membership
        fields = ["organization", "status", "person", "is_flowing", "in_service", "search"]

    def filter_search(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        value = value.strip()[:100]
        return queryset.filter(Q(person__name__icontains=value)) if value else queryset

"""Query parameters of the needs list. Like every list filter here they narrow the rows the needs
policy gave (need_list_for_scope) and never widen them."""

import re
from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.core.validators import clean_text
from tongxin.needs.categories import CATEGORIES
from tongxin.needs.deadlines import due_q
from tongxin.needs.models import Need, Status
from tongxin.territory.models import Territory
from tongxin.workdays.policy import DueState

from ..filters import MAX_ID, IdFilter

NUMBER_RE = re.compile(r"^(?:#|编号|NO\.?)?\s*(\d{1,18})$", re.IGNORECASE)


class NeedFilter(df.FilterSet):
    status = df.MultipleChoiceFilter(choices=Status.choices, label=_("状态(可多选:status=a&status=b)"))
    category = df.MultipleChoiceFilter(
        field_name="category_id", choices=CATEGORIES, label=_("类别编码(可多选)")
    )
    urgent = df.BooleanFilter(label=_("是否紧急"))
    community = IdFilter(method="filter_community", label=_("属地编号:该节点及其下级社区的诉求"))
    submitted = df.DateFromToRangeFilter(
        field_name="submitted_at", label=_("提交日期范围(submitted_after、submitted_before,含当天)")
    )
    due = df.ChoiceFilter(
        choices=DueState.choices, method="filter_due", label=_("时限状态:on_time、urge、overdue、escalate")
    )
    search = df.CharFilter(method="filter_search", label=_("搜索:诉求编号(如 123 或 #123),或内容包含"))

    class Meta:
        model = Need
        fields = ["status", "category", "urgent", "community", "submitted", "due", "search"]

    def filter_community(self, queryset: QuerySet[Need], name: str, value: Any) -> QuerySet[Need]:
        node = Territory.objects.filter(pk=value).only("path").first()
        if node is None:
            return queryset.none()
        return queryset.filter(community__path__startswith=node.path)

    def filter_due(self, queryset: QuerySet[Need], name: str, value: str) -> QuerySet[Need]:
        return queryset.filter(due_q(value, timezone.now()))

    def filter_search(self, queryset: QuerySet[Need], name: str, value: str) -> QuerySet[Need]:
        value = clean_text(value)[:100]
        if not value:
            return queryset
        number = NUMBER_RE.match(value)
        if number:
            pk = int(number.group(1))
            return queryset.filter(pk=pk) if pk <= MAX_ID else queryset.none()
        return queryset.filter(text__icontains=value)

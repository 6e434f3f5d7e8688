"""Needs pages outside the staff workbench and the phone site: the public monthly page."""

import re
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .public import public_community, public_month

MONTH = re.compile(r"(\d{4})-(\d{1,2})")
FIRST_MONTH = date(2000, 1, 1)


def _parse_month(value: str, today: date) -> tuple[date, str]:
    """The month asked for (YYYY-MM), or this month with a message when it is not one."""
    this_month = today.replace(day=1)
    if not value:
        return this_month, ""
    match = MONTH.fullmatch(value.strip())
    if match and 1 <= int(match[2]) <= 12:
        month = date(int(match[1]), int(match[2]), 1)
        if FIRST_MONTH <= month <= this_month:
            return month, ""
    return this_month, _("月份应为“年-月”格式(如2026-11),且不晚于本月;下面是本月的情况。")


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


@require_GET
def public_month_view(request: HttpRequest, community_id: int) -> HttpResponse:
    """Readable without logging in: counts and anonymised summaries only (needs/public.py)."""
    community = public_community(community_id)
    today = timezone.localdate()
    month, error = _parse_month(request.GET.get("month", ""), today)
    report = public_month(community=community, month=month)
    previous = _shift(month, -1)
    following = _shift(month, 1)
    context = {
        "report": report,
        "error": error,
        "previous": previous if previous >= FIRST_MONTH else None,
        "following": following if following <= today.replace(day=1) else None,
    }
    return render(request, "needs/public_month.html", context)

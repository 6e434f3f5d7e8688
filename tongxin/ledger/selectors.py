"""Reads of the ledger: balances, histories, star levels, monthly totals."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.people.models import Person
from tongxin.territory.models import Territory

from .models import Account, AccountKind, CapReason, Currency, Entry, PointsAward, PointsRule

STAR_HOURS = (100, 300, 600, 1000, 1500)
STEPLEN = Territory.steplen


def year_range(year: int) -> tuple[datetime, datetime]:
    """The local (Asia/Shanghai) calendar year as [start, end)."""
    tz = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def balance_of(*, person: Person, currency: str) -> int:
    balance = (
        Account.objects.filter(kind=AccountKind.PERSON, person=person, currency=currency)
        .values_list("balance", flat=True)
        .first()
    )
    return balance or 0


def balances_of(*, person: Person) -> dict[str, int]:
    """Every currency's balance, 0 where no account was opened yet."""
    rows = dict(
        Account.objects.filter(kind=AccountKind.PERSON, person=person).values_list("currency", "balance")
    )
    return {c: rows.get(c, 0) for c in Currency.values}


def entries_for(*, person: Person, currency: str | None = None) -> QuerySet[Entry]:
    """The person's entries, newest first, with their postings joined."""
    qs = Entry.objects.filter(account__kind=AccountKind.PERSON, account__person=person)
    if currency:
        qs = qs.filter(account__currency=currency)
    return qs.select_related("posting", "account").order_by("-id")


def star_level(*, minutes: int) -> int:
    """0–5 stars, one at each of 100/300/600/1000/1500 cumulative hours."""
    return sum(1 for hours in STAR_HOURS if minutes >= hours * 60)


def star_progress(*, minutes: int) -> dict[str, Any]:
    """The level, the hours needed for the next star and the percentage of the way there."""
    level = star_level(minutes=minutes)
    if level == len(STAR_HOURS):
        return {"level": level, "next_hours": None, "missing_minutes": 0, "percent": 100}
    floor = STAR_HOURS[level - 1] * 60 if level else 0
    target = STAR_HOURS[level] * 60
    percent = int((minutes - floor) * 100 / (target - floor))
    return {
        "level": level,
        "next_hours": STAR_HOURS[level],
        "missing_minutes": target - minutes,
        "percent": percent,
    }


SOURCE_WORDS = {
    "record": _("志愿服务记录"),
    "activity": _("志愿活动"),
    "need": _("诉求办理"),
    "meeting": _("三会一课"),
    "redemption": _("积分兑换"),
    "booking": _("时间币预约服务"),
    "transfer": _("时间币转赠"),
    "donation": _("时间币捐赠"),
    "adjustment": _("人工调整"),
    "demo": _("历史记录"),
    "signup": _("参加志愿活动"),
    "timebank:transfer": _("时间币转赠"),
    "timebank:booking": _("时间币预约服务"),
}


def source_words(source: str) -> str:
    """ "record:12" → "志愿服务记录 #12"; an unknown type reads as itself."""
    kind, _sep, ident = source.rpartition(":")
    if not kind:
        kind, ident = ident, ""
    words = SOURCE_WORDS.get(kind)
    if words is None:  # "<type>:<id>" whose id holds a colon, or a type with no id
        kind, _sep, ident = source.partition(":")
        words = SOURCE_WORDS.get(kind)
    if words is None:
        return source
    if kind == "adjustment" or not ident:
        return str(words)
    return f"{words!s} #{ident}"


def _person_entries(currency: str) -> QuerySet[Entry]:
    return Entry.objects.filter(account__kind=AccountKind.PERSON, account__currency=currency)


def hours_by_month(*, person_ids: Iterable[int], year: int) -> QuerySet[Any]:
    """Minutes credited (net of reversals) to these persons per local month of `year`; a team's
    monthly hours is this over its members."""
    start, end = year_range(year)
    return (
        _person_entries(Currency.HOURS)
        .filter(account__person_id__in=list(person_ids), created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(minutes=Sum("amount"))
        .order_by("month")
    )


def district_monthly_totals(*, district: Territory, year: int) -> QuerySet[Any]:
    """Per street of `district` (by the person's residence), per local month and currency: the
    net amount credited to residents. One grouped query."""
    start, end = year_range(year)
    street_len = len(district.path) + STEPLEN
    lo = district.path
    hi = district.path + "Z" * (255 - len(district.path))
    return (
        Entry.objects.filter(
            account__kind=AccountKind.PERSON,
            account__currency__in=[Currency.HOURS, Currency.POINTS],
            created_at__gte=start,
            created_at__lt=end,
            account__person__residence__path__gt=lo,
            account__person__residence__path__lte=hi,
        )
        .annotate(
            street=Substr("account__person__residence__path", 1, street_len), month=TruncMonth("created_at")
        )
        .values("street", "month", "account__currency")
        .annotate(total=Sum("amount"))
        .order_by("street", "month", "account__currency")
    )


def district_month_table(*, district: Territory, year: int) -> list[dict[str, Any]]:
    """district_monthly_totals as rows per street and month with hours and points side by side."""
    children = Territory.objects.filter(path__startswith=district.path, depth=district.depth + 1)
    streets = {t.path: t for t in children}
    table: dict[tuple[str, int], dict[str, Any]] = {}
    for row in district_monthly_totals(district=district, year=year):
        street = streets.get(row["street"])
        if street is None:
            continue
        month = (
            timezone.localtime(row["month"]).month if timezone.is_aware(row["month"]) else row["month"].month
        )
        item = table.setdefault(
            (street.path, month), {"street": street, "month": month, "hours": 0, "points": 0}
        )
        item[row["account__currency"]] = row["total"]
    return [table[k] for k in sorted(table)]


def rule_usage(*, rule: PointsRule, year: int) -> dict[str, int]:
    """Points issued under the rule this year (net of reversed awards), against its budget, and
    how many awards were capped."""
    start, end = year_range(year)
    awards = PointsAward.objects.filter(rule=rule, created_at__gte=start, created_at__lt=end)
    live = Q(posting__isnull=True) | Q(posting__reversed_by__isnull=True)
    agg = awards.aggregate(
        issued=Sum("granted", filter=live),
        awards=Count("pk"),
        capped=Count("pk", filter=~Q(capped_reason=CapReason.NONE)),
        persons=Count("person", distinct=True),
    )
    return {k: v or 0 for k, v in agg.items()}


def capped_by_reason(*, rule: PointsRule, year: int) -> QuerySet[Any]:
    start, end = year_range(year)
    return (
        PointsAward.objects.filter(rule=rule, created_at__gte=start, created_at__lt=end)
        .exclude(capped_reason="")
        .values("capped_reason")
        .annotate(n=Count("pk"), lost=Sum(F("requested") - F("granted")))
        .order_by("capped_reason")
    )

"""Pages: the district's points rules and monthly totals and a person's account with manual
adjustments (staff), and 我的时长与积分 (phone).
Views stay thin: selectors read, services write."""

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from openpyxl import Workbook

from tongxin.accounts.pages import staff_page
from tongxin.accounts.policies import Action, can, get_visible_or_404
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.people.models import Person

from .amounts import hours_text
from .forms import AdjustForm, RuleForm
from .models import CapReason, Currency, PointsRule
from .policies import districts_for, is_rules_admin, may_adjust, may_configure_rule, rules_for
from .selectors import (
    balances_of,
    capped_by_reason,
    district_month_table,
    entries_for,
    rule_usage,
    source_words,
    star_progress,
)
from .services import LedgerError, ledger_adjust, points_rule_update

View = Callable[..., HttpResponse]
HISTORY_PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= this_year:
        return int(raw)
    return this_year


@staff_page
def rules(request: HttpRequest) -> HttpResponse:
    if not is_rules_admin(request.user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    year = timezone.localdate().year
    rows = [
        {"rule": r, "usage": rule_usage(rule=r, year=year)} for r in rules_for(request.user).order_by("code")
    ]
    return render(request, "ledger/rules.html", {"rows": rows, "year": year})


@staff_page
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = PointsRule.objects.select_related("territory").filter(pk=pk).first()
    if rule is None or not may_configure_rule(request.user, rule):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    initial = {f: getattr(rule, f) for f in RuleForm.base_fields}
    form = RuleForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                points_rule_update(
                    rule=rule, by=Actor.from_request(request), now=timezone.now(), **form.cleaned_data
                )
            except LedgerError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("积分规则已保存。"))
                return redirect("ledger:rule_edit", pk=rule.pk)
    year = timezone.localdate().year
    usage = rule_usage(rule=rule, year=year)
    capped = [
        {"reason": CapReason(row["capped_reason"]).label, "n": row["n"], "lost": row["lost"]}
        for row in capped_by_reason(rule=rule, year=year)
    ]
    percent = int(usage["issued"] * 100 / rule.yearly_budget) if rule.yearly_budget else None
    return render(
        request,
        "ledger/rule_edit.html",
        {"rule": rule, "form": form, "usage": usage, "capped": capped, "year": year, "percent": percent},
        status=status,
    )


def _totals_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r["street"].name, r["month"], float(hours_text(r["hours"])), r["points"]] for r in rows]


@staff_page
def district_totals(request: HttpRequest) -> HttpResponse:
    districts = list(districts_for(request.user).order_by("path"))
    if not districts:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    chosen = next((d for d in districts if str(d.pk) == request.GET.get("district")), districts[0])
    year = _year(request)
    rows = district_month_table(district=chosen, year=year)
    headers = [_("街道"), _("月份"), _("服务时长(小时)"), _("积分")]
    if request.GET.get("format") == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=_("各街道月度汇总"))
        sheet.append(headers)
        data = _totals_rows(rows)
        for line in data:
            sheet.append(line)
        out = BytesIO()
        book.save(out)
        audit_record(
            actor=Actor.from_request(request),
            action=AuditAction.EXPORT,
            target=chosen,
            detail={"list": "ledger_district_totals", "year": year, "rows": len(data)},
            now=timezone.now(),
        )
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ledger-totals-{chosen.code}-{year}.xlsx"'
        return response
    for r in rows:
        r["hours_text"] = hours_text(r["hours"])
    total_minutes = sum(r["hours"] for r in rows)
    totals = {"hours_text": hours_text(total_minutes), "points": sum(r["points"] for r in rows)}
    years = list(range(timezone.localdate().year, timezone.localdate().year - 5, -1))
    return render(
        request,
        "ledger/district_totals.html",
        {
            "districts": districts,
            "district": chosen,
            "year": year,
            "years": years,
            "rows": rows,
            "totals": totals,
        },
    )


CURRENCY_TABS = [Currency.HOURS, Currency.POINTS, Currency.CREDITS]


def _currency_param(request: HttpRequest) -> str:
    """The history's currency tab: one of the currencies, or "" for all."""
    currency = request.GET.get("currency", "")
    return currency if currency in Currency.values else ""


def _history(request: HttpRequest, person: Person) -> dict[str, Any]:
    """Balances, the star level and one page of the history (newest first, one currency or all):
    what the person sees on her phone and staff see on her account page."""
    currency = _currency_param(request)
    balances = balances_of(person=person)
    page = Paginator(entries_for(person=person, currency=currency or None), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    lines = [
        {
            "entry": e,
            "currency": Currency(e.account.currency).label,
            "source": source_words(e.posting.source),
            "reversal": e.posting.reverses_id is not None,
            "hours": e.account.currency != Currency.POINTS,
        }
        for e in page.object_list
    ]
    return {
        "balances": balances,
        "star": star_progress(minutes=balances[Currency.HOURS]),
        "page": page,
        "lines": lines,
        "currency": currency,
        "tabs": [("", _("全部"))] + [(c.value, c.label) for c in CURRENCY_TABS],
    }


@never_cache
@login_required(login_url="mobile:login")
def my_ledger(request: HttpRequest) -> HttpResponse:
    """我的时长与积分: balances, the star level and the history, newest first."""
    person_id = getattr(request.user, "person_id", None)
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise Http404
    return render(request, "ledger/my_ledger.html", _history(request, person))


def _history_workbook(person: Person, currency: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("收支明细"))
    sheet.append([_("记账时间"), _("币种"), _("来源"), _("摘要"), _("数额"), _("记账后余额"), _("单位")])
    for e in entries_for(person=person, currency=currency or None).iterator(chunk_size=2000):
        points = e.account.currency == Currency.POINTS
        sheet.append(
            [
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                str(Currency(e.account.currency).label),
                source_words(e.posting.source),
                e.posting.memo,
                e.amount if points else round(e.amount / 60, 2),
                e.balance_after if points else round(e.balance_after / 60, 2),
                str(_("积分")) if points else str(_("小时")),
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@staff_page
def person_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """时长与积分 of one person, for staff whose scope holds her: the same balances and history
    she sees, an Excel export for those who may export her record, and, for the office staff
    where she lives, a manual adjustment of points or time credits with a reason, which she then
    sees in her history."""
    person = get_visible_or_404(request.user, Person, pk)
    by = Actor.from_request(request)
    may_export = can(request.user, Action.EXPORT, person)
    if request.GET.get("format") == "xlsx":
        if not may_export:
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        currency = _currency_param(request)
        audit_record(
            actor=by,
            action=AuditAction.EXPORT,
            target=person,
            detail={"list": "ledger_person_history", "currency": currency},
            now=timezone.now(),
        )
        response = HttpResponse(_history_workbook(person, currency), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ledger-person-{person.pk}.xlsx"'
        return response
    may_change = may_adjust(request.user, person)
    form = AdjustForm(request.POST or None) if may_change else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        status = 400
        if form.is_valid():
            try:
                ledger_adjust(
                    person=person,
                    currency=form.cleaned_data["currency"],
                    amount=form.signed_amount(),
                    reason=form.cleaned_data["reason"],
                    by=by,
                    now=timezone.now(),
                )
            except LedgerError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("已调整,本人的收支明细中可以看到这笔调整及原因。"))
                return redirect("ledger:person_ledger", pk=person.pk)
    context = {"person": person, "form": form, "may_export": may_export, **_history(request, person)}
    return render(request, "ledger/person_ledger.html", context, status=status)

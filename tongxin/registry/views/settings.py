"""设置: what district and system administrators edit — the need categories' names and order, and
the working-day calendar that every deadline is counted on. For other accounts these pages do not
exist (the same 404 as a missing row). Writes go through the needs and workdays services, which
validate and audit; these views only parse, call and render."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs.categories_admin import NAME_MAX, ORDER_MAX, may_edit_settings, need_category_rename
from tongxin.needs.models import NeedCategory
from tongxin.workdays.calendar import PACKAGE_YEARS, SHANGHAI, package_knows, work_calendar
from tongxin.workdays.models import CalendarDay, DayKind, DaySource
from tongxin.workdays.services import calendar_day_set, holidays_load

from ..access import registry_page

NORMAL = "normal"


def _require_settings(request: HttpRequest) -> None:
    if not may_edit_settings(request.user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))


def _refuse(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal, at the field it names (fields the form does not show: at the top)."""
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


# 诉求类别 ---------------------------------------------------------------------------------------


class CategoryForm(forms.Form):
    # Length and characters are the service's to judge, so the messages are the same everywhere.
    name = forms.CharField(label=gettext_lazy("名称"), required=False, max_length=200)
    order = forms.IntegerField(
        label=gettext_lazy("排序"),
        min_value=0,
        max_value=ORDER_MAX,
        error_messages={
            "required": gettext_lazy("请填写排序。"),
            "invalid": gettext_lazy("排序须是整数。"),
            "min_value": gettext_lazy("排序不能小于 0。"),
            "max_value": gettext_lazy("排序不能大于 999。"),
        },
    )


def _category_form(category: NeedCategory, data: Any = None) -> CategoryForm:
    initial = {"name": category.name, "order": category.order}
    return CategoryForm(data, initial=initial, prefix=f"cat-{category.code}")


@registry_page
def settings_categories(request: HttpRequest) -> HttpResponse:
    _require_settings(request)
    rows = [(c, _category_form(c)) for c in NeedCategory.objects.order_by("order", "code")]
    return render(request, "registry/settings/categories.html", {"rows": rows, "name_max": NAME_MAX})


@require_POST
@registry_page
def settings_category_save(request: HttpRequest, code: str) -> HttpResponse:
    """Save one row. htmx gets the row back (with the message at the field on a refusal); a
    browser without scripts gets the page again."""
    _require_settings(request)
    category = NeedCategory.objects.filter(code=code).first()
    if category is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    form = _category_form(category, request.POST)
    saved = False
    if form.is_valid():
        try:
            category = need_category_rename(
                code=code,
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
                by=Actor.from_request(request),
                now=timezone.now(),
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            saved = True
            form = _category_form(category)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"category": category, "form": form, "saved": saved, "name_max": NAME_MAX}
        return render(request, "registry/settings/_category_row.html", context)
    if saved:
        messages.success(request, _("已保存类别“%(name)s”。") % {"name": category.name})
        return redirect("registry:settings_categories")
    rows = [
        (c, form if c.code == code else _category_form(c))
        for c in NeedCategory.objects.order_by("order", "code")
    ]
    return render(
        request, "registry/settings/categories.html", {"rows": rows, "name_max": NAME_MAX}, status=200
    )


# 工作日历 ---------------------------------------------------------------------------------------


class DayForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=gettext_lazy("这一天"),
        widget=forms.RadioSelect,
        choices=[
            (NORMAL, gettext_lazy("正常(周一至周五上班,周末休息)")),
            (DayKind.HOLIDAY, gettext_lazy("放假")),
            (DayKind.WORKDAY, gettext_lazy("调休上班")),
        ],
        error_messages={"required": gettext_lazy("请选择这一天的安排。")},
    )
    name = forms.CharField(
        label=gettext_lazy("节日名称"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("放假或调休上班时填写,例如“春节”“国庆节”。"),
    )


@dataclass(frozen=True)
class DayCell:
    day: date
    weekend: bool
    holiday: str
    workday: str
    manual: bool
    past: bool
    today: bool


def _today() -> date:
    return timezone.now().astimezone(SHANGHAI).date()


def _years() -> tuple[int, int]:
    this = _today().year
    return this, this + 1


def _year_of(raw: str | None) -> int:
    """This year or next; anything else is shown as this year rather than refused, since an old
    bookmark should still open the page."""
    try:
        year = int(raw or "")
    except ValueError:
        return _years()[0]
    return year if year in _years() else _years()[0]


def _day_state(day: date) -> tuple[str, str]:
    days = work_calendar().year(day.year)
    if day in days.holidays:
        return DayKind.HOLIDAY, days.holidays[day]
    if day in days.workdays:
        return DayKind.WORKDAY, days.workdays[day]
    return NORMAL, ""


def _day_form(day: date, data: Any = None) -> DayForm:
    kind, name = _day_state(day)
    return DayForm(data, initial={"date": day, "kind": kind, "name": name}, auto_id="day_%s")


def _calendar_context(year: int, day_form: DayForm | None = None, day: date | None = None) -> dict[str, Any]:
    days = work_calendar().year(year)
    manual = set(
        CalendarDay.objects.filter(date__year=year, source=DaySource.MANUAL).values_list("date", flat=True)
    )
    today = _today()
    months = []
    for month in range(1, 13):
        weeks = [
            [
                None
                if d.month != month
                else DayCell(
                    day=d,
                    weekend=d.weekday() >= 5,
                    holiday=days.holidays.get(d, ""),
                    workday=days.workdays.get(d, ""),
                    manual=d in manual,
                    past=d < today,
                    today=d == today,
                )
                for d in week
            ]
            for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append({"first": date(year, month, 1), "weeks": weeks})
    stored = CalendarDay.objects.filter(date__year=year).exists()
    return {
        "year": year,
        "years": _years(),
        "months": months,
        "weekday_heads": [date(2024, 1, i) for i in range(1, 8)],  # 2024-01-01 was a Monday
        "origin": days.origin,
        "stored": stored,
        "package_knows": package_knows(year),
        "package_last": PACKAGE_YEARS.stop - 1,
        "holiday_count": len(days.holidays),
        "workday_count": len(days.workdays),
        "day_form": day_form,
        "day": day,
    }


def _parse_day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return None


@registry_page
def settings_calendar(request: HttpRequest) -> HttpResponse:
    _require_settings(request)
    year = _year_of(request.GET.get("year"))
    picked = _parse_day(request.GET.get("day"))
    form = _day_form(picked) if picked and picked.year == year and picked >= _today() else None
    return render(request, "registry/settings/calendar.html", _calendar_context(year, form, picked))


@registry_page
def settings_calendar_day(request: HttpRequest) -> HttpResponse:
    """GET: the small form for one day (htmx, into the side panel). POST: save it; done, the page
    reloads with the calendar redrawn; refused, the form comes back with the message at its field."""
    _require_settings(request)
    if request.method != "POST":
        day = _parse_day(request.GET.get("date"))
        if day is None or day.year not in _years():
            raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
        return render(request, "registry/settings/_day_form.html", {"form": _day_form(day), "day": day})
    form = DayForm(request.POST, auto_id="day_%s")
    day = form.cleaned_data["date"] if form.is_valid() else _parse_day(request.POST.get("date"))
    if day is None or day.year not in _years():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            calendar_day_set(
                date=day,
                kind=None if kind == NORMAL else kind,
                name=form.cleaned_data["name"],
                by=Actor.from_request(request),
                now=timezone.now(),
            )
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _day_done(day, kind, form.cleaned_data["name"]))
            url = f"{reverse('registry:settings_calendar')}?year={day.year}"
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse()
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/settings/_day_form.html", {"form": form, "day": day})
    return render(request, "registry/settings/calendar.html", _calendar_context(day.year, form, day))


def _day_done(day: date, kind: str, name: str) -> str:
    when = day.isoformat()
    if kind == DayKind.HOLIDAY:
        return _("已将 %(date)s 设为放假(%(name)s)。") % {"date": when, "name": name.strip()}
    if kind == DayKind.WORKDAY:
        return _("已将 %(date)s 设为调休上班(%(name)s)。") % {"date": when, "name": name.strip()}
    return _("%(date)s 已恢复为正常安排。") % {"date": when}


@require_POST
@registry_page
def settings_calendar_load(request: HttpRequest) -> HttpResponse:
    """载入默认安排: the chinese_calendar package's days for the year, through holidays_load (days
    set by hand are kept). A year the package does not know yet is said so, and nothing changes."""
    _require_settings(request)
    year = _year_of(request.POST.get("year"))
    try:
        result = holidays_load(year=year, by=Actor.from_request(request), now=timezone.now())
    except LookupError:
        messages.error(
            request,
            _(
                "节假日数据包只收录到 %(last)s 年,还没有 %(year)s 年的放假安排,没有载入任何内容。"
                "请在国务院办公厅公布 %(year)s 年安排后,在日历上逐日设置放假和调休上班。"
            )
            % {"last": PACKAGE_YEARS.stop - 1, "year": year},
        )
    else:
        messages.success(
            request,
            _(
                "已载入 %(year)s 年默认安排:新增 %(created)s 天,更新 %(updated)s 天,"
                "删除 %(deleted)s 天,保留手工设置 %(kept)s 天。"
            )
            % {
                "year": year,
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
                "kept": result.kept_manual,
            },
        )
    return redirect(f"{reverse('registry:settings_calendar')}?year={year}")

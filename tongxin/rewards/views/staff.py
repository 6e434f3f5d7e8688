"""Staff pages: the catalogue of the units and communities in the account's scope, the counter
where a redemption code is handed over, the redemptions and the time-bank bookings in scope
(each list with filters and an Excel export)."""

from collections.abc import Callable, Iterable, Sequence
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from tongxin.accounts.pages import staff_page
from tongxin.accounts.policies import visible
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.masking import mask_mobile
from tongxin.core.validators import normalize_person_name, parse_id_number
from tongxin.matching.skills import SKILL_LABEL
from tongxin.people.models import Person
from tongxin.people.services import id_number_index
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .. import policies, selectors
from ..forms import BookingFilter, CodeForm, ItemForm, RedemptionFilter, StaffBookForm
from ..models import CatalogueItem, Redemption, TimeBankBooking
from ..services import (
    RewardsError,
    booking_cancel,
    booking_complete,
    booking_create,
    format_credits,
    item_save,
    redemption_cancel,
    redemption_hand_over,
)
from ..services.redemption import normalize_code

View = Callable[..., HttpResponse]
PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope_or_404(user: Any) -> None:
    if not policies.has_catalogue_scope(user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))


def _offerers(user: Any) -> list[tuple[str, str]]:
    units = [(f"unit:{u.pk}", u.name) for u in policies.managed_units(user).order_by("name")[:500]]
    communities = [(f"community:{t.pk}", t.name) for t in policies.managed_communities(user)[:500]]
    return communities + units


def _offerer(user: Any, key: str) -> Unit | Territory:
    kind, _sep, raw = key.partition(":")
    found: Unit | Territory | None = None
    if raw.isascii() and raw.isdigit():
        if kind == "unit":
            found = policies.managed_units(user).filter(pk=int(raw)).first()
        elif kind == "community":
            found = policies.managed_communities(user).filter(pk=int(raw)).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return found


def xlsx_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> tuple[HttpResponse, int]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=filename[:31])
    sheet.append(list(headers))
    count = 0
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
        count += 1
    buffer = BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{filename}-{stamp}.xlsx')}"
    return response, count


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# --- Catalogue ---------------------------------------------------------------------------------


@staff_page
def items(request: HttpRequest) -> HttpResponse:
    _scope_or_404(request.user)
    rows = selectors.items_for_staff(request.user)
    query = request.GET.get("q", "").strip()[:50]
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(unit__name__icontains=query) | Q(community__name__icontains=query)
        )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/staff/items.html", {"page": page, "q": query})


@staff_page
def item_new(request: HttpRequest) -> HttpResponse:
    _scope_or_404(request.user)
    form = ItemForm(request.POST or None, offerers=_offerers(request.user), initial={"active": True})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                item = item_save(
                    data=form.data_object(),
                    offerer=_offerer(request.user, form.cleaned_data["offerer"]),
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except RewardsError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("已添加“%(name)s”。") % {"name": item.name})
                return redirect("rewards:items")
    return render(request, "rewards/staff/item_form.html", {"form": form, "item": None}, status=status)


def _staff_item(user: Any, pk: int) -> CatalogueItem:
    item = (
        CatalogueItem.objects.filter(policies.items_q(user), pk=pk)
        .select_related("unit", "community")
        .first()
    )
    if item is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return item


@staff_page
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_item(request.user, pk)
    initial = {
        "name": item.name,
        "description": item.description,
        "price": item.price,
        "stock": item.stock,
        "per_person_limit": item.per_person_limit,
        "valid_until": item.valid_until,
        "active": item.active,
    }
    form = ItemForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                item_save(
                    data=form.data_object(), item=item, by=Actor.from_request(request), now=timezone.now()
                )
            except RewardsError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect("rewards:items")
    return render(request, "rewards/staff/item_form.html", {"form": form, "item": item}, status=status)


# --- Redemptions and the counter -----------------------------------------------------------------


def _filtered_redemptions(request: HttpRequest) -> tuple[Any, RedemptionFilter]:
    rows = selectors.redemptions_for_staff(request.user)
    form = RedemptionFilter(request.GET or None)
    if form.is_valid():
        query = form.cleaned_data["q"].strip()[:50]
        if query:
            rows = rows.filter(Q(code=normalize_code(query)) | Q(item__name__icontains=query))
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
    return rows, form


@staff_page
def redemptions(request: HttpRequest) -> HttpResponse:
    _scope_or_404(request.user)
    rows, form = _filtered_redemptions(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/staff/redemptions.html", {"page": page, "form": form})


@staff_page
def redemptions_export(request: HttpRequest) -> HttpResponse:
    _scope_or_404(request.user)
    rows, _form = _filtered_redemptions(request)
    headers = [
        _("兑换码"),
        _("物品"),
        _("提供方"),
        _("兑换人"),
        _("积分"),
        _("状态"),
        _("兑换时间"),
        _("领取时间"),
    ]
    response, count = xlsx_response(
        filename=_("积分兑换记录"),
        headers=headers,
        rows=(
            (r.code, r.item.name, str(r.item.offerer), r.person.name, r.points, r.get_status_display(),
             _when(r.created_at), _when(r.handed_over_at))
            for r in rows.iterator(chunk_size=500)
        ),
    )  # fmt: skip
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type=Redemption._meta.label_lower,
        detail={"rows": count, "query": request.GET.urlencode()[:200]},
        now=timezone.now(),
    )
    return response


@staff_page
def counter(request: HttpRequest) -> HttpResponse:
    """Scan (the QR opens this page with ?code=) or type the code; one button hands it over."""
    _scope_or_404(request.user)
    source = request.POST if request.method == "POST" else request.GET
    form = CodeForm(source or None)
    found: Redemption | None = None
    status = 200
    if form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        found = selectors.redemptions_for_staff(request.user).filter(code=code).first()
        if found is None:
            form.add_error("code", _("未找到该兑换码,或不是本单位(社区)的兑换。"))
            status = 404 if request.method == "GET" else 400
        elif request.method == "POST" and request.POST.get("action") == "hand_over":
            try:
                found = redemption_hand_over(code=code, by=Actor.from_request(request), now=timezone.now())
            except RewardsError as refusal:
                messages.error(request, refusal.message)
                status = 400
            else:
                messages.success(request, _("已交付:%(name)s。") % {"name": found.item.name})
                return redirect(f"{request.path}?code={found.code}")
    if found is not None:
        audit_record(
            actor=Actor.from_request(request),
            action=AuditAction.REVEAL,
            target=found,
            detail={"page": "counter", "person": found.person_id},
            now=timezone.now(),
        )
    return render(request, "rewards/staff/counter.html", {"form": form, "found": found}, status=status)


@staff_page
@require_POST
def redemption_cancel_staff(request: HttpRequest, pk: int) -> HttpResponse:
    redemption = selectors.redemptions_for_staff(request.user).filter(pk=pk).first()
    if redemption is None:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    try:
        redemption_cancel(redemption=redemption, by=Actor.from_request(request), now=timezone.now())
    except RewardsError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已取消兑换,积分已退回。"))
    return redirect(f"{reverse('rewards:counter')}?code={redemption.code}")


# --- Time-bank bookings ----------------------------------------------------------------------------


def _bookings_scope(user: Any) -> None:
    if not policies.managed_communities(user).exists():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))


def _filtered_bookings(request: HttpRequest) -> tuple[Any, BookingFilter]:
    rows = selectors.bookings_for_staff(request.user)
    form = BookingFilter(request.GET or None, communities=policies.managed_communities(request.user))
    if form.is_valid():
        d = form.cleaned_data
        if d["status"]:
            rows = rows.filter(status=d["status"])
        if d["skill"]:
            rows = rows.filter(skill=d["skill"])
        if d["community"]:
            rows = rows.filter(community=d["community"])
    return rows, form


@staff_page
def bookings(request: HttpRequest) -> HttpResponse:
    _bookings_scope(request.user)
    rows, form = _filtered_bookings(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/staff/bookings.html", {"page": page, "form": form})


@staff_page
def bookings_export(request: HttpRequest) -> HttpResponse:
    _bookings_scope(request.user)
    rows, _form = _filtered_bookings(request)
    headers = [_("编号"), _("社区"), _("服务对象"), _("服务内容"), _("时间币"), _("希望时间"), _("状态"),
               _("志愿者"), _("完成时间")]  # fmt: skip
    response, count = xlsx_response(
        filename=_("时间银行预约"),
        headers=headers,
        rows=(
            (b.pk, b.community.name, b.beneficiary.name, str(SKILL_LABEL[b.skill]), format_credits(b.minutes),
             _when(b.wanted_at), b.get_status_display(), b.volunteer.name if b.volunteer else "",
             _when(b.done_at))
            for b in rows.iterator(chunk_size=500)
        ),
    )  # fmt: skip
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        object_type=TimeBankBooking._meta.label_lower,
        detail={"rows": count, "query": request.GET.urlencode()[:200]},
        now=timezone.now(),
    )
    return response


def _staff_booking(user: Any, pk: int) -> TimeBankBooking:
    booking = selectors.bookings_for_staff(user).filter(pk=pk).first()
    if booking is None:
        raise NotFoundOrForbidden(_("未找到该预约,或您无权查看。"))
    return booking


@staff_page
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _staff_booking(request.user, pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        step = {"done": booking_complete, "cancel": booking_cancel}.get(action or "")
        if step is None:
            status = 400
        else:
            try:
                step(booking=booking, by=Actor.from_request(request), now=timezone.now())
            except RewardsError as refusal:
                messages.error(request, refusal.message)
                status = 400
            else:
                messages.success(
                    request, _("已确认完成。") if action == "done" else _("已取消预约,时间币已退回。")
                )
                return redirect("rewards:booking_detail", pk=booking.pk)
        booking = _staff_booking(request.user, pk)
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.REVEAL,
        target=booking,
        detail={"field": "address", "person": booking.beneficiary_id},
        now=timezone.now(),
    )
    context = {
        "booking": booking,
        "events": booking.events.order_by("at", "pk"),
        "phone": mask_mobile(booking.beneficiary.mobile),
        "skill": SKILL_LABEL[booking.skill],
        "credits": format_credits(booking.minutes),
    }
    return render(request, "rewards/staff/booking_detail.html", context, status=status)


def _resident(user: Any, name: str, id_number: str) -> Person:
    try:
        facts = parse_id_number(id_number)
        clean_name = normalize_person_name(name)
    except ValidationError as error:
        raise RewardsError(error.messages[0], field="resident_id") from None
    person = (
        visible(user, Person).filter(id_number_index=id_number_index(facts.number), name=clean_name).first()
    )
    if person is None:
        raise RewardsError(_("在您的管辖范围内没有找到姓名和身份证号都相符的居民。"), field="resident_id")
    return person


@staff_page
def booking_new(request: HttpRequest) -> HttpResponse:
    """For an elderly resident without a phone: paid from her own credits or the community pool."""
    _bookings_scope(request.user)
    form = StaffBookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                resident = _resident(request.user, d["resident_name"], d["resident_id"])
                booking = booking_create(
                    beneficiary=resident,
                    payer=None if d["from_pool"] else resident,
                    skill=d["skill"],
                    minutes=d["minutes"],
                    wanted_at=form.wanted_at(),
                    address=d["address"],
                    note=d["note"],
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except RewardsError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("已为%(name)s预约,等待志愿者接单。") % {"name": resident.name})
                return redirect("rewards:booking_detail", pk=booking.pk)
    return render(request, "rewards/staff/booking_new.html", {"form": form}, status=status)

"""Phone pages: 积分商城 (items with my balance, an item, redeem, my redemptions with their QR) and
时间银行 (my credits, give to a relative, donate, book a service, my bookings, and for volunteers
the open bookings nearby)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of, entries_for
from tongxin.matching.skills import SKILL_LABEL
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.volunteers.policies import volunteer_of

from .. import policies, selectors
from ..forms import BookForm, DonateForm, TransferForm, credits_to_minutes
from ..models import BookingStatus, RedemptionStatus, TimeBankBooking
from ..services import (
    NoSuchRelative,
    RewardsError,
    booking_cancel,
    booking_complete,
    booking_create,
    booking_take,
    credits_donate,
    credits_transfer,
    format_credits,
    redemption_cancel,
    redemption_create,
)
from ..services.timebank import booking_end, community_of

View = Callable[..., HttpResponse]
PER_PAGE = 10
# Name + mobile look-ups that found nobody, per person per window (as records' verify page limits
# look-ups per address): a relative's number mistyped a few times is fine, a crawl is not.
LOOKUP_MISSES, LOOKUP_WINDOW = 10, 3600


def phone_page(view: View) -> View:
    """A logged-in person on the phone site; the view gets her Person; not hers is not there."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person_id = getattr(request.user, "person_id", None)
        person = (
            Person.objects.select_related("residence").filter(pk=person_id).first() if person_id else None
        )
        if person is None:
            raise Http404
        try:
            return view(request, person, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404 from None

    return login_required(never_cache(wrapped), login_url="mobile:login")


def _points(person: Person) -> int:
    return balance_of(person=person, currency=Currency.POINTS)


def _credits(person: Person) -> int:
    return balance_of(person=person, currency=Currency.CREDITS)


# --- 积分商城 --------------------------------------------------------------------------------------


@phone_page
def shop(request: HttpRequest, person: Person) -> HttpResponse:
    page = Paginator(selectors.shop_items(now=timezone.now()), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/phone/shop.html", {"page": page, "points": _points(person)})


@phone_page
def item(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    found = selectors.shop_items(now=timezone.now()).filter(pk=pk).first()
    if found is None:
        raise Http404
    status = 200
    if request.method == "POST":
        try:
            redemption = redemption_create(
                item=found, person=person, by=Actor.from_request(request), now=timezone.now()
            )
        except RewardsError as refusal:
            messages.error(request, refusal.message)
            status = 400
            found.refresh_from_db()
        else:
            messages.success(request, _("兑换成功!请到领取点出示兑换码。"))
            return redirect("rewards:m_redemption", pk=redemption.pk)
    context = {"item": found, "points": _points(person)}
    return render(request, "rewards/phone/item.html", context, status=status)


@phone_page
def my_redemptions(request: HttpRequest, person: Person) -> HttpResponse:
    page = Paginator(selectors.redemptions_of(person), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/phone/redemptions.html", {"page": page})


def _qr_svg(text: str) -> str:
    return mark_safe(segno.make(text, error="m").svg_inline(scale=6, border=2, title=text))  # noqa: S308 - segno's own SVG


@phone_page
def my_redemption(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    redemption = selectors.redemptions_of(person).filter(pk=pk).first()
    if redemption is None:
        raise Http404
    if request.method == "POST":
        try:
            redemption_cancel(redemption=redemption, by=Actor.from_request(request), now=timezone.now())
        except RewardsError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("已取消,%(n)d 积分已退回。") % {"n": redemption.points})
        return redirect("rewards:m_redemption", pk=redemption.pk)
    counter_url = request.build_absolute_uri(reverse("rewards:counter")) + f"?code={redemption.code}"
    context = {
        "r": redemption,
        "qr": _qr_svg(counter_url) if redemption.status == RedemptionStatus.ISSUED else "",
    }
    return render(request, "rewards/phone/redemption.html", context)


# --- 时间银行 --------------------------------------------------------------------------------------


@phone_page
def timebank(request: HttpRequest, person: Person) -> HttpResponse:
    entries = list(entries_for(person=person, currency=Currency.CREDITS)[:10])
    context = {
        "credits": format_credits(_credits(person)),
        "entries": [(e, format_credits(e.amount)) for e in entries],
        "is_volunteer": volunteer_of(person) is not None,
        "open_count": selectors.open_bookings_near(person, now=timezone.now()).count()
        if volunteer_of(person)
        else 0,
    }
    return render(request, "rewards/phone/timebank.html", context)


def _amount_error(form: Any) -> bool:
    minutes = credits_to_minutes(form.cleaned_data["amount"])
    if minutes is None:
        form.add_error("amount", _("请输入数字,如 1 或 1.5。"))
        return True
    form.cleaned_data["minutes"] = minutes
    return False


def _lookup_key(person: Person) -> str:
    return f"rewards-transfer-miss:{person.pk}"


def _lookups_used_up(person: Person) -> bool:
    return int(cache.get(_lookup_key(person), 0)) >= LOOKUP_MISSES


def _count_miss(person: Person) -> None:
    key = _lookup_key(person)
    cache.add(key, 0, LOOKUP_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, LOOKUP_WINDOW)


@phone_page
def transfer(request: HttpRequest, person: Person) -> HttpResponse:
    form = TransferForm(request.POST or None)
    status = 200
    if request.method == "POST" and _lookups_used_up(person):
        status = 429
        form.add_error(None, _("核对次数过多,请一小时后再试。"))
    elif request.method == "POST":
        status = 400
        if form.is_valid() and not _amount_error(form):
            d = form.cleaned_data
            try:
                done = credits_transfer(
                    person=person,
                    to_name=d["name"],
                    to_mobile=d["mobile"],
                    minutes=d["minutes"],
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except RewardsError as refusal:
                if isinstance(refusal, NoSuchRelative):
                    _count_miss(person)
                field = {"minutes": "amount"}.get(refusal.field or "", refusal.field)
                form.add_error(field if field in form.fields else None, refusal.message)
            else:
                messages.success(
                    request,
                    _("已转给%(name)s %(n)s 个时间币。")
                    % {
                        "name": done.to_person.name if done.to_person else "",
                        "n": format_credits(done.minutes),
                    },
                )
                return redirect("rewards:m_timebank")
    context = {
        "form": form,
        "credits": format_credits(_credits(person)),
        "relatives": selectors.relatives_of(person),
    }
    return render(request, "rewards/phone/transfer.html", context, status=status)


def _donate_choices(person: Person) -> Any:
    home = community_of(person)
    ids = [home.pk] if home else []
    return Territory.objects.filter(
        Q(pk__in=ids) | Q(pk__in=selectors.volunteer_communities(person).values("pk")),
        level__in=COMMUNITY_LEVELS,
    ).order_by("path")


@phone_page
def donate(request: HttpRequest, person: Person) -> HttpResponse:
    form = DonateForm(request.POST or None, communities=_donate_choices(person))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and not _amount_error(form):
            d = form.cleaned_data
            try:
                done = credits_donate(
                    person=person,
                    community=d["community"],
                    minutes=d["minutes"],
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except RewardsError as refusal:
                field = {"minutes": "amount"}.get(refusal.field or "", refusal.field)
                form.add_error(field if field in form.fields else None, refusal.message)
            else:
                messages.success(
                    request,
                    _("谢谢您!已向%(name)s捐出 %(n)s 个时间币。")
                    % {"name": d["community"].name, "n": format_credits(done.minutes)},
                )
                return redirect("rewards:m_timebank")
    context = {"form": form, "credits": format_credits(_credits(person))}
    return render(request, "rewards/phone/donate.html", context, status=status)


@phone_page
def book(request: HttpRequest, person: Person) -> HttpResponse:
    """For herself, or for a relative she has declared (she pays)."""
    beneficiaries = Person.objects.filter(
        Q(pk=person.pk) | Q(pk__in=selectors.relatives_of(person).values("pk"))
    ).order_by("pk")
    form = BookForm(request.POST or None, beneficiaries=beneficiaries, initial={"beneficiary": person.pk})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                booking = booking_create(
                    beneficiary=d["beneficiary"],
                    payer=person,
                    skill=d["skill"],
                    minutes=d["minutes"],
                    wanted_at=form.wanted_at(),
                    address=d["address"],
                    note=d["note"],
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except RewardsError as refusal:
                field = {"wanted_at": "day"}.get(refusal.field or "", refusal.field)
                form.add_error(field if field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("预约成功,时间币已冻结,等待志愿者接单。"))
                return redirect("rewards:m_booking", pk=booking.pk)
    context = {"form": form, "credits": format_credits(_credits(person))}
    return render(request, "rewards/phone/book.html", context, status=status)


def _booking_rows(bookings: Any) -> list[dict[str, Any]]:
    return [{"b": b, "skill": SKILL_LABEL[b.skill], "credits": format_credits(b.minutes)} for b in bookings]


@phone_page
def my_bookings(request: HttpRequest, person: Person) -> HttpResponse:
    page = Paginator(selectors.bookings_of(person), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/phone/bookings.html", {"page": page, "rows": _booking_rows(page)})


@phone_page
def my_booking(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    booking = selectors.bookings_of(person).filter(pk=pk).first()
    if booking is None:
        raise Http404
    side = policies.booking_side(request.user, booking)
    if request.method == "POST":
        action = request.POST.get("action", "")
        step = {"done": booking_complete, "cancel": booking_cancel}.get(action)
        if step is None or not side:
            raise Http404
        try:
            step(booking=booking, by=Actor.from_request(request), now=timezone.now())
        except RewardsError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("已确认完成,谢谢志愿者!") if action == "done" else _("已取消,时间币已退回。")
            )
        return redirect("rewards:m_booking", pk=booking.pk)
    context = {
        "b": booking,
        "side": side,
        "skill": SKILL_LABEL[booking.skill],
        "credits": format_credits(booking.minutes),
        # The address is for the elderly person's side and the volunteer who took it.
        "show_address": side or booking.volunteer_id == person.pk,
        "may_confirm": policies.is_beneficiary(request.user, booking)
        and booking.status == BookingStatus.TAKEN
        and booking_end(booking) <= timezone.now(),
        "others_confirm": side
        and not policies.is_beneficiary(request.user, booking)
        and booking.status == BookingStatus.TAKEN,
        "may_cancel": side and booking.status in (BookingStatus.OPEN, BookingStatus.TAKEN),
    }
    return render(request, "rewards/phone/booking.html", context)


@phone_page
def open_bookings(request: HttpRequest, person: Person) -> HttpResponse:
    if volunteer_of(person) is None:
        return render(request, "rewards/phone/open.html", {"not_volunteer": True})
    rows = selectors.open_bookings_near(person, now=timezone.now())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rewards/phone/open.html", {"page": page, "rows": _booking_rows(page)})


@phone_page
@require_POST
def take(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    booking = TimeBankBooking.objects.filter(
        pk=pk, community__in=selectors.volunteer_communities(person).values("pk")
    ).first()
    if booking is None:
        raise Http404
    try:
        booking_take(booking=booking, volunteer=person, by=Actor.from_request(request), now=timezone.now())
    except RewardsError as refusal:
        messages.error(request, refusal.message)
        return redirect("rewards:m_open")
    messages.success(request, _("接单成功!请按时上门服务。"))
    return redirect("rewards:m_booking", pk=booking.pk)

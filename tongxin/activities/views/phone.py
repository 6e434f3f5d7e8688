"""The volunteer's phone pages: activities to join (filtered by her subscriptions, a category or
a community), an activity with its slots and places left, signing up and cancelling, 我的活动,
her subscriptions, and the page the venue's QR code opens (签到 / 签退)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.accounts.pages import phone_page
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.matching.skills import SKILL_LABEL
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory

from .. import qr, selectors, services
from ..forms import SubscriptionForm
from ..models import ACTIVE_SIGNUP, Activity, Category, SignUp, SignUpStatus, Slot, Status, Subscription
from ..policies import may_take_part
from ..services import ActivityError
from .common import my_person, safe_int, volunteer_register_url

PER_PAGE = 10


def _person_or_404(request: HttpRequest) -> Person:
    person = my_person(request)
    if person is None:
        raise Http404
    return person


@phone_page
def m_list(request: HttpRequest) -> HttpResponse:
    person = my_person(request)
    now = timezone.now()
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    community_id = safe_int(request.GET.get("community"))
    subscribed = Subscription.objects.filter(person=person, category_bits__gt=0).exists() if person else False
    mine = request.GET.get("mine", "1" if subscribed else "") == "1" and subscribed
    rows = selectors.phone_activities(
        now=now, category=category, community_id=community_id, person=person if mine else None
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    communities = Territory.objects.filter(
        level__in=COMMUNITY_LEVELS,
        pk__in=Activity.objects.filter(status=Status.PUBLISHED, slots__starts_at__gt=now).values(
            "community_id"
        ),
    ).order_by("path")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/phone/list.html",
        {
            "page": page,
            "category": category,
            "community_id": community_id,
            "categories": Category.choices,
            "communities": communities,
            "mine": mine,
            "subscribed": subscribed,
            "query": query.urlencode(),
        },
    )


def _visible_activity(pk: int) -> Activity:
    activity = (
        Activity.objects.exclude(status=Status.DRAFT)
        .select_related("community", "organization", "territory", "unit", "team")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise NotFoundOrForbidden(_("未找到该活动。"))
    return activity


@phone_page
def m_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _visible_activity(pk)
    person = my_person(request)
    now = timezone.now()
    mine = {}
    if person is not None:
        for s in SignUp.objects.filter(person=person, slot__activity=activity).exclude(
            status=SignUpStatus.CANCELLED
        ):
            mine[s.slot_id] = s
    slots = []
    for slot in selectors.slots_with_counts(activity).filter(ends_at__gt=now):
        signup = mine.get(slot.pk)
        slots.append(
            {
                "slot": slot,
                "left": max(0, slot.capacity - slot.confirmed),  # type: ignore[attr-defined]
                "signup": signup,
                "position": services.waitlist_position(signup)
                if signup and signup.status == SignUpStatus.WAITLISTED
                else None,
                "deadline": services.cancel_deadline(slot),
                "open": slot.starts_at > now and activity.status == Status.PUBLISHED,
                "cancellable": signup is not None
                and signup.status in ACTIVE_SIGNUP
                and (signup.status == SignUpStatus.WAITLISTED or now < services.cancel_deadline(slot)),
            }
        )
    eligible = person is not None and may_take_part(person)
    return render(
        request,
        "activities/phone/detail.html",
        {
            "activity": activity,
            "slots": slots,
            "skills": [SKILL_LABEL[c] for c in activity.skills],
            "eligible": eligible,
            "register_url": volunteer_register_url(),
            "is_member": person is not None and Membership.objects.filter(person=person).exists(),
        },
    )


@phone_page
@require_POST
def m_signup(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request)
    slot = Slot.objects.filter(pk=pk, activity__status__in=(Status.PUBLISHED, Status.CANCELLED)).first()
    if slot is None:
        raise Http404
    try:
        signup = services.signup_create(
            slot=slot, person=person, by=Actor.from_request(request), now=timezone.now()
        )
    except ActivityError as refusal:
        messages.error(request, refusal.message)
    else:
        if signup.status == SignUpStatus.CONFIRMED:
            messages.success(request, _("报名成功!请按时到场,扫现场二维码签到。"))
        else:
            messages.info(
                request,
                _("名额已满,您已进入候补名单,排第%(n)d位。有人取消时会自动转为正式报名并通知您。")
                % {"n": services.waitlist_position(signup)},
            )
    return redirect("activities:m_detail", pk=slot.activity_id)


@phone_page
@require_POST
def m_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request)
    signup = SignUp.objects.filter(pk=pk, person=person).select_related("slot").first()
    if signup is None:
        raise Http404
    try:
        services.signup_cancel(signup=signup, by=Actor.from_request(request), now=timezone.now())
    except ActivityError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已取消报名。"))
    if request.POST.get("back") == "mine":
        return redirect("activities:m_mine")
    return redirect("activities:m_detail", pk=signup.slot.activity_id)


@phone_page
def m_mine(request: HttpRequest) -> HttpResponse:
    person = _person_or_404(request)
    mine = selectors.my_activities(person, now=timezone.now())
    waitlisted = [(s, services.waitlist_position(s)) for s in mine.waitlisted]
    total = sum(s.minutes or 0 for s in mine.past)
    return render(
        request,
        "activities/phone/mine.html",
        {"upcoming": mine.upcoming, "waitlisted": waitlisted, "past": mine.past, "total_minutes": total},
    )


def _subscription_communities(person: Person, sub: Subscription | None) -> Any:
    """Communities of the street she lives in, of her branch's street, and those already chosen."""
    step = Territory.steplen
    paths = [person.residence.path] if person.residence_id and person.residence else []
    membership = Membership.objects.filter(person=person).select_related("organization__territory").first()
    if membership is not None and membership.organization.territory is not None:
        paths.append(membership.organization.territory.path)
    q = Q(pk__in=sub.communities.values("pk")) if sub else Q(pk__in=[])
    for street in {p[: 2 * step] for p in paths if len(p) >= 2 * step}:
        q |= Q(path__startswith=street)
    return Territory.objects.filter(q, level__in=COMMUNITY_LEVELS).order_by("path")


@phone_page
def m_subscriptions(request: HttpRequest) -> HttpResponse:
    person = _person_or_404(request)
    sub = Subscription.objects.filter(person=person).first()
    choices = _subscription_communities(person, sub)
    initial: dict[str, Any] = {"by_sms": True}
    if sub is not None:
        initial = {
            "categories": sub.categories,
            "communities": list(sub.communities.all()),
            "by_sms": sub.by_sms,
        }
    elif person.residence is not None:
        initial["communities"] = list(choices.filter(path=person.residence.path[: 3 * Territory.steplen]))
    form = SubscriptionForm(request.POST or None, initial=initial, communities=choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.subscription_save(
                    person=person,
                    categories=d["categories"],
                    communities=d["communities"],
                    by_sms=d["by_sms"],
                    by=Actor.from_request(request),
                    now=timezone.now(),
                )
            except ActivityError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(
                    request,
                    _("已保存。有新活动时会通知您。") if d["categories"] else _("已保存,不再推送新活动。"),
                )
                return redirect("activities:m_subscriptions")
    return render(request, "activities/phone/subscriptions.html", {"form": form}, status=status)


@phone_page
def scan(request: HttpRequest, token: str) -> HttpResponse:
    """The page the venue's QR code opens: her sign-up for that slot, with 签到 / 签退."""
    now = timezone.now()
    person = my_person(request)
    context: dict[str, Any] = {"token": token}
    try:
        slot, _paper = qr.slot_from_token(token, now=now)
    except ActivityError as refusal:
        context["error"] = refusal.message
        return render(request, "activities/phone/scan.html", context, status=400)
    activity = slot.activity
    signup = (
        SignUp.objects.filter(slot=slot, person=person, status=SignUpStatus.CONFIRMED).first()
        if person
        else None
    )
    status = 200
    if request.method == "POST" and signup is not None:
        action = request.POST.get("action")
        by = Actor.from_request(request)
        try:
            if action == "in":
                services.signup_check_in(signup=signup, by=by, now=now)
                messages.success(request, _("签到成功,感谢您的参与!"))
            elif action == "out":
                done = services.signup_check_out(signup=signup, by=by, now=now)
                messages.success(
                    request,
                    _("签退成功,本次服务%(m)d分钟,已记入您的志愿服务记录。") % {"m": done.minutes or 0},
                )
            return redirect("activities:scan", token=token)
        except ActivityError as refusal:
            context["error"] = refusal.message
            status = 400
    opens, closes = services.checkin_window(slot)
    context |= {
        "slot": slot,
        "activity": activity,
        "signup": signup,
        "opens": opens,
        "closes": closes,
        "other": SignUp.objects.filter(slot=slot, person=person)
        .exclude(status=SignUpStatus.CONFIRMED)
        .first()
        if person and signup is None
        else None,
    }
    return render(request, "activities/phone/scan.html", context, status=status)

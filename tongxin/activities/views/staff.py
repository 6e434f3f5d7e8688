"""The organiser's pages: the list, the activity form with its slots, the activity's page
(publish, cancel, finish) and the slot's roster (check in/out by tapping, absences, hours)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import visible
from tongxin.core import masking
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.matching.skills import SKILL_LABEL
from tongxin.people.models import Person
from tongxin.people.selectors import person_find_by_id_number

from .. import selectors, services
from ..forms import ActivityForm, AdjustForm, CancelForm, SlotForm, SlotFormSet, blank_slot_initial
from ..models import Category, CheckMethod, SignUp, SignUpStatus, Slot, Status
from ..policies import activity_for_organiser, is_organiser, organised_by, organiser_choices, organiser_key
from ..services import ActivityError
from .common import safe_int, staff_page

PER_PAGE = 20


@staff_page
def activity_list(request: HttpRequest) -> HttpResponse:
    if not is_organiser(request.user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    query = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    rows = selectors.staff_activities(request.user, query=query, status=status, category=category)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/staff/list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "category": category,
            "statuses": Status.choices,
            "categories": Category.choices,
            "filtered": bool(query or status or category),
        },
    )


def _slot_forms(request: HttpRequest, slots: list[Slot] | None) -> Any:
    if request.method == "POST":
        return SlotFormSet(request.POST, prefix="slots")
    initial = [SlotForm.initial_of(s) for s in slots] if slots else [blank_slot_initial(timezone.now())]
    formset = SlotFormSet(initial=initial, prefix="slots")
    formset.extra = 0 if slots is None else 1
    return formset


def _activity_form(request: HttpRequest, activity: Any = None) -> HttpResponse:
    organisers = organiser_choices(request.user)
    if activity is None and not organisers:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    editing = activity is not None
    initial: dict[str, Any] = {}
    if editing:
        initial = {
            "organiser": organiser_key(activity.organiser),
            "title": activity.title,
            "category": activity.category,
            "community": activity.community,
            "venue": activity.venue,
            "address": activity.address,
            "description": activity.description,
            "skills": activity.skills,
            "min_age": activity.min_age,
            "max_age": activity.max_age,
            "awards_hours": activity.awards_hours,
            "awards_points": activity.awards_points,
            "cancel_hours": activity.cancel_hours,
            "checkin_minutes": activity.checkin_minutes,
        }
        from ..policies import OrganiserChoice

        key = initial["organiser"]
        if key not in {c.key for c in organisers}:
            organisers = [OrganiserChoice(key, str(activity.organiser), activity.organiser), *organisers]
    form = ActivityForm(request.POST or None, initial=initial, organisers=organisers, editing=editing)
    slots = _slot_forms(request, list(activity.slots.all()) if editing else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and slots.is_valid():
            slot_data = [
                f.slot_data() for f in slots.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            by, now = Actor.from_request(request), timezone.now()
            try:
                if editing:
                    saved = services.activity_update(
                        activity=activity, data=form.activity_data(), slots=slot_data, by=by, now=now
                    )
                else:
                    chosen = form.organisers[form.cleaned_data["organiser"]].organiser
                    saved = services.activity_create(
                        organiser=chosen, data=form.activity_data(), slots=slot_data, by=by, now=now
                    )
            except ActivityError as refusal:
                if refusal.field in form.fields and refusal.field != "organiser":
                    form.add_error(refusal.field, refusal.message)
                else:
                    form.add_error(None, refusal.message)
            else:
                messages.success(request, _("已保存。") if editing else _("已创建草稿,确认无误后请发布。"))
                return redirect("activities:detail", pk=saved.pk)
    return render(
        request,
        "activities/staff/form.html",
        {"form": form, "slots": slots, "activity": activity, "editing": editing},
        status=status,
    )


@staff_page
def activity_new(request: HttpRequest) -> HttpResponse:
    return _activity_form(request)


@staff_page
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_organiser(request.user, pk)
    if activity.status in (Status.CANCELLED, Status.FINISHED):
        messages.error(request, _("活动已取消或已结束,不能再修改。"))
        return redirect("activities:detail", pk=activity.pk)
    return _activity_form(request, activity)


@staff_page
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = activity_for_organiser(request.user, pk)
    return _detail(request, activity, CancelForm())


def _detail(request: HttpRequest, activity: Any, cancel_form: CancelForm, status: int = 200) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "activities/staff/detail.html",
        {
            "activity": activity,
            "slots": selectors.slots_with_counts(activity),
            "events": activity.events.select_related("actor").order_by("-at", "-pk")[:20],
            "skills": [SKILL_LABEL[c] for c in activity.skills],
            "cancel_form": cancel_form,
            "now": now,
        },
        status=status,
    )


@staff_page
@require_POST
def activity_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    activity = activity_for_organiser(request.user, pk)
    by, now = Actor.from_request(request), timezone.now()
    try:
        if step == "publish":
            services.activity_publish(activity=activity, by=by, now=now)
            messages.success(request, _("已发布,关注该类别和社区的志愿者会收到通知。"))
        elif step == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                return _detail(request, activity, form, status=400)
            services.activity_cancel(activity=activity, reason=form.cleaned_data["reason"], by=by, now=now)
            messages.success(request, _("活动已取消,已通知报名者。"))
        elif step == "finish":
            services.activity_finish(activity=activity, by=by, now=now)
            messages.success(request, _("活动已结束。"))
        else:
            raise Http404
    except ActivityError as refusal:
        messages.error(request, refusal.message)
    return redirect("activities:detail", pk=activity.pk)


def slot_for_organiser(user: Any, pk: object) -> Slot:
    slot = (
        Slot.objects.filter(activity__in=organised_by(user), pk=safe_int(pk) or 0)
        .select_related("activity__community", "activity__organization", "activity__territory")
        .select_related("activity__unit", "activity__team")
        .first()
    )
    if slot is None:
        raise NotFoundOrForbidden(_("未找到该活动,或您无权查看。"))
    return slot


def roster_rows(slot: Slot) -> list[dict[str, Any]]:
    rows = []
    position = 0
    for signup in selectors.roster(slot):
        if signup.status == SignUpStatus.WAITLISTED:
            position += 1
        rows.append(
            {
                "s": signup,
                "phone": masking.mask_mobile(signup.person.mobile) if signup.person.mobile else "",
                "position": position if signup.status == SignUpStatus.WAITLISTED else None,
            }
        )
    return rows


@staff_page
def slot_roster(request: HttpRequest, pk: int) -> HttpResponse:
    slot = slot_for_organiser(request.user, pk)
    status = 200
    if request.method == "POST":
        status = _roster_action(request, slot)
        if status == 200:
            return redirect("activities:roster", pk=slot.pk)
    opens, closes = services.checkin_window(slot)
    now = timezone.now()
    return render(
        request,
        "activities/staff/roster.html",
        {
            "slot": slot,
            "activity": slot.activity,
            "rows": roster_rows(slot),
            "opens": opens,
            "closes": closes,
            "started": now >= slot.starts_at,
            "ended": now >= slot.ends_at,
            "adjust_form": AdjustForm(),
        },
        status=status,
    )


def _roster_action(request: HttpRequest, slot: Slot) -> int:
    by, now = Actor.from_request(request), timezone.now()
    action = request.POST.get("action", "")
    try:
        if action == "confirm":
            counts = services.slot_confirm(slot=slot, by=by, now=now)
            messages.success(
                request,
                _("名单已确认:记录时长%(r)d人,缺席%(n)d人。")
                % {"r": counts["recorded"], "n": counts["no_show"]},
            )
            return 200
        if action == "add":
            return _roster_add(request, slot, by=by, now=now)
        if action == "renew_qr":
            services.slot_qr_renew(slot=slot, by=by, now=now)
            messages.success(
                request, _("已更换签到二维码:之前的二维码(含已打印的签到表)全部失效,请重新打印签到表。")
            )
            return 200
        signup = SignUp.objects.filter(slot=slot, pk=safe_int(request.POST.get("signup")) or 0).first()
        if signup is None:
            raise NotFoundOrForbidden(_("未找到该报名记录,或您无权查看。"))
        if action == "check_in":
            services.signup_check_in(signup=signup, by=by, now=now, method=CheckMethod.ROSTER)
            messages.success(request, _("%(name)s已签到。") % {"name": signup.person.name})
        elif action == "check_out":
            services.signup_check_out(signup=signup, by=by, now=now, method=CheckMethod.ROSTER)
            messages.success(request, _("%(name)s已签退。") % {"name": signup.person.name})
        elif action == "no_show":
            services.signup_mark_no_show(signup=signup, by=by, now=now)
            messages.success(request, _("%(name)s已标记为缺席。") % {"name": signup.person.name})
        elif action == "adjust":
            form = AdjustForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写调整后的时长(分钟)和原因。"))
                return 400
            services.signup_adjust(
                signup=signup,
                minutes=form.cleaned_data["minutes"],
                reason=form.cleaned_data["reason"],
                by=by,
                now=now,
            )
            messages.success(request, _("%(name)s的服务时长已调整。") % {"name": signup.person.name})
        else:
            raise NotFoundOrForbidden(_("未找到该报名记录,或您无权查看。"))
    except ActivityError as refusal:
        messages.error(request, refusal.message)
        return 400
    return 200


__all__ = [
    "activity_detail",
    "activity_edit",
    "activity_list",
    "activity_new",
    "activity_step",
    "slot_roster",
]


def _roster_add(request: HttpRequest, slot: Slot, *, by: Actor, now: Any) -> int:
    """The organiser signs up someone without a phone, found by ID number among the people the
    account may see (the number is posted, never put in an address)."""
    number = request.POST.get("id_number", "").strip().upper()[:18]
    person = person_find_by_id_number(persons=visible(request.user, Person), id_number=number)
    if person is None:
        messages.error(request, _("未找到该身份证号对应的人员,或不在您的管辖范围内。"))
        return 400
    signup = services.signup_create(slot=slot, person=person, by=by, now=now)
    if signup.status == SignUpStatus.WAITLISTED:
        messages.success(
            request,
            _("%(name)s已进入候补名单,排第%(n)d位。")
            % {"name": person.name, "n": services.waitlist_position(signup)},
        )
    else:
        messages.success(request, _("已为%(name)s报名。") % {"name": person.name})
    return 200

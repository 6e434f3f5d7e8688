"""Pages of the care registry. Staff (base.html): the registry list with filters and export, the
coverage bars, a subject's record (audited on every view), register, edit, close, assign visitors,
log a visit. Phone (mobile/base.html): 我的走访 — a visitor's subjects, a visit in a few taps, the
visitor's history, and a tap-to-call that reveals the number through an audited request.

Views stay thin: policies fetch-and-check (the same 404 for missing and forbidden), services write."""

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.accounts.pages import phone_page, staff_page
from tongxin.accounts.policies import Action, visible
from tongxin.core.actor import Actor
from tongxin.core.masking import age_on, mask_mobile
from tongxin.core.validators import parse_row_id
from tongxin.people.models import Membership, Person

from . import exports, policies, selectors, services
from .forms import CloseForm, SubjectForm, VisitForm
from .models import CareAssignment, CareSubject, Condition, Kind
from .services import CareError

View = Callable[..., HttpResponse]
PER_PAGE = 25
PHONE_PER_PAGE = 10


def _today() -> Any:
    return timezone.localdate()


def _staff_scope(user: Any) -> None:
    if not policies.staff_roots(user):
        raise policies.not_found()


def _visited_at(visited_on: Any, now: datetime) -> datetime:
    """A visit on an earlier day is put at noon of that day; today's at the moment it is logged."""
    if visited_on is None or visited_on == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(visited_on, time(12, 0)))


# --- staff: the registry ----------------------------------------------------------------------


def _list_context(request: HttpRequest, *, force_overdue: bool = False) -> dict[str, Any]:
    user = request.user
    today = _today()
    filters = selectors.parse_filters(request.GET)
    if force_overdue:
        filters = selectors.ListFilters(**{**filters.__dict__, "overdue": True, "closed": False})
    rows = selectors.with_open_visitors(selectors.subject_list(user, filters, today=today), today)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for s in page:
        s.late = (today - s.due_on).days  # type: ignore[attr-defined]
    query: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return {
        "page": page,
        "filters": filters,
        "today": today,
        "kinds": Kind.choices,
        "communities": selectors.scope_communities(user),
        "visitors": selectors.scope_visitors(user, today)[:300],
        "overdue_total": selectors.overdue_count(user, today),
        "export_query": urlencode(query),
        "may_create": bool(policies.staff_roots(user, Action.CREATE)),
        "force_overdue": force_overdue,
    }


@staff_page
def subject_list(request: HttpRequest) -> HttpResponse:
    _staff_scope(request.user)
    return render(request, "care/subject_list.html", _list_context(request))


@staff_page
def overdue_list(request: HttpRequest) -> HttpResponse:
    _staff_scope(request.user)
    return render(request, "care/subject_list.html", _list_context(request, force_overdue=True))


@staff_page
def subject_export(request: HttpRequest) -> HttpResponse:
    if not policies.staff_roots(request.user, Action.EXPORT):
        raise policies.not_found()
    filters = selectors.parse_filters(request.GET)
    return exports.subjects_workbook(request, filters)


@staff_page
def coverage(request: HttpRequest) -> HttpResponse:
    _staff_scope(request.user)
    today = _today()
    rows = selectors.coverage(request.user, today)
    total = sum(r.total for r in rows)
    overdue = sum(r.overdue for r in rows)
    context = {"rows": rows, "total": total, "overdue": overdue, "on_time": total - overdue, "today": today}
    return render(request, "care/coverage.html", context)


def _subject_form(request: HttpRequest, **kwargs: Any) -> SubjectForm:
    communities = selectors.scope_communities(request.user, Action.CREATE)
    return SubjectForm(request.POST or None, communities=communities, **kwargs)


def _chosen_person(user: Any, raw: str) -> Person:
    pk = parse_row_id(raw) if raw else None
    person = visible(user, Person).filter(pk=pk).select_related("residence").first() if pk else None
    if person is None:
        raise CareError(_("请从搜索结果中选择关爱对象本人。"), field="person")
    return person


@staff_page
def subject_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policies.staff_roots(user, Action.CREATE):
        raise policies.not_found()
    communities = selectors.scope_communities(user, Action.CREATE)
    initial: dict[str, Any] = {"basis": "consent", "consent_by": "self", "consent_on": _today()}
    if communities.count() == 1:
        initial["community"] = communities.first()
    form = _subject_form(request, initial=initial)
    person = None
    person_error = ""
    if request.method == "POST":
        form.is_valid()
        try:
            person = _chosen_person(user, request.POST.get("person", "").strip())
            if form.errors:
                raise CareError(_("请按提示修改后再提交。"))
            subject = services.subject_register(
                person=person, by=Actor.from_request(request), now=timezone.now(), **form.service_kwargs()
            )
        except CareError as refusal:
            if refusal.field == "person":
                person_error = str(refusal.message)
            else:
                form.refuse(refusal)
        else:
            messages.success(request, _("已登记关爱对象%(name)s。") % {"name": person.name})
            return redirect("care:subject_detail", pk=subject.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person, "person_error": person_error}
    return render(request, "care/subject_form.html", context, status=status)


@staff_page
def person_search(request: HttpRequest) -> HttpResponse:
    """Persons in the account's scope by part of the name (htmx, for the register form)."""
    query = request.GET.get("pq", "").strip()[:50]
    found: list[Person] = []
    if query:
        found = list(
            visible(request.user, Person)
            .filter(name__icontains=query)
            .select_related("residence")
            .order_by("name_sort", "pk")[:8]
        )
    registered = set(
        CareSubject.objects.filter(person__in=[p.pk for p in found], active=True).values_list(
            "person_id", flat=True
        )
    )
    rows = [
        {"p": p, "phone": mask_mobile(p.mobile) if p.mobile else "", "registered": p.pk in registered}
        for p in found
    ]
    return render(request, "care/_persons.html", {"rows": rows, "query": query})


def _basis_initial(subject: CareSubject) -> dict[str, Any]:
    return {
        "kinds": subject.kind_bits and [k.value for k in subject.kinds],
        "community": subject.community,
        "place": subject.place,
        "basis": subject.basis,
        "consent_by": subject.consent_by,
        "guardian_name": subject.guardian_name,
        "consent_on": subject.consent_on,
        "legal_basis": subject.legal_basis,
        "legal_reference": subject.legal_reference,
        "cadence_days": subject.cadence_days,
        "notes": subject.notes,
    }


@staff_page
def subject_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = policies.staff_subject_or_404(request.user, pk, Action.CHANGE)
    if not subject.active:
        raise policies.not_found()
    if request.method != "POST":  # the form shows notes, place and guardian in clear (§7)
        services.subject_viewed(
            subject=subject, by=Actor.from_request(request), now=timezone.now(), view="care_subject_edit"
        )
    form = _subject_form(request, initial=_basis_initial(subject))
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_update(
                subject=subject, by=Actor.from_request(request), now=timezone.now(), **form.service_kwargs()
            )
        except CareError as refusal:
            form.refuse(refusal)
        else:
            messages.success(request, _("已保存。"))
            return redirect("care:subject_detail", pk=subject.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "subject": subject, "person": subject.person}
    return render(request, "care/subject_form.html", context, status=status)


def _visit_form(request: HttpRequest, subject: CareSubject, data: Any = None) -> VisitForm:
    today = _today()
    choices: list[tuple[int, str]] = []
    own = getattr(request.user, "person_id", None)
    if own is not None:
        choices.append((own, _("我本人")))
    for a in policies.open_assignments(today).filter(subject=subject).select_related("visitor"):
        if a.visitor_id != own:
            choices.append((a.visitor_id, a.visitor.name))
    return VisitForm(data, visitors=choices, today=today)


def _detail_context(request: HttpRequest, subject: CareSubject) -> dict[str, Any]:
    today = _today()
    person = subject.person
    visits = Paginator(selectors.subject_visits(subject), 20).get_page(request.GET.get("page"))
    return {
        "subject": subject,
        "person": person,
        "age": age_on(person.birth_date, today),
        "phone": mask_mobile(person.mobile) if person.mobile else "",
        "today": today,
        "overdue_days": services.overdue_days(subject, today),
        "assignments": selectors.subject_assignments(subject),
        "open_visitor_ids": set(
            policies.open_assignments(today).filter(subject=subject).values_list("visitor_id", flat=True)
        ),
        "visits": visits,
        "events": subject.events.all(),
        "may_change": subject.active and policies.is_staff_for(request.user, subject, Action.CHANGE),
        "close_form": CloseForm(),
    }


@staff_page
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = policies.staff_subject_or_404(request.user, pk)
    services.subject_viewed(subject=subject, by=Actor.from_request(request), now=timezone.now())
    context = _detail_context(request, subject)
    context["visit_form"] = _visit_form(request, subject)
    return render(request, "care/subject_detail.html", context)


@require_POST
@staff_page
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    subject = policies.staff_subject_or_404(request.user, pk, Action.CHANGE)
    form = _visit_form(request, subject, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        visitor_pk = data.get("visitor")
        visitor = Person.objects.filter(pk=visitor_pk).first() if visitor_pk else None
        try:
            if visitor is None:
                raise CareError(_("请选择走访人。"), field="visitor")
            services.visit_log(
                subject=subject,
                visitor=visitor,
                visited_at=_visited_at(form.visit_day(), now),
                way=data.get("way") or "",
                condition=data.get("condition") or "",
                notes=data.get("notes") or "",
                follow_up=bool(data.get("follow_up")),
                by=Actor.from_request(request),
                now=now,
            )
        except CareError as refusal:
            form.refuse(refusal)
        else:
            messages.success(request, _("已登记走访。"))
            return redirect("care:subject_detail", pk=subject.pk)
    services.subject_viewed(subject=subject, by=Actor.from_request(request), now=timezone.now())
    context = _detail_context(request, subject)
    context["visit_form"] = form
    return render(request, "care/subject_detail.html", context, status=400)


@require_POST
@staff_page
def subject_close(request: HttpRequest, pk: int) -> HttpResponse:
    subject = policies.staff_subject_or_404(request.user, pk, Action.CHANGE)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.subject_close(
                subject=subject,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data.get("note", ""),
                by=Actor.from_request(request),
                now=timezone.now(),
            )
        except CareError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("已销册。"))
    else:
        messages.error(request, _("请选择销册原因。"))
    return redirect("care:subject_detail", pk=subject.pk)


@staff_page
def subject_assign(request: HttpRequest, pk: int) -> HttpResponse:
    subject = policies.staff_subject_or_404(request.user, pk, Action.CHANGE)
    if not subject.active:
        raise policies.not_found()
    error = ""
    if request.method == "POST":
        raw = request.POST.get("visitor", "").strip()
        visitor_pk = parse_row_id(raw) if raw else None
        visitor = visible(request.user, Person).filter(pk=visitor_pk).first() if visitor_pk else None
        try:
            if visitor is None:
                raise CareError(_("请从搜索结果中选择走访人。"), field="visitor")
            services.visitor_assign(
                subject=subject, visitor=visitor, by=Actor.from_request(request), now=timezone.now()
            )
        except CareError as refusal:
            error = str(refusal.message)
        else:
            messages.success(request, _("已指派%(name)s走访。") % {"name": visitor.name})
            return redirect("care:subject_detail", pk=subject.pk)
    context = {
        "subject": subject,
        "error": error,
        "assignments": policies.open_assignments(_today()).filter(subject=subject).select_related("visitor"),
    }
    return render(request, "care/assign.html", context, status=400 if error else 200)


@staff_page
def visitor_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Members (and volunteers) in the account's scope by part of the name, for an assignment."""
    subject = policies.staff_subject_or_404(request.user, pk, Action.CHANGE)
    query = request.GET.get("vq", "").strip()[:50]
    found: list[Person] = []
    if query:
        found = [
            p
            for p in visible(request.user, Person)
            .filter(name__icontains=query)
            .exclude(pk=subject.person_id)
            .select_related("residence")
            .order_by("name_sort", "pk")[:20]
            if services.may_visit(p)
        ][:8]
    members = set(Membership.objects.filter(person__in=found).values_list("person_id", flat=True))
    rows = [{"p": p, "member": p.pk in members} for p in found]
    return render(request, "care/_visitors.html", {"rows": rows, "query": query})


@require_POST
@staff_page
def assignment_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    subject = policies.staff_subject_or_404(request.user, pk, Action.CHANGE)
    assignment = CareAssignment.objects.filter(pk=assignment_pk, subject=subject).first()
    if assignment is None:
        raise policies.not_found()
    try:
        services.visitor_unassign(assignment=assignment, by=Actor.from_request(request), now=timezone.now())
    except CareError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已结束%(name)s的走访指派。") % {"name": assignment.visitor.name})
    return redirect("care:subject_detail", pk=subject.pk)


# --- phone: 我的走访 ----------------------------------------------------------------------------


def _due_text(subject: CareSubject, today: Any) -> str:
    days = (subject.due_on - today).days
    if days < 0:
        return _("已逾期%(n)d天") % {"n": -days}
    if days == 0:
        return _("今天该走访了")
    return _("%(n)d天后走访") % {"n": days}


@phone_page
def my_visits(request: HttpRequest) -> HttpResponse:
    today = _today()
    page = Paginator(selectors.my_subjects(request.user, today), PHONE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "s": s,
            "overdue": s.due_on < today,
            "due": _due_text(s, today),
            "phone": mask_mobile(s.person.mobile),
        }
        for s in page
    ]
    return render(request, "care/m/my_visits.html", {"page": page, "rows": rows, "today": today})


@phone_page
def my_subject(request: HttpRequest, pk: int) -> HttpResponse:
    today = _today()
    subject = policies.visitor_subject_or_404(request.user, pk, today)
    form = VisitForm(request.POST or None, today=today, phone=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        try:
            services.visit_log(
                subject=subject,
                visitor=request.user.person,  # type: ignore[union-attr,arg-type]
                visited_at=_visited_at(form.visit_day(), now),
                way=data.get("way") or "",
                condition=data.get("condition") or "",
                notes=data.get("notes") or "",
                follow_up=bool(data.get("follow_up")),
                by=Actor.from_request(request),
                now=now,
            )
        except CareError as refusal:
            form.refuse(refusal)
        else:
            messages.success(request, _("已登记走访,谢谢您!"))
            return redirect("care:my_visits")
    last = (
        subject.visits.filter(visitor_id=request.user.person_id).order_by("-visited_at").first()  # type: ignore[union-attr]
    )
    context = {
        "s": subject,
        "form": form,
        "due": _due_text(subject, today),
        "overdue": subject.due_on < today,
        "phone": mask_mobile(subject.person.mobile) if subject.person.mobile else "",
        "last": last,
        "urgent": Condition.URGENT,
    }
    return render(request, "care/m/subject.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@phone_page
def my_call(request: HttpRequest, pk: int) -> HttpResponse:
    """The number in clear with a call button: only on request, and audited."""
    today = _today()
    subject = policies.visitor_subject_or_404(request.user, pk, today)
    phone = services.subject_phone_reveal(subject=subject, by=Actor.from_request(request), now=timezone.now())
    return render(request, "care/m/call.html", {"s": subject, "phone": phone})


@phone_page
def my_history(request: HttpRequest) -> HttpResponse:
    visits = selectors.my_visits(request.user, _today())
    page = Paginator(visits, PHONE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "care/m/history.html", {"page": page})

"""Pages: the volunteer's records, correction requests and certificates on the phone; the public
verification page; the organiser's records list, correction queue and offline entry."""

from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxin.accounts.pages import staff_page
from tongxin.accounts.policies import visible
from tongxin.core.actor import client_ip
from tongxin.core.validators import parse_row_id
from tongxin.ledger.selectors import star_level
from tongxin.people.models import Person
from tongxin.volunteers.models import Team
from tongxin.volunteers.policies import teams_managed_by, volunteer_of
from tongxin.volunteers.web import (
    PHONE_PAGE_SIZE,
    actor,
    owner_choices,
    owner_from_value,
    page_of,
    person_search,
    phone_page,
    xlsx_export,
)

from .certificate import certificate_pdf
from .forms import CorrectForm, CorrectionRequestForm, RecordEntryForm
from .models import Certificate, CorrectionRequest, CorrectionStatus, RecordKind, ServiceRecord
from .policies import access_record, corrections_for, may_record_for, own_record, records_visible_to
from .services import (
    CODE_LENGTH,
    RecordError,
    certificate_changed_since,
    certificate_issue,
    correction_decide,
    correction_request,
    current_records,
    format_code,
    is_current,
    normalise_code,
    record_correct,
    record_create,
)

VERIFY_LIMIT = 30  # look-ups per address per window: codes are 60 random bits, this stops a crawl
VERIFY_WINDOW = 600
CHOICES_MAX = 300
WITH_ORGANISER = ("team", "organization", "territory", "unit")


def _refuse(form: Any, refusal: RecordError) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _totals(person: Person) -> dict[str, Any]:
    agg = ServiceRecord.objects.filter(person=person).aggregate(total=Sum("minutes"))
    minutes = agg["total"] or 0
    return {
        "total_minutes": minutes,
        "total_hours": f"{minutes / 60:.1f}",
        "count": current_records(person).count(),
        "stars": star_level(minutes=minutes),
    }


# --- Phone: my records ----------------------------------------------------------------------------


@phone_page
def m_records(request: HttpRequest) -> HttpResponse:
    """我的服务记录: every row, reversals shown as such, the totals and my correction requests."""
    person: Person = request.person  # type: ignore[attr-defined]
    records = (
        ServiceRecord.objects.filter(person=person)
        .select_related(*WITH_ORGANISER)
        .order_by("-started_at", "-pk")
    )
    page = page_of(request, records, PHONE_PAGE_SIZE)
    ids = [r.pk for r in page.object_list]
    reversed_ids = set(
        ServiceRecord.objects.filter(replaces_id__in=ids, kind=RecordKind.REVERSAL).values_list(
            "replaces_id", flat=True
        )
    )
    pending = set(
        CorrectionRequest.objects.filter(record_id__in=ids, status=CorrectionStatus.PENDING).values_list(
            "record_id", flat=True
        )
    )
    rows = [
        {
            "r": r,
            "current": r.kind != RecordKind.REVERSAL and r.pk not in reversed_ids,
            "pending": r.pk in pending,
            "hours": f"{abs(r.minutes) / 60:.1f}",
        }
        for r in page.object_list
    ]
    requests = (
        CorrectionRequest.objects.filter(person=person).select_related("record").order_by("-created_at")[:20]
    )
    context = {
        "page": page,
        "rows": rows,
        "requests": requests,
        "volunteer": volunteer_of(person),
        "leads_team": Team.objects.filter(leader__person=person).exists(),
        "to_decide": _led_requests(person).count(),
        **_totals(person),
    }
    return render(request, "records/m_records.html", context)


def _led_requests(person: Person) -> QuerySet[CorrectionRequest]:
    """Pending requests on the records of the teams she leads (a leader records and corrects)."""
    return (
        CorrectionRequest.objects.filter(status=CorrectionStatus.PENDING, record__team__leader__person=person)
        .exclude(record__person=person)
        .select_related("record__person", "record__team")
    )


@phone_page
def m_team_corrections(request: HttpRequest) -> HttpResponse:
    """队长处理更正申请: the leader of a team answers its volunteers' requests on her phone."""
    person: Person = request.person  # type: ignore[attr-defined]
    if request.method == "POST":
        pk = parse_row_id(request.POST.get("request", ""))
        req = _led_requests(person).filter(pk=pk).first() if pk is not None else None
        if req is None:
            raise Http404
        accept = request.POST.get("decision") == "accept"
        try:
            correction_decide(
                request=req,
                accept=accept,
                reason=request.POST.get("reason", ""),
                by=actor(request),
                now=timezone.now(),
            )
        except RecordError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("已更正并通知志愿者。") if accept else _("已答复志愿者:不予更正。"))
        return redirect("records:m_team_corrections")
    page = page_of(request, _led_requests(person).order_by("created_at", "pk"), PHONE_PAGE_SIZE)
    return render(request, "records/m_team_corrections.html", {"page": page})


@phone_page
def m_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a correction of one of my records (someone else's: the same 404 as a missing one)."""
    person: Person = request.person  # type: ignore[attr-defined]
    record = own_record(person, pk)
    if not is_current(record):
        raise Http404
    form = CorrectionRequestForm(
        request.POST or None, initial={"hours": record.minutes // 60, "minutes": record.minutes % 60}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                correction_request(
                    record=record,
                    by_person=person,
                    reason=form.cleaned_data["reason"],
                    proposed_minutes=form.total(),
                    by=actor(request),
                    now=timezone.now(),
                )
            except RecordError as refusal:
                if refusal.field == "proposed_minutes":
                    form.add_error("hours", refusal.message)
                else:
                    _refuse(form, refusal)
            else:
                messages.success(request, _("已提交更正申请,组织方处理后会通知您。"))
                return redirect("records:m_records")
    return render(request, "records/m_correct.html", {"form": form, "record": record}, status=status)


@phone_page
def m_certificates(request: HttpRequest) -> HttpResponse:
    """我的证明: issue one (of every record in force) and download the PDFs issued."""
    person: Person = request.person  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            certificate = certificate_issue(person=person, by=actor(request), now=timezone.now())
        except RecordError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("证明已开具,验证码 %(code)s。") % {"code": format_code(certificate.code)}
            )
        return redirect("records:m_certificates")
    certificates = Certificate.objects.filter(person=person).order_by("-issued_at", "-pk")
    rows = [
        {
            "c": c,
            "code": format_code(c.code),
            "hours": f"{c.total_minutes / 60:.1f}",
            "changed": certificate_changed_since(c),
        }
        for c in certificates[:50]
    ]
    context = {"rows": rows, "has_records": current_records(person).exists(), **_totals(person)}
    return render(request, "records/m_certificates.html", context)


def _verify_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("records:verify_code", args=[code]))


def _pdf_response(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    pdf = certificate_pdf(certificate, verify_url=_verify_url(request, certificate.code))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@phone_page
def m_certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    person: Person = request.person  # type: ignore[attr-defined]
    certificate = (
        Certificate.objects.filter(person=person, code=normalise_code(code)).select_related("person").first()
    )
    if certificate is None:
        raise Http404
    return _pdf_response(request, certificate)


# --- Public verification ---------------------------------------------------------------------------


def _over_limit(request: HttpRequest) -> bool:
    key = f"records-verify:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, VERIFY_WINDOW)
        count = 1
    return count > VERIFY_LIMIT


def masked_name(name: str) -> str:
    """张*华, 王*, 欧阳**锋: the first and (from three characters) the last stay."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The public page: type the code printed on a certificate."""
    raw = request.GET.get("code", "")
    if raw:
        return redirect("records:verify_code", code=normalise_code(raw) or "-")
    return render(request, "records/verify.html", {"result": None})


@never_cache
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    if _over_limit(request):
        return render(request, "records/verify.html", {"limited": True}, status=429)
    code = normalise_code(code)
    certificate = (
        Certificate.objects.filter(code=code).select_related("person").first()
        if len(code) == CODE_LENGTH
        else None
    )
    if certificate is None:
        return render(request, "records/verify.html", {"result": "invalid", "typed": code}, status=404)
    context = {
        "result": "valid",
        "c": certificate,
        "code": format_code(certificate.code),
        "name": masked_name(certificate.person.name),
        "hours": f"{certificate.total_minutes / 60:.1f}",
        "changed": certificate_changed_since(certificate),
    }
    return render(request, "records/verify.html", context)


# --- Staff: records ------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {k: source.get(k, "").strip()[:50] for k in ("q", "volunteer", "kind", "since", "until")}


def _day(text: str) -> datetime | None:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 - a date, made aware below
    except ValueError:
        return None
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def _listed(user: Any, f: dict[str, str]) -> QuerySet[ServiceRecord]:
    qs = records_visible_to(user).select_related("person", *WITH_ORGANISER)
    if f["q"]:
        qs = qs.filter(Q(person__name__icontains=f["q"]) | Q(title__icontains=f["q"]))
    volunteer = parse_row_id(f["volunteer"]) if f["volunteer"] else None
    if volunteer is not None:
        qs = qs.filter(person_id=volunteer)
    if f["kind"] in RecordKind.values:
        qs = qs.filter(kind=f["kind"])
    since, until = _day(f["since"]), _day(f["until"])
    if since is not None:
        qs = qs.filter(started_at__gte=since)
    if until is not None:
        qs = qs.filter(started_at__lt=until + timedelta(days=1))
    return qs.order_by("-started_at", "-pk")


@staff_page
def record_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    qs = _listed(request.user, f)
    context = {
        "page": page_of(request, qs),
        "f": f,
        "filtered": any(f.values()),
        "kinds": RecordKind.choices,
        "sum_minutes": qs.aggregate(s=Sum("minutes"))["s"] or 0,
        "pending": corrections_for(request.user).filter(status=CorrectionStatus.PENDING).count(),
    }
    return render(request, "records/list.html", context)


@require_POST
@staff_page
def record_export(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    rows = (
        (
            timezone.localtime(r.started_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(r.ended_at).strftime("%Y-%m-%d %H:%M"),
            r.person.name,
            str(r.organiser),
            r.title,
            r.place,
            r.minutes,
            r.get_kind_display(),
            r.reason,
        )
        for r in _listed(request.user, f).iterator(chunk_size=500)
    )
    return xlsx_export(
        request,
        filename=_("志愿服务记录"),
        title=_("志愿服务记录"),
        headers=[
            _("开始时间"),
            _("结束时间"),
            _("志愿者"),
            _("组织方"),
            _("服务内容"),
            _("服务地点"),
            _("服务时长(分钟)"),
            _("类型"),
            _("说明"),
        ],
        rows=rows,
        object_type="records.servicerecord",
        filters=f,
    )


@staff_page
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_record(request.user, pk)
    may_correct = may_record_for(request.user, record.organiser) and is_current(record)
    form = CorrectForm(request.POST or None) if may_correct else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        status = 400
        if form.is_valid():
            try:
                new = record_correct(
                    record=record,
                    minutes=form.cleaned_data["minutes"],
                    reason=form.cleaned_data["reason"],
                    by=actor(request),
                    now=timezone.now(),
                )
            except RecordError as refusal:
                _refuse(form, refusal)
            else:
                messages.success(request, _("已更正:原记录已冲销,并生成更正后的记录。"))
                return redirect("records:detail", pk=new.pk)
    chain = ServiceRecord.objects.filter(Q(pk=record.replaces_id) | Q(replaces=record)).order_by("pk")
    context = {"r": record, "form": form, "chain": chain, "current": is_current(record)}
    return render(request, "records/detail.html", context, status=status)


@staff_page
def corrections(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CorrectionStatus.PENDING)
    qs = corrections_for(request.user).select_related(
        "record__person", *(f"record__{o}" for o in WITH_ORGANISER)
    )
    if status in CorrectionStatus.values:
        qs = qs.filter(status=status)
    qs = (
        qs.order_by("created_at", "pk")
        if status == CorrectionStatus.PENDING
        else qs.order_by("-decided_at", "-pk")
    )
    counts = dict(corrections_for(request.user).values_list("status").annotate(n=Count("pk")))
    context = {
        "page": page_of(request, qs),
        "status": status,
        "statuses": CorrectionStatus.choices,
        "counts": counts,
    }
    return render(request, "records/corrections.html", context)


@require_POST
@staff_page
def correction_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    req = corrections_for(request.user).filter(pk=pk).select_related("record").first()
    if req is None:
        raise Http404
    accept = request.POST.get("decision") == "accept"
    try:
        correction_decide(
            request=req,
            accept=accept,
            reason=request.POST.get("reason", ""),
            by=actor(request),
            now=timezone.now(),
        )
    except RecordError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已更正并通知志愿者。") if accept else _("已答复志愿者:不予更正。"))
    return redirect("records:corrections")


def _organiser_choices(user: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    teams = [(f"team:{t.pk}", t.name) for t in teams_managed_by(user).order_by("name")[:CHOICES_MAX]]
    return ([(_("服务队"), teams)] if teams else []) + owner_choices(user)


def _organiser(user: Any, value: str) -> Any:
    kind, _sep, raw = (value or "").partition(":")
    if kind == "team":
        pk = parse_row_id(raw) if raw else None
        return teams_managed_by(user).filter(pk=pk).first() if pk is not None else None
    return owner_from_value(user, value)


@staff_page
def record_entry(request: HttpRequest) -> HttpResponse:
    """补录: the organiser enters offline service (a paper sign-in sheet) for a person."""
    user = request.user
    organisers = _organiser_choices(user)
    if not organisers:
        raise Http404
    raw = (request.POST.get("person") or request.GET.get("person") or "").strip()
    pk = parse_row_id(raw) if raw else None
    person = visible(user, Person).select_related("residence").filter(pk=pk).first() if pk else None
    form = RecordEntryForm(
        request.POST if request.method == "POST" and person else None, organisers=organisers
    )
    status = 200
    if request.method == "POST":
        status = 400
        if person is None:
            messages.error(request, _("请从搜索结果中选择志愿者。"))
        elif form.is_valid():
            data = form.cleaned_data
            started_at, ended_at = form.span()
            try:
                organiser = _organiser(user, data["organiser"])
                if organiser is None:
                    raise RecordError(_("请选择组织方。"), field="organiser")
                record = record_create(
                    person=person,
                    organiser=organiser,
                    title=data["title"],
                    place=data["place"],
                    started_at=started_at,
                    ended_at=ended_at,
                    minutes=data["minutes"],
                    source="offline",
                    award_points=data["award_points"],
                    reason=data["reason"],
                    by=actor(request),
                    now=timezone.now(),
                )
            except RecordError as refusal:
                field = {"started_at": "start", "ended_at": "end"}.get(refusal.field or "", refusal.field)
                form.add_error(field if field in form.fields else None, refusal.message)
            else:
                messages.success(
                    request, _("已为%(name)s补录%(m)d分钟服务。") % {"name": person.name, "m": record.minutes}
                )
                return redirect("records:detail", pk=record.pk)
    return render(request, "records/entry.html", {"form": form, "person": person}, status=status)


@require_POST
@staff_page
def staff_certificate(request: HttpRequest, person_pk: int) -> HttpResponse:
    """谁记录谁证明: staff who see a volunteer issue her certificate (e.g. she has no smartphone)
    and download it to print."""
    person = visible(request.user, Person).filter(pk=person_pk).first()
    if person is None:
        raise Http404
    try:
        certificate = certificate_issue(person=person, by=actor(request), now=timezone.now())
    except RecordError as refusal:
        messages.error(request, refusal.message)
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return redirect(back if back and safe else "records:list")
    return _pdf_response(request, certificate)


@staff_page
def person_search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("pq", "")
    persons = person_search(request.user, query)
    return render(request, "records/_persons.html", {"persons": persons, "query": query.strip()[:50]})

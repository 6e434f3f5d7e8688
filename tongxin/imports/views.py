"""The upload page, the job page (polled by htmx while the worker runs), the error report and the
template download. Views stay thin: the form reads the upload, services do the rest."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from tongxin.accounts.policies import belongs_on_phone_site
from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor

from .models import ImportJob
from .reader import MAX_BYTES, FileRejected
from .report import build_report
from .scope import ImportScope
from .services import import_job_create, import_job_file
from .template_xlsx import build_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS_PER_PAGE = 50
UPDATES_PER_PAGE = 50
RECENT_JOBS = 10

View = Callable[..., HttpResponse]


def import_page(view: View) -> View:
    """Logged in, allowed to add members somewhere; otherwise the same 404 as a missing page. A
    resident or party member is sent to the phone site instead, as the registry pages do."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if belongs_on_phone_site(request.user):
            return redirect("mobile:home")
        if not ImportScope(user=request.user).may_import():
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(never_cache(wrapped))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel文件(.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("只检查,不导入"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("文件超过 %(mb)s MB,请分成几个文件导入。") % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload


def _own_job(request: HttpRequest, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, user_id=int(request.user.pk or 0)).first()
    if job is None:
        raise Http404
    return job


@import_page
def member_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                filename=upload.name,
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
                by=Actor.from_request(request),
                language=translation.get_language() or "",
            )
        except FileRejected as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("imports:job_detail", pk=job.pk)
    jobs = ImportJob.objects.filter(user_id=int(request.user.pk or 0)).defer("file_token", "problems")[
        :RECENT_JOBS
    ]
    return render(request, "imports/upload.html", {"form": form, "jobs": jobs})


@import_page
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    problems = Paginator(job.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    updates = Paginator(job.updates, UPDATES_PER_PAGE).get_page(request.GET.get("updates"))
    context = {
        "job": job,
        "problems": problems,
        "problem_rows": len({p["row"] for p in job.problems}),
        "updates": updates,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "imports/_job_status.html", context)
    return render(request, "imports/job.html", context)


@import_page
def job_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if not job.report_available:
        raise Http404
    content = build_report(import_job_file(job), job.sheet_title, job.problems)
    # The report repeats the uploaded rows, personal data included: its download is logged.
    audit_record(
        actor=Actor.from_request(request),
        action=AuditAction.EXPORT,
        target=job,
        detail={"report": "member_import_errors", "problems": len(job.problems)},
    )
    stem = job.filename.rsplit(".", 1)[0]
    return _xlsx(content, f"{stem}-错误说明.xlsx")


@import_page
def member_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(build_template(), "党员信息导入模板.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

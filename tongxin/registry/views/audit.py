from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxin.accounts.policies import can_view_audit
from tongxin.audit.models import AuditEvent
from tongxin.audit.selectors import audit_event_search
from tongxin.core.errors import NotFoundOrForbidden

from .. import exports
from ..access import registry_page
from ..forms import AuditSearchForm
from ..listing import filter_data
from .common import paginate


@registry_page
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit administrator's page. For everyone else it does not exist (404, not 403), so
    the page gives away nothing about who may read the log."""
    if not can_view_audit(request.user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    form = AuditSearchForm(request.GET or None)
    context = {"form": form, "page": paginate(request, _searched(form))}
    return render(request, "registry/audit/list.html", context)


def _searched(form: AuditSearchForm) -> QuerySet[AuditEvent]:
    if form.is_bound and not form.is_valid():
        return AuditEvent.objects.none()
    criteria = form.cleaned_data if form.is_bound else {}
    return audit_event_search(
        text=criteria.get("text", ""),
        action=criteria.get("action", ""),
        result=criteria.get("result", ""),
        since=criteria.get("since"),
        until=criteria.get("until"),
    )


def _audit_exportable(user: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.all() if can_view_audit(user) else AuditEvent.objects.none()


AUDIT_EXPORT = exports.ListExport(
    model=AuditEvent,
    filename=gettext_lazy("审计日志"),
    title=gettext_lazy("审计日志"),
    headers=exports.AUDIT_HEADERS,
    text_columns=exports.AUDIT_TEXT_COLUMNS,
    rows=exports.audit_rows,
    exportable=_audit_exportable,
)


@require_POST
@registry_page
def audit_export(request: HttpRequest) -> HttpResponse:
    """The log as searched, for the audit administrator; the export itself is logged too."""
    form = AuditSearchForm(filter_data(request))
    return exports.export_list(request, AUDIT_EXPORT, lambda rows, query: _searched(form))

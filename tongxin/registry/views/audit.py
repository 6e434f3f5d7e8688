from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongxin.accounts.policies import can_view_audit
from tongxin.audit.models import AuditEvent
from tongxin.audit.selectors import audit_event_search
from tongxin.core.errors import NotFoundOrForbidden

from ..access import registry_page
from ..forms import AuditSearchForm
from .common import paginate


@registry_page
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit administrator's page. For everyone else it does not exist (404, not 403), so
    the page gives away nothing about who may read the log."""
    if not can_view_audit(request.user):
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        criteria = form.cleaned_data if form.is_bound else {}
        events = audit_event_search(
            text=criteria.get("text", ""),
            action=criteria.get("action", ""),
            result=criteria.get("result", ""),
            since=criteria.get("since"),
            until=criteria.get("until"),
        )
    return render(request, "registry/audit/list.html", {"form": form, "page": paginate(request, events)})

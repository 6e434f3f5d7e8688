"""Bulk accept and bulk dispatch from the queue: one service call per need, each in its own
transaction, so one refusal (already dispatched by a colleague, out of scope) stops nobody else;
the summary says what happened to each."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs import services
from tongxin.needs.models import Need
from tongxin.needs.selectors import need_list_for_scope
from tongxin.needs.services import NeedError

from ...access import registry_page
from ...needs_forms import BulkForm
from ...needs_targets import describe_target, resolve_target

BULK_MAX = 200  # a page is 25 rows; more than this is not a person's selection


@dataclass(frozen=True)
class Outcome:
    pk: int
    need: Need | None
    ok: bool
    message: str


def _run_each(request: HttpRequest, pks: list[int], run: Any) -> list[Outcome]:
    by = Actor.from_request(request)
    visible = {n.pk: n for n in need_list_for_scope(request.user).filter(pk__in=pks)}
    outcomes = []
    for pk in dict.fromkeys(pks):  # each once, in the order ticked
        need = visible.get(pk)
        if need is None:
            outcomes.append(Outcome(pk, None, False, _("未找到该诉求,或您无权查看。")))
            continue
        try:
            run(need, by, timezone.now())
        except NotFoundOrForbidden:
            outcomes.append(Outcome(pk, need, False, _("未找到该诉求,或您无权查看。")))
        except NeedError as exc:
            outcomes.append(Outcome(pk, need, False, str(exc.message)))
        else:
            outcomes.append(Outcome(pk, need, True, ""))
    return outcomes


def _summary(
    request: HttpRequest, outcomes: list[Outcome], *, action: str, target: Any = None
) -> HttpResponse:
    done = [o for o in outcomes if o.ok]
    refused = [o for o in outcomes if not o.ok]
    context = {"action": action, "done": done, "refused": refused, "target": target}
    return render(request, "registry/needs/bulk_result.html", context)


def _selected(request: HttpRequest) -> list[int] | None:
    form = BulkForm(request.POST)
    if not form.is_valid():
        return None
    return list(form.cleaned_data["need"])[:BULK_MAX]


@require_POST
@registry_page
def need_bulk_accept(request: HttpRequest) -> HttpResponse:
    pks = _selected(request)
    if not pks:
        messages.error(request, _("请先勾选要受理的诉求。"))
        return redirect("registry:need_queue")
    outcomes = _run_each(request, pks, lambda n, by, now: services.need_accept(need=n, by=by, now=now))
    return _summary(request, outcomes, action=_("受理"))


@require_POST
@registry_page
def need_bulk_dispatch(request: HttpRequest) -> HttpResponse:
    pks = _selected(request)
    if not pks:
        messages.error(request, _("请先勾选要派单的诉求。"))
        return redirect("registry:need_queue")
    key = request.POST.get("to", "")
    target = resolve_target(request.user, key)
    if target is None:
        messages.error(request, _("请先搜索并选择承办对象,再批量派单。"))
        return redirect("registry:need_queue")
    outcomes = _run_each(
        request, pks, lambda n, by, now: services.need_dispatch(need=n, to=target, by=by, now=now)
    )
    return _summary(request, outcomes, action=_("派单"), target=describe_target(request.user, key))

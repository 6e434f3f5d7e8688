"""网格员随手报: a grid worker reports, on the spot, a problem they saw or one a resident told them
about (then with the resident's name or phone, so someone can answer). Channel "grid"."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tongxin.accounts.models import Role, User
from tongxin.accounts.policies import TERRITORY, Action, grant_roots
from tongxin.core.actor import Actor
from tongxin.needs import policies, services
from tongxin.needs.services import NeedError
from tongxin.territory.models import Territory

from ..forms import GridReportForm
from .common import suggest_box
from .needs import _photos_note, _refuse, suggest_box_category

LOGIN_URL = "mobile:login"


def grid_communities(user: User) -> list[Territory]:
    """The communities of the account's grid-worker grants: the one a grid lies in, or those
    under a larger node."""
    roots = grant_roots(user, tree=TERRITORY, roles={Role.GRID_WORKER}, action=Action.VIEW)
    if not roots:
        return []
    step = Territory.steplen
    above = {root[:end] for root in roots for end in range(step, len(root) + 1, step)}
    below = Q()
    for root in roots:
        below |= Q(path__startswith=root)
    return list(
        Territory.objects.filter(Q(path__in=above) | below, level__in=policies.COMMUNITY_LEVELS).order_by(
            "path"
        )
    )


@never_cache
@login_required(login_url=LOGIN_URL)
def grid_report(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    communities = grid_communities(user)
    if not communities:
        raise Http404  # not a grid worker: the page does not exist for them
    choices = [(str(c.pk), c.name) for c in communities]
    form = GridReportForm(
        request.POST or None, request.FILES or None, communities=choices, initial={"community": choices[0][0]}
    )
    by_pk = {str(c.pk): c for c in communities}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        community = by_pk[data["community"]]
        text = data["text"] or ""
        kwargs: dict[str, Any] = {}
        if data["photos"]:
            kwargs["photos"] = data["photos"]
        name, phone = (data["caller_name"] or "").strip(), (data["caller_phone"] or "").strip()
        if not (name or phone):
            # Seen by the grid worker themself: they are the one to answer.
            if user.person_id is not None:
                kwargs["person"] = user.person
            else:
                name = user.get_full_name() or user.get_username()
        try:
            need = services.need_submit(
                text=text,
                category=data["category"] or suggest_box_category(text),
                community=community,
                channel="grid",
                by=Actor.from_request(request),
                now=timezone.now(),
                urgent=data["urgent"],
                place=data["place"] or "",
                private=data["private"],
                caller_name=name,
                caller_phone=phone,
                **kwargs,
            )
        except NeedError as refusal:
            _refuse(form, refusal)
        else:
            messages.success(request, _("已上报,编号%(pk)s。社区会尽快受理。") % {"pk": need.pk})
            return redirect("mobile:grid_report")
    posted = form.data if form.is_bound else {}
    box = suggest_box(
        text=str(posted.get("text", "")),
        category=str(posted.get("category", "")),
        urgent=bool(posted.get("urgent")),
        chosen=True,  # a form sent back keeps what was sent; the suggestion only shows
        community=by_pk.get(str(posted.get("community", "")), communities[0]),
        error=" ".join(str(e) for e in form.errors.get("category", [])),
        suggest=form.is_bound,
    )
    context = {
        "form": form,
        "box": box,
        "photos_again": form.is_bound and bool(form.errors) and _photos_note(request),
    }
    return render(request, "mobile/grid_report.html", context)

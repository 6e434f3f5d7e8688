from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tongxin.accounts.policies import creatable, visible
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import Organization
from tongxin.territory.models import Territory

from ..listing import search_text
from ..queries import visible_ancestors

__all__ = [
    "creatable_territories",
    "field_feedback",
    "node_edit",
    "not_found",
    "paginate",
    "places_for_edit",
    "search_text",
]

PER_PAGE = 25


def paginate(
    request: HttpRequest, items: Any, *, param: str = "page", per_page: int = PER_PAGE
) -> Page:  # a queryset or a list
    """One page of `items`; an out-of-range or garbled page number shows the nearest real page."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The one 404 page: a missing row and a row the caller may not see look the same."""
    return render(request, "404.html", status=404)


def creatable_territories(user: Any) -> QuerySet[Territory]:
    """Territories the account may register people and units under; none means the create pages
    do not exist for it."""
    territories = creatable(user, Territory)
    if not territories.exists():
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return territories


def places_for_edit(user: Any, current_pk: int | None) -> QuerySet[Territory]:
    """Where an edited row may be placed: where the account registers, plus its present place
    even when that lies outside (so that saving an unrelated change does not force a move)."""
    return creatable(user, Territory) | Territory.objects.filter(pk=current_pk)


def field_feedback(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """Validate the whole form but answer with the one field named in `_field`, so the user sees
    a mistake as they leave the field, not the complaints about fields still to be filled."""
    name = request.POST.get("_field", "")
    if name not in form.fields:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    form.is_valid()
    return render(request, "registry/_field.html", {"field": form[name], "validate_url": request.path})


def node_edit(
    request: HttpRequest,
    node: Territory | Organization,
    form: forms.Form,
    save: Callable[[Actor], object],
) -> HttpResponse:
    """The edit page of a node of either tree: a valid form is saved through `save`; a refusal
    from the service lands on the form, with what the user typed kept."""
    tree = "territory" if isinstance(node, Territory) else "org"
    if request.method == "POST" and form.is_valid():
        try:
            save(Actor.from_request(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": node.name})
            return redirect(f"registry:{tree}_detail", pk=node.pk)
    context = {
        "form": form,
        "node": node,
        "tree_current": node,
        "ancestors": visible_ancestors(visible(request.user, type(node)), node),
        "detail_name": f"registry:{tree}_detail",
        "root_name": f"registry:{tree}_list",
        "root_label": _("属地") if tree == "territory" else _("党组织"),
    }
    return render(request, "registry/node_edit.html", context)

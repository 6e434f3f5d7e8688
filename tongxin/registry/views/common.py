from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongxin.accounts.policies import creatable
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.territory.models import Territory

from ..listing import search_text

__all__ = ["creatable_territories", "field_feedback", "not_found", "paginate", "search_text"]

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


def field_feedback(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """Validate the whole form but answer with the one field named in `_field`, so the user sees
    a mistake as they leave the field, not the complaints about fields still to be filled."""
    name = request.POST.get("_field", "")
    if name not in form.fields:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    form.is_valid()
    return render(request, "registry/_field.html", {"field": form[name], "validate_url": request.path})

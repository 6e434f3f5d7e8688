"""What the activities pages share: the staff-page frame, the acting person, labels."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from tongxin.accounts.policies import belongs_on_phone_site
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.core.validators import parse_row_id
from tongxin.people.models import Person

from ..policies import is_organiser

View = Callable[..., HttpResponse]
PHONE_LOGIN = "mobile:login"
VOLUNTEER_REGISTER_FALLBACK = "/volunteers/m/register/"


def staff_page(view: View) -> View:
    """Logged in; members and residents go to the phone site unless they organise (a team's
    leader); "not yours" is "not there"."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if belongs_on_phone_site(request.user) and not is_organiser(request.user):
            return redirect("mobile:home")
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404 from None

    return login_required(never_cache(wrapped))


def my_person(request: HttpRequest) -> Person | None:
    person_id = getattr(request.user, "person_id", None)
    return Person.objects.filter(pk=person_id).first() if person_id else None


def volunteer_register_url() -> str:
    try:
        return reverse("volunteers:m_register")
    except NoReverseMatch:
        return VOLUNTEER_REGISTER_FALLBACK


def safe_int(value: Any) -> int | None:
    return parse_row_id(value)

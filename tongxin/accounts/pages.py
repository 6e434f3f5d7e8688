"""The two gates every domain app's pages stand behind, written once:

- staff_page: logged in; residents and members (who belong on the phone site) go to /m/; a
  NotFoundOrForbidden raised anywhere below becomes the same 404 as a missing row ("not yours"
  is "not there").
- phone_page: logged in through the phone site's SMS login; the same 404 rule."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from tongxin.core.errors import NotFoundOrForbidden

from .policies import belongs_on_phone_site

View = Callable[..., HttpResponse]
PHONE_LOGIN = "mobile:login"


def _missing_when_forbidden(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404 from None

    return wrapped


def staff_page(view: View) -> View:
    guarded = _missing_when_forbidden(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if belongs_on_phone_site(request.user):
            return redirect("mobile:home")
        return guarded(request, *args, **kwargs)

    return login_required(never_cache(wrapped))


def phone_page(view: View) -> View:
    return login_required(never_cache(_missing_when_forbidden(view)), login_url=PHONE_LOGIN)

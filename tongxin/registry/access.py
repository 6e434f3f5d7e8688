"""How registry pages answer "not yours": exactly as they answer "not there"; and where they send
residents and party members, whose place is the phone site."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from tongxin.accounts.policies import belongs_on_phone_site
from tongxin.core.errors import NotFoundOrForbidden

View = Callable[..., HttpResponse]


def registry_page(view: View) -> View:
    """Log-in required; a resident or party member is sent to the phone site; a
    NotFoundOrForbidden raised anywhere below becomes the ordinary 404, so a forbidden row and a
    missing row give the same page, status and wording."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if belongs_on_phone_site(request.user):
            return redirect("mobile:home")
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404 from None

    # Personal data: no browser or proxy keeps a copy of any registry page.
    return login_required(never_cache(wrapped))

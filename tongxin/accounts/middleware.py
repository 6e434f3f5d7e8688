"""Every staff account passes a TOTP second factor before it sees anything. There is no setting
that turns this off; the demo prints each account's secret instead."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .policies import belongs_on_phone_site

_OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/")
# API clients cannot follow a redirect to a form: they get the API's JSON error body instead.
_API_PREFIX = "/api/"
SECOND_FACTOR_REQUIRED = "second_factor_required"


def needs_second_factor(user: object) -> bool:
    """Staff roles need it; so does an account with no role at all (it is an unfinished staff
    account far more often than a resident). Exactly the accounts that do not belong on the
    phone site."""
    return not belongs_on_phone_site(user)


class StaffSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and needs_second_factor(user)
        ):
            if request.path.startswith(_API_PREFIX):
                return JsonResponse(
                    {
                        "code": SECOND_FACTOR_REQUIRED,
                        "message": _("请先在网页上完成二次验证(动态口令),再使用接口。"),
                        "fields": {},
                    },
                    status=403,
                )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:second_factor')}?{query}")
        return self.get_response(request)

"""Session authentication for the API: the browser's login session, CSRF enforced on writes (by
DRF), and never a staff session that has not passed the second factor. The middleware already
answers such a request; this is the same rule asked again where the API decides who is calling."""

from typing import Any

from rest_framework import authentication
from rest_framework.request import Request

from tongxin.accounts.middleware import needs_second_factor

from .errors import ApiError


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        found = super().authenticate(request)
        if found is None:
            return None
        user = found[0]
        is_verified = getattr(user, "is_verified", lambda: False)
        if needs_second_factor(user) and not is_verified():
            raise ApiError(status_code=403, code="second_factor_required")
        return found

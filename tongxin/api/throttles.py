"""Request rates. Reads are limited per account (or per address for anonymous callers); writes
and reveals have their own, stricter budgets.

DRF's throttles copy the rates when the module is imported; these read them at each request, so
a test (or a settings change) takes effect without a restart."""

from typing import Any

from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class _CurrentRates:
    scope: str

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return str(rate) if rate is not None else None


class AnonThrottle(_CurrentRates, throttling.AnonRateThrottle):
    scope = "anon"


class UserThrottle(_CurrentRates, throttling.UserRateThrottle):
    scope = "user"


class WriteThrottle(_CurrentRates, throttling.UserRateThrottle):
    """Every change (POST, PUT, PATCH, DELETE) counts against the account's write budget."""

    scope = "write"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class RevealThrottle(_CurrentRates, throttling.UserRateThrottle):
    """Seeing personal data in clear: a few a minute is what a secretary needs, a scraper more."""

    scope = "reveal"

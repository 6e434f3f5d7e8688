"""API clients as a program holds them: a token in the Authorization header, or a browser
session that has passed the second factor (with CSRF enforced, as in production)."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import SYSTEM, make_account
from tongxin.accounts.models import Role
from tongxin.api.tokens import api_token_issue
from tongxin.registry.tests.conftest import verified_client

MISSING_PK = 987_654


def token_client(user, *, days: int | None = 30) -> APIClient:  # type: ignore[no-untyped-def]
    _token, clear = api_token_issue(user=user, name="test", days=days, by=SYSTEM, now=timezone.now())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {clear}")
    client.user = user  # type: ignore[attr-defined]
    client.token = clear  # type: ignore[attr-defined]
    return client


def csrf_session_client(user) -> Client:  # type: ignore[no-untyped-def]
    """A verified browser session whose writes must carry the CSRF token."""
    verified = verified_client(user)
    client = Client(enforce_csrf_checks=True)
    client.cookies = verified.cookies
    return client


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> None:
    # Throttle counters live in the cache, which outlives a test.
    cache.clear()


@pytest.fixture
def api(db) -> Callable[..., APIClient]:  # type: ignore[no-untyped-def]
    """api("name", (Role.X, node), ...) → a token client for a new account with those grants."""

    def make(username: str, *grants: tuple[str, object], person=None) -> APIClient:  # type: ignore[no-untyped-def]
        return token_client(make_account(username, *grants, person=person))

    return make


@pytest.fixture
def street1_api(world, api) -> APIClient:  # type: ignore[no-untyped-def]
    return api("street1", (Role.STREET_STAFF, world.street1))


@pytest.fixture
def district_api(world, api) -> APIClient:  # type: ignore[no-untyped-def]
    return api("district", (Role.DISTRICT_ADMIN, world.district))

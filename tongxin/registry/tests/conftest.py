"""Fixtures for the page tests: clients logged in the way a person logs in, second factor
included, so the pages are tested behind the same middleware that guards them in production."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from conftest import make_account
from tongxin.accounts.models import Role, User
from tongxin.accounts.second_factor import current_totp_code
from tongxin.accounts.services import totp_device_create

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
_CSRF = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def verified_client(user: User) -> Client:
    """A client whose session has passed the password (forced) and the real TOTP step."""
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    device = totp_device_create(user=user, confirmed=True)
    response = client.post("/accounts/second-factor/", {"code": current_totp_code(device), "next": "/"})
    assert response.status_code == 302, "second factor was not accepted"
    return client


def without_csrf(html: str) -> str:
    """Page text with the per-response CSRF tokens blanked, to compare two pages as a user sees them."""
    return _CSRF.sub(r"\1", html)


@pytest.fixture
def login(db) -> Callable[..., Client]:  # type: ignore[no-untyped-def]
    """login("name", (Role.X, node), ...) → a verified client for a new account with those grants."""

    def make(username: str, *grants: tuple[str, object], person=None) -> Client:  # type: ignore[no-untyped-def]
        user = make_account(username, *grants, person=person)
        client = verified_client(user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def street1(world, login) -> Client:  # type: ignore[no-untyped-def]
    return login("street1", (Role.STREET_STAFF, world.street1))


# The needs pages' fixtures (test_needs_*.py): the needs app's world, and verified clients on it.
from tongxin.needs.tests.conftest import nw  # noqa: E402

from .needs_world import needs_pages  # noqa: E402

__all__ = ["login", "needs_pages", "nw", "street1", "verified_client", "without_csrf"]

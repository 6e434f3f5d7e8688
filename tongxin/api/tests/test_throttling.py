"""Rates: past the budget a caller gets 429 with the wait in the body and in Retry-After; reveals
and writes have their own, smaller budgets."""

import pytest
from django.test import override_settings

from tongxin.api.throttles import api_settings

pytestmark = pytest.mark.django_db


def rates(**changed: str) -> override_settings:
    base = dict(api_settings.DEFAULT_THROTTLE_RATES)
    from django.conf import settings

    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**base, **changed}}
    )


def test_reads_past_the_budget_get_429_with_the_wait(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    with rates(user="3/min"):
        codes = [street1_api.get("/api/v1/territories/").status_code for _ in range(4)]
        response = street1_api.get("/api/v1/territories/")
    assert codes == [200, 200, 200, 429]
    body = response.json()
    assert body["code"] == "throttled"
    assert 0 < body["wait"] <= 60
    assert response["Retry-After"] == str(body["wait"])
    assert f"{body['wait']} 秒" in body["message"]


def test_reveals_have_a_stricter_budget_than_reads(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/persons/{world.alice.pk}/reveal/"
    with rates(reveal="2/min"):
        codes = [street1_api.post(url, {"field": "mobile"}).status_code for _ in range(3)]
        assert street1_api.get("/api/v1/persons/").status_code == 200
    assert codes == [200, 200, 429]


def test_writes_have_their_own_budget(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    with rates(write="1/min"):
        first = street1_api.post("/api/v1/units/", {})
        second = street1_api.post("/api/v1/units/", {})
        read = street1_api.get("/api/v1/units/")
    assert (first.status_code, second.status_code, read.status_code) == (400, 429, 200)


def test_anonymous_callers_are_limited_by_address(world) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    with rates(anon="2/min"):
        codes = [Client().get("/api/v1/units/").status_code for _ in range(3)]
    assert codes == [401, 401, 429]

"""Idempotency-Key on POST: a retry creates one row and gets the first answer; the same key with a
different body is refused; two concurrent requests with one key create one row."""

import json
import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import make_account, new_credit_code, new_id_number
from tongxin.accounts.models import Role
from tongxin.api.models import IdempotencyRecord
from tongxin.people.models import Person
from tongxin.units.models import Unit

from .conftest import token_client


def post(client, path, payload, key):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(payload), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.django_db
def test_a_retry_after_success_creates_nothing_and_returns_the_same_answer(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    payload = {"name": "赵新", "id_number": new_id_number(), "residence": world.c11.pk}
    first = post(street1_api, "/api/v1/persons/", payload, "k-1")
    again = post(street1_api, "/api/v1/persons/", payload, "k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.filter(name="赵新").count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    post(
        street1_api,
        "/api/v1/persons/",
        {"name": "赵新", "id_number": new_id_number(), "residence": world.c11.pk},
        "k-2",
    )
    other = post(
        street1_api,
        "/api/v1/persons/",
        {"name": "钱多", "id_number": new_id_number(), "residence": world.c11.pk},
        "k-2",
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert not Person.objects.filter(name="钱多").exists()


@pytest.mark.django_db
def test_keys_belong_to_the_account_and_failures_are_not_remembered(world, street1_api, api) -> None:  # type: ignore[no-untyped-def]
    bad = {"name": "赵新", "id_number": "123", "residence": world.c11.pk}
    assert post(street1_api, "/api/v1/persons/", bad, "k-3").status_code == 400
    assert not IdempotencyRecord.objects.exists()  # the corrected retry may use the key again
    good = {**bad, "id_number": new_id_number()}
    assert post(street1_api, "/api/v1/persons/", good, "k-3").status_code == 201
    other = api("street1b", (Role.STREET_STAFF, world.street1))
    second = {**bad, "name": "孙立", "id_number": new_id_number()}
    assert post(other, "/api/v1/persons/", second, "k-3").status_code == 201


@pytest.mark.django_db
def test_a_key_is_forgotten_after_24_hours(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    payload = {
        "name": "示范书店",
        "credit_code": new_credit_code(),
        "kind": "other",
        "territory": world.c11.pk,
    }
    assert post(street1_api, "/api/v1/units/", payload, "k-4").status_code == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    # A day later the key is new again: the request runs, and meets the service's own rule.
    late = post(street1_api, "/api/v1/units/", payload, "k-4")
    assert late.status_code == 400
    assert list(late.json()["fields"]) == ["credit_code"]
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_a_malformed_key_is_a_field_error(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    response = post(street1_api, "/api/v1/units/", {}, "x" * 300)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_two_concurrent_requests_with_one_key_create_one_row(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    user = make_account("s1", (Role.STREET_STAFF, world.street1))
    token = token_client(user).token
    payload = json.dumps(
        {"name": "并发单位", "credit_code": new_credit_code(), "kind": "other", "territory": world.c11.pk}
    )
    from tongxin.api import views

    real_create = views.unit_create

    def slow_create(**kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.5)  # the twin arrives while this write's transaction is still open
        return real_create(**kwargs)

    monkeypatch.setattr(views, "unit_create", slow_create)
    barrier = threading.Barrier(2)
    results: list[tuple[int, dict, bool]] = []

    def call() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}", HTTP_IDEMPOTENCY_KEY="same-key")
        try:
            barrier.wait()
            response = client.post("/api/v1/units/", payload, content_type="application/json")
            replayed = response.headers.get("Idempotent-Replayed") == "true"
            results.append((response.status_code, response.json(), replayed))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [status for status, _body, _replayed in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert sorted(replayed for _status, _body, replayed in results) == [False, True]
    assert Unit.objects.filter(name="并发单位").count() == 1

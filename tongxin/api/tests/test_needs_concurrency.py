"""Retries and races over the needs API: a create retried with its Idempotency-Key makes one need
(JSON or multipart with a new boundary), a step retried gets its first answer, and two members
claiming one need at the same moment get one 200 and one polite 409."""

import json
import threading
import time

import pytest
from django.db import connections
from django.test.client import encode_multipart
from rest_framework.test import APIClient

from conftest import NOW
from tongxin.needs.models import EventKind, Need, NeedPhoto, Status
from tongxin.needs.services import need_accept
from tongxin.needs.services import steps as step_module
from tongxin.needs.tests.conftest import actor, nw, submit  # noqa: F401 - fixtures

from .needs_helpers import LAMP, NEEDS, clients, jpeg_upload, url


@pytest.mark.django_db
def test_a_retried_create_makes_one_need(nw) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)
    body = json.dumps({"text": LAMP})
    first = c.resident.post(NEEDS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="need-1")
    again = c.resident.post(NEEDS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="need-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Need.objects.count() == 1
    other = c.resident.post(
        NEEDS,
        json.dumps({"text": "另一件事"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="need-1",
    )
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert Need.objects.count() == 1


@pytest.mark.django_db
def test_a_retried_multipart_create_with_a_new_boundary_makes_one_need(nw) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)

    def send(boundary: str):  # type: ignore[no-untyped-def]
        data = {"text": LAMP, "category": "facility", "photos": [jpeg_upload()]}
        return c.resident.post(
            NEEDS,
            encode_multipart(boundary, data),
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="photo-need",
        )

    first, again = send("boundary-one"), send("another-boundary")
    assert first.status_code == again.status_code == 201, again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert (Need.objects.count(), NeedPhoto.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_a_retried_step_gets_its_first_answer_not_a_conflict(nw) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)
    need = submit(nw)
    first = c.staff11.post(url(need.pk, "accept"), {}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")
    again = c.staff11.post(url(need.pk, "accept"), {}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert need.events.filter(kind=EventKind.ACCEPT).count() == 1
    # Without the key the same step again is the conflict it is.
    plain = c.staff11.post(url(need.pk, "accept"), {}, format="json")
    assert (plain.status_code, plain.json()["code"]) == (409, "transition_not_allowed")


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_two_concurrent_claims_over_the_api_have_one_winner(nw, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    tokens = {name: getattr(clients(nw), name).token for name in ("alice", "erin")}
    real_lock = step_module.lock_need
    locked_once = threading.Event()

    def slow_lock(need_id: int) -> Need:
        row = real_lock(need_id)
        if not locked_once.is_set():
            locked_once.set()
            time.sleep(0.5)  # the rival's request arrives while this claim holds the row
        return row

    monkeypatch.setattr(step_module, "lock_need", slow_lock)
    results: dict[str, tuple[int, dict]] = {}

    def claim(name: str, wait_first: bool) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[name]}")
        try:
            if wait_first:
                assert locked_once.wait(5)
            response = client.post(url(need.pk, "claim"), {}, format="json")
            results[name] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=claim, args=("alice", False)),
        threading.Thread(target=claim, args=("erin", True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["alice"][0] == 200, results
    assert results["alice"][1]["status"] == "claimed"
    assert results["erin"] == (
        409,
        {"code": "already_claimed", "message": "该诉求刚刚已被他人认领,感谢您的热心!", "fields": {}},
    )
    need.refresh_from_db()
    assert need.status == Status.CLAIMED
    assert need.assigned_person == nw.w.alice
    assert need.events.filter(kind=EventKind.CLAIM).count() == 1

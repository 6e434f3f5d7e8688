"""Who may call the API: token holders (the token kept only as a hash; revoked and expired
tokens refused alike), and browser sessions that passed the second factor, with CSRF on writes.
Every refusal is the API's JSON body, never a redirect to a form."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import SYSTEM, make_account
from tongxin.accounts.models import Role
from tongxin.api.models import ApiToken
from tongxin.api.tokens import api_token_revoke, token_hash
from tongxin.audit.models import AuditAction, AuditEvent

from .conftest import csrf_session_client, token_client

pytestmark = pytest.mark.django_db
NOT_AUTHENTICATED = {"code": "not_authenticated", "message": "未登录,或登录凭据无效、已过期。", "fields": {}}


def test_the_token_is_stored_only_as_its_hash(world) -> None:  # type: ignore[no-untyped-def]
    client = token_client(make_account("s1", (Role.STREET_STAFF, world.street1)))
    row = ApiToken.objects.get()
    assert row.key_hash == token_hash(client.token)
    for value in ApiToken.objects.values_list():
        assert client.token not in str(value)
    assert client.get("/api/v1/territories/").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_anonymous_wrong_revoked_and_expired_tokens_get_one_answer(world) -> None:  # type: ignore[no-untyped-def]
    user = make_account("s1", (Role.STREET_STAFF, world.street1))
    revoked = token_client(user)
    api_token_revoke(token=ApiToken.objects.get(), by=SYSTEM, now=timezone.now())
    expired = token_client(user, days=1)
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    wrong = Client(HTTP_AUTHORIZATION="Token txn_not-a-real-token")
    for client in (Client(), wrong, revoked, expired):
        response = client.get("/api/v1/persons/")
        assert response.status_code == 401
        assert response.json() == NOT_AUTHENTICATED
        assert response["WWW-Authenticate"] == "Token"


def test_the_command_prints_the_token_once_and_audits_issue_and_revoke(world) -> None:  # type: ignore[no-untyped-def]
    make_account("s1", (Role.STREET_STAFF, world.street1))
    out = StringIO()
    call_command("api_token", "create", "s1", "--name", "街道对接", "--days", "7", stdout=out)
    clear = out.getvalue().strip().splitlines()[-1]
    assert clear.startswith("txn_")
    token = ApiToken.objects.get()
    assert (token.name, token.expires_at - token.created_at) == ("街道对接", timedelta(days=7))
    assert Client(HTTP_AUTHORIZATION=f"Token {clear}").get("/api/v1/units/").status_code == 200
    listing = StringIO()
    call_command("api_token", "list", "s1", stdout=listing)
    assert clear not in listing.getvalue()
    assert "有效" in listing.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    assert Client(HTTP_AUTHORIZATION=f"Token {clear}").get("/api/v1/units/").status_code == 401
    events = AuditEvent.objects.filter(object_type="api.apitoken").order_by("seq")
    assert [e.action for e in events] == [AuditAction.GRANT, AuditAction.REVOKE]
    assert clear not in str(list(events.values()))


def test_a_staff_session_without_the_second_factor_gets_json_not_a_redirect(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(make_account("s1", (Role.STREET_STAFF, world.street1)))
    response = client.get("/api/v1/persons/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "second_factor_required"


def test_a_verified_session_reads_and_needs_csrf_to_write(world) -> None:  # type: ignore[no-untyped-def]
    client = csrf_session_client(make_account("s1", (Role.STREET_STAFF, world.street1)))
    assert client.get("/api/v1/persons/").json()["count"] == 3
    payload = {"name": "示范商店", "credit_code": "", "kind": "other", "territory": world.c11.pk}
    refused = client.post("/api/v1/units/", payload, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    # What a page's script does: echo the csrftoken cookie in the X-CSRFToken header.
    token_value = "k" * 32
    client.cookies["csrftoken"] = token_value
    accepted = client.post(
        "/api/v1/units/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token_value
    )
    assert accepted.status_code == 400  # past CSRF: now the credit code is checked
    assert accepted.json()["code"] == "validation_error"
    assert "credit_code" in accepted.json()["fields"]


def test_a_resident_token_sees_only_their_own_person_record(world) -> None:  # type: ignore[no-untyped-def]
    resident = token_client(make_account("alice", person=world.alice))
    listed = resident.get("/api/v1/persons/").json()
    assert [r["id"] for r in listed["results"]] == [world.alice.pk]
    assert resident.get("/api/v1/territories/").json()["count"] == 0


def test_messages_follow_the_language_switch(world) -> None:  # type: ignore[no-untyped-def]
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/persons/")
    assert english.json()["message"] == "Not logged in, or the credentials are invalid or expired."
    assert english.json()["code"] == "not_authenticated"  # codes never change with the language

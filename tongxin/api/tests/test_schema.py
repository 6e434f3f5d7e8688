"""The OpenAPI description: valid, served by the app, with its docs page working offline; and
schemathesis against it, as a staff token: no server error, and every answer (status and body)
one the schema documents."""

import os
import re
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from conftest import make_account
from tongxin.accounts.models import Role

from .conftest import token_client

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_every_operation_documents_the_error_bodies(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "fields", "message"]
    operation_ids = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
            if "{id}" in path:
                assert "404" in operation["responses"], (method, path)
            assert re.search(r"[\u4e00-\u9fff]", operation["summary"]), operation["operationId"]
    assert "person_reveal" in operation_ids
    assert "person_create" in operation_ids
    assert len(operation_ids) == len(set(operation_ids))


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/api/docs/").content.decode()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
    assert "cdn" not in html.lower()
    for src in scripts:
        assert client.get(src).status_code == 200, src


def served_schema():  # type: ignore[no-untyped-def]
    """The schema as the app serves it (no database needed: the schema view is open)."""
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = served_schema()


@pytest.fixture
def staff_token(world) -> Iterator[str]:  # type: ignore[no-untyped-def]
    # The WSGI app would close the test's connection (and its transaction) at the end of each
    # request; Django's own test client switches that off in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield token_client(make_account("schemathesis", (Role.DISTRICT_ADMIN, world.district))).token
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("TONGXIN_SCHEMATHESIS_EXAMPLES", "15")),
    derandomize=bool(os.environ.get("CI")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, staff_token) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(headers={"Authorization": f"Token {staff_token}"}, checks=CHECKS)

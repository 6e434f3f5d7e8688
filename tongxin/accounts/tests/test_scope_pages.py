"""Property: on random worlds, the pages show exactly what the policies allow. Every list page
(followed through its pagination) links only rows in scope, every detail page of a row outside
the scope is the same 404 as a row that does not exist, every row in scope opens, and the Excel
export holds exactly the rows the account may export."""

import re
from io import BytesIO

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from tongxin.accounts.policies import Action
from tongxin.registry.tests.conftest import verified_client, without_csrf

from .scope_worlds import build, expected_visible, world_spec

# model name → (list URL, detail URL pattern, whether the list shows every visible row)
PAGES = {
    "person": ("/persons/", "/persons/{}/", True),
    "unit": ("/units/", "/units/{}/", True),
    "territory": ("/territory/", "/territory/{}/", False),  # a tree list shows one level at a time
    "organization": ("/orgs/", "/orgs/{}/", False),
}
MISSING_PK = 987_654


def as_seen(response, path: str) -> str:  # type: ignore[no-untyped-def]
    """The page as a person compares it: CSRF tokens and the echoed address left out."""
    return without_csrf(response.content.decode()).replace(path, "<path>")


def linked_pks(client, list_url: str, detail_pattern: str) -> set[int]:  # type: ignore[no-untyped-def]
    link = re.compile(re.escape(detail_pattern).replace(r"\{\}", r"(\d+)"))
    found: set[int] = set()
    for page in range(1, 50):
        response = client.get(list_url, {"page": page}, follow=True)  # a single root opens itself
        assert response.status_code == 200
        html = response.content.decode()
        found |= {int(pk) for pk in link.findall(html)}
        if f"page={page + 1}" not in html:
            return found
    raise AssertionError("pagination did not end")


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=world_spec)
def test_pages_show_only_rows_in_scope_and_hide_the_rest_as_missing(spec) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        world = build(spec)
        client = verified_client(world.user)
        all_rows = {
            "person": world.persons,
            "unit": world.units,
            "territory": world.territories,
            "organization": world.organizations,
        }
        for name, (list_url, detail, lists_all) in PAGES.items():
            allowed = expected_visible(world, name, Action.VIEW)
            missing = client.get(detail.format(MISSING_PK))
            assert missing.status_code == 404
            for row in all_rows[name]:
                response = client.get(detail.format(row.pk))
                if row.pk in allowed:
                    assert response.status_code == 200, (name, row)
                else:
                    assert response.status_code == 404, (name, row)
                    assert as_seen(response, detail.format(row.pk)) == as_seen(
                        missing, detail.format(MISSING_PK)
                    )
            if allowed or lists_all:
                shown = linked_pks(client, list_url, detail)
                assert shown <= allowed, name
                if lists_all:
                    assert shown == allowed, name
        exportable = expected_visible(world, "person", Action.EXPORT)
        export = client.post("/persons/export/", {"q": ""})
        if exportable:
            book = load_workbook(BytesIO(export.content), read_only=True)
            names = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
            assert names == {p.name for p in world.persons if p.pk in exportable}
        else:
            assert export.status_code == 404
        transaction.set_rollback(True)

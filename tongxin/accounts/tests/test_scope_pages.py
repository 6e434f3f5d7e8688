"""Property: on random worlds, the pages show exactly what the policies allow. Every list page
(followed through its pagination) links only rows in scope, every detail page of a row outside
the scope is the same 404 as a row that does not exist, every row in scope opens, every Excel
export holds exactly the rows the account may export, the left panel's trees expand only nodes in
scope into children in scope, and the edit pages open exactly where the account may change."""

import re
from io import BytesIO

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from tongxin.accounts.policies import Action, belongs_on_phone_site
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
        if belongs_on_phone_site(world.user):  # residents and members only: sent to /m/ instead
            assert [client.get(url)["Location"] for url, _, _ in PAGES.values()] == ["/m/"] * len(PAGES)
            transaction.set_rollback(True)
            return
        all_rows = {
            "person": world.persons,
            "unit": world.units,
            "territory": world.territories,
            "organization": world.organizations,
            "membership": [m for p in world.persons if (m := getattr(p, "membership", None)) is not None],
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
        for name, url in EXPORTS.items():
            exportable = expected_visible(world, name, Action.EXPORT)
            export = client.post(url, {"q": ""})
            if exportable:
                book = load_workbook(BytesIO(export.content), read_only=True)
                names = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
                assert names == {exported_name(row) for row in all_rows[name] if row.pk in exportable}, name
            else:
                assert export.status_code == 404, name
        check_tree_children(client, world)
        check_edit_pages(client, world, all_rows)
        check_member_list(client, world)
        transaction.set_rollback(True)


# model name → export URL; each export's first column names the row
EXPORTS = {
    "person": "/persons/export/",
    "unit": "/units/export/",
    "territory": "/territory/export/",
    "organization": "/orgs/export/",
    "membership": "/members/export/",
}
# model name → edit page; open exactly where the account may change the row
EDIT_PAGES = {
    "person": "/persons/{}/edit/",
    "unit": "/units/{}/edit/",
    "territory": "/territory/{}/edit/",
    "organization": "/orgs/{}/edit/",
    "membership": "/members/{}/edit/",
}
TREE_CHILDREN = {"territory": "/tree/territory/{}/children/", "organization": "/tree/org/{}/children/"}


def exported_name(row) -> str:  # type: ignore[no-untyped-def]
    return row.person.name if hasattr(row, "person_id") and hasattr(row, "organization_id") else row.name


def check_tree_children(client, world) -> None:  # type: ignore[no-untyped-def]
    """Expanding a node answers only for nodes in scope, and lists only children in scope."""
    rows = {"territory": world.territories, "organization": world.organizations}
    for name, pattern in TREE_CHILDREN.items():
        allowed = expected_visible(world, name, Action.VIEW)
        detail = PAGES[name][1]
        link = re.compile(re.escape(detail).replace(r"\{\}", r"(\d+)"))
        for node in rows[name]:
            response = client.get(pattern.format(node.pk))
            if node.pk not in allowed:
                assert response.status_code == 404, (name, node)
                continue
            assert response.status_code == 200, (name, node)
            shown = {int(pk) for pk in link.findall(response.content.decode())}
            kids = {n.pk for n in rows[name] if world.parent.get((name[0], n.pk)) == (name[0], node.pk)}
            assert shown == kids & allowed, (name, node)
    assert client.get(TREE_CHILDREN["territory"].format(MISSING_PK)).status_code == 404


def check_edit_pages(client, world, all_rows) -> None:  # type: ignore[no-untyped-def]
    for name, pattern in EDIT_PAGES.items():
        allowed = expected_visible(world, name, Action.CHANGE)
        for row in all_rows[name]:
            status = client.get(pattern.format(row.pk)).status_code
            assert status == (200 if row.pk in allowed else 404), (name, row, status)


def check_member_list(client, world) -> None:  # type: ignore[no-untyped-def]
    """The 党员 list names exactly the members whose membership the account may see."""
    allowed = expected_visible(world, "membership", Action.VIEW)
    expected = {
        p.name for p in world.persons if getattr(p, "membership", None) and p.membership.pk in allowed
    }
    shown: set[str] = set()
    for page in range(1, 50):
        html = client.get("/members/", {"page": page}).content.decode()
        shown |= set(re.findall(r'<td><a href="/persons/\d+/">([^<]+)</a></td>', html))
        if f"page={page + 1}" not in html:
            break
    assert shown == expected

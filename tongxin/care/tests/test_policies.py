"""Who sees a care subject: staff of the community and above, and the assigned visitors; nobody
else, and a forbidden subject looks exactly like a missing one."""

import pytest
from django.test import Client

from conftest import TODAY
from tongxin.care import policies
from tongxin.registry.tests.conftest import without_csrf

from .conftest import verified_client

pytestmark = pytest.mark.django_db


def test_staff_of_the_community_and_above_see_the_registry(cw) -> None:  # type: ignore[no-untyped-def]
    n = cw.n
    pk = cw.subject.pk
    assert policies.staff_subjects(n.staff11).filter(pk=pk).exists()
    assert policies.staff_subjects(n.street1).filter(pk=pk).exists()
    for other in (n.staff12, n.staff21, n.grid, n.branch11, n.alice, n.erin, n.resident):
        assert not policies.staff_subjects(other).filter(pk=pk).exists(), other.username


def test_only_the_assigned_visitors_see_it_on_the_phone(cw) -> None:  # type: ignore[no-untyped-def]
    n = cw.n
    assert list(policies.visitor_subjects(n.alice, TODAY)) == [cw.subject]
    for other in (n.erin, n.bob, n.carol, n.resident, n.staff11):
        assert not policies.visitor_subjects(other, TODAY).exists(), other.username


def test_a_member_not_assigned_gets_the_same_404_as_for_nothing(cw) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cw.n.erin)
    pk = cw.subject.pk
    forbidden = client.get(f"/care/m/{pk}/")
    missing = client.get("/care/m/999999/")
    assert forbidden.status_code == missing.status_code == 404
    same = without_csrf(missing.content.decode()).replace("/999999/", f"/{pk}/")
    assert without_csrf(forbidden.content.decode()) == same
    assert client.post(f"/care/m/{pk}/call/").status_code == 404
    assert client.post(f"/care/m/{pk}/", {"way": "home", "condition": "good"}).status_code == 404
    # Her own list is empty.
    page = client.get("/care/m/")
    assert "刘桂兰" not in page.content.decode()


def test_staff_elsewhere_get_the_same_404(cw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(cw.n.staff21)
    pk = cw.subject.pk
    for url in (f"/care/{pk}/", f"/care/{pk}/edit/", f"/care/{pk}/assign/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/care/{pk}/visit/", {"way": "home"}).status_code == 404
    assert client.post(f"/care/{pk}/close/", {"reason": "moved"}).status_code == 404
    listing = client.get("/care/").content.decode()
    assert "刘桂兰" not in listing


def test_a_grid_worker_has_no_registry(cw) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(cw.n.grid)
    assert client.get("/care/").status_code == 404
    assert client.get(f"/care/{cw.subject.pk}/").status_code == 404
    assert client.get("/care/export/").status_code == 404


def test_members_are_sent_from_staff_pages_to_the_phone(cw) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cw.n.alice)
    assert client.get("/care/").status_code == 302


def test_never_in_public_pages(cw, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/care/").status_code == 302  # to the login page
    assert client.get("/care/m/").status_code == 302
    public = client.get(f"/needs/public/{cw.w.c11.pk}/")
    assert "刘桂兰" not in public.content.decode()

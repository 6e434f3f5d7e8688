"""The needs work list over the API: scope from the needs policy, each filter narrowing it, the due
state from the deadline clock, search by number, ordering and paging."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import NOW
from tongxin.needs.models import Need, Status
from tongxin.needs.services import need_accept
from tongxin.needs.tests.conftest import actor, nw, submit  # noqa: F401 - fixtures

from .needs_helpers import NEEDS, clients

pytestmark = pytest.mark.django_db


def ids(client: Any, **params: Any) -> list[int]:
    response = client.get(NEEDS, params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def needs(nw):  # type: ignore[no-untyped-def]  # noqa: F811
    """Five needs: three in 杨树浦社区, one in 复兴岛社区 (same street), one in the other street."""
    n = {}
    n["lamp"] = submit(nw, category="facility")
    n["fall"] = submit(nw, category="elderly", urgent=True, text="我家老人在楼梯上摔倒了,站不起来。")
    n["noise"] = submit(nw, category="property", text="楼上装修噪音很大,周末早上七点就开始。")
    n["island"] = submit(nw, by=nw.staff12, community=nw.w.c12, caller_phone="13900002222")
    n["far"] = submit(nw, by=nw.staff21, community=nw.w.c21, caller_phone="13900003333")
    need_accept(need=n["noise"], by=actor(nw.staff11), now=NOW)
    return {k: v.pk for k, v in n.items()}


def test_scope_follows_the_needs_policy(nw, needs) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw)
    assert set(ids(c.street1)) == {needs[k] for k in ("lamp", "fall", "noise", "island")}
    assert set(ids(c.staff11)) == {needs[k] for k in ("lamp", "fall", "noise")}
    assert set(ids(c.staff21)) == {needs["far"]}
    # The resident sees her own; the member sees the accepted, public one she could claim.
    assert set(ids(c.resident)) == {needs[k] for k in ("lamp", "fall", "noise")}
    assert ids(c.other_resident) == []
    assert ids(c.alice) == [needs["noise"]]


def test_filters_narrow_the_list(nw, needs) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw).street1
    assert set(ids(c, status=["submitted"])) == {needs[k] for k in ("lamp", "fall", "island")}
    assert set(ids(c, status=["submitted", "accepted"])) == {
        needs[k] for k in ("lamp", "fall", "noise", "island")
    }
    assert set(ids(c, category=["elderly", "facility"])) == {needs["fall"], needs["lamp"]}
    assert ids(c, urgent="true") == [needs["fall"]]
    assert ids(c, community=nw.w.c12.pk) == [needs["island"]]
    assert len(ids(c, community=nw.w.street1.pk)) == 4
    assert ids(c, community=nw.w.c21.pk) == []  # a filter never widens the scope
    Need.objects.filter(pk=needs["lamp"]).update(submitted_at=NOW - timedelta(days=40))
    assert ids(c, submitted_before=(NOW - timedelta(days=30)).date().isoformat()) == [needs["lamp"]]
    recent = ids(c, submitted_after=(NOW - timedelta(days=1)).date().isoformat())
    assert needs["lamp"] not in recent
    assert len(recent) == 3


def test_bad_filter_values_are_field_errors(nw, needs) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw).street1
    for params, field in (
        ({"status": "lost"}, "status"),
        ({"category": "weather"}, "category"),
        ({"community": "abc"}, "community"),
        ({"due": "someday"}, "due"),
        ({"submitted_after": "yesterday"}, "submitted"),
    ):
        response = c.get(NEEDS, params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "validation_error"
        assert field in "".join(response.json()["fields"]), (params, response.json())


def test_search_by_number_or_words(nw, needs) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw).street1
    assert ids(c, search=str(needs["noise"])) == [needs["noise"]]
    assert ids(c, search=f"#{needs['noise']}") == [needs["noise"]]
    assert ids(c, search=str(needs["far"])) == []  # out of scope: as if it did not exist
    assert ids(c, search="装修") == [needs["noise"]]


def test_ordering_and_paging(nw, needs) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw).street1
    for i, pk in enumerate(sorted(needs.values())):
        Need.objects.filter(pk=pk).update(submitted_at=NOW + timedelta(minutes=i))
    newest_first = ids(c)
    assert newest_first == sorted(newest_first, reverse=True)
    assert ids(c, ordering="submitted_at") == sorted(newest_first)
    first = c.get(NEEDS, {"page_size": 2}).json()
    assert (first["count"], len(first["results"])) == (4, 2)
    assert first["next"]
    past = c.get(NEEDS, {"page": 9})
    assert (past.status_code, past.json()["code"]) == (404, "not_found")


def test_list_rows_carry_what_a_queue_needs(nw, needs) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    row = next(r for r in clients(nw).staff11.get(NEEDS).json()["results"] if r["id"] == needs["fall"])
    assert row["status"] == "submitted"
    assert row["status_display"] == "待受理"
    assert row["category_name"] == "养老助老"
    assert row["sensitive"] is True
    assert row["community_name"] == nw.w.c11.name
    assert row["due_state"] in ("on_time", "urge", "overdue", "escalate")
    assert "contact_phone" not in row  # the phone is for the detail, where the role is checked


def test_due_state_filter_uses_the_clock(nw, needs) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw).staff11
    now = timezone.now()
    hour = timedelta(hours=1)
    fields = {"status": Status.SUBMITTED, "escalated_at": None}
    Need.objects.filter(pk=needs["lamp"]).update(
        **fields, urge_at=now + hour, accept_due_at=now + 2 * hour, escalate_at=now + 3 * hour
    )
    Need.objects.filter(pk=needs["fall"]).update(
        **fields, urge_at=now - hour, accept_due_at=now + hour, escalate_at=now + 2 * hour
    )
    Need.objects.filter(pk=needs["noise"]).update(
        status=Status.ACCEPTED, urge_at=now - 3 * hour, resolve_due_at=now - 2 * hour, escalate_at=now + hour
    )
    assert ids(c, due="on_time") == [needs["lamp"]]
    assert ids(c, due="urge") == [needs["fall"]]
    assert ids(c, due="overdue") == [needs["noise"]]
    assert ids(c, due="escalate") == []
    Need.objects.filter(pk=needs["noise"]).update(escalated_at=now)
    assert ids(c, due="escalate") == [needs["noise"]]
    detail = c.get(f"{NEEDS}{needs['noise']}/").json()
    assert detail["due_state"] == "escalate"


def test_the_list_costs_the_same_queries_for_3_rows_or_30(nw, needs, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c = clients(nw).street1
    c.get(NEEDS)  # the token's first use writes last_used_at
    with django_assert_max_num_queries(12) as few:
        c.get(NEEDS)
    for _ in range(27):
        submit(nw)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(c.get(NEEDS).json()["results"]) == 25


def test_the_schema_documents_the_needs_operations(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    claim = paths["/api/v1/needs/{id}/claim/"]["post"]
    assert {"200", "404", "409", "422"} <= set(claim["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in claim["parameters"])
    create = paths["/api/v1/needs/"]["post"]
    assert set(create["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    photo = paths["/api/v1/needs/{id}/photos/{photo_id}/"]["get"]
    assert "image/jpeg" in photo["responses"]["200"]["content"]
    assert "/api/v1/needs/classify/" in paths
    assert "/api/v1/need-categories/" in paths

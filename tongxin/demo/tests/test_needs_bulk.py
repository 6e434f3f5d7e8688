"""Demo needs: through the services they reach every state of the lifecycle with plausible times
and figures; the bulk path writes the same rows as the services for the same plans."""

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from tongxin.demo.needs_bulk import BulkNeedWriter
from tongxin.demo.needs_cast import cast_create
from tongxin.demo.needs_plan import Planner, load_places
from tongxin.demo.needs_services import ServiceNeedWriter
from tongxin.demo.seeding import BULK, SERVICES, seed_demo
from tongxin.needs.models import EventKind, Need, NeedEvent, Status

from .snapshots import NOW, snapshot_of, tiny_options

pytestmark = pytest.mark.django_db
COUNT, DAYS = 160, 60


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """A tiny world with the demo accounts, once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo(tiny_options(tree_path=BULK, people_path=BULK, accounts=True, needs=0))
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(world, db):  # type: ignore[no-untyped-def]
    pass


def write(path: str, count: int = COUNT) -> dict[str, int]:
    by = actor_of_system()
    cast = cast_create(by=by, now=NOW)
    places = load_places(cast)
    planner = Planner(cast=cast, places=places, seed=7, now=NOW)
    plans = planner.iter_plans(count=count, days=DAYS)
    if path == SERVICES:
        return ServiceNeedWriter(cast=cast, now=NOW).write(plans)
    writer = BulkNeedWriter(cast=cast, now=NOW, by=by)
    writer.prime(places, planner.texts())
    return writer.write(plans)


def actor_of_system():  # type: ignore[no-untyped-def]
    from tongxin.core.actor import Actor

    return Actor.system("seed_demo")


def needs_snapshot() -> dict[str, Any]:
    """Every need and event by order of submission, with accounts by name and needs by position,
    so that two runs (whose ids differ) compare."""
    needs = list(Need.objects.select_related("submitted_by").order_by("pk"))
    position = {n.pk: i for i, n in enumerate(needs)}
    skip = {"id", "submitted_by_id", "merged_into_id"}
    rows = []
    for need in needs:
        values = {
            f.attname: getattr(need, f.attname) for f in Need._meta.concrete_fields if f.attname not in skip
        }
        values["submitted_by"] = need.submitted_by.username if need.submitted_by else None
        values["merged_into"] = position.get(need.merged_into_id) if need.merged_into_id else None
        rows.append(values)
    events = []
    for e in NeedEvent.objects.select_related("actor").order_by("need_id", "at", "pk"):
        note = e.note
        for pk, index in position.items():
            note = note.replace(f"编号{pk}的", f"编号#{index}的")
        events.append(
            (
                position[e.need_id],
                e.actor.username if e.actor else None,
                e.actor_label,
                e.at,
                e.kind,
                e.from_status,
                e.to_status,
                note,
                e.public,
                e.assignee_key,
            )
        )
    return {"needs": rows, "events": events}


def snapshot_after(work: Callable[[], object]) -> dict[str, Any]:
    result: dict[str, Any] = {}

    def run() -> None:
        result["counts"] = work()
        result.update(needs_snapshot())

    snapshot_of(run)
    return result


@pytest.fixture(scope="module")
def via_services(world, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        return snapshot_after(lambda: write(SERVICES))


def test_services_reach_every_state_and_step(via_services) -> None:  # type: ignore[no-untyped-def]
    statuses = Counter(n["status"] for n in via_services["needs"])
    assert set(statuses) == set(Status.values), statuses
    kinds = Counter(e[4] for e in via_services["events"])
    assert set(kinds) >= set(EventKind.values) - {EventKind.RECLASSIFY}, kinds
    # every rating was given (some 1–2 star needs were reopened since, which clears the rating)
    ratings = {
        int(m[1])
        for e in via_services["events"]
        if e[4] == EventKind.VISIT
        for m in [re.search(r"(\d)星", e[7])]
    }
    assert ratings == {1, 2, 3, 4, 5}
    needs = via_services["needs"]
    assert any(n["urgent"] for n in needs)
    assert any(n["escalation_level"] for n in needs)
    assert any(n["urged_at"] for n in needs)
    assert any(n["bounce_count"] for n in needs)
    assert any(n["private"] for n in needs)
    assert any(n["story_consent_at"] for n in needs)
    for n in needs:
        assert n["submitted_at"] <= n["updated_at"] <= NOW
        if n["accepted_at"]:
            assert n["submitted_at"] < n["accepted_at"]
        if n["resolved_at"]:
            assert n["accepted_at"] < n["resolved_at"]
    # every kind of assignee is used
    keys = {e[9].split(":")[0] for e in via_services["events"] if e[4] == EventKind.DISPATCH}
    assert keys == {"territory", "org", "unit", "person"}


def test_bulk_writes_what_the_services_write(via_services, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    via_bulk = snapshot_after(lambda: write(BULK))
    assert len(via_bulk["needs"]) == len(via_services["needs"]) > COUNT
    for i, (bulk, service) in enumerate(zip(via_bulk["needs"], via_services["needs"], strict=True)):
        assert bulk == service, i
    assert via_bulk["events"] == via_services["events"]
    assert via_bulk["counts"]["need events"] == len(via_services["events"])


def test_demo_accounts_have_work_waiting(via_services) -> None:  # type: ignore[no-untyped-def]
    submitted_by = Counter(n["submitted_by"] for n in via_services["needs"])
    assert submitted_by["demo_resident"] >= 3
    assert submitted_by["demo_street"] > 10
    actors = Counter(e[1] for e in via_services["events"])
    for username in ("demo_street", "demo_community", "demo_member", "demo_resident"):
        assert actors[username] > 0, username

"""The whole loop with its events and messages; every step refused from a status it does not
leave; bad input changing nothing."""

from typing import Any

import pytest

from conftest import NOW
from tongxin.audit.models import AuditEvent
from tongxin.needs.models import EventKind, Need, NeedEvent, Status
from tongxin.needs.services import (
    NeedError,
    NeedTransitionNotAllowed,
    need_accept,
    need_archive,
    need_bounce,
    need_claim,
    need_dispatch,
    need_merge,
    need_reopen,
    need_resolve,
    need_return,
    need_start,
    need_visit,
    need_withdraw,
)
from tongxin.needs.transitions import TRANSITIONS

from .conftest import actor, submit

pytestmark = pytest.mark.django_db


def test_the_happy_path_leaves_a_timeline_and_tells_the_resident(
    nw, outbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        need = submit(nw, tags=["急", "盼", "急"], urgent=True)
        assert need.tags == ["急", "盼"]
        need_accept(need=need, by=actor(nw.staff11), now=NOW)
        need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
        need_claim(need=need, by=actor(nw.alice), now=NOW)
        need_start(need=need, by=actor(nw.alice), now=NOW)
        need_resolve(need=need, result="已更换楼道灯泡两只。", by=actor(nw.alice), now=NOW)
        need_visit(need=need, rating=5, comment="很及时,谢谢!", by=actor(nw.resident), now=NOW)
        need_archive(need=need, by=actor(nw.staff11), now=NOW)
    need.refresh_from_db()
    assert need.status == Status.ARCHIVED
    assert need.assigned_person == nw.w.alice
    assert need.rating == 5
    assert need.resolution == "已更换楼道灯泡两只。"
    steps = list(need.events.values_list("kind", "from_status", "to_status"))
    assert steps == [
        ("submit", "", "submitted"),
        ("accept", "submitted", "accepted"),
        ("dispatch", "accepted", "dispatched"),
        ("claim", "dispatched", "claimed"),
        ("start", "claimed", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("visit", "resolved", "visited"),
        ("archive", "visited", "archived"),
    ]
    # The claim after a dispatch is told in-app only: the dispatch already said someone has it.
    assert [(m.to, m.template) for m in outbox] == [
        ("13611112222", "need_accepted"),
        ("13611112222", "need_taken"),
        ("13611112222", "need_resolved"),
    ]
    assert f"编号{need.pk}" in outbox[1].text
    assert AuditEvent.objects.filter(object_type="needs.need", object_id=str(need.pk)).count() == 8
    # The audit rows never carry what the resident wrote.
    assert not AuditEvent.objects.filter(object_repr__contains="楼道").exists()


def test_a_returned_need_tells_the_resident_why(nw, outbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    with django_capture_on_commit_callbacks(execute=True):
        need_return(need=need, reason="属于市政道路,请拨打12345。", by=actor(nw.staff11), now=NOW)
    assert [m.template for m in outbox] == ["need_returned"]
    assert "属于市政道路" in outbox[0].text
    event = need.events.get(kind=EventKind.RETURN)
    assert event.public
    assert event.note == "属于市政道路,请拨打12345。"


def test_a_return_needs_a_reason(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    with pytest.raises(NeedError) as err:
        need_return(need=need, reason="  ", by=actor(nw.staff11), now=NOW)
    assert err.value.field == "reason"
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED
    assert need.events.count() == 1


def test_messages_go_only_after_commit_and_never_for_a_rolled_back_step(
    nw, outbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    need = submit(nw)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        need_accept(need=need, by=actor(nw.staff11), now=NOW)
        assert outbox == []  # not while the step's transaction may still roll back
    assert len(callbacks) == 1
    other = submit(nw)

    def accept_then_fail() -> None:
        with transaction.atomic():
            need_accept(need=other, by=actor(nw.staff11), now=NOW)
            raise RuntimeError("the caller's transaction fails after the step")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        accept_then_fail()
    assert outbox == []
    other.refresh_from_db()
    assert other.status == Status.SUBMITTED


# Put a need in each status through the real services, as the staff and the member would.
def _to(nw: Any, status: str) -> Need:
    staff, member = actor(nw.staff11), actor(nw.alice)
    need = submit(nw)
    if status == Status.SUBMITTED:
        return need
    if status == Status.RETURNED:
        return need_return(need=need, reason="重复提交", by=staff, now=NOW)
    need_accept(need=need, by=staff, now=NOW)
    if status == Status.ACCEPTED:
        return need
    if status == Status.WITHDRAWN:
        return need_withdraw(need=need, by=actor(nw.resident), now=NOW)
    if status == Status.MERGED:
        return need_merge(need=need, into=submit(nw), by=staff, now=NOW)
    need_dispatch(need=need, to=nw.w.b11, by=staff, now=NOW)
    if status == Status.DISPATCHED:
        return need
    need_claim(need=need, by=member, now=NOW)
    if status == Status.CLAIMED:
        return need
    need_start(need=need, by=member, now=NOW)
    if status == Status.IN_PROGRESS:
        return need
    need_resolve(need=need, result="已处理", by=member, now=NOW)
    if status == Status.RESOLVED:
        return need
    need_visit(need=need, rating=1, by=actor(nw.resident), now=NOW)
    if status == Status.VISITED:
        return need
    assert status == Status.ARCHIVED
    return need_archive(need=need, by=staff, now=NOW)


def _step(nw: Any, kind: str, need: Need) -> None:
    # Actors who can see the need in every status, so the status is what refuses the step.
    staff, resident = actor(nw.staff11), actor(nw.resident)
    calls = {
        EventKind.ACCEPT: lambda: need_accept(need=need, by=staff, now=NOW),
        EventKind.RETURN: lambda: need_return(need=need, reason="不属于本社区", by=staff, now=NOW),
        EventKind.DISPATCH: lambda: need_dispatch(need=need, to=nw.w.b11, by=staff, now=NOW),
        EventKind.BOUNCE: lambda: need_bounce(need=need, reason="不归我们管", by=staff, now=NOW),
        EventKind.CLAIM: lambda: need_claim(need=need, by=staff, now=NOW),
        EventKind.START: lambda: need_start(need=need, by=staff, now=NOW),
        EventKind.RESOLVE: lambda: need_resolve(need=need, result="已处理", by=staff, now=NOW),
        EventKind.VISIT: lambda: need_visit(need=need, rating=4, by=resident, now=NOW),
        EventKind.ARCHIVE: lambda: need_archive(need=need, by=staff, now=NOW),
        EventKind.WITHDRAW: lambda: need_withdraw(need=need, by=resident, now=NOW),
        EventKind.MERGE: lambda: need_merge(need=need, into=submit(nw), by=staff, now=NOW),
        EventKind.REOPEN: lambda: need_reopen(need=need, by=resident, now=NOW),
    }
    calls[kind]()


REFUSED = [
    (kind, status)
    for kind, (sources, _target) in TRANSITIONS.items()
    for status in Status.values
    if status not in sources
]


@pytest.mark.parametrize(("kind", "status"), REFUSED)
def test_a_step_from_a_status_it_does_not_leave_is_refused_and_changes_nothing(nw, kind, status) -> None:  # type: ignore[no-untyped-def]
    need = _to(nw, status)
    need.refresh_from_db()
    events = NeedEvent.objects.filter(need=need).count()
    label = Status(status).label
    with pytest.raises(NeedTransitionNotAllowed) as err:
        _step(nw, kind, need)
    assert f"“{label}”" in err.value.message
    fresh = Need.objects.get(pk=need.pk)
    assert fresh.status == status
    assert NeedEvent.objects.filter(need=need).count() == events


@pytest.mark.parametrize("status", list(Status.values))
def test_every_status_is_reachable_through_the_services(nw, status) -> None:  # type: ignore[no-untyped-def]
    need = _to(nw, status)
    need.refresh_from_db()
    assert need.status == status


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \u200b "}, "text"),
        ({"text": "灯" * 1001}, "text"),
        ({"category": "weather"}, "category"),
        ({"tags": ["急", "烦"]}, "tags"),
        ({"community": "street"}, "community"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_stored(nw, kwargs, field) -> None:  # type: ignore[no-untyped-def]
    if kwargs.get("community") == "street":
        kwargs["community"] = nw.w.street1
    with pytest.raises(NeedError) as err:
        submit(nw, **kwargs)
    assert err.value.field == field
    assert not Need.objects.exists()


def test_staff_enter_a_walk_in_with_the_phone_encrypted(nw) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    need = submit(nw, by=nw.staff11, channel="staff", caller_name="刘阿姨", caller_phone="139 0000 1234")
    assert need.person is None
    assert need.caller_phone == "13900001234"
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone FROM needs_need WHERE id = %s", [need.pk])
        assert "13900001234" not in cursor.fetchone()[0]
    with pytest.raises(NeedError) as err:
        submit(nw, by=nw.staff11, channel="staff", caller_phone="12345")
    assert err.value.field == "caller_phone"
    with pytest.raises(NeedError) as err:
        submit(nw, by=nw.staff11, channel="staff")
    assert err.value.field == "caller_phone"


def test_a_rating_must_be_one_to_five(nw) -> None:  # type: ignore[no-untyped-def]
    need = _to(nw, Status.RESOLVED)
    for bad in (0, 6, True, "5"):
        with pytest.raises(NeedError) as err:
            need_visit(need=need, rating=bad, by=actor(nw.resident), now=NOW)
        assert err.value.field == "rating"
    need.refresh_from_db()
    assert need.status == Status.RESOLVED
    assert need.rating is None

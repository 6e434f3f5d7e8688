"""Edges of who may see and do what, each once a way round the rules: a committee's need reaching
every member below it, a member claiming her own need, staff consenting for a resident, a helper
named on the resident's timeline, an acceptance-stage escalation skipping the street later, and
two merges into each other."""

import pytest

from conftest import NOW
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs.models import EventKind, Status
from tongxin.needs.selectors import need_list_for_scope, need_timeline
from tongxin.needs.services import (
    NeedError,
    NeedNotAllowed,
    need_accept,
    need_claim,
    need_dispatch,
    need_merge,
    need_story_consent,
)
from tongxin.needs.services.clock import need_clock_advance

from .conftest import actor, submit
from .test_deadlines import SUBMITTED, at, submit_at

pytestmark = pytest.mark.django_db


def _seen(user, need) -> bool:  # type: ignore[no-untyped-def]
    return need_list_for_scope(user).filter(pk=need.pk).exists()


def test_a_committee_s_sensitive_need_stays_with_its_office_but_an_ordinary_one_reaches_members(nw) -> None:  # type: ignore[no-untyped-def]
    sensitive = submit(nw, category="psych", text="我最近总是睡不着,心里很慌,想找人聊聊。")
    ordinary = submit(nw, text="小区东门的路灯坏了,晚上看不清。")
    for need in (sensitive, ordinary):
        need_accept(need=need, by=actor(nw.staff11), now=NOW)
        need_dispatch(need=need, to=nw.w.cc11, by=actor(nw.staff11), now=NOW)  # 社区党委
    # alice is a member of a branch below the committee.
    assert not _seen(nw.alice, sensitive)
    with pytest.raises(NotFoundOrForbidden):
        need_claim(need=sensitive, by=actor(nw.alice), now=NOW)
    assert _seen(nw.alice, ordinary)
    need_claim(need=ordinary, by=actor(nw.alice), now=NOW)


def test_nobody_claims_their_own_need(nw) -> None:  # type: ignore[no-untyped-def]
    own = submit(nw, by=nw.alice, text="我家楼下的路灯坏了一个月了。")
    need_accept(need=own, by=actor(nw.staff11), now=NOW)
    assert _seen(nw.alice, own)  # she follows it
    with pytest.raises(NeedNotAllowed):
        need_claim(need=own, by=actor(nw.alice), now=NOW)
    need_claim(need=own, by=actor(nw.erin), now=NOW)  # a neighbour from her branch may


def test_consent_to_a_story_is_the_resident_s_own_not_the_staff_s_who_entered_it(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw, by=nw.staff11, channel="staff", caller_name="王阿姨", caller_phone="13912345678")
    with pytest.raises(NeedNotAllowed):
        need_story_consent(need=need, consent=True, by=actor(nw.staff11), now=NOW)
    need.refresh_from_db()
    assert need.story_consent_at is None
    own = submit(nw)
    assert need_story_consent(need=own, consent=True, by=actor(nw.resident), now=NOW).story_consent_at == NOW


def test_a_helper_is_not_named_on_the_resident_s_timeline(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.alice, by=actor(nw.staff11), now=NOW)
    notes = " ".join(need_timeline(need, public_only=True).values_list("note", flat=True))
    assert "已派单至热心人" in notes
    assert nw.w.alice.name not in notes


def test_a_need_escalated_before_acceptance_escalates_from_the_street_again_later(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    need_clock_advance(now=at(10, 12, 9))  # late acceptance: escalated to the street
    need.refresh_from_db()
    assert (need.escalation_level, need.escalated_to_id) == (1, nw.w.street1.pk)
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 12, 10))
    need.refresh_from_db()
    assert need.escalation_level == 0
    assert need.escalate_at is not None
    need_clock_advance(now=need.escalate_at)
    need.refresh_from_db()
    assert need.escalated_to_id == nw.w.street1.pk  # the street hears first, again


def test_two_needs_cannot_be_merged_into_each_other(nw) -> None:  # type: ignore[no-untyped-def]
    a = submit(nw, text="3号楼电梯坏了。")
    b = submit(nw, text="3号楼的电梯又不动了。")
    need_merge(need=a, into=b, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedError):
        need_merge(need=b, into=a, by=actor(nw.staff11), now=NOW)
    b.refresh_from_db()
    assert b.status == Status.SUBMITTED
    assert not b.events.filter(kind=EventKind.MERGE).exists()


def test_showing_the_phone_in_clear_to_a_handler_is_audited_once_per_showing(nw) -> None:  # type: ignore[no-untyped-def]
    from tongxin.audit.models import AuditAction, AuditEvent
    from tongxin.needs.services import need_phone_reveal

    need = submit(nw)
    reveals = AuditEvent.objects.filter(action=AuditAction.REVEAL)
    # Neither the resident nor a would-be claimer is shown it in clear here: no row.
    assert need_phone_reveal(need=need, by=actor(nw.resident), now=NOW) == "136****2222"
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    assert need_phone_reveal(need=need, by=actor(nw.alice), now=NOW) == "136****2222"
    assert not reveals.exists()
    # The community's staff read it in clear: audited.
    assert need_phone_reveal(need=need, by=actor(nw.staff11), now=NOW) == "13611112222"
    assert reveals.count() == 1

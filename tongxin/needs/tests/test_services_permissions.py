"""Who may take which step: staff over the community, the assignee, the resident, and no one else."""

import pytest

from conftest import NOW
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs.models import Channel, Status
from tongxin.needs.services import (
    NeedError,
    NeedNotAllowed,
    need_accept,
    need_bounce,
    need_claim,
    need_dispatch,
    need_resolve,
    need_start,
    need_visit,
    need_withdraw,
)

from .conftest import actor, submit

pytestmark = pytest.mark.django_db


def test_only_staff_over_the_community_accept(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    # Another community's staff and another street's cannot even see it.
    for outsider in (nw.staff12, nw.staff21):
        with pytest.raises(NotFoundOrForbidden):
            need_accept(need=need, by=actor(outsider), now=NOW)
    # The resident sees their need but may not accept it.
    with pytest.raises(NeedNotAllowed) as err:
        need_accept(need=need, by=actor(nw.resident), now=NOW)
    assert "受理" in err.value.message
    need_accept(need=need, by=actor(nw.street1), now=NOW)  # the street above the community may
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED


def test_the_dispatcher_may_only_send_within_reach(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedError) as err:
        need_dispatch(need=need, to=nw.w.b21, by=actor(nw.staff11), now=NOW)  # another street's branch
    assert err.value.field == "to"
    with pytest.raises(NeedError):
        need_dispatch(need=need, to=nw.w.external, by=actor(nw.staff11), now=NOW)
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED
    need_dispatch(need=need, to=nw.w.unit, by=actor(nw.staff11), now=NOW)
    need.refresh_from_db()
    assert need.assigned_unit == nw.w.unit
    assert need.events.last().note == "已派单至示范电力公司"


def test_the_dispatched_branch_works_the_need_and_others_do_not(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    # The branch's office (a grant on the branch) starts and resolves it.
    need_start(need=need, by=actor(nw.branch11), now=NOW)
    need_resolve(need=need, result="已协调物业修复。", by=actor(nw.branch11), now=NOW)
    need.refresh_from_db()
    assert need.status == Status.RESOLVED


def test_a_person_dispatched_to_works_it_and_another_member_may_not(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.alice, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        need_start(need=need, by=actor(nw.erin), now=NOW)
    need_start(need=need, by=actor(nw.alice), now=NOW)
    need.refresh_from_db()
    assert need.status == Status.IN_PROGRESS


def test_only_the_resident_withdraws_and_rates_their_own_need(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    with pytest.raises(NotFoundOrForbidden):
        need_withdraw(need=need, by=actor(nw.other_resident), now=NOW)
    with pytest.raises(NeedNotAllowed):
        need_withdraw(need=need, by=actor(nw.staff11), now=NOW)
    need_withdraw(need=need, by=actor(nw.resident), now=NOW, reason="已自行解决")
    need.refresh_from_db()
    assert need.status == Status.WITHDRAWN

    rated = submit(nw)
    need_accept(need=rated, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=rated, to=nw.w.c11, by=actor(nw.staff11), now=NOW)
    need_start(need=rated, by=actor(nw.staff11), now=NOW)
    need_resolve(need=rated, result="已修复", by=actor(nw.staff11), now=NOW)
    # A rating on someone else's need is refused as if the need did not exist.
    with pytest.raises(NotFoundOrForbidden):
        need_visit(need=rated, rating=1, by=actor(nw.other_resident), now=NOW)
    rated.refresh_from_db()
    assert rated.rating is None
    # Staff record a phone follow-up instead.
    need_visit(need=rated, rating=4, comment="满意", by=actor(nw.staff11), now=NOW)
    assert rated.events.last().note == "电话回访:4星 满意"


def test_a_member_of_another_street_cannot_claim(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        need_claim(need=need, by=actor(nw.bob), now=NOW)
    with pytest.raises(NeedNotAllowed):  # a resident who is no member sees it but may not claim
        need_claim(need=need, by=actor(nw.resident), now=NOW)
    need_claim(need=need, by=actor(nw.carol), now=NOW)  # lives there, member of a unit's branch
    need.refresh_from_db()
    assert need.assigned_person == nw.w.carol


def test_the_bounce_is_the_assignees_not_the_dispatchers(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedNotAllowed):
        need_bounce(need=need, reason="不归我们", by=actor(nw.staff11), now=NOW)


def test_who_may_enter_a_need_for_whom(nw) -> None:  # type: ignore[no-untyped-def]
    from tongxin.needs.models import Need

    # A resident submits only for themself; staff and grid workers for others in their area.
    with pytest.raises(NeedNotAllowed):
        submit(nw, by=nw.other_resident, channel="mobile", person=nw.fang)
    with pytest.raises(NeedNotAllowed):
        submit(nw, by=nw.staff21, channel="staff", person=nw.fang)
    assert not Need.objects.exists()
    by_grid = submit(nw, by=nw.grid, channel="grid", person=nw.fang)
    assert by_grid.submitted_by == nw.grid
    assert by_grid.person == nw.fang
    own = submit(nw)
    assert own.person == nw.fang
    assert own.events.get().kind == "submit"


def test_staff_recording_a_call_on_a_need_they_entered_is_a_phone_visit(nw) -> None:  # type: ignore[no-untyped-def]
    """Staff who typed in a caller's need are its submitter, yet the rating they record came
    over the phone: the timeline must not call it the resident's own rating."""
    need = submit(nw, by=nw.staff11, channel=Channel.STAFF, caller_name="王阿姨", caller_phone="13912345678")
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.c11, by=actor(nw.staff11), now=NOW)
    need_start(need=need, by=actor(nw.staff11), now=NOW)
    need_resolve(need=need, result="已修好", by=actor(nw.staff11), now=NOW)
    rated = need_visit(need=need, rating=5, by=actor(nw.staff11), now=NOW)
    assert rated.events.last().note == "电话回访:5星"

"""Registered volunteers join the party members who claim residents' needs: the open, ordinary
needs of the community they live in and of the communities they chose to serve — never a private
or sensitive one, never one sent to a party branch, nothing once they withdraw. A need a volunteer
served well earns her the district's points like a member's."""

from typing import Any

import pytest

from conftest import NOW, SYSTEM
from tongxin.accounts.models import User
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.models import Currency, PointsRule
from tongxin.ledger.selectors import balance_of
from tongxin.mobile.tests.test_needs_intake import client_for
from tongxin.needs.models import Need, Status
from tongxin.needs.selectors import need_claimable_for
from tongxin.needs.services import (
    need_accept,
    need_claim,
    need_dispatch,
    need_resolve,
    need_start,
    need_visit,
)
from tongxin.needs.tests.conftest import actor, submit
from tongxin.volunteers.models import VolunteerStatus
from tongxin.volunteers.services import volunteer_withdraw

from .conftest import register

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The account as a new request sees it (the policy remembers a person's places per object)."""
    return User.objects.get(pk=user.pk)


def open_need(nw: Any, *, staff: Any = None, **kwargs: Any) -> Need:
    return need_accept(need=submit(nw, **kwargs), by=actor(staff or nw.staff11), now=NOW)


def claimable_texts(user: User) -> set[str]:
    return {n.text for n in need_claimable_for(fresh(user))}


def test_a_volunteer_claims_open_needs_where_she_lives_and_where_she_serves(nw) -> None:  # type: ignore[no-untyped-def]
    at_home = open_need(nw, text="3号楼楼道灯坏了一个星期,晚上老人上下楼看不见。")
    served = open_need(nw, staff=nw.staff12, community=nw.w.c12, text="小区花园的长椅坏了两张。")
    open_need(nw, staff=nw.staff21, community=nw.w.c21, text="长阳社区的路灯不亮。")
    # dave lives in 杨树浦社区 and is no party member: as a plain resident he claims nothing.
    assert claimable_texts(nw.other_resident) == set()

    register(nw.w.dave, [nw.w.c12], by=nw.other_resident)
    assert claimable_texts(nw.other_resident) == {at_home.text, served.text}

    need_claim(need=served, by=actor(fresh(nw.other_resident)), now=NOW)
    served.refresh_from_db()
    assert (served.status, served.assigned_person_id) == (Status.CLAIMED, nw.w.dave.pk)


def test_she_is_not_offered_private_sensitive_branch_or_other_street_needs(nw) -> None:  # type: ignore[no-untyped-def]
    register(nw.w.dave, [nw.w.c11], by=nw.other_resident)
    private = open_need(nw, private=True, text="家里的事不想让邻居知道。")
    sensitive = open_need(nw, category="elderly", text="独居老人想请人陪着去医院复查。")
    to_branch = open_need(nw, text="支部认领的楼道清理。")
    need_dispatch(need=to_branch, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    elsewhere = open_need(nw, staff=nw.staff21, community=nw.w.c21, text="长阳社区的路灯不亮。")

    assert claimable_texts(nw.other_resident) == set()
    for need in (private, sensitive, to_branch, elsewhere):
        with pytest.raises(NotFoundOrForbidden):  # the same answer as a need that does not exist
            need_claim(need=need, by=actor(fresh(nw.other_resident)), now=NOW)
        need.refresh_from_db()
        assert need.assigned_person_id is None
    # The branch's members still have theirs.
    assert to_branch.text in claimable_texts(nw.alice)


def test_a_volunteer_who_withdrew_claims_nothing(nw) -> None:  # type: ignore[no-untyped-def]
    need = open_need(nw)
    volunteer = register(nw.w.dave, [nw.w.c11], by=nw.other_resident)
    assert claimable_texts(nw.other_resident) == {need.text}
    volunteer_withdraw(volunteer=volunteer, by=SYSTEM, now=NOW)
    assert claimable_texts(nw.other_resident) == set()
    with pytest.raises(NotFoundOrForbidden):
        need_claim(need=need, by=actor(fresh(nw.other_resident)), now=NOW)


def test_a_need_a_volunteer_served_well_earns_her_the_points(nw) -> None:  # type: ignore[no-untyped-def]
    register(nw.w.dave, [nw.w.c11], by=nw.other_resident)
    need = open_need(nw)
    dave = actor(fresh(nw.other_resident))
    need_claim(need=need, by=dave, now=NOW)
    need_start(need=need, by=dave, now=NOW)
    need_resolve(need=need, result="已更换楼道灯泡两只。", by=dave, now=NOW)
    need_visit(need=need, rating=5, by=actor(nw.resident), now=NOW)
    rule = PointsRule.objects.get(code="need_resolved_good")
    assert balance_of(person=nw.w.dave, currency=Currency.POINTS) == rule.points_per_unit


def test_she_finishes_or_hands_over_her_needs_before_withdrawing(nw) -> None:  # type: ignore[no-untyped-def]
    volunteer = register(nw.w.dave, [nw.w.c11], by=nw.other_resident)
    need = open_need(nw)
    dave = actor(fresh(nw.other_resident))
    need_claim(need=need, by=dave, now=NOW)
    phone = client_for(nw.other_resident)
    page = phone.post("/volunteers/m/register/", {"withdraw": "1"}, follow=True).content.decode()
    assert f"还有1件诉求在您手上未办结(编号{need.pk}),请先办结,或请社区改派后再撤回同意。" in page
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.ACTIVE
    need_start(need=need, by=dave, now=NOW)
    need_resolve(need=need, result="已更换楼道灯泡两只。", by=dave, now=NOW)
    page = phone.post("/volunteers/m/register/", {"withdraw": "1"}, follow=True).content.decode()
    assert "已撤回同意" in page
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.SUSPENDED

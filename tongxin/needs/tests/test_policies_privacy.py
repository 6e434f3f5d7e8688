"""Privacy and dignity: vulnerable residents' and private needs reach only their handlers; open
needs reach the community's members for claiming, with the phone masked until they claim."""

import itertools

import pytest

from conftest import NOW
from tongxin.needs.categories import CATEGORY_CODES, SENSITIVE_CATEGORIES
from tongxin.needs.selectors import need_claimable_for, need_contact_phone, need_list_for_scope
from tongxin.needs.services import need_accept, need_claim, need_dispatch

from .conftest import actor, submit

pytestmark = pytest.mark.django_db


def _seen(user, need) -> bool:  # type: ignore[no-untyped-def]
    return need_list_for_scope(user).filter(pk=need.pk).exists()


def test_who_sees_an_open_need_by_category_and_privacy(nw) -> None:  # type: ignore[no-untyped-def]
    """Every category, private or not, against every kind of account: one table."""
    staff_over = [nw.staff11, nw.street1]
    never = [nw.staff12, nw.staff21, nw.bob, nw.grid, nw.branch11, nw.other_resident]
    members_here = [nw.alice, nw.carol, nw.erin]
    for category, private in itertools.product(sorted(CATEGORY_CODES), (False, True)):
        need = submit(nw, category=category, private=private)
        need_accept(need=need, by=actor(nw.staff11), now=NOW)
        sensitive = private or category in SENSITIVE_CATEGORIES
        for user in [*staff_over, nw.resident]:
            assert _seen(user, need), (user.username, category, private)
        for user in never:
            assert not _seen(user, need), (user.username, category, private)
        for user in members_here:
            assert _seen(user, need) is not sensitive, (user.username, category, private)


def test_a_sensitive_need_reaches_the_person_it_is_given_to_and_no_other_member(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw, category="psych", text="我母亲独居后情绪低落,想请人陪她聊聊。")
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.alice, by=actor(nw.staff11), now=NOW)
    assert _seen(nw.alice, need)
    assert not _seen(nw.erin, need)
    assert not _seen(nw.carol, need)
    assert need_claimable_for(nw.erin) == []


def test_a_need_dispatched_to_a_branch_reaches_its_members_and_office(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw, category="elderly", text="独居老人需要每周送餐。")
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    assert _seen(nw.branch11, need)
    assert _seen(nw.alice, need)  # a member of the branch it was given to may claim it
    assert not _seen(nw.carol, need)  # a member living there, of another branch, may not
    need_claim(need=need, by=actor(nw.erin), now=NOW)
    assert not _seen(nw.alice, need)  # once claimed, only the claimer and the staff


def test_claimers_see_a_masked_phone_until_they_claim(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    [offer] = need_claimable_for(nw.alice)
    assert offer.pk == need.pk
    assert offer.phone == "136****2222"
    assert need_contact_phone(nw.alice, need) == "136****2222"
    need_claim(need=need, by=actor(nw.alice), now=NOW)
    need.refresh_from_db()
    assert need_contact_phone(nw.alice, need) == "13611112222"
    assert need_contact_phone(nw.erin, need) == "136****2222"
    assert need_contact_phone(nw.staff11, need) == "13611112222"
    assert need_claimable_for(nw.erin) == []  # no longer open


def test_a_submitted_need_is_not_offered_before_staff_accept_it(nw) -> None:  # type: ignore[no-untyped-def]
    submit(nw)
    assert need_claimable_for(nw.alice) == []

"""volunteer_register, consent withdrawal, codes, teams and their members: who may, each refusal
in Chinese with nothing changed."""

import pytest

from conftest import NOW, SYSTEM, add_person
from tongxin.audit.models import AuditEvent
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.matching.models import HelperProfile
from tongxin.volunteers.models import Team, TeamMember, Volunteer, VolunteerEvent, VolunteerStatus
from tongxin.volunteers.policies import (
    can_manage_team,
    teams_managed_by,
    volunteer_of,
    volunteers_visible_to,
)
from tongxin.volunteers.services import (
    VolunteerError,
    team_create,
    team_member_add,
    team_member_remove,
    team_update,
    volunteer_register,
    volunteer_withdraw,
)

from .conftest import SLOTS, actor, register

pytestmark = pytest.mark.django_db


def test_a_resident_registers_herself_with_consent_and_gets_a_code(nw) -> None:  # type: ignore[no-untyped-def]
    v = register(nw.fang, [nw.w.c11], by=nw.resident)
    assert v.status == VolunteerStatus.ACTIVE
    assert v.consent_at == NOW
    assert v.code == "ZY310110202600001"
    assert volunteer_of(nw.fang) == v
    # One profile serves matching and volunteering.
    profile = HelperProfile.objects.get(person=nw.fang)
    assert profile.skills == ["companion"]
    assert profile.slots == SLOTS
    assert list(profile.communities.all()) == [nw.w.c11]
    assert profile.consent_at == NOW
    assert VolunteerEvent.objects.filter(volunteer=v, kind="register").count() == 1
    assert AuditEvent.objects.filter(object_type="volunteers.volunteer", object_id=str(v.pk)).exists()
    # A member's goes through matching's own service; codes count up.
    m = register(nw.w.alice, [nw.w.c11], by=nw.alice)
    assert m.code == "ZY310110202600002"


def test_re_registering_updates_and_keeps_the_code(nw) -> None:  # type: ignore[no-untyped-def]
    v = register(nw.fang, [nw.w.c11], by=nw.resident)
    again = volunteer_register(
        person=nw.fang,
        skills=["digital"],
        slots=["0-am"],
        communities=[nw.w.c11, nw.w.c12],
        consent=True,
        by=actor(nw.resident),
        now=NOW,
    )
    assert again.pk == v.pk
    assert again.code == v.code
    assert Volunteer.objects.count() == 1
    assert HelperProfile.objects.get(person=nw.fang).skills == ["digital"]


def test_withdrawing_consent_suspends_and_consenting_again_resumes(nw) -> None:  # type: ignore[no-untyped-def]
    v = register(nw.fang, [nw.w.c11], by=nw.resident)
    later = NOW.replace(hour=12)
    v = volunteer_register(
        person=nw.fang, skills=[], slots=[], communities=[], consent=False, by=actor(nw.resident), now=later
    )
    assert v.status == VolunteerStatus.SUSPENDED
    assert v.withdrawn_at == later
    profile = HelperProfile.objects.get(person=nw.fang)
    assert not profile.active
    assert profile.consent_at is None
    v = register(nw.fang, [nw.w.c11], by=nw.resident)
    assert v.status == VolunteerStatus.ACTIVE
    assert v.withdrawn_at is None
    kinds = list(VolunteerEvent.objects.filter(volunteer=v).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["register", "withdraw", "resume"]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"consent": False}, "consent"),
        ({"skills": []}, "skills"),
        ({"skills": ["juggling"]}, "skills"),
        ({"slots": []}, "slots"),
        ({"slots": ["9-am"]}, "slots"),
        ({"communities": []}, "communities"),
    ],
)
def test_bad_registrations_change_nothing(nw, kw, field) -> None:  # type: ignore[no-untyped-def]
    values = {"skills": ["companion"], "slots": SLOTS, "communities": [nw.w.c11], "consent": True} | kw
    with pytest.raises(VolunteerError) as refusal:
        volunteer_register(person=nw.fang, by=actor(nw.resident), now=NOW, **values)
    assert refusal.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refusal.value.message))
    assert not Volunteer.objects.exists()
    assert not HelperProfile.objects.exists()


def test_a_street_is_no_service_community(nw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VolunteerError) as refusal:
        register(nw.fang, [nw.w.street1], by=nw.resident)
    assert refusal.value.field == "communities"


def test_someone_else_cannot_register_a_person(nw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundOrForbidden):
        register(nw.fang, [nw.w.c11], by=nw.bob)
    # Staff of another community neither; staff of hers may (a paper form).
    with pytest.raises(NotFoundOrForbidden):
        register(nw.fang, [nw.w.c11], by=nw.staff21)
    assert register(nw.fang, [nw.w.c11], by=nw.staff11).registered_by == nw.staff11
    assert not Volunteer.objects.exclude(person=nw.fang).exists()


def test_withdraw_service(nw) -> None:  # type: ignore[no-untyped-def]
    v = register(nw.fang, [nw.w.c11], by=nw.resident)
    with pytest.raises(NotFoundOrForbidden):
        volunteer_withdraw(volunteer=v, by=actor(nw.bob), now=NOW)
    assert volunteer_withdraw(volunteer=v, by=actor(nw.resident), now=NOW).status == VolunteerStatus.SUSPENDED


def test_teams_and_members(vw) -> None:  # type: ignore[no-untyped-def]
    n = vw.n
    assert vw.team.territory == vw.w.c11
    assert vw.team.leader == vw.alice
    assert set(TeamMember.objects.filter(team=vw.team).values_list("volunteer_id", flat=True)) == {
        vw.alice.pk,
        vw.fang.pk,
    }
    # The leader and the community's staff manage it; the other community's staff do not.
    assert can_manage_team(n.alice, vw.team)
    assert can_manage_team(n.staff11, vw.team)
    assert can_manage_team(n.street1, vw.team)
    assert not can_manage_team(n.staff21, vw.team)
    assert not can_manage_team(n.resident, vw.team)
    assert vw.team in teams_managed_by(n.alice)
    assert vw.team not in teams_managed_by(n.staff21)
    # Joining twice is refused; leaving closes the row with a date; joining again is allowed.
    with pytest.raises(VolunteerError):
        team_member_add(team=vw.team, volunteer=vw.fang, by=actor(n.alice), now=NOW)
    team_member_remove(team=vw.team, volunteer=vw.fang, by=actor(n.alice), now=NOW)
    assert TeamMember.objects.get(team=vw.team, volunteer=vw.fang).left_on == NOW.date()
    team_member_add(team=vw.team, volunteer=vw.fang, by=actor(n.alice), now=NOW)
    assert TeamMember.objects.filter(team=vw.team, volunteer=vw.fang).count() == 2
    # Not hers to manage: the same error as a missing team.
    with pytest.raises(NotFoundOrForbidden):
        team_member_add(team=vw.team, volunteer=vw.bob, by=actor(n.staff21), now=NOW)
    with pytest.raises(VolunteerError):
        team_member_remove(team=vw.team, volunteer=vw.bob, by=actor(n.alice), now=NOW)


def test_team_owner_rules(vw) -> None:  # type: ignore[no-untyped-def]
    n, w = vw.n, vw.w
    with pytest.raises(VolunteerError) as refusal:
        team_create(name="  ", owner=w.c11, by=actor(n.staff11), now=NOW)
    assert refusal.value.field == "name"
    with pytest.raises(VolunteerError) as refusal:
        team_create(name="网格队", owner=w.g111, by=actor(n.staff11), now=NOW)
    assert refusal.value.field == "owner"
    with pytest.raises(VolunteerError) as refusal:
        team_create(name="长阳队", owner=w.c21, by=actor(n.staff11), now=NOW)
    assert refusal.value.field == "owner"
    suspended = volunteer_withdraw(volunteer=vw.bob, by=SYSTEM, now=NOW)
    with pytest.raises(VolunteerError) as refusal:
        team_create(name="长阳队", owner=w.c21, leader=suspended, by=actor(n.staff21), now=NOW)
    assert refusal.value.field == "leader"
    assert Team.objects.count() == 1
    # An organisation's and a unit's teams.
    org_team = team_create(name="党员先锋队", owner=w.b11, by=actor(n.branch11), now=NOW)
    unit_team = team_create(name="电力志愿队", owner=w.unit, by=actor(n.staff11), now=NOW)
    assert org_team.owner == w.b11
    assert unit_team.owner == w.unit
    team_update(team=vw.team, name="助老队", leader=vw.fang, by=actor(n.staff11), now=NOW)
    vw.team.refresh_from_db()
    assert vw.team.name == "助老队"
    assert vw.team.leader == vw.fang


def test_who_sees_which_volunteers(vw) -> None:  # type: ignore[no-untyped-def]
    n = vw.n
    ids = set(volunteers_visible_to(n.staff11).values_list("pk", flat=True))
    assert ids == {vw.fang.pk, vw.alice.pk}
    assert set(volunteers_visible_to(n.staff21).values_list("pk", flat=True)) == {vw.bob.pk}
    # A team leader sees her team's members even outside any territory grant.
    far = add_person("钱多", vw.w.c21)
    far_v = register(far, [vw.w.c21])
    team_member_add(team=vw.team, volunteer=far_v, by=actor(n.alice), now=NOW)
    assert far_v in volunteers_visible_to(n.alice)
    # So do the staff who manage the team; staff of a neighbouring community do not.
    assert far_v in volunteers_visible_to(n.staff11)
    assert far_v not in volunteers_visible_to(n.staff12)

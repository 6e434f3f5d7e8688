"""helper_profile_save: who may save, each refusal at its field in Chinese with nothing changed,
the audit row, consent and pausing."""

import pytest

from conftest import NOW
from tongxin.audit.models import AuditEvent
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.matching.models import HelperProfile
from tongxin.matching.services import HelperProfileError, helper_profile_save

from .conftest import actor

pytestmark = pytest.mark.django_db


def save(nw, by, **kw):  # type: ignore[no-untyped-def]
    values = {
        "person": nw.w.alice,
        "skills": ["repair", "driving"],
        "slots": ["5-am", "5-pm"],
        "communities": [nw.w.c11],
    }
    values.update(kw)
    return helper_profile_save(by=actor(by), now=NOW, **values)


def test_a_member_saves_her_own_profile_and_it_is_audited(nw) -> None:  # type: ignore[no-untyped-def]
    p = save(nw, nw.alice)
    assert p.skills == ["repair", "driving"]
    assert p.slots == ["5-am", "5-pm"]
    assert list(p.communities.all()) == [nw.w.c11]
    assert p.consent_at == NOW
    assert p.active
    event = AuditEvent.objects.filter(object_type="matching.helperprofile").latest("seq")
    assert event.detail["skills"] == ["repair", "driving"]
    # Saving again replaces, keeps the first consent time and the one row.
    later = NOW.replace(hour=11)
    p = helper_profile_save(
        person=nw.w.alice,
        skills=["legal"],
        slots=["0-am"],
        communities=[nw.w.c11, nw.w.c12],
        by=actor(nw.alice),
        now=later,
    )
    assert HelperProfile.objects.count() == 1
    assert p.skills == ["legal"]
    assert p.consent_at == NOW


def test_staff_over_the_person_may_save_others_may_not(nw) -> None:  # type: ignore[no-untyped-def]
    assert save(nw, nw.staff11).person == nw.w.alice
    with pytest.raises(NotFoundOrForbidden):
        save(nw, nw.staff21)
    with pytest.raises(NotFoundOrForbidden):
        save(nw, nw.bob)  # another member


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"skills": []}, "skills", "请至少选择一项专长。"),
        ({"skills": ["juggling"]}, "skills", "请从列表中选择专长。"),
        ({"slots": ["8-am"]}, "slots", "请从列表中选择空闲时段。"),
        ({"slots": []}, "slots", "请至少选择一个空闲时段,方便社区联系您。"),
        ({"communities": []}, "communities", "请至少选择一个服务社区。"),
        ({"consent": False}, "consent", "请勾选同意后再保存;不想被推荐可以选择“暂停接单”。"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_changes_nothing(nw, change, field, message) -> None:  # type: ignore[no-untyped-def]
    before = AuditEvent.objects.count()
    with pytest.raises(HelperProfileError) as refusal:
        save(nw, nw.alice, **change)
    assert (refusal.value.field, str(refusal.value.message)) == (field, message)
    assert not HelperProfile.objects.exists()
    assert AuditEvent.objects.count() == before


def test_communities_must_be_communities_and_few(nw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HelperProfileError, match="服务范围只能选择社区或村"):
        save(nw, nw.alice, communities=[nw.w.street1])
    from conftest import SYSTEM
    from tongxin.territory.services import territory_create

    many = [
        territory_create(
            name=f"新社区{i}", code=f"31011000100{i + 3}", level="community", parent=nw.w.street1, by=SYSTEM
        )
        for i in range(5)
    ]
    with pytest.raises(HelperProfileError, match="最多选择5个"):
        save(nw, nw.alice, communities=[nw.w.c11, *many])


def test_a_resident_may_hold_a_profile_but_not_write_someone_elses(nw) -> None:  # type: ignore[no-untyped-def]
    """Residents register through the volunteer registration, which calls this service."""
    profile = save(nw, nw.resident, person=nw.fang)
    assert profile.person == nw.fang
    with pytest.raises(NotFoundOrForbidden):
        save(nw, nw.resident, person=nw.w.alice)
    assert not HelperProfile.objects.filter(person=nw.w.alice).exists()


def test_pausing_keeps_the_profile_and_withdrawing_consent_clears_it(nw) -> None:  # type: ignore[no-untyped-def]
    save(nw, nw.alice)
    p = save(nw, nw.alice, active=False, consent=False, slots=[])
    assert not p.active
    assert p.consent_at is None

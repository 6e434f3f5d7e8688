"""Staff correct the category or urgency: a NeedCorrection for retraining, an internal event, the
running deadline recomputed; the classifier's suggestion recorded at intake; the resident's story
consent."""

import pytest

from conftest import NOW
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.needs.models import EventKind, NeedCorrection
from tongxin.needs.services import (
    NeedError,
    NeedNotAllowed,
    NeedTransitionNotAllowed,
    need_accept,
    need_reclassify,
    need_story_consent,
    need_withdraw,
)

from .conftest import actor, submit
from .test_deadlines import SUBMITTED, at, submit_at

pytestmark = pytest.mark.django_db


def test_submit_records_the_classifier_suggestion(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw, text="我家楼下的路灯坏了好几天了,晚上黑漆漆的,麻烦派人来修一下", category="other")
    assert need.suggested_category in {"facility", "property"}
    assert need.suggested_urgent is False
    assert need.suggestion_confidence is not None
    assert 0 < need.suggestion_confidence <= 1
    urgent = submit(nw, text="我妈在卫生间摔倒了起不来,快来人帮忙!", category="elderly")
    assert urgent.suggested_urgent is True


def test_a_failing_classifier_does_not_stop_a_submission(nw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tongxin.insight import classifier

    def broken(text: str) -> None:
        raise RuntimeError("model missing")

    monkeypatch.setattr(classifier, "classify", broken)
    need = submit(nw)
    assert need.pk is not None
    assert need.suggested_category == ""
    assert need.suggested_urgent is None


def test_staff_reclassify_and_the_deadline_follows(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED, category="culture")
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 8, 10))
    need.refresh_from_db()
    assert need.resolve_due_at == at(10, 21, 10)  # culture: 10 working days (10 October counts)
    need_reclassify(need=need, category="policy", urgent=False, by=actor(nw.staff11), now=at(10, 9))
    need.refresh_from_db()
    assert need.category_id == "policy"
    # policy: 3 working days from the acceptance (9, 10 Saturday, 12 October), not from the correction.
    assert need.resolve_due_at == at(10, 12, 10)
    assert need.urged_at is None
    correction = NeedCorrection.objects.get(need=need)
    assert (correction.from_category, correction.to_category) == ("culture", "policy")
    assert (correction.from_urgent, correction.to_urgent, correction.by) == (False, False, nw.staff11)
    event = need.events.get(kind=EventKind.RECLASSIFY)
    assert event.public is False
    assert event.from_status == event.to_status == "accepted"
    assert "文体活动与学习" in event.note
    assert "政策咨询与办事" in event.note
    # Urgency alone: the urgent clock (4 hours) from the acceptance.
    need_reclassify(need=need, category="policy", urgent=True, by=actor(nw.staff11), now=at(10, 9))
    need.refresh_from_db()
    assert need.resolve_due_at == at(10, 8, 14)
    assert NeedCorrection.objects.filter(need=need).count() == 2


def test_reclassify_refusals_change_nothing(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    with pytest.raises(NeedError, match="没有变化"):
        need_reclassify(need=need, category="property", urgent=False, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NeedError) as exc:
        need_reclassify(need=need, category="nonsense", urgent=False, by=actor(nw.staff11), now=NOW)
    assert exc.value.field == "category"
    # The resident and a member may not correct; staff of another community do not see it.
    with pytest.raises(NeedNotAllowed):
        need_reclassify(need=need, category="facility", urgent=False, by=actor(nw.resident), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        need_reclassify(need=need, category="facility", urgent=False, by=actor(nw.staff21), now=NOW)
    need_withdraw(need=need, by=actor(nw.resident), now=NOW)
    with pytest.raises(NeedTransitionNotAllowed):
        need_reclassify(need=need, category="facility", urgent=False, by=actor(nw.staff11), now=NOW)
    need.refresh_from_db()
    assert need.category_id == "property"
    assert not NeedCorrection.objects.exists()


def test_street_staff_over_the_community_may_reclassify(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_reclassify(need=need, category="facility", urgent=False, by=actor(nw.street1), now=NOW)
    need.refresh_from_db()
    assert need.category_id == "facility"
    # Still waiting for acceptance: the acceptance clock was recomputed, from the submission.
    assert need.accept_due_at is not None


def test_story_consent_is_the_residents_alone(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    with pytest.raises(NeedNotAllowed):
        need_story_consent(need=need, consent=True, by=actor(nw.staff11), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        need_story_consent(need=need, consent=True, by=actor(nw.other_resident), now=NOW)
    need_story_consent(need=need, consent=True, by=actor(nw.resident), now=NOW)
    need.refresh_from_db()
    assert need.story_consent_at == NOW
    assert need.status == "submitted"
    need_withdraw(need=need, by=actor(nw.resident), now=NOW)
    # Consent can be taken back at any time, even after the need is closed.
    need_story_consent(need=need, consent=False, by=actor(nw.resident), now=NOW)
    need.refresh_from_db()
    assert need.story_consent_at is None
    events = list(need.events.filter(kind=EventKind.CONSENT).values_list("note", "public"))
    assert events == [("居民同意公开事迹", True), ("居民撤回公开事迹的同意", True)]

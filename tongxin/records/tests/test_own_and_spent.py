"""Nobody records, corrects or approves her own service; a correction after the volunteer spent
what the record gave her moves only the difference, and a cut she cannot pay back is refused
with a clear message (never a 500, nothing changed)."""

import pytest
from django.test import Client

from conftest import NOW
from tongxin.ledger.models import Currency, Posting
from tongxin.ledger.selectors import balance_of
from tongxin.ledger.services import person_account, posting_create, system_account
from tongxin.ledger.verify import first_violation
from tongxin.records.models import CorrectionRequest, CorrectionStatus, ServiceRecord
from tongxin.records.services import RecordError, correction_decide, correction_request, record_correct

from .conftest import actor, record, verified_client

pytestmark = pytest.mark.django_db


def phone(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.raise_request_exception = False
    return client


def spend_all(rw, person, currency=Currency.POINTS) -> int:  # type: ignore[no-untyped-def]
    mine = person_account(person=person, currency=currency)
    spent = mine.balance
    sink = system_account(code="redeem:test", currency=currency, name="兑换")
    posting_create(
        lines=[(mine, -spent), (sink, spent)],
        kind="redemption",
        source="redemption:1",
        memo="兑换",
        by=actor(rw.n.staff11),
        now=NOW,
    )
    return spent


def ask(rw, r, minutes):  # type: ignore[no-untyped-def]
    return correction_request(
        record=r,
        by_person=r.person,
        reason="我11点才走",
        proposed_minutes=minutes,
        by=actor(rw.n.resident),
        now=NOW,
    )


# --- Own service ---------------------------------------------------------------------------------


def test_a_team_leader_cannot_record_her_own_hours(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RecordError) as refusal:
        record(rw, person=rw.w.alice, minutes=60, organiser=rw.team, by=rw.n.alice)
    assert "不能处理本人的服务记录" in str(refusal.value.message)
    assert not ServiceRecord.objects.filter(person=rw.w.alice).exists()


def test_a_team_leader_cannot_correct_her_own_record(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, person=rw.w.alice, minutes=60, organiser=rw.team)  # by staff11
    with pytest.raises(RecordError):
        record_correct(record=r, minutes=90, reason="我待到很晚", by=actor(rw.n.alice), now=NOW)
    assert ServiceRecord.objects.count() == 1
    assert balance_of(person=rw.w.alice, currency=Currency.HOURS) == 60


def test_a_team_leader_cannot_accept_her_own_correction_request(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, person=rw.w.alice, minutes=60, organiser=rw.team)
    leader = phone(rw.n.alice)
    asked = leader.post(f"/records/m/{r.pk}/correct/", {"hours": 2, "minutes": 0, "reason": "我待到很晚"})
    assert asked.status_code == 302
    req = CorrectionRequest.objects.get(record=r)
    # Not in her queue, and deciding it is the same 404 as a missing request.
    assert "我待到很晚" not in leader.get("/records/m/team-corrections/").content.decode()
    decided = leader.post("/records/m/team-corrections/", {"request": req.pk, "decision": "accept"})
    assert decided.status_code == 404
    with pytest.raises(RecordError):
        correction_decide(request=req, accept=True, reason="", by=actor(rw.n.alice), now=NOW)
    req.refresh_from_db()
    assert req.status == CorrectionStatus.PENDING
    assert balance_of(person=rw.w.alice, currency=Currency.HOURS) == 60
    # The organiser's other staff decide it.
    correction_decide(request=req, accept=True, reason="", by=actor(rw.n.staff11), now=NOW)
    assert balance_of(person=rw.w.alice, currency=Currency.HOURS) == 120


# --- Corrections after spending -------------------------------------------------------------------


def test_accepting_more_hours_after_she_spent_her_points(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    spent = spend_all(rw, rw.n.fang)
    assert spent > 0
    req = ask(rw, r, 120)
    staff = verified_client(rw.n.staff11)
    staff.raise_request_exception = False
    resp = staff.post(f"/records/corrections/{req.pk}/decide/", {"decision": "accept", "reason": ""})
    assert resp.status_code == 302
    req.refresh_from_db()
    assert req.status == CorrectionStatus.ACCEPTED
    assert balance_of(person=rw.n.fang, currency=Currency.HOURS) == 120
    # She keeps nothing she spent twice and gets the extra half hour's points.
    full = balance_of(person=rw.n.fang, currency=Currency.POINTS)
    assert full > 0
    assert first_violation() is None


def test_fewer_hours_she_can_no_longer_pay_back_is_refused(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    spend_all(rw, rw.n.fang)
    postings, records = Posting.objects.count(), ServiceRecord.objects.count()
    with pytest.raises(RecordError) as refusal:
        record_correct(record=r, minutes=30, reason="按签到表", by=actor(rw.n.staff11), now=NOW)
    assert "余额不足以扣回" in str(refusal.value.message)
    assert (Posting.objects.count(), ServiceRecord.objects.count()) == (postings, records)
    # On the record page: the message, not a 500.
    staff = verified_client(rw.n.staff11)
    staff.raise_request_exception = False
    page = staff.post(f"/records/{r.pk}/", {"minutes": 30, "reason": "按签到表"})
    assert page.status_code == 400
    assert "余额不足以扣回" in page.content.decode()
    # Through the queue: the request stays pending and the staff read why.
    req = ask(rw, r, 30)
    answer = staff.post(
        f"/records/corrections/{req.pk}/decide/", {"decision": "accept", "reason": ""}, follow=True
    )
    assert "余额不足以扣回" in answer.content.decode()
    req.refresh_from_db()
    assert req.status == CorrectionStatus.PENDING
    assert first_violation() is None


def test_fewer_hours_still_covered_by_what_is_left(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=120)
    before = balance_of(person=rw.n.fang, currency=Currency.POINTS)
    new = record_correct(record=r, minutes=90, reason="按签到表", by=actor(rw.n.staff11), now=NOW)
    after = balance_of(person=rw.n.fang, currency=Currency.POINTS)
    assert after < before
    # A second correction of the replacement after spending: moves only the difference again.
    spend_all(rw, rw.n.fang)
    newer = record_correct(record=new, minutes=120, reason="核对后", by=actor(rw.n.staff11), now=NOW)
    assert balance_of(person=rw.n.fang, currency=Currency.POINTS) == before - after
    assert balance_of(person=rw.n.fang, currency=Currency.HOURS) == 120
    record_correct(record=newer, minutes=100, reason="再核对", by=actor(rw.n.staff11), now=NOW)
    assert balance_of(person=rw.n.fang, currency=Currency.HOURS) == 100
    assert first_violation() is None

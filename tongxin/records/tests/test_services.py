"""record_create → the ledger; record_correct never edits; correction requests (someone else's
record, bad minutes, missing reason, double decision); certificates and their verification."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from conftest import NOW
from tongxin.audit.models import AuditEvent
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.models import Currency, Posting
from tongxin.ledger.selectors import balance_of
from tongxin.notifications.models import Notification
from tongxin.records.models import Certificate, CorrectionRequest, CorrectionStatus, RecordKind, ServiceRecord
from tongxin.records.services import (
    RecordError,
    certificate_changed_since,
    certificate_issue,
    correction_decide,
    correction_request,
    current_records,
    record_correct,
)

from .conftest import END, START, actor, record

pytestmark = pytest.mark.django_db


def hours(person):  # type: ignore[no-untyped-def]
    return balance_of(person=person, currency=Currency.HOURS)


def test_a_record_posts_hours_and_points_under_its_source(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw)
    assert r.kind == RecordKind.ORIGINAL
    assert r.organiser == rw.w.c11
    assert hours(rw.n.fang) == 90
    assert balance_of(person=rw.n.fang, currency=Currency.POINTS) > 0
    assert balance_of(person=rw.n.fang, currency=Currency.CREDITS) == 0
    assert set(Posting.objects.filter(source=f"record:{r.pk}").values_list("kind", flat=True)) >= {"hours"}
    assert AuditEvent.objects.filter(object_type="records.servicerecord", object_id=str(r.pk)).exists()


def test_service_to_someone_65_or_over_earns_time_credits(rw) -> None:  # type: ignore[no-untyped-def]
    record(rw, beneficiary=rw.elder, minutes=60, award_points=False)
    assert balance_of(person=rw.n.fang, currency=Currency.CREDITS) == 60
    assert balance_of(person=rw.n.fang, currency=Currency.POINTS) == 0
    # A younger beneficiary earns none.
    record(rw, beneficiary=rw.w.bob, minutes=60)
    assert balance_of(person=rw.n.fang, currency=Currency.CREDITS) == 60


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -5}, "minutes"),
        ({"minutes": 121}, "minutes"),  # over the two-hour span
        ({"ended_at": START}, "ended_at"),
        ({"ended_at": START + timedelta(hours=25)}, "ended_at"),
        ({"started_at": NOW, "ended_at": NOW + timedelta(hours=1), "minutes": 30}, "ended_at"),  # future
        ({"title": " "}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"source": ""}, "source"),
    ],
)
def test_bad_records_change_nothing(rw, kw, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RecordError) as refusal:
        record(rw, **kw)
    assert refusal.value.field == field
    assert not ServiceRecord.objects.exists()
    assert not Posting.objects.exists()


def test_only_the_organiser_records(rw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RecordError) as refusal:
        record(rw, by=rw.n.staff21)
    assert refusal.value.field == "organiser"
    # The team's leader records for her team; a member of it does not.
    assert record(rw, organiser=rw.team, by=rw.n.alice).team == rw.team
    with pytest.raises(RecordError):
        record(rw, organiser=rw.team, by=rw.n.resident)
    with pytest.raises(RecordError):
        record(rw, beneficiary=rw.n.fang)
    assert ServiceRecord.objects.count() == 1


def test_a_correction_is_a_reversal_and_a_replacement(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    later = NOW + timedelta(hours=1)
    new = record_correct(record=r, minutes=120, reason="签退漏记半小时", by=actor(rw.n.staff11), now=later)
    assert new.kind == RecordKind.REPLACEMENT
    assert new.replaces == r
    assert new.minutes == 120
    reversal = ServiceRecord.objects.get(kind=RecordKind.REVERSAL)
    assert reversal.replaces == r
    assert reversal.minutes == -90
    # The original is untouched, no longer current; the sum of all rows is the total.
    r.refresh_from_db()
    assert r.minutes == 90
    assert list(current_records(rw.n.fang)) == [new]
    assert sum(ServiceRecord.objects.filter(person=rw.n.fang).values_list("minutes", flat=True)) == 120
    assert hours(rw.n.fang) == 120
    assert Posting.objects.filter(source=f"record:{r.pk}", reverses__isnull=False).exists()
    # Correcting the old record again is refused; the replacement can be corrected.
    with pytest.raises(RecordError):
        record_correct(record=r, minutes=60, reason="再改", by=actor(rw.n.staff11), now=later)
    record_correct(record=new, minutes=100, reason="核对签到表", by=actor(rw.n.staff11), now=later)
    assert hours(rw.n.fang) == 100


@pytest.mark.parametrize(
    ("minutes", "reason", "field"),
    [(0, "理由", "minutes"), (121, "理由", "minutes"), (90, "理由", "minutes"), (60, "", "reason")],
)
def test_bad_corrections_change_nothing(rw, minutes, reason, field) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    with pytest.raises(RecordError) as refusal:
        record_correct(record=r, minutes=minutes, reason=reason, by=actor(rw.n.staff11), now=NOW)
    assert refusal.value.field == field
    assert ServiceRecord.objects.count() == 1
    assert hours(rw.n.fang) == 90


def test_someone_else_cannot_correct(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw)
    with pytest.raises(NotFoundOrForbidden):
        record_correct(record=r, minutes=60, reason="x", by=actor(rw.n.staff21), now=NOW)
    assert ServiceRecord.objects.count() == 1


def test_the_table_refuses_updates(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        ServiceRecord.objects.filter(pk=r.pk).update(minutes=600)
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            ServiceRecord.objects.filter(pk=r.pk).delete()
    r.refresh_from_db()
    assert r.minutes == 90


def test_constraints_hold_without_the_service(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw)
    base = {
        f.attname: getattr(r, f.attname) for f in ServiceRecord._meta.concrete_fields if f.attname != "id"
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.create(**(base | {"kind": RecordKind.REVERSAL, "replaces_id": None}))
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.create(**(base | {"territory_id": None}))


# --- Correction requests ------------------------------------------------------------------------


def test_a_volunteer_asks_and_the_organiser_accepts(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    req = correction_request(
        record=r,
        by_person=rw.n.fang,
        reason="我服务到11点",
        proposed_minutes=120,
        by=actor(rw.n.resident),
        now=NOW,
    )
    assert req.status == CorrectionStatus.PENDING
    with pytest.raises(RecordError):  # one pending request per record
        correction_request(
            record=r,
            by_person=rw.n.fang,
            reason="再问",
            proposed_minutes=110,
            by=actor(rw.n.resident),
            now=NOW,
        )
    done = correction_decide(request=req, accept=True, reason="", by=actor(rw.n.staff11), now=NOW)
    assert done.status == CorrectionStatus.ACCEPTED
    assert done.result.minutes == 120
    assert hours(rw.n.fang) == 120
    assert Notification.objects.filter(recipient=rw.n.resident, title__contains="已通过").exists()
    with pytest.raises(RecordError) as refusal:
        correction_decide(request=req, accept=False, reason="重复", by=actor(rw.n.staff11), now=NOW)
    assert refusal.value.field == "request"
    assert ServiceRecord.objects.count() == 3


def test_a_refusal_needs_a_reason_and_tells_her(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    req = correction_request(
        record=r, by_person=rw.n.fang, reason="少记了", proposed_minutes=100, by=actor(rw.n.resident), now=NOW
    )
    with pytest.raises(RecordError) as refusal:
        correction_decide(request=req, accept=False, reason=" ", by=actor(rw.n.staff11), now=NOW)
    assert refusal.value.field == "reason"
    with pytest.raises(NotFoundOrForbidden):
        correction_decide(request=req, accept=False, reason="不是我们的", by=actor(rw.n.staff21), now=NOW)
    req.refresh_from_db()
    assert req.status == CorrectionStatus.PENDING
    correction_decide(
        request=req, accept=False, reason="签到表显示10:30离开", by=actor(rw.n.staff11), now=NOW
    )
    req.refresh_from_db()
    assert req.status == CorrectionStatus.REFUSED
    assert req.decision_reason == "签到表显示10:30离开"
    assert hours(rw.n.fang) == 90
    assert Notification.objects.filter(recipient=rw.n.resident, title__contains="未通过").exists()


def test_someone_elses_record_looks_missing(rw) -> None:  # type: ignore[no-untyped-def]
    theirs = record(rw, person=rw.w.alice)
    with pytest.raises(NotFoundOrForbidden) as refusal:
        correction_request(
            record=theirs,
            by_person=rw.n.fang,
            reason="x",
            proposed_minutes=60,
            by=actor(rw.n.resident),
            now=NOW,
        )
    assert "未找到" in str(refusal.value.message)
    # Nor can anyone ask in her name.
    mine = record(rw)
    with pytest.raises(NotFoundOrForbidden):
        correction_request(
            record=mine, by_person=rw.n.fang, reason="x", proposed_minutes=60, by=actor(rw.n.alice), now=NOW
        )
    assert not CorrectionRequest.objects.exists()


@pytest.mark.parametrize(
    ("minutes", "reason", "field"),
    [
        (0, "理由", "proposed_minutes"),
        (121, "理由", "proposed_minutes"),
        (90, "理由", "proposed_minutes"),
        (60, "  ", "reason"),
    ],
)
def test_bad_requests_change_nothing(rw, minutes, reason, field) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    with pytest.raises(RecordError) as refusal:
        correction_request(
            record=r,
            by_person=rw.n.fang,
            reason=reason,
            proposed_minutes=minutes,
            by=actor(rw.n.resident),
            now=NOW,
        )
    assert refusal.value.field == field
    assert not CorrectionRequest.objects.exists()


# --- Certificates ------------------------------------------------------------------------------------


def test_a_certificate_lists_the_records_in_force_and_notices_later_corrections(rw) -> None:  # type: ignore[no-untyped-def]
    a = record(rw, minutes=90)
    record(rw, minutes=60, started_at=START - timedelta(days=7), ended_at=END - timedelta(days=7))
    cert = certificate_issue(person=rw.n.fang, by=actor(rw.n.resident), now=NOW)
    assert len(cert.code) == 12
    assert cert.total_minutes == 150
    assert cert.record_count == 2
    assert cert.volunteer_code == rw.fang.code
    assert not certificate_changed_since(cert)
    other = certificate_issue(person=rw.n.fang, by=actor(rw.n.resident), now=NOW)
    assert other.code != cert.code
    record_correct(record=a, minutes=100, reason="核对", by=actor(rw.n.staff11), now=NOW)
    assert certificate_changed_since(cert)
    # Staff who see her may issue one; someone else may not; nobody without records gets one.
    with pytest.raises(NotFoundOrForbidden):
        certificate_issue(person=rw.n.fang, by=actor(rw.n.bob), now=NOW)
    with pytest.raises(RecordError):
        certificate_issue(person=rw.w.bob, by=actor(rw.n.bob), now=NOW)
    assert Certificate.objects.count() == 2

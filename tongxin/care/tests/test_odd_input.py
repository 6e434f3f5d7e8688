"""Odd query strings get the page, not a server error; opening the edit form shows personal data
and is audited like the record; saving the form unchanged writes nothing."""

import pytest

from conftest import NOW, TODAY
from tongxin.audit.models import AuditEvent
from tongxin.care.models import Basis, CareEvent, ConsentBy, Kind
from tongxin.care.services import subject_update

from .conftest import actor, verified_client

pytestmark = pytest.mark.django_db

ODD = ["²", "٣", "１", "-1", "1" * 40]


@pytest.fixture
def staff(cw):  # type: ignore[no-untyped-def]
    client = verified_client(cw.n.staff11)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("param", ["kind", "community", "visitor"])
@pytest.mark.parametrize("value", ODD)
def test_odd_filter_values_show_the_whole_list(cw, staff, param, value) -> None:  # type: ignore[no-untyped-def]
    page = staff.get("/care/", {param: value})
    assert page.status_code == 200
    assert "刘桂兰" in page.content.decode()
    assert staff.get("/care/overdue/", {param: value}).status_code == 200
    assert staff.get("/care/export/", {param: value}).status_code == 200


def test_odd_page_numbers_show_a_page(cw, staff) -> None:  # type: ignore[no-untyped-def]
    assert staff.get("/care/", {"page": "²"}).status_code == 200
    assert staff.get(f"/care/{cw.subject.pk}/", {"page": "²"}).status_code == 200


def test_opening_the_edit_form_is_audited(cw, staff) -> None:  # type: ignore[no-untyped-def]
    reveals = AuditEvent.objects.filter(
        action="reveal", object_type="care.caresubject", object_id=str(cw.subject.pk)
    )
    before = reveals.count()
    html = staff.get(f"/care/{cw.subject.pk}/edit/").content.decode()
    assert "独居,耳背" in html  # the notes, decrypted, in the form
    assert reveals.count() == before + 1
    assert reveals.order_by("-pk").first().detail == {"view": "care_subject_edit"}


def test_saving_without_a_change_writes_no_event_or_audit(cw) -> None:  # type: ignore[no-untyped-def]
    s = cw.subject
    events, audits = CareEvent.objects.count(), AuditEvent.objects.filter(action="update").count()
    subject_update(
        subject=s,
        kinds=[Kind.ELDERLY_ALONE],
        basis=Basis.CONSENT,
        consent_by=ConsentBy.SELF,
        consent_on=TODAY,
        cadence_days=s.cadence_days,
        place=s.place,
        notes=s.notes,
        by=actor(cw.n.staff11),
        now=NOW,
    )
    assert CareEvent.objects.count() == events
    assert AuditEvent.objects.filter(action="update").count() == audits

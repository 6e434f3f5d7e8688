"""A visitor who is no longer a visitor — the assignment ended, the subject closed (consent
withdrawn), or the visitor's own volunteer registration withdrawn — no longer sees the subject's
name or the notes of past visits, and cannot be assigned again."""

from datetime import timedelta

import pytest
from django.test import Client

from conftest import NOW, SYSTEM
from tongxin.care.models import CareAssignment, CareReminder, Condition, Way
from tongxin.care.services import (
    CareError,
    overdue_remind,
    subject_close,
    visit_log,
    visitor_assign,
    visitor_unassign,
)
from tongxin.core.actor import Actor
from tongxin.volunteers.services import volunteer_register, volunteer_withdraw

pytestmark = pytest.mark.django_db


def phone(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _visit(cw):  # type: ignore[no-untyped-def]
    visit_log(
        subject=cw.subject,
        visitor=cw.w.alice,
        visited_at=NOW,
        way=Way.HOME,
        condition=Condition.ATTENTION,
        notes="血压偏高,情绪低落",
        by=Actor(user=cw.n.alice, label="alice"),
        now=NOW,
    )


def test_the_history_shows_the_visits_of_current_subjects(cw) -> None:  # type: ignore[no-untyped-def]
    _visit(cw)
    html = phone(cw.n.alice).get("/care/m/history/").content.decode()
    assert "刘桂兰" in html
    assert "血压偏高" in html


def test_a_former_visitor_no_longer_sees_name_or_notes(cw) -> None:  # type: ignore[no-untyped-def]
    _visit(cw)
    assignment = CareAssignment.objects.get(subject=cw.subject, visitor=cw.w.alice)
    visitor_unassign(assignment=assignment, by=SYSTEM, now=NOW - timedelta(days=1))
    client = phone(cw.n.alice)
    assert client.get(f"/care/m/{cw.subject.pk}/").status_code == 404
    html = client.get("/care/m/history/").content.decode()
    assert "刘桂兰" not in html
    assert "血压偏高" not in html


def test_a_closed_subject_disappears_from_the_visitors_history(cw) -> None:  # type: ignore[no-untyped-def]
    _visit(cw)
    subject_close(subject=cw.subject, reason="withdrawn", by=SYSTEM, now=NOW)  # consent withdrawn
    client = phone(cw.n.alice)
    assert client.get(f"/care/m/{cw.subject.pk}/").status_code == 404
    html = client.get("/care/m/history/").content.decode()
    assert "刘桂兰" not in html
    assert "血压偏高" not in html


def _volunteer(cw):  # type: ignore[no-untyped-def]
    return volunteer_register(
        person=cw.n.fang,  # not a party member
        skills=["companion"],
        slots=["5-am"],
        communities=[cw.w.c11],
        consent=True,
        by=SYSTEM,
        now=NOW,
    )


def test_an_active_volunteer_may_be_assigned(cw) -> None:  # type: ignore[no-untyped-def]
    _volunteer(cw)
    assert visitor_assign(subject=cw.subject, visitor=cw.n.fang, by=SYSTEM, now=NOW).until is None


def test_a_volunteer_who_withdrew_consent_cannot_be_assigned(cw) -> None:  # type: ignore[no-untyped-def]
    volunteer_withdraw(volunteer=_volunteer(cw), by=SYSTEM, now=NOW)
    with pytest.raises(CareError):
        visitor_assign(subject=cw.subject, visitor=cw.n.fang, by=SYSTEM, now=NOW)
    assert not CareAssignment.objects.filter(visitor=cw.n.fang).exists()


def test_a_volunteer_who_withdrew_no_longer_sees_the_subject_nor_is_reminded(cw) -> None:  # type: ignore[no-untyped-def]
    volunteer = _volunteer(cw)
    visitor_assign(subject=cw.subject, visitor=cw.n.fang, by=SYSTEM, now=NOW)
    client = phone(cw.n.resident)  # 方兰's account
    assert "刘桂兰" in client.get("/care/m/").content.decode()
    volunteer_withdraw(volunteer=volunteer, by=SYSTEM, now=NOW)
    assert "刘桂兰" not in client.get("/care/m/").content.decode()
    assert client.get(f"/care/m/{cw.subject.pk}/").status_code == 404
    overdue_remind(now=NOW + timedelta(days=60))
    assert not CareReminder.objects.filter(visitor=cw.n.fang).exists()
    assert CareReminder.objects.filter(visitor=cw.w.alice).exists()

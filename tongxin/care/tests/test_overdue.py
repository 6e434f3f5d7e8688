"""When a visit falls due: the local day of the last visit (or of the registration) plus the
cadence, overdue from the day after; around month ends, leap days and midnight in Shanghai."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import NOW, SYSTEM, add_person
from tongxin.care.models import CareReminder
from tongxin.care.services import due_date, is_overdue, overdue_days, visit_log

from .conftest import register

pytestmark = pytest.mark.django_db
SHANGHAI = timezone.get_fixed_timezone(480)


@pytest.mark.parametrize(
    ("last", "cadence", "due"),
    [
        (date(2026, 1, 31), 30, date(2026, 3, 2)),  # February has 28 days in 2026
        (date(2028, 1, 31), 30, date(2028, 3, 1)),  # … and 29 in 2028
        (date(2026, 1, 31), 1, date(2026, 2, 1)),
        (date(2026, 12, 31), 7, date(2027, 1, 7)),
        (date(2026, 4, 30), 90, date(2026, 7, 29)),
    ],
)
def test_due_date_counts_days_across_month_ends(last, cadence, due) -> None:  # type: ignore[no-untyped-def]
    assert due_date(last=last, cadence_days=cadence) == due


def test_a_late_evening_visit_counts_for_its_local_day(cw) -> None:  # type: ignore[no-untyped-def]
    # 23:30 on 31 January in Shanghai is 15:30 UTC the same day; 00:30 on 1 February is still
    # 31 January in UTC. The local day decides.
    registered = datetime(2026, 1, 20, 9, 0, tzinfo=SHANGHAI)
    granny = add_person("钱奶奶", cw.w.c11, birth=date(1938, 1, 1))
    s = register(granny, cw.w.c11, now=registered, consent_on=registered.date(), cadence_days=30)
    from tongxin.care.services import visitor_assign

    visitor_assign(subject=s, visitor=cw.w.alice, by=SYSTEM, now=registered)
    night = datetime(2026, 2, 1, 0, 30, tzinfo=SHANGHAI)
    visit_log(
        subject=s, visitor=cw.w.alice, visited_at=night, way="phone", condition="good", by=SYSTEM, now=night
    )
    s.refresh_from_db()
    assert s.due_on == date(2026, 3, 3)
    assert not is_overdue(s, date(2026, 3, 3))
    assert is_overdue(s, date(2026, 3, 4))
    assert overdue_days(s, date(2026, 3, 10)) == 7


def test_never_visited_counts_from_registration(cw) -> None:  # type: ignore[no-untyped-def]
    s = cw.subject  # registered at NOW, every 7 days, never visited
    today = timezone.localdate(NOW)
    assert s.last_visited_at is None
    assert not is_overdue(s, today + timedelta(days=7))
    assert is_overdue(s, today + timedelta(days=8))


def test_the_command_reminds_once_a_day(cw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    later = NOW + timedelta(days=9)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("care_overdue")
    call_command("care_overdue")
    assert CareReminder.objects.count() == 1

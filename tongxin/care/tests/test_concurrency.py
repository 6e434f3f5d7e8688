"""Two staff register the same person at the same moment: one record. Two reminder runs at once:
one reminder."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connections

from conftest import NOW, add_person
from tongxin.care.models import CareReminder, CareSubject
from tongxin.care.services import CareError, overdue_remind
from tongxin.notifications.models import Notification

from .conftest import actor, register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrent_writers]


def _both(work) -> list[str]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(i: int) -> None:
        try:
            barrier.wait(5)
            outcomes.append(work(i))
        except CareError as exc:
            outcomes.append(str(exc.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_two_registrations_of_one_person_give_one_record(cw) -> None:  # type: ignore[no-untyped-def]
    p = add_person("孙奶奶", cw.w.c11, birth=date(1942, 1, 1))
    staff = [cw.n.staff11, cw.n.street1]
    outcomes = _both(lambda i: register(p, cw.w.c11, by=actor(staff[i])) and "ok")
    assert outcomes == ["ok", "孙奶奶已在关爱对象名册中,请打开原记录修改。"]
    assert CareSubject.objects.filter(person=p, active=True).count() == 1


def test_two_reminder_runs_remind_once(cw) -> None:  # type: ignore[no-untyped-def]
    day9 = NOW + timedelta(days=9)
    outcomes = _both(lambda i: str(overdue_remind(now=day9)))
    assert outcomes == ["0", "1"]
    assert CareReminder.objects.count() == 1
    assert Notification.objects.filter(recipient=cw.n.alice, title__contains="到了走访时间").count() == 1

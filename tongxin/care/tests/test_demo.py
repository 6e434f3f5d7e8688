"""The demo registry is written through the services: every subject registered, assigned and
visited with its events and audit rows, due dates consistent with the visits, and the demo
member has people to visit, some overdue."""

from datetime import date, timedelta

import pytest

from conftest import NOW, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditEvent
from tongxin.care.demo import seed_care
from tongxin.care.models import CareEvent, CareSubject, CareVisit
from tongxin.care.policies import visitor_subjects
from tongxin.care.services import due_date, local_date

pytestmark = pytest.mark.django_db


def test_demo_registry(nw) -> None:  # type: ignore[no-untyped-def]
    w = nw.w
    member = add_person("段敏萍", w.g111, birth=date(1970, 1, 1))
    from conftest import add_member

    add_member(member, w.b11)
    demo = make_account("demo_member", (Role.PARTY_MEMBER, w.b11), person=member)
    for i in range(8):
        add_person(f"老人{i}", w.c11, birth=date(1935 + i, 1, 1))
    made = seed_care(now=NOW, seed=3, scale=0.1)
    subjects = list(CareSubject.objects.all())
    assert made["care subjects"] == len(subjects) >= 5
    assert made["care visits"] == CareVisit.objects.count() > 0
    assert CareEvent.objects.filter(kind="register").count() == len(subjects)
    assert AuditEvent.objects.filter(object_type="care.carevisit").count() == made["care visits"]
    today = local_date(NOW)
    for s in subjects:
        last = local_date(s.last_visited_at or s.created_at)
        assert s.due_on == due_date(last=last, cadence_days=s.cadence_days)
        assert s.assignments.exists()
    mine = list(visitor_subjects(demo, today))
    assert len(mine) == 5
    assert sum(s.due_on < today for s in mine) == 2
    assert all(s.due_on >= today - timedelta(days=60) for s in mine)

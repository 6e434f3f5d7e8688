"""The demo volunteers, teams and records are written through the services: every record has its
ledger postings, corrections are reversal + replacement, the demo accounts have something to see."""

from datetime import date

import pytest

from conftest import NOW, add_member, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.ledger.models import Currency, Posting
from tongxin.ledger.selectors import balance_of
from tongxin.records.demo import seed_records
from tongxin.records.models import Certificate, CorrectionRequest, RecordKind, ServiceRecord
from tongxin.volunteers.demo import seed_volunteers
from tongxin.volunteers.models import Team, Volunteer

pytestmark = pytest.mark.django_db


def test_demo_volunteers_and_records(nw) -> None:  # type: ignore[no-untyped-def]
    w = nw.w
    member = add_person("段敏萍", w.c11)
    add_member(member, w.b11)
    make_account("demo_member", (Role.PARTY_MEMBER, w.b11), person=member)
    resident = add_person("侯桂兰", w.g111)
    make_account("demo_resident", (Role.RESIDENT, w.g111), person=resident)
    for i in range(12):
        add_person(f"居民{i}", w.c11 if i % 2 else w.c21, birth=date(1950 + i, 1, 1))
    made = seed_volunteers(now=NOW, seed=1, scale=4.0)
    assert made["volunteers"] == Volunteer.objects.count() >= 5
    assert Volunteer.objects.filter(person=member).exists()
    assert Volunteer.objects.filter(person=resident).exists()
    assert made["teams"] == Team.objects.count() >= 3
    assert Team.objects.filter(territory=w.c11, members__volunteer__person=member).exists()

    records = seed_records(now=NOW, seed=1, scale=1.0)
    assert records["service records"] == ServiceRecord.objects.count() > 10
    for record in ServiceRecord.objects.filter(kind=RecordKind.ORIGINAL)[:20]:
        assert Posting.objects.filter(source=f"record:{record.pk}").exists()
    # Each person's hours balance equals the sum of her rows, reversals included.
    for person_id in ServiceRecord.objects.values_list("person_id", flat=True).distinct():
        total = sum(ServiceRecord.objects.filter(person_id=person_id).values_list("minutes", flat=True))
        assert (
            balance_of(
                person=ServiceRecord.objects.filter(person_id=person_id).first().person,
                currency=Currency.HOURS,
            )
            == total
        )
    assert ServiceRecord.objects.filter(person=member).exists()
    assert CorrectionRequest.objects.filter(person=member).count() == 2
    assert Certificate.objects.filter(person=member).exists()
    assert records["certificates"] == Certificate.objects.count()

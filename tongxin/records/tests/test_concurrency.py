"""Two organisers correct the same record at the same moment: one correction lands (one reversal,
one replacement, the ledger posted once), the other is refused with the Chinese message."""

import threading

import pytest
from django.db import connections

from conftest import NOW
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.records.models import RecordKind, ServiceRecord
from tongxin.records.services import RecordError, record_correct

from .conftest import actor, record


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_two_corrections_at_once_give_one(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def correct(user, minutes: int) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait(5)
            outcomes[user.username] = record_correct(
                record=r, minutes=minutes, reason="核对签到表", by=actor(user), now=NOW
            ).minutes
        except RecordError as refusal:
            outcomes[user.username] = str(refusal.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=correct, args=(rw.n.staff11, 100)),
        threading.Thread(target=correct, args=(rw.n.street1, 110)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    landed = [v for v in outcomes.values() if isinstance(v, int)]
    refused = [v for v in outcomes.values() if isinstance(v, str)]
    assert len(landed) == 1
    assert refused == ["该记录已被更正或冲销,请更正最新的记录。"]
    assert ServiceRecord.objects.filter(kind=RecordKind.REVERSAL).count() == 1
    assert ServiceRecord.objects.filter(kind=RecordKind.REPLACEMENT).count() == 1
    assert balance_of(person=rw.n.fang, currency=Currency.HOURS) == landed[0]

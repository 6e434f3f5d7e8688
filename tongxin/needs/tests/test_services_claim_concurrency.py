"""Two members claim one need at the same moment: exactly one wins, the other is thanked."""

import threading
import time

import pytest
from django.db import connections

from conftest import NOW
from tongxin.needs import services
from tongxin.needs.models import EventKind, Need, Status
from tongxin.needs.services import NeedAlreadyClaimed, need_accept, need_claim
from tongxin.needs.services import steps as step_module

from .conftest import actor, submit


@pytest.mark.django_db
def test_a_late_claim_is_thanked(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_claim(need=need, by=actor(nw.alice), now=NOW)
    with pytest.raises(NeedAlreadyClaimed) as err:
        need_claim(need=need, by=actor(nw.erin), now=NOW)
    assert err.value.message == "该诉求刚刚已被他人认领,感谢您的热心!"


@pytest.mark.django_db(transaction=True)
@pytest.mark.concurrent_writers
def test_two_concurrent_claims_have_one_winner(nw, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    real_lock = step_module.lock_need
    locked_once = threading.Event()

    def slow_lock(need_id: int) -> Need:
        row = real_lock(need_id)
        if not locked_once.is_set():
            locked_once.set()
            time.sleep(0.5)  # the rival arrives while this claim holds the row
        return row

    monkeypatch.setattr(step_module, "lock_need", slow_lock)
    outcomes: dict[str, str] = {}

    def claim(user, wait_first: bool) -> None:  # type: ignore[no-untyped-def]
        try:
            if wait_first:
                assert locked_once.wait(5)
            services.need_claim(need=need, by=actor(user), now=NOW)
            outcomes[user.username] = "won"
        except NeedAlreadyClaimed as exc:
            outcomes[user.username] = exc.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=claim, args=(nw.alice, False)),
        threading.Thread(target=claim, args=(nw.erin, True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == {"alice": "won", "erin": "该诉求刚刚已被他人认领,感谢您的热心!"}
    need.refresh_from_db()
    assert need.status == Status.CLAIMED
    assert need.assigned_person == nw.w.alice
    assert need.events.filter(kind=EventKind.CLAIM).count() == 1

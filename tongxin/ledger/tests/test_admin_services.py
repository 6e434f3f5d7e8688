"""Staff adjustments: within the staff's scope, with a reason, audited; bad input changes nothing."""

import pytest

from conftest import NOW, make_account
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.ledger.models import Currency, Posting, PostingKind
from tongxin.ledger.selectors import balance_of, entries_for, source_words
from tongxin.ledger.services import InsufficientBalance, LedgerError, ledger_adjust

pytestmark = pytest.mark.django_db


def test_staff_adjust_a_balance_with_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    staff = make_account("staff11", ("community_staff", world.c11))
    posting = ledger_adjust(
        person=world.alice,
        currency=Currency.CREDITS,
        amount=90,
        reason="补记线下助老服务",
        by=Actor(user=staff),
        now=NOW,
    )
    assert posting.kind == PostingKind.ADJUSTMENT
    assert posting.created_by == staff
    assert balance_of(person=world.alice, currency=Currency.CREDITS) == 90
    assert source_words(entries_for(person=world.alice).get().posting.source) == "人工调整"
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="ledger.posting")
    assert event.detail == {"person": world.alice.pk, "currency": "credits", "amount": 90}


def test_staff_never_adjust_hours_their_own_balance_or_as_a_unit_s_contact(world) -> None:  # type: ignore[no-untyped-def]
    """Hours are certified through the service records; nobody hands herself anything; a unit's
    contact may edit the unit's members' records but not give them points."""
    staff = make_account("staff11", ("community_staff", world.c11), person=world.carol)
    contact = make_account("contact", ("unit_contact", world.unit_branch))
    with pytest.raises(LedgerError, match="服务时长由组织方在服务记录中登记和更正"):
        ledger_adjust(
            person=world.alice,
            currency=Currency.HOURS,
            amount=60,
            reason="补录签到表",
            by=Actor(user=staff),
            now=NOW,
        )
    with pytest.raises(NotFoundOrForbidden):
        ledger_adjust(
            person=world.carol,
            currency=Currency.CREDITS,
            amount=60,
            reason="给自己加点",
            by=Actor(user=staff),
            now=NOW,
        )
    with pytest.raises(NotFoundOrForbidden):
        ledger_adjust(
            person=world.carol,
            currency=Currency.POINTS,
            amount=500,
            reason="单位奖励",
            by=Actor(user=contact),
            now=NOW,
        )
    assert not Posting.objects.exists()


def test_adjustments_outside_scope_or_without_reason_change_nothing(world) -> None:  # type: ignore[no-untyped-def]
    staff = Actor(user=make_account("staff11", ("community_staff", world.c11)))
    with pytest.raises(NotFoundOrForbidden):
        ledger_adjust(
            person=world.bob, currency=Currency.POINTS, amount=60, reason="补录签到表", by=staff, now=NOW
        )
    with pytest.raises(LedgerError, match="请写明调整原因"):
        ledger_adjust(
            person=world.alice, currency=Currency.POINTS, amount=60, reason=" 补 ", by=staff, now=NOW
        )
    with pytest.raises(LedgerError, match="非零整数"):
        ledger_adjust(
            person=world.alice, currency=Currency.POINTS, amount=0, reason="补录签到表", by=staff, now=NOW
        )
    with pytest.raises(InsufficientBalance, match="当前余额 0 积分,本次需要 5 积分"):
        ledger_adjust(
            person=world.alice, currency=Currency.POINTS, amount=-5, reason="误发积分收回", by=staff, now=NOW
        )
    assert not Posting.objects.exists()
    assert not AuditEvent.objects.filter(object_type="ledger.posting").exists()

"""Checking the chain: recompute each hash in sequence order and report the first break."""

from collections.abc import Iterator
from dataclasses import dataclass

from .models import AuditChainHead, AuditEvent
from .services import GENESIS_HASH, event_hash, hashed_fields


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(*, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Returns (events checked, first break or None)."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in _events_in_order(batch_size):
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"第 {expected_seq} 条记录缺失(已被删除)")
        if event.prev_hash != prev_hash:
            return checked, ChainBreak(event.seq, f"第 {event.seq} 条记录的前序哈希不符(链被改动)")
        if event_hash(prev_hash=prev_hash, fields=hashed_fields(event)) != event.hash:
            return checked, ChainBreak(event.seq, f"第 {event.seq} 条记录内容被修改")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return checked, ChainBreak(checked + 1, f"第 {checked + 1} 条之后的记录缺失(已被删除)")
    return checked, None


def _events_in_order(batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq

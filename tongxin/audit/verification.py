"""Checking the chain: recompute each hash in sequence order and report the first break."""

from collections.abc import Iterator
from dataclasses import dataclass

from .models import AuditChainHead, AuditEvent
from .services import GENESIS_HASH, event_hash, hashed_fields


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(
    *, batch_size: int = 5000, anchor: tuple[int, str] | None = None
) -> tuple[int, ChainBreak | None]:
    """Returns (events checked, first break or None).

    The head is read first and the walk stops at its sequence number, so events appended while
    the check runs are not mistaken for damage. `anchor` is a (seq, hash) pair recorded earlier
    outside the database (`verify_audit` prints one): it catches the one edit a chain alone
    cannot, removing the newest events together with the head."""
    head = AuditChainHead.objects.filter(pk=1).first()
    last_seq = head.last_seq if head is not None else 0
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in _events_in_order(batch_size, up_to=last_seq):
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"第 {expected_seq} 条记录缺失(已被删除)")
        if event.prev_hash != prev_hash:
            return checked, ChainBreak(event.seq, f"第 {event.seq} 条记录的前序哈希不符(链被改动)")
        if event_hash(prev_hash=prev_hash, fields=hashed_fields(event)) != event.hash:
            return checked, ChainBreak(event.seq, f"第 {event.seq} 条记录内容被修改")
        if anchor is not None and event.seq == anchor[0] and event.hash != anchor[1]:
            return checked, ChainBreak(event.seq, f"第 {event.seq} 条记录与外部锚点不符")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if checked != last_seq:
        return checked, ChainBreak(checked + 1, f"第 {checked + 1} 条之后的记录缺失(已被删除)")
    if head is None and AuditEvent.objects.exists():
        return checked, ChainBreak(1, "链头记录缺失(已被删除)")
    if anchor is not None and anchor[0] > last_seq:
        return checked, ChainBreak(
            last_seq + 1, f"第 {last_seq + 1} 条之后的记录缺失(外部锚点为第 {anchor[0]} 条)"
        )
    return checked, None


def chain_anchor() -> tuple[int, str] | None:
    head = AuditChainHead.objects.filter(pk=1).first()
    return (head.last_seq, head.last_hash) if head is not None and head.last_seq else None


def _events_in_order(batch_size: int, *, up_to: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last, seq__lte=up_to).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq

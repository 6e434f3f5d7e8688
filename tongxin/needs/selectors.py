"""Reads of needs, each already cut to what the account may see."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from tongxin.core.crypto import field_cipher
from tongxin.core.masking import mask_mobile

from . import policies
from .models import Need, NeedEvent, NeedPhoto


def need_list_for_scope(user: Any) -> QuerySet[Need]:
    """Every need the account may see: its own, those it handles, those its grants cover, and
    those it may claim (vulnerable residents' and private needs only to their handlers)."""
    return (
        Need.objects.filter(policies.visible_q(user))
        .select_related("category", "community")
        .order_by("-submitted_at", "-pk")
    )


def need_timeline(need: Need, *, public_only: bool) -> QuerySet[NeedEvent]:
    """The resident reads the public notes; the handlers read everything."""
    events = need.events.all()
    return events.filter(public=True) if public_only else events


@dataclass(frozen=True)
class ClaimableNeed:
    """What a would-be helper sees before claiming: the resident's phone masked."""

    pk: int
    text: str
    category: str
    community: str
    place: str
    urgent: bool
    tags: list[str]
    submitted_at: datetime
    phone: str


def need_claimable_qs(user: Any) -> QuerySet[Need]:
    """What the account may claim, most urgent and oldest first (page it, then claimable_view)."""
    return (
        Need.objects.filter(policies.open_for_claim_q(user))
        .select_related("category", "community", "person")
        .order_by("-urgent", "submitted_at", "pk")
    )


def claimable_view(n: Need) -> ClaimableNeed:
    return ClaimableNeed(
        pk=n.pk,
        text=n.text,
        category=n.category.name,
        community=n.community.name,
        place=n.place,
        urgent=n.urgent,
        tags=list(n.tags),
        submitted_at=n.submitted_at,
        phone=mask_mobile(n.contact_phone) if n.contact_phone else "",
    )


def need_claimable_for(user: Any) -> list[ClaimableNeed]:
    return [claimable_view(n) for n in need_claimable_qs(user)]


def need_contact_phone(user: Any, need: Need) -> str:
    """The resident's phone in clear for whoever handles the need; masked for anyone else."""
    phone = need.contact_phone
    if not phone:
        return ""
    if policies.is_assignee(user, need) or policies.is_staff_for(user, need):
        return phone
    return mask_mobile(phone)


def need_photo_jpeg(photo: NeedPhoto) -> bytes:
    """The stored photo as JPEG bytes (decrypted). The caller has already checked that the
    account may see the photo's need (need_list_for_scope)."""
    return field_cipher().decrypt(bytes(photo.data))

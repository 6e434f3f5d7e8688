"""need_phone_reveal: the resident's phone as a viewer may read it, every clear showing audited.

DESIGN.md §7: phones are masked unless the viewer's role needs them, and every reveal is audited.
Handlers need the number to call back; each page, API answer or phone screen that shows it to
them in clear writes one REVEAL row, as the person pages do for their 显示 button."""

from datetime import datetime

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor

from ..models import Need
from ..selectors import need_contact_phone


def need_phone_reveal(*, need: Need, by: Actor, now: datetime) -> str:
    phone = need_contact_phone(by.user, need)
    if phone and phone == need.contact_phone:  # in clear, not masked
        audit_record(
            actor=by, action=AuditAction.REVEAL, target=need, detail={"field": "contact_phone"}, now=now
        )
    return phone

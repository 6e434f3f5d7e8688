"""What the resident hears, and when: only after the step's transaction commits.

Today an SMS; the in-app and WeChat channels will sit behind this same hook."""

from django.db import transaction

from tongxin.core.actor import Actor
from tongxin.notifications import sms

from .models import EventKind, Need

# The steps the resident must hear about, and the SMS template for each (one place).
NEED_SMS_TEMPLATES: dict[str, tuple[str, str]] = {
    EventKind.ACCEPT: ("need_accepted", "【同心】您反映的诉求(编号{number})已受理,我们会尽快办理。"),
    EventKind.RETURN: ("need_returned", "【同心】您反映的诉求(编号{number})已退回,原因:{reason}"),
    EventKind.RESOLVE: ("need_resolved", "【同心】您反映的诉求(编号{number})已办结,请您评价。"),
}
sms.sms_templates_register(dict(NEED_SMS_TEMPLATES.values()))


def need_notify(
    *, need: Need, kind: str, params: dict[str, str] | None = None, by: Actor | None = None
) -> None:
    """Schedule the resident's message for `kind`, sent only if the caller's transaction commits."""
    if kind not in NEED_SMS_TEMPLATES:
        return
    phone = need.contact_phone
    if not phone:
        return
    template = NEED_SMS_TEMPLATES[kind][0]
    values = {"number": str(need.pk), **(params or {})}
    transaction.on_commit(lambda: sms.sms_send(to=phone, template=template, params=values))

"""What a resident hears about an appointment: in-app always (when she has an account), an SMS to
the person's mobile, WeChat when bound. Texts name the point and the time only, never the matter
(a lock screen must not tell anyone that she is applying for 低保 or a disability card)."""

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from tongxin.notifications import sms
from tongxin.notifications.services import Message, notify

from .models import Appointment
from .schedule import local_zone

WINDOW_SMS_TEMPLATES: dict[str, str] = {
    "window_booked": "【同心】您已预约{point}{when},如需取消请在“我的预约”中操作。",
    "window_reminder": "【同心】提醒:您预约了{point}{when},地址:{address}。请按时前往。",
    "window_cancelled": "【同心】您预约的{point}{when}已取消。原因:{reason}",
}
sms.sms_templates_register(WINDOW_SMS_TEMPLATES)
WECHAT_TEMPLATE = "window_appointment"


def when_text(appointment: Appointment) -> str:
    start = appointment.starts_at.astimezone(local_zone())
    end = appointment.ends_at.astimezone(local_zone())
    return f"{start:%m月%d日 %H:%M}–{end:%H:%M}"


def _url() -> str:
    try:
        return reverse("windows:my_appointments")
    except NoReverseMatch:
        return ""


def resident_account(appointment: Appointment) -> Any:
    from tongxin.accounts.models import User

    return User.objects.filter(person_id=appointment.person_id, is_active=True).order_by("pk").first()


def tell_resident(*, appointment: Appointment, template: str, title: str, body: str, **params: str) -> None:
    when = when_text(appointment)
    message = Message(
        title=title,
        body=body,
        url=_url(),
        sms_template=template,
        sms_params={"point": appointment.point.name, "when": when, **params},
        wechat_template=WECHAT_TEMPLATE,
        wechat_data={"first": title, "keyword1": appointment.point.name, "keyword2": when, "remark": body},
    )
    notify(recipient_user=resident_account(appointment), phone=appointment.person.mobile, message=message)


def tell_booked(appointment: Appointment) -> None:
    tell_resident(
        appointment=appointment,
        template="window_booked",
        title=_("预约成功"),
        body=_("%(point)s %(when)s。如需取消,请在“我的预约”中操作。")
        % {"point": appointment.point.name, "when": when_text(appointment)},
    )


def tell_reminder(appointment: Appointment) -> None:
    tell_resident(
        appointment=appointment,
        template="window_reminder",
        title=_("预约提醒"),
        body=_("您预约了%(point)s %(when)s,地址:%(address)s。")
        % {
            "point": appointment.point.name,
            "when": when_text(appointment),
            "address": appointment.point.address,
        },
        address=appointment.point.address,
    )


def tell_cancelled(appointment: Appointment, reason: str) -> None:
    tell_resident(
        appointment=appointment,
        template="window_cancelled",
        title=_("预约已取消"),
        body=_("%(point)s %(when)s的预约已由工作人员取消。原因:%(reason)s")
        % {"point": appointment.point.name, "when": when_text(appointment), "reason": reason},
        reason=reason,
    )

"""In-app messages of the time bank: the elderly person's side hears that a volunteer took the
booking; the volunteer hears that it was confirmed done or cancelled. notify() writes inside the
caller's transaction and sends what leaves the database after commit."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.accounts.models import User
from tongxin.matching.skills import SKILL_LABEL
from tongxin.notifications.services import Message, notify

from .models import TimeBankBooking


def _accounts(*person_ids: int | None) -> list[User]:
    ids = {pk for pk in person_ids if pk is not None}
    return list(User.objects.filter(person_id__in=ids, is_active=True)) if ids else []


def booking_notify(*, booking: TimeBankBooking, step: str, now: datetime) -> None:
    skill = SKILL_LABEL[booking.skill]
    url = reverse("rewards:m_booking", args=[booking.pk])
    if step == "take":
        recipients = _accounts(booking.beneficiary_id, booking.payer_id)
        message = Message(
            title=_("时间银行:志愿者已接单"),
            body=_("%(skill)s的预约已有志愿者接单,将按约定时间上门。") % {"skill": skill},
            url=url,
        )
    elif step in ("done", "cancel") and booking.volunteer_id is not None:
        recipients = _accounts(booking.volunteer_id)
        message = Message(
            title=_("时间银行:服务已确认完成") if step == "done" else _("时间银行:预约已取消"),
            body=(
                _("谢谢您!%(skill)s服务已确认完成,服务时长已记入您的志愿服务记录。")
                if step == "done"
                else _("%(skill)s的预约已取消,不用上门了。")
            )
            % {"skill": skill},
            url=url,
        )
    else:
        return
    for user in recipients:
        notify(recipient_user=user, message=message, now=now)

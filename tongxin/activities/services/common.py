"""Pieces the activities services share: event rows, the local time format, the actor's person."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden

from ..models import Activity, ActivityEvent, SignUp, SignUpEvent, Slot


def hm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def when(slot: Slot) -> str:
    """ "11月30日 09:00–11:00", the way a message names a slot."""
    start = timezone.localtime(slot.starts_at)
    return _("%(m)d月%(d)d日 %(start)s–%(end)s") % {
        "m": start.month,
        "d": start.day,
        "start": hm(slot.starts_at),
        "end": hm(slot.ends_at),
    }


def activity_event(
    activity: Activity, *, kind: str, by: Actor, now: datetime, before: str = "", note: str = ""
) -> None:
    ActivityEvent.objects.create(
        activity=activity,
        kind=kind,
        from_status=before,
        to_status=activity.status,
        note=note[:200],
        actor=by.user,
        actor_label=by.label[:150],
        at=now,
    )


def signup_event(signup: SignUp, *, kind: str, by: Actor, now: datetime, note: str = "") -> None:
    SignUpEvent.objects.create(
        signup=signup, kind=kind, note=note[:200], actor=by.user, actor_label=by.label[:150], at=now
    )


def lock_slot(slot_id: int) -> Slot:
    slot = Slot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None:
        raise NotFoundOrForbidden(_("未找到该活动,或您无权查看。"))
    # The activity is read after the lock, so a cancellation that committed meanwhile is seen.
    slot.activity = Activity.objects.select_related("organization", "territory", "unit", "team").get(
        pk=slot.activity_id
    )
    return slot


def own_person_id(by: Actor) -> Any:
    return getattr(by.user, "person_id", None)

"""The in-app inbox: reads (selectors) and marking as read (a service)."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from .models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The account's notifications, newest first (paginate in the view)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user: Any, now: datetime, notification_id: int | None = None) -> int:
    """Mark one of the account's notifications (or, with None, all of them) read; returns how
    many changed. Someone else's notification id changes nothing, as if it did not exist."""
    if not getattr(user, "is_authenticated", False):
        return 0
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=now)

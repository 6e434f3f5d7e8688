from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def audit_event_search(
    *,
    text: str = "",
    action: str = "",
    result: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if text:
        events = events.filter(
            Q(actor_label__icontains=text) | Q(object_repr__icontains=text) | Q(ip__startswith=text)
        )
    if action:
        events = events.filter(action=action)
    if result:
        events = events.filter(result=result)
    tz = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        events = events.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return events.order_by("-seq")

"""消息: the in-app notifications (tongxin.notifications.inbox), newest first. Opening one marks it
read and goes where it points; one button marks them all read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongxin.notifications import inbox

from .common import page_of

LOGIN_URL = "mobile:login"


def unread_count(user: object) -> int:
    return inbox.unread_count(user)


@never_cache
@login_required(login_url=LOGIN_URL)
def inbox_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, inbox.notifications_for(request.user))
    context = {"page": page, "unread": inbox.unread_count(request.user)}
    return render(request, "mobile/inbox.html", context)


@login_required(login_url=LOGIN_URL)
@require_POST
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks one message read and follows its link (on this site only)."""
    note = inbox.notifications_for(request.user).filter(pk=pk).first()
    if note is None:
        return redirect("mobile:inbox")
    inbox.notification_mark_read(user=request.user, now=timezone.now(), notification_id=note.pk)
    return redirect(note.url if note.url.startswith("/m/") else "mobile:inbox")


@login_required(login_url=LOGIN_URL)
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    inbox.notification_mark_read(user=request.user, now=timezone.now())
    return redirect("mobile:inbox")

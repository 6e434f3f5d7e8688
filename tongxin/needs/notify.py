"""Who hears about a step, and what they read: everything goes through tongxin.notifications'
`notify` (in-app always, SMS to the resident's phone for the steps with an SMS template, WeChat
when the account has bound an openid), and only with the step's transaction (in-app rows are
written in it; SMS and WeChat leave after it commits).

- The resident hears of acceptance, return, someone taking the need on (a dispatch, or a claim
  straight from the open list), resolution (with a request to rate) and reopening.
- The handlers hear in-app (and WeChat): the community's staff of a new need; the assignee of a
  dispatch or claim to them; the dispatchers of a bounce; the assignee (or the staff, while nobody
  is assigned) of an urge; the staff of the node a need is escalated to, and the handlers, of an
  escalation.
Texts name the need by number and status only: a lock screen must not show what someone's need is."""

from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from tongxin.core.actor import Actor
from tongxin.notifications import sms
from tongxin.notifications.services import Message, notify, notify_many

from . import policies
from .models import EventKind, Need
from .models import Status as S

# The SMS each resident-facing step sends (name, text): one place, registered when this loads.
NEED_SMS_TEMPLATES: dict[str, tuple[str, str]] = {
    EventKind.ACCEPT: ("need_accepted", "【同心】您反映的诉求(编号{number})已受理,我们会尽快办理。"),
    EventKind.RETURN: ("need_returned", "【同心】您反映的诉求(编号{number})已退回,原因:{reason}"),
    EventKind.DISPATCH: ("need_taken", "【同心】您反映的诉求(编号{number})已有人为您办理。"),
    EventKind.RESOLVE: ("need_resolved", "【同心】您反映的诉求(编号{number})已办结,请您评价。"),
    EventKind.REOPEN: ("need_reopened", "【同心】您反映的诉求(编号{number})已重新办理,我们会尽快处理。"),
}
NEED_SMS_TEMPLATES[EventKind.CLAIM] = NEED_SMS_TEMPLATES[EventKind.DISPATCH]
sms.sms_templates_register(dict(NEED_SMS_TEMPLATES.values()))

# The WeChat template (our name; settings.TONGXIN_WECHAT_TEMPLATES gives its id) for a status
# change the resident follows, and for a task of a handler. Classic 服务号 layout.
WECHAT_RESIDENT = "need_status"
WECHAT_HANDLER = "need_task"


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the page is not mounted (a trimmed deployment, some tests)
        return ""


def _numbered(title: str, need: Need) -> str:
    return _("%(title)s(编号%(number)s)") % {"title": title, "number": need.pk}


def _resident_text(kind: str, params: dict[str, str]) -> tuple[str, str]:
    if kind == EventKind.ACCEPT:
        return _("您的诉求已受理"), _("我们会尽快安排办理。")
    if kind == EventKind.RETURN:
        return _("您的诉求已退回"), _("原因:%(reason)s") % {"reason": params.get("reason", "")}
    if kind in (EventKind.DISPATCH, EventKind.CLAIM):
        return _("有人为您办理"), _("您的诉求已有人接手办理。")
    if kind == EventKind.RESOLVE:
        return _("您的诉求已办结"), _("请查看办理结果并为这次服务评价。")
    return _("您的诉求已重新办理"), _("我们会重新安排人员办理。")


def _tell_resident(need: Need, kind: str, params: dict[str, str], from_status: str) -> None:
    title, body = _resident_text(kind, params)
    title = _numbered(title, need)
    # A claim of a need already dispatched: the resident was told at the dispatch, in-app is enough.
    send_sms = not (kind == EventKind.CLAIM and from_status == S.DISPATCHED)
    template = NEED_SMS_TEMPLATES[kind][0] if send_sms else ""
    message = Message(
        title=title,
        body=body,
        url=_url("mobile:need_detail", need.pk),
        sms_template=template,
        sms_params={"number": str(need.pk), **params},
        wechat_template=WECHAT_RESIDENT,
        wechat_data={
            "first": title,
            "keyword1": str(need.pk),
            "keyword2": str(S(need.status).label),
            "remark": body,
        },
    )
    notify(recipient_user=policies.resident_account(need), phone=need.contact_phone, message=message)


def _handler_message(need: Need, title: str, body: str, *, on_phone: bool = False) -> Message:
    """Staff open the registry page; a member handling a need as a person opens the phone page."""
    title = _numbered(title, need)
    return Message(
        title=title,
        body=body,
        url=_url("mobile:need_detail" if on_phone else "registry:need_detail", need.pk),
        wechat_template=WECHAT_HANDLER,
        wechat_data={
            "first": title,
            "keyword1": str(need.pk),
            "keyword2": str(S(need.status).label),
            "remark": body,
        },
    )


class _Audience:
    """The accounts to tell of one step, each once, never the one who took the step."""

    def __init__(self, need: Need, by: Actor | None) -> None:
        self.need = need
        self.me = getattr(by, "user", None)
        self.seen: set[int] = set()

    def tell(
        self, users: QuerySet[Any] | list[Any], title: str, body: str, *, on_phone: bool = False
    ) -> None:
        fresh = [u for u in users if u.pk not in self.seen and (self.me is None or u.pk != self.me.pk)]
        self.seen.update(u.pk for u in fresh)
        if fresh:
            notify_many(recipients=fresh, message=_handler_message(self.need, title, body, on_phone=on_phone))

    def staff(self, title: str, body: str) -> None:
        self.tell(policies.staff_to_notify(self.need), title, body)

    def assignees(self, title: str, body: str) -> None:
        on_phone = self.need.assigned_person_id is not None
        self.tell(policies.assignees_to_notify(self.need), title, body, on_phone=on_phone)


def need_notify(
    *,
    need: Need,
    kind: str,
    params: dict[str, str] | None = None,
    by: Actor | None = None,
    from_status: str = "",
) -> None:
    """Tell whoever should hear of step `kind` on `need` (called inside the step's transaction)."""
    params = params or {}
    if kind in NEED_SMS_TEMPLATES:
        _tell_resident(need, kind, params, from_status)
    audience = _Audience(need, by)
    if kind == EventKind.SUBMIT:
        title = _("新的紧急诉求待受理") if need.urgent else _("新诉求待受理")
        audience.staff(title, _("%(c)s,请及时受理。") % {"c": need.category.name})
    elif kind == EventKind.DISPATCH:
        audience.assignees(_("派单待办理"), _("有一件诉求派给您办理,请及时处理。"))
    elif kind == EventKind.BOUNCE:
        audience.staff(_("诉求被退单"), _("承办方已退单,请重新派单。"))
    elif kind == EventKind.URGE:
        title, body = _("催办"), _("该诉求即将到期,请尽快办理。")
        if need.status != S.SUBMITTED and policies.assignees_to_notify(need).exists():
            audience.assignees(title, body)
        else:
            audience.staff(title, body)
    elif kind == EventKind.ESCALATE:
        title = _("超期上报")
        body = _("该诉求已超期,已上报%(node)s督办。") % {"node": params.get("node", "")}
        if need.escalated_to is not None:
            audience.tell(policies.supervisors_to_notify(need.escalated_to), title, body)
        audience.staff(title, body)
        if need.status != S.SUBMITTED:
            audience.assignees(title, body)

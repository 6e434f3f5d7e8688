"""Who hears about what: the resident at the steps that concern them (in-app, SMS, WeChat), the
handlers in-app of new needs, dispatches, bounces, urges and escalations; never the one who acted."""

import pytest

from conftest import NOW, SYSTEM, make_account
from tongxin.accounts.models import Role
from tongxin.needs.models import Need
from tongxin.needs.services import (
    need_accept,
    need_bounce,
    need_claim,
    need_dispatch,
    need_reopen,
    need_resolve,
    need_return,
    need_start,
    need_visit,
)
from tongxin.needs.services.clock import need_clock_advance
from tongxin.notifications.models import Notification
from tongxin.notifications.services import wechat_bind
from tongxin.notifications.wechat import InMemoryWeChatBackend
from tongxin.territory.services import territory_create

from .conftest import actor, submit
from .test_deadlines import SUBMITTED, at, submit_at

pytestmark = pytest.mark.django_db


def titles(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_the_resident_hears_every_step_that_concerns_them(
    nw, outbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    InMemoryWeChatBackend.outbox.clear()
    wechat_bind(user=nw.resident, openid="oFANG", now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        need = submit(nw)
        need_accept(need=need, by=actor(nw.staff11), now=NOW)
        need_claim(need=need, by=actor(nw.alice), now=NOW)
        need_start(need=need, by=actor(nw.alice), now=NOW)
        need_resolve(need=need, result="已修好", by=actor(nw.alice), now=NOW)
        need_visit(need=need, rating=1, by=actor(nw.resident), now=NOW)
        need_reopen(need=need, by=actor(nw.resident), now=NOW)
    n = need.pk
    assert titles(nw.resident) == [
        f"您的诉求已受理(编号{n})",
        f"有人为您办理(编号{n})",
        f"您的诉求已办结(编号{n})",
        f"您的诉求已重新办理(编号{n})",
    ]
    inbox = Notification.objects.filter(recipient=nw.resident).first()
    assert inbox is not None
    assert inbox.url == f"/m/needs/{n}/"
    assert "楼道灯" not in "".join(Notification.objects.values_list("body", flat=True))  # no need text
    assert [m.template for m in outbox] == ["need_accepted", "need_taken", "need_resolved", "need_reopened"]
    assert [m.data["keyword2"] for m in InMemoryWeChatBackend.outbox] == [
        "已受理",
        "已认领",
        "已办结",
        "已受理",
    ]
    InMemoryWeChatBackend.outbox.clear()


def test_a_returned_need_tells_the_reason(nw, outbox, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        need = submit(nw)
        need_return(need=need, reason="不属于社区受理范围,请拨打12345。", by=actor(nw.staff11), now=NOW)
    (notification,) = Notification.objects.filter(recipient=nw.resident)
    assert "12345" in notification.body
    assert outbox[0].params["reason"] == "不属于社区受理范围,请拨打12345。"


def test_handlers_hear_of_new_needs_dispatches_and_bounces(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    # The community's own staff, not the street's or the district's.
    assert titles(nw.staff11) == [f"新诉求待受理(编号{need.pk})"]
    assert titles(nw.street1) == []
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_dispatch(need=need, to=nw.w.b11, by=actor(nw.staff11), now=NOW)
    # The branch's office account hears of the dispatch; the dispatcher does not hear of their own step.
    assert titles(nw.branch11) == [f"派单待办理(编号{need.pk})"]
    need_bounce(need=need, reason="不属于本支部", by=actor(nw.branch11), now=NOW)
    assert titles(nw.staff11)[-1] == f"诉求被退单(编号{need.pk})"
    need_dispatch(need=need, to=nw.w.alice, by=actor(nw.staff11), now=NOW)
    assert titles(nw.alice) == [f"派单待办理(编号{need.pk})"]
    assert Notification.objects.filter(recipient=nw.alice).get().url == f"/m/needs/{need.pk}/"


def test_a_street_hears_when_a_community_has_no_staff(nw) -> None:  # type: ignore[no-untyped-def]
    empty = territory_create(
        name="新建社区", code="310110001009", level="community", parent=nw.w.street1, by=SYSTEM
    )
    need = submit(nw, community=empty, by=nw.street1, caller_name="来电居民")
    assert titles(nw.street1) == []  # the street entered it itself
    need2 = submit(nw, community=empty, by=nw.street1, caller_name="来电居民")
    assert titles(nw.staff11) == []
    assert need2.pk != need.pk
    other = make_account("street1b", (Role.STREET_STAFF, nw.w.street1))
    need3 = submit(nw, community=empty, by=nw.street1, caller_name="来电居民")
    assert titles(other) == [f"新诉求待受理(编号{need3.pk})"]


def test_urges_and_escalations_reach_the_handlers_and_the_supervisors(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit_at(nw, SUBMITTED)
    Notification.objects.all().delete()
    need_clock_advance(now=at(10, 8, 15))
    assert titles(nw.staff11) == [f"催办(编号{need.pk})"]
    need_clock_advance(now=at(10, 10, 16))
    assert titles(nw.staff11)[-1] == f"超期上报(编号{need.pk})"
    assert titles(nw.street1) == [f"超期上报(编号{need.pk})"]
    assert titles(nw.resident) == []  # the internal pressure is not the resident's business
    # In handling: the claimer is urged, not the staff.
    need_accept(need=need, by=actor(nw.staff11), now=at(10, 12, 9))
    need_claim(need=need, by=actor(nw.alice), now=at(10, 12, 9))
    Notification.objects.all().delete()
    need.refresh_from_db()
    need_clock_advance(now=need.urge_at)
    assert titles(nw.alice) == [f"催办(编号{need.pk})"]
    assert titles(nw.staff11) == []
    assert Need.objects.get(pk=need.pk).urged_at is not None

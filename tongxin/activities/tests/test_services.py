"""Activities services: publishing tells subscribers, sign-up with a waiting list that moves up,
the cancellation deadline, age and eligibility rules, check-in/out windows, hours recorded through
the records service, paper entry and adjustment. Every refusal changes nothing."""

from datetime import timedelta

import pytest

from conftest import NOW, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.activities.models import ActivityEvent, CheckMethod, SignUp, SignUpStatus, Status, Subscription
from tongxin.activities.services import (
    ActivityData,
    ActivityError,
    NotEligible,
    SlotData,
    activity_cancel,
    activity_create,
    activity_publish,
    signup_adjust,
    signup_cancel,
    signup_check_in,
    signup_check_out,
    signup_create,
    signup_enter_paper,
    signup_mark_no_show,
    slot_confirm,
    subscription_save,
    waitlist_position,
)
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.notifications.models import Notification
from tongxin.records.models import ServiceRecord
from tongxin.records.services import current_records

from .conftest import START, actor, make_activity

pytestmark = pytest.mark.django_db


def test_create_validates_in_chinese_and_writes_nothing(aw) -> None:  # type: ignore[no-untyped-def]
    def data(**kw):  # type: ignore[no-untyped-def]
        base = {"title": "清扫楼道", "category": "environment", "community": aw.w.c11, "venue": "3号楼"}
        base.update(kw)
        return ActivityData(**base)

    good = [SlotData(starts_at=START, ends_at=START + timedelta(hours=2), capacity=5)]
    cases = [
        (data(title=" "), good, "请填写活动名称。"),
        (data(min_age=60, max_age=18), good, "最低年龄不能大于最高年龄。"),
        (data(min_age=150), good, "年龄限制应在0到100岁之间。"),
        (data(community=aw.w.street1), good, "所在社区只能选择社区或村。"),
        (data(), [SlotData(starts_at=START, ends_at=START, capacity=5)], "结束时间必须晚于开始时间。"),
        (
            data(),
            [SlotData(starts_at=START, ends_at=START + timedelta(hours=1), capacity=0)],
            "每个时段的名额至少为1人。",
        ),
        (
            data(),
            [SlotData(starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=1), capacity=3)],
            "开始时间不能早于现在。",
        ),
        (data(), [], "请至少添加一个时段。"),
    ]
    for d, slots, message in cases:
        with pytest.raises(ActivityError) as err:
            activity_create(organiser=aw.w.c11, data=d, slots=slots, by=actor(aw.staff), now=NOW)
        assert err.value.message == message
    assert not ActivityEvent.objects.exists()


def test_only_the_organisers_staff_may_create_in_its_name(aw) -> None:  # type: ignore[no-untyped-def]
    data = ActivityData(title="义诊", category="health", community=aw.w.c21, venue="长阳社区卫生站")
    slots = [SlotData(starts_at=START, ends_at=START + timedelta(hours=1), capacity=1)]
    with pytest.raises(NotFoundOrForbidden):
        activity_create(organiser=aw.w.c21, data=data, slots=slots, by=actor(aw.staff), now=NOW)


def test_publishing_tells_subscribers_of_the_category_and_community(aw, outbox) -> None:  # type: ignore[no-untyped-def]
    subscription_save(
        person=aw.sun,
        categories=["elderly"],
        communities=[aw.w.c11],
        by_sms=True,
        by=actor(aw.sun_user),
        now=NOW,
    )
    # alice follows another category, bob another community: neither hears.
    subscription_save(
        person=aw.w.alice,
        categories=["culture"],
        communities=[aw.w.c11],
        by_sms=True,
        by=actor(aw.n.alice),
        now=NOW,
    )
    subscription_save(
        person=aw.w.bob,
        categories=["elderly"],
        communities=[aw.w.c21],
        by_sms=True,
        by=actor(aw.n.bob),
        now=NOW,
    )
    activity = make_activity(aw, publish=False)
    assert Notification.objects.count() == 0
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        activity_publish(activity=activity, by=actor(aw.staff), now=NOW)
    activity.refresh_from_db()
    assert activity.status == Status.PUBLISHED
    assert activity.published_at == NOW
    note = Notification.objects.get()
    assert note.recipient == aw.sun_user
    assert note.title == "新活动:敬老院陪伴老人"
    assert note.body == "时间:12月1日 10:00–12:00"
    assert [m.to for m in outbox] == ["13600003333"]
    assert outbox[0].text == "【同心】新志愿活动:敬老院陪伴老人,12月1日 10:00–12:00,欢迎报名。"
    with pytest.raises(ActivityError, match="不能发布"):
        activity_publish(activity=activity, by=actor(aw.staff), now=NOW)


def test_subscription_rules(aw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ActivityError, match="请至少选择一个关注的社区"):
        subscription_save(
            person=aw.sun, categories=["elderly"], communities=[], by_sms=True, by=actor(aw.sun_user), now=NOW
        )
    with pytest.raises(NotFoundOrForbidden):
        subscription_save(
            person=aw.w.alice, categories=[], communities=[], by_sms=True, by=actor(aw.sun_user), now=NOW
        )
    assert not Subscription.objects.exists()


def test_over_capacity_goes_to_the_waiting_list_and_moves_up_on_cancellation(aw, outbox) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=1)
    slot = activity.slots.get()
    first = signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    second = signup_create(slot=slot, person=aw.w.alice, by=actor(aw.n.alice), now=NOW + timedelta(minutes=1))
    third = signup_create(
        slot=slot, person=aw.n.erin.person, by=actor(aw.n.erin), now=NOW + timedelta(minutes=2)
    )
    assert first.status == SignUpStatus.CONFIRMED
    assert (second.status, waitlist_position(second)) == (SignUpStatus.WAITLISTED, 1)
    assert (third.status, waitlist_position(third)) == (SignUpStatus.WAITLISTED, 2)

    with pytest.raises(ActivityError) as err:
        signup_create(slot=slot, person=aw.w.alice, by=actor(aw.n.alice), now=NOW)
    assert err.value.message == "您已在该时段的候补名单中(第1位),不用重复报名。"
    with pytest.raises(ActivityError, match="您已报名该时段"):
        signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)

    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        signup_cancel(signup=first, by=actor(aw.sun_user), now=NOW + timedelta(hours=1))
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == SignUpStatus.CONFIRMED
    assert waitlist_position(third) == 1
    assert Notification.objects.filter(recipient=aw.n.alice, title="候补转正:敬老院陪伴老人").exists()
    assert any("已转为正式报名" in m.text for m in outbox)


def test_a_sign_up_that_overlaps_another_is_refused_by_name(aw) -> None:  # type: ignore[no-untyped-def]
    morning = make_activity(aw, capacity=1, title="敬老院陪伴老人")
    overlapping = make_activity(aw, start=START + timedelta(hours=1), title="社区义诊").slots.get()
    afterwards = make_activity(aw, start=START + timedelta(hours=2), title="垃圾分类宣传").slots.get()
    placed = signup_create(slot=morning.slots.get(), person=aw.sun, by=actor(aw.sun_user), now=NOW)

    with pytest.raises(ActivityError) as err:
        signup_create(slot=overlapping, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    assert err.value.message == (
        "您已报名同一时间的「敬老院陪伴老人」(12月1日 10:00–12:00),不能同时参加。"
        "如要改报本时段,请先取消那边的报名。"
    )
    assert not SignUp.objects.filter(slot=overlapping).exists()
    # The organiser signing her up hears the time, not the other organiser's activity.
    with pytest.raises(ActivityError) as err:
        signup_create(slot=overlapping, person=aw.sun, by=actor(aw.staff), now=NOW)
    assert err.value.message == "孙悦在12月1日 10:00–12:00已有其他活动的报名或候补,不能同时参加。"
    # Ending at 12:00 and starting at 12:00 do not clash.
    assert signup_create(slot=afterwards, person=aw.sun, by=actor(aw.sun_user), now=NOW).status == (
        SignUpStatus.CONFIRMED
    )

    # A waiting-list place holds the time too; the other sign-up opens once it is given up.
    waiting = signup_create(slot=morning.slots.get(), person=aw.w.alice, by=actor(aw.n.alice), now=NOW)
    with pytest.raises(ActivityError) as err:
        signup_create(slot=overlapping, person=aw.w.alice, by=actor(aw.n.alice), now=NOW)
    assert err.value.message.startswith("您已在同一时间的「敬老院陪伴老人」(12月1日 10:00–12:00)候补名单中。")
    signup_cancel(signup=waiting, by=actor(aw.n.alice), now=NOW)
    assert signup_create(slot=overlapping, person=aw.w.alice, by=actor(aw.n.alice), now=NOW).status == (
        SignUpStatus.CONFIRMED
    )
    assert placed.status == SignUpStatus.CONFIRMED


def test_cancellation_after_the_deadline_is_refused(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, cancel_hours=24)
    signup = signup_create(slot=activity.slots.get(), person=aw.sun, by=actor(aw.sun_user), now=NOW)
    late = START - timedelta(hours=23)
    with pytest.raises(ActivityError) as err:
        signup_cancel(signup=signup, by=actor(aw.sun_user), now=late)
    assert err.value.message == (
        "已过取消截止时间(活动开始前24小时,12月1日 10:00–12:00),如确实不能参加,请联系组织者。"
    )
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CONFIRMED
    with pytest.raises(NotFoundOrForbidden):
        signup_cancel(signup=signup, by=actor(aw.n.alice), now=NOW)


def test_age_limits_and_eligibility(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, min_age=18, max_age=40)
    slot = activity.slots.get()
    with pytest.raises(NotEligible) as err:
        signup_create(slot=slot, person=aw.w.alice, by=actor(aw.n.alice), now=NOW)  # born 1980: 46
    assert err.value.message == "本活动要求年龄不超过40周岁,您目前46周岁,暂不能报名。"
    young = add_person("小林", aw.w.c11, birth=NOW.date().replace(year=2010))
    from tongxin.volunteers.services import volunteer_register

    volunteer_register(
        person=young,
        skills=["digital"],
        slots=["5-am"],
        communities=[aw.w.c11],
        consent=True,
        by=actor(aw.staff),
        now=NOW,
    )
    kid = make_account("kid", (Role.RESIDENT, aw.w.c11), person=young)
    with pytest.raises(NotEligible, match="本活动要求年满18周岁,您目前16周岁"):
        signup_create(slot=slot, person=young, by=actor(kid), now=NOW)
    # 方兰 is a resident, neither a volunteer nor a member.
    with pytest.raises(NotEligible, match="需要先登记成为志愿者"):
        signup_create(slot=slot, person=aw.n.fang, by=actor(aw.n.resident), now=NOW)
    assert not SignUp.objects.exists()


def test_required_skills(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, skills=["legal"])
    with pytest.raises(NotEligible, match="本活动需要以下专长之一:法律"):
        signup_create(slot=activity.slots.get(), person=aw.sun, by=actor(aw.sun_user), now=NOW)


def test_check_in_and_out_record_the_hours_capped_by_the_slot(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw)
    slot = activity.slots.get()
    signup = signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    me = actor(aw.sun_user)
    with pytest.raises(ActivityError) as err:
        signup_check_in(signup=signup, by=me, now=START - timedelta(hours=1))
    assert err.value.message == "签到时间为09:30–12:00。"
    signup_check_in(signup=signup, by=me, now=START - timedelta(minutes=20))
    with pytest.raises(ActivityError, match="已于09:40签到"):
        signup_check_in(signup=signup, by=me, now=START)
    done = signup_check_out(signup=signup, by=me, now=START + timedelta(hours=2, minutes=30))
    assert done.minutes == 120  # 09:40–12:30 capped by 10:00–12:00
    record = ServiceRecord.objects.get(source=f"signup:{signup.pk}")
    assert (record.person, record.territory, record.minutes) == (aw.sun, aw.w.c11, 120)
    assert record.title == "敬老院陪伴老人"
    assert done.record == record


def test_check_out_outside_the_window_changes_nothing(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw)
    signup = signup_create(slot=activity.slots.get(), person=aw.sun, by=actor(aw.sun_user), now=NOW)
    signup_check_in(signup=signup, by=actor(aw.sun_user), now=START)
    with pytest.raises(ActivityError, match="签退时间为09:30–13:00"):
        signup_check_out(signup=signup, by=actor(aw.sun_user), now=START + timedelta(hours=4))
    signup.refresh_from_db()
    assert signup.checked_out_at is None
    assert not ServiceRecord.objects.exists()


def test_roster_confirmation_no_show_paper_entry_and_adjustment(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=5)
    slot = activity.slots.get()
    staff = actor(aw.staff)
    sun = signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    alice = signup_create(slot=slot, person=aw.w.alice, by=actor(aw.n.alice), now=NOW)
    erin = signup_create(slot=slot, person=aw.n.erin.person, by=actor(aw.n.erin), now=NOW)
    # Only the organiser taps the roster.
    with pytest.raises(NotFoundOrForbidden):
        signup_check_in(signup=alice, by=actor(aw.n.alice), now=START, method=CheckMethod.ROSTER)
    signup_check_in(signup=sun, by=staff, now=START + timedelta(minutes=5), method=CheckMethod.ROSTER)
    with pytest.raises(ActivityError, match="时段结束后才能确认名单"):
        slot_confirm(slot=slot, by=staff, now=START + timedelta(hours=1))
    after = START + timedelta(hours=3)
    with pytest.raises(ActivityError, match="签到、签退时间应在09:30–13:00之间"):
        signup_enter_paper(
            signup=erin, checked_in_at=START - timedelta(hours=2), checked_out_at=START, by=staff, now=after
        )
    signup_mark_no_show(signup=erin, by=staff, now=after)
    counts = slot_confirm(slot=slot, by=staff, now=after)
    assert counts == {"recorded": 1, "no_show": 1}
    sun.refresh_from_db()
    alice.refresh_from_db()
    assert (sun.checked_out_at, sun.minutes) == (START + timedelta(hours=2), 115)
    assert alice.status == SignUpStatus.NO_SHOW
    # erin signed the paper sheet after all.
    erin = signup_enter_paper(
        signup=erin,
        checked_in_at=START,
        checked_out_at=START + timedelta(minutes=90),
        by=staff,
        now=after,
    )
    assert (erin.status, erin.minutes, erin.check_method) == (SignUpStatus.CONFIRMED, 90, CheckMethod.PAPER)
    # The organiser corrects sun's hours with a reason: a reversal and a replacement.
    with pytest.raises(ActivityError, match="请填写调整原因"):
        signup_adjust(signup=sun, minutes=100, reason=" ", by=staff, now=after)
    with pytest.raises(ActivityError, match="服务时长应在1到120分钟之间"):
        signup_adjust(signup=sun, minutes=500, reason="多记", by=staff, now=after)
    sun = signup_adjust(signup=sun, minutes=100, reason="提前离开", by=staff, now=after)
    assert sun.minutes == 100
    assert list(current_records(aw.sun).values_list("minutes", flat=True)) == [100]
    assert ServiceRecord.objects.filter(source=f"signup:{sun.pk}").count() == 3


def test_cancelling_an_activity_tells_everyone_signed_up(aw, outbox) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=1)
    slot = activity.slots.get()
    signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    signup_create(slot=slot, person=aw.w.alice, by=actor(aw.n.alice), now=NOW)
    with pytest.raises(ActivityError, match="请填写取消原因"):
        activity_cancel(activity=activity, reason="", by=actor(aw.staff), now=NOW)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        activity_cancel(activity=activity, reason="天气原因", by=actor(aw.staff), now=NOW)
    assert set(SignUp.objects.values_list("status", flat=True)) == {SignUpStatus.CANCELLED}
    assert Notification.objects.filter(title="活动已取消:敬老院陪伴老人").count() == 2
    assert len([m for m in outbox if "已取消" in m.text]) == 2
    with pytest.raises(ActivityError, match="该活动未在报名中"):
        signup_create(slot=slot, person=aw.n.erin.person, by=actor(aw.n.erin), now=NOW)


def test_more_places_move_the_waiting_list_up(aw) -> None:  # type: ignore[no-untyped-def]
    from tongxin.activities.services import activity_update

    activity = make_activity(aw, capacity=1)
    slot = activity.slots.get()
    signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    waiting = signup_create(slot=slot, person=aw.w.alice, by=actor(aw.n.alice), now=NOW)
    data = ActivityData(title=activity.title, category="elderly", community=aw.w.c11, venue=activity.venue)
    more = SlotData(starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=2, pk=slot.pk)
    activity_update(activity=activity, data=data, slots=[more], by=actor(aw.staff), now=NOW)
    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.CONFIRMED
    assert Notification.objects.filter(recipient=aw.n.alice, title="候补转正:敬老院陪伴老人").exists()
    # Moving a slot people signed up for is refused, nothing changes.
    later = SlotData(
        starts_at=slot.starts_at + timedelta(hours=1), ends_at=slot.ends_at, capacity=2, pk=slot.pk
    )
    with pytest.raises(ActivityError, match="已有人报名的时段不能改时间"):
        activity_update(activity=activity, data=data, slots=[later], by=actor(aw.staff), now=NOW)
    slot.refresh_from_db()
    assert slot.capacity == 2

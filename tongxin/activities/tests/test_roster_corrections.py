"""What an organiser notices on the roster and the paper sheet after hours were recorded: an
adjustment up to the slot's length, a record corrected meanwhile in the records pages, paper
times before the slot's start; and a sign-up cancelled or a volunteer checked in. Every refusal is
a message, never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import NOW, SYSTEM, add_person, make_account
from tongxin.accounts.models import Role
from tongxin.accounts.services import role_grant
from tongxin.activities.models import SignUpStatus
from tongxin.activities.services import (
    ActivityError,
    signup_adjust,
    signup_cancel,
    signup_check_in,
    signup_check_out,
    signup_create,
    signup_enter_paper,
)
from tongxin.activities.services.attendance import current_record
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balance_of
from tongxin.ledger.verify import first_violation
from tongxin.records.models import ServiceRecord
from tongxin.records.services import record_correct
from tongxin.registry.tests.conftest import verified_client
from tongxin.volunteers.services import volunteer_register

from .conftest import START, actor, make_activity

pytestmark = pytest.mark.django_db


def _paper_done_yesterday(aw):  # type: ignore[no-untyped-def]
    """孙悦 signed the paper sheet 06:05–07:35 for yesterday's 06:00–08:00 slot; entered."""
    activity = make_activity(aw, start=timezone.now() + timedelta(days=2))
    slot = activity.slots.get()
    signup = signup_create(slot=slot, person=aw.sun, by=actor(aw.sun_user), now=NOW)
    start = timezone.localtime().replace(hour=6, minute=0, second=0, microsecond=0) - timedelta(days=1)
    slot.starts_at, slot.ends_at = start, start + timedelta(hours=2)
    slot.save()
    client = verified_client(aw.staff)
    client.raise_request_exception = False
    form = {
        "paper-TOTAL_FORMS": "1",
        "paper-INITIAL_FORMS": "1",
        "paper-0-signup_id": signup.pk,
        "paper-0-checked_in": "06:05",
        "paper-0-checked_out": "07:35",
    }
    assert client.post(f"/activities/slots/{slot.pk}/paper/", form).status_code == 302
    signup.refresh_from_db()
    assert signup.minutes == 90
    return slot, signup, client, form


def _adjust(client, slot, signup, minutes, reason="提前到场布置"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/activities/slots/{slot.pk}/",
        {"action": "adjust", "signup": signup.pk, "minutes": str(minutes), "reason": reason},
        follow=True,
    )


def test_the_roster_adjusts_hours_up_to_the_slot_length(aw) -> None:  # type: ignore[no-untyped-def]
    slot, signup, client, _form = _paper_done_yesterday(aw)
    page = _adjust(client, slot, signup, 110)
    assert page.status_code == 200
    assert "服务时长已调整" in page.content.decode()
    signup.refresh_from_db()
    assert signup.minutes == 110 == signup.record.minutes
    assert (signup.record.started_at, signup.record.ended_at) == (slot.starts_at, slot.ends_at)
    assert balance_of(person=aw.sun, currency=Currency.HOURS) == 110


def test_the_roster_adjusts_a_record_corrected_in_the_records_pages(aw) -> None:  # type: ignore[no-untyped-def]
    slot, signup, client, _form = _paper_done_yesterday(aw)
    corrected = record_correct(
        record=signup.record, minutes=60, reason="按签到表", by=actor(aw.staff), now=timezone.now()
    )
    assert current_record(signup) == corrected
    # The roster shows what the record in force says.
    assert "60分钟" in client.get(f"/activities/slots/{slot.pk}/").content.decode()
    page = _adjust(client, slot, signup, 80, reason="晚走")
    assert page.status_code == 200
    assert "服务时长已调整" in page.content.decode()
    signup.refresh_from_db()
    assert signup.minutes == 80 == signup.record.minutes
    assert signup.record.replaces == corrected
    assert balance_of(person=aw.sun, currency=Currency.HOURS) == 80
    # The same minutes as the record in force: told, nothing changed.
    again = _adjust(client, slot, signup, 80, reason="晚走")
    assert "时长没有变化" in again.content.decode()
    assert first_violation() is None


def test_paper_times_before_the_slot_start_are_refused_clearly(aw) -> None:  # type: ignore[no-untyped-def]
    slot, signup, client, form = _paper_done_yesterday(aw)
    records = ServiceRecord.objects.count()
    form |= {"paper-0-checked_in": "05:35", "paper-0-checked_out": "05:50"}
    page = client.post(f"/activities/slots/{slot.pk}/paper/", form)
    assert page.status_code == 400
    assert "服务时长为0分钟" in page.content.decode()
    assert ServiceRecord.objects.count() == records
    signup.refresh_from_db()
    assert signup.minutes == 90


def test_paper_times_from_before_the_start_count_from_the_start(aw) -> None:  # type: ignore[no-untyped-def]
    slot, signup, client, form = _paper_done_yesterday(aw)
    form |= {"paper-0-checked_in": "05:40", "paper-0-checked_out": "07:00"}
    assert client.post(f"/activities/slots/{slot.pk}/paper/", form).status_code == 302
    signup.refresh_from_db()
    assert signup.minutes == 60 == signup.record.minutes
    assert signup.record.started_at == slot.starts_at


def test_the_organiser_cannot_enter_or_adjust_her_own_hours(aw) -> None:  # type: ignore[no-untyped-def]
    slot, signup, _client, _form = _paper_done_yesterday(aw)
    # 孙悦 also works for the community that organises the activity.
    role_grant(user=aw.sun_user, role=Role.COMMUNITY_STAFF, territory=aw.w.c11, by=SYSTEM, now=NOW)
    herself = actor(type(aw.sun_user).objects.get(pk=aw.sun_user.pk))
    with pytest.raises(ActivityError) as refusal:
        signup_adjust(signup=signup, minutes=110, reason="我提前到了", by=herself, now=timezone.now())
    assert "本人" in str(refusal.value.message)
    day = timezone.localtime(slot.starts_at)
    with pytest.raises(ActivityError):
        signup_enter_paper(
            signup=signup,
            checked_in_at=day,
            checked_out_at=day + timedelta(hours=2),
            by=herself,
            now=timezone.now(),
        )
    signup.refresh_from_db()
    assert signup.minutes == 90 == current_record(signup).minutes


def test_a_volunteer_checked_in_cannot_cancel_and_a_cancelled_one_earns_nothing(aw) -> None:  # type: ignore[no-untyped-def]
    activity = make_activity(aw, capacity=1, cancel_hours=0, checkin_minutes=30)
    slot = activity.slots.get()
    me = actor(aw.sun_user)
    mine = signup_create(slot=slot, person=aw.sun, by=me, now=NOW)
    other = add_person("李四", aw.w.c11, mobile="13600004444")
    volunteer_register(
        person=other,
        skills=["companion"],
        slots=["5-am"],
        communities=[aw.w.c11],
        consent=True,
        by=actor(aw.staff),
        now=NOW,
    )
    other_user = make_account("li4", (Role.RESIDENT, aw.w.c11), person=other)
    waiting = signup_create(slot=slot, person=other, by=actor(other_user), now=NOW)
    assert waiting.status == SignUpStatus.WAITLISTED
    signup_check_in(signup=mine, by=me, now=START - timedelta(minutes=20))
    with pytest.raises(ActivityError) as refusal:
        signup_cancel(signup=mine, by=me, now=START - timedelta(minutes=10))
    assert "已签到" in str(refusal.value.message)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED)
    # A sign-up cancelled some other way (its row says so) is not checked out into hours.
    type(mine).objects.filter(pk=mine.pk).update(status=SignUpStatus.CANCELLED)
    with pytest.raises(ActivityError):
        signup_check_out(signup=mine, by=actor(aw.staff), now=START + timedelta(hours=2), method="roster")
    assert not ServiceRecord.objects.filter(person=aw.sun).exists()


def test_the_roster_renews_the_qr_code_and_the_old_sheet_stops_working(aw) -> None:  # type: ignore[no-untyped-def]
    from tongxin.activities.qr import sheet_token, slot_from_token
    from tongxin.activities.services import QrInvalid

    activity = make_activity(aw, start=timezone.now() + timedelta(days=2))
    slot = activity.slots.get()
    old = sheet_token(slot)
    client = verified_client(aw.staff)
    roster = client.get(f"/activities/slots/{slot.pk}/").content.decode()
    assert 'value="renew_qr"' in roster
    assert "更换签到二维码" in roster
    page = client.post(f"/activities/slots/{slot.pk}/", {"action": "renew_qr"}, follow=True)
    assert "请重新打印签到表" in page.content.decode()
    slot.refresh_from_db()
    with pytest.raises(QrInvalid):
        slot_from_token(old, now=timezone.now())
    assert slot_from_token(sheet_token(slot), now=timezone.now())[0] == slot

"""The registry's services: what they record, and each refusal (a Chinese message, nothing changed)."""

from datetime import date, timedelta

import pytest

from conftest import NOW, SYSTEM, TODAY, add_person
from tongxin.audit.models import AuditEvent
from tongxin.care.models import (
    Basis,
    CareAssignment,
    CareEvent,
    CareReminder,
    CareSubject,
    CareVisit,
    CloseReason,
    ConsentBy,
    Kind,
)
from tongxin.care.services import (
    CareError,
    overdue_remind,
    subject_close,
    subject_update,
    visit_log,
    visitor_assign,
    visitor_unassign,
)
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.notifications.models import Notification

from .conftest import actor, register

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        CareSubject.objects.count(),
        CareAssignment.objects.count(),
        CareVisit.objects.count(),
        CareEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_register_records_the_basis_the_cadence_and_the_first_due_date(cw) -> None:  # type: ignore[no-untyped-def]
    s = cw.subject
    assert s.kinds == [Kind.ELDERLY_ALONE]
    assert s.cadence_days == 7
    assert s.due_on == TODAY + timedelta(days=7)
    assert [e.kind for e in s.events.all()] == ["register", "assign"]
    assert AuditEvent.objects.filter(
        object_type="care.caresubject", object_id=str(s.pk), action="create"
    ).exists()
    # Notes and place are stored encrypted, not in clear.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT notes, place FROM care_caresubject WHERE id = %s", [s.pk])
        notes, place = cursor.fetchone()
    assert "独居" not in notes
    assert "3号楼" not in place


def test_several_kinds_take_the_shortest_default_cadence(cw) -> None:  # type: ignore[no-untyped-def]
    p = add_person("马大爷", cw.w.c11, birth=date(1945, 1, 1))
    s = register(p, cw.w.c11, kinds=[Kind.HARDSHIP, Kind.DISABLED])
    assert s.cadence_days == 14
    assert set(s.kind_labels) == {"残疾人", "困难家庭"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kinds": []}, "请至少选择一个关爱类别"),
        ({"kinds": [3]}, "请从列表中选择关爱类别"),
        ({"basis": ""}, "请选择登记依据"),
        ({"cadence_days": 0}, "1到90之间"),
        ({"cadence_days": 91}, "1到90之间"),
        ({"cadence_days": "七"}, "1到90之间"),
        ({"consent_on": None}, "请填写同意日期"),
        ({"consent_on": TODAY + timedelta(days=1)}, "不能晚于今天"),
        ({"consent_by": ""}, "请选择由谁同意"),
        ({"consent_by": ConsentBy.GUARDIAN}, "监护人姓名"),
        ({"basis": Basis.LEGAL}, "请填写法定依据"),
        ({"notes": "很" * 1001}, "最多1000个字"),
        ({"community": None}, "请选择关爱对象所在的社区或村"),
    ],
)
def test_bad_registrations_are_refused_in_chinese_and_change_nothing(cw, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    p = add_person("孙奶奶", cw.w.c11, birth=date(1942, 1, 1))
    before = counts()
    community = kwargs.pop("community", cw.w.c11)
    with pytest.raises(CareError, match=message):
        register(p, community, **kwargs)
    assert counts() == before


def test_a_legal_basis_needs_no_consent(cw) -> None:  # type: ignore[no-untyped-def]
    p = add_person("孙奶奶", cw.w.c11, birth=date(1942, 1, 1))
    s = register(
        p, cw.w.c11, basis=Basis.LEGAL, legal_basis="民政部门认定", legal_reference="杨民〔2026〕12号"
    )
    assert s.consent_by == ""
    assert s.consent_on is None
    assert s.legal_reference == "杨民〔2026〕12号"


def test_a_child_under_14_needs_a_guardians_consent(cw) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    for kwargs in (
        {"consent_by": ConsentBy.SELF},
        {"basis": Basis.LEGAL, "legal_basis": "民政部门认定"},
    ):
        with pytest.raises(CareError, match="不满14周岁的未成年人须由监护人同意"):
            register(cw.child, cw.w.c11, kinds=[Kind.LEFT_BEHIND_CHILD], **kwargs)
    assert counts() == before
    s = register(
        cw.child,
        cw.w.c11,
        kinds=[Kind.LEFT_BEHIND_CHILD],
        consent_by=ConsentBy.GUARDIAN,
        guardian_name="周奶奶",
    )
    assert s.guardian_name == "周奶奶"
    assert s.cadence_days == 14


def test_one_active_record_per_person_and_a_new_one_after_closing(cw) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CareError, match="刘桂兰已在关爱对象名册中"):
        register(cw.granny, cw.w.c11)
    subject_close(subject=cw.subject, reason=CloseReason.MOVED, by=SYSTEM, now=NOW)
    again = register(cw.granny, cw.w.c11, now=NOW + timedelta(days=1))
    assert again.pk != cw.subject.pk
    assert again.active


def test_staff_register_only_in_their_communities_and_only_persons_they_see(cw) -> None:  # type: ignore[no-untyped-def]
    n = cw.n
    p = add_person("孙奶奶", cw.w.c11, birth=date(1942, 1, 1))
    with pytest.raises(CareError, match="只能在自己负责的社区"):
        register(p, cw.w.c11, by=actor(n.staff21))
    stranger = add_person("吴伯伯", cw.w.c21, birth=date(1942, 1, 1))
    with pytest.raises(CareError, match="找不到该人员"):
        register(stranger, cw.w.c11, by=actor(n.staff11))
    with pytest.raises(CareError, match="只能在自己负责的社区"):
        register(p, cw.w.c11, by=actor(n.grid))
    assert register(p, cw.w.c11, by=actor(n.staff11)).created_by == n.staff11


def test_update_moves_the_due_date_with_the_cadence(cw) -> None:  # type: ignore[no-untyped-def]
    s = subject_update(
        subject=cw.subject,
        kinds=[Kind.ELDERLY_ALONE, Kind.DISABLED],
        basis=Basis.CONSENT,
        consent_by=ConsentBy.SELF,
        consent_on=TODAY,
        cadence_days=3,
        place="3号楼202",
        by=actor(cw.n.staff11),
        now=NOW,
    )
    assert s.due_on == TODAY + timedelta(days=3)
    assert s.place == "3号楼202"
    assert set(s.events.last().detail["fields"]) == {"cadence_days", "kind_bits", "place", "notes"}
    with pytest.raises(NotFoundOrForbidden):
        subject_update(
            subject=cw.subject,
            kinds=[1],
            basis=Basis.CONSENT,
            consent_by=ConsentBy.SELF,
            consent_on=TODAY,
            by=actor(cw.n.staff21),
            now=NOW,
        )


def test_close_needs_a_reason_and_ends_the_assignments(cw) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(CareError, match="请选择销册原因"):
        subject_close(subject=cw.subject, reason="", by=SYSTEM, now=NOW)
    with pytest.raises(CareError, match="写明销册原因"):
        subject_close(subject=cw.subject, reason=CloseReason.OTHER, by=SYSTEM, now=NOW)
    assert counts() == before
    s = subject_close(subject=cw.subject, reason=CloseReason.DECEASED, by=actor(cw.n.staff11), now=NOW)
    assert not s.active
    assert s.closed_at == NOW
    assert CareAssignment.objects.get(subject=s).until == TODAY
    with pytest.raises(CareError, match="已销册"):
        subject_close(subject=s, reason=CloseReason.DECEASED, by=SYSTEM, now=NOW)
    with pytest.raises(CareError, match="已销册"):
        visit_log(
            subject=s, visitor=cw.w.alice, visited_at=NOW, way="home", condition="good", by=SYSTEM, now=NOW
        )


def test_assign_tells_the_visitor_without_naming_the_subject(cw) -> None:  # type: ignore[no-untyped-def]
    a = visitor_assign(subject=cw.subject, visitor=cw.n.erin.person, by=actor(cw.n.staff11), now=NOW)
    assert a.since == TODAY
    assert a.until is None
    note = Notification.objects.get(recipient=cw.n.erin)
    assert "刘桂兰" not in note.title + note.body
    assert note.url == "/care/m/"


@pytest.mark.parametrize("who", ["resident", "self", "twice", "stranger"])
def test_bad_assignments_are_refused(cw, who) -> None:  # type: ignore[no-untyped-def]
    n = cw.n
    visitor, message = {
        "resident": (n.fang, "走访人须是党员或登记的志愿者"),
        "self": (cw.granny, "本人不能做自己的走访人"),
        "twice": (cw.w.alice, "王秀英已经是该对象的走访人"),
        "stranger": (cw.w.bob, "找不到该走访人"),  # a member of another street
    }[who]
    before = counts()
    with pytest.raises(CareError, match=message):
        visitor_assign(subject=cw.subject, visitor=visitor, by=actor(n.staff11), now=NOW)
    assert counts() == before


def test_unassign_ends_today_and_once(cw) -> None:  # type: ignore[no-untyped-def]
    a = CareAssignment.objects.get(subject=cw.subject)
    visitor_unassign(assignment=a, by=actor(cw.n.staff11), now=NOW)
    a.refresh_from_db()
    assert a.until == TODAY
    with pytest.raises(CareError, match="该指派已经结束"):
        visitor_unassign(assignment=a, by=actor(cw.n.staff11), now=NOW)
    with pytest.raises(NotFoundOrForbidden):
        visit_log(
            subject=cw.subject,
            visitor=cw.w.alice,
            visited_at=NOW,
            way="home",
            condition="good",
            by=actor(cw.n.alice),
            now=NOW,
        )


def log(cw, who, **kwargs):  # type: ignore[no-untyped-def]
    defaults = {"visited_at": NOW, "way": "home", "condition": "good", "now": NOW}
    defaults.update(kwargs)
    visitor = defaults.pop("visitor", cw.w.alice)
    return visit_log(subject=cw.subject, visitor=visitor, by=actor(who), **defaults)


def test_the_assigned_visitor_logs_a_visit_and_the_due_date_moves(cw) -> None:  # type: ignore[no-untyped-def]
    later = NOW + timedelta(days=3)
    v = log(cw, cw.n.alice, visited_at=later, now=later, notes="精神不错,冰箱有菜。", follow_up=True)
    cw.subject.refresh_from_db()
    assert cw.subject.last_visited_at == later
    assert cw.subject.due_on == TODAY + timedelta(days=10)
    assert v.notes == "精神不错,冰箱有菜。"
    assert v.recorded_by == cw.n.alice
    # A paper record of an earlier visit does not move the date back.
    log(cw, cw.n.staff11, visited_at=NOW + timedelta(days=1), now=later)
    cw.subject.refresh_from_db()
    assert cw.subject.due_on == TODAY + timedelta(days=10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"visited_at": NOW + timedelta(hours=1)}, "不能晚于现在"),
        ({"visited_at": NOW - timedelta(days=1)}, "不能早于登记日期"),
        ({"way": "letter"}, "请选择走访方式"),
        ({"condition": ""}, "请选择对象的情况"),
        ({"notes": "好" * 501}, "最多500个字"),
    ],
)
def test_bad_visits_are_refused_and_change_nothing(cw, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    before = counts()
    with pytest.raises(CareError, match=message):
        log(cw, cw.n.alice, **kwargs)
    assert counts() == before


def test_who_may_log_a_visit(cw) -> None:  # type: ignore[no-untyped-def]
    n = cw.n
    with pytest.raises(NotFoundOrForbidden):  # a member not assigned: the subject does not exist for her
        log(cw, n.erin, visitor=n.erin.person)
    with pytest.raises(CareError, match="只能登记您本人的走访"):
        log(cw, n.alice, visitor=n.erin.person)
    with pytest.raises(CareError, match="走访人须是该对象的走访人或您本人"):
        log(cw, n.staff11, visitor=n.erin.person)
    with pytest.raises(NotFoundOrForbidden):
        log(cw, n.staff21)
    assert log(cw, n.street1).visitor == cw.w.alice  # staff above, for the assigned visitor


def test_an_urgent_condition_tells_the_community_staff(cw) -> None:  # type: ignore[no-untyped-def]
    log(cw, cw.n.alice, condition="urgent", notes="摔倒了,腿疼。")
    note = Notification.objects.get(recipient=cw.n.staff11)
    assert "摔倒" not in note.title + note.body
    assert note.url == f"/care/{cw.subject.pk}/"
    assert not Notification.objects.filter(recipient=cw.n.staff21).exists()


def test_the_daily_reminder_is_sent_once_a_day_and_names_nobody(  # type: ignore[no-untyped-def]
    cw, outbox, django_capture_on_commit_callbacks
) -> None:
    day8 = NOW + timedelta(days=8)
    assert overdue_remind(now=NOW + timedelta(days=7)) == 0  # due today: not yet overdue
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_remind(now=day8) == 1
        assert overdue_remind(now=day8 + timedelta(hours=3)) == 0
    note = Notification.objects.filter(recipient=cw.n.alice).first()
    assert note.title == "有1位关爱对象到了走访时间"
    assert "刘桂兰" not in note.body
    assert CareReminder.objects.get().day == TODAY + timedelta(days=8)
    assert [m.text for m in outbox] == ["【同心】您有1位关爱对象已到走访时间,请在“我的走访”中查看。"]
    assert overdue_remind(now=day8 + timedelta(days=1)) == 1  # the next day, again

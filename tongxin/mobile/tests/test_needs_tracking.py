"""我的诉求 on the phone: the list, a need's page with its public timeline and photos, and the
resident's own steps (withdraw, rate, reopen, consent), each refused with a clear message and
nothing changed when it does not apply; someone else's need is the same 404 as a missing one."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from conftest import NOW
from tongxin.needs.models import EventKind, Need, NeedEvent, NeedPhoto, Status
from tongxin.needs.services import need_accept, need_claim, need_resolve, need_start
from tongxin.needs.tests.conftest import actor, submit
from tongxin.registry.tests.conftest import without_csrf

from .test_needs_intake import client_for, png

pytestmark = pytest.mark.django_db


def resolved(nw: Any, **kwargs: Any) -> Need:
    need = submit(nw, **kwargs)
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_claim(need=need, by=actor(nw.alice), now=NOW)
    need_start(need=need, by=actor(nw.alice), now=NOW)
    return need_resolve(need=need, result="已经换了新的灯泡,楼道亮了。", by=actor(nw.alice), now=NOW)


def snapshot(need: Need) -> tuple[Any, ...]:
    need = Need.objects.get(pk=need.pk)
    return (need.status, need.rating, need.comment, need.story_consent_at, need.events.count())


def test_my_needs_newest_first_with_status_in_words_and_colour_and_pages(nw) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        submit(nw, text=f"第{i}件事:小区门口的路灯坏了,晚上看不清路。", place=f"{i}号楼")
    submit(nw, by=nw.other_resident, text="别人的事:垃圾房太臭了")
    first = Need.objects.filter(person=nw.fang).order_by("-submitted_at", "-pk").first()
    need_accept(need=first, by=actor(nw.staff11), now=NOW)
    client = client_for(nw.resident)
    html = client.get("/m/needs/").content.decode()
    assert html.index("第11件事") < html.index("第10件事")
    assert "第1件事" not in html  # on the second page
    assert "别人的事" not in html
    assert 'm-status m-status-wait">已受理' in html
    assert 'm-status m-status-wait">待受理' in html
    assert "第1/2页" in html
    second = client.get("/m/needs/?page=2").content.decode()
    assert "第1件事" in second
    assert "第0件事" in second


def test_an_empty_list_says_what_to_do(nw) -> None:  # type: ignore[no-untyped-def]
    html = client_for(nw.resident).get("/m/needs/").content.decode()
    assert "您还没有反映过诉求" in html


def test_her_need_shows_the_public_timeline_the_result_and_the_photos(nw) -> None:  # type: ignore[no-untyped-def]
    need = resolved(nw, photos=[png()])
    client = client_for(nw.resident)
    html = client.get(f"/m/needs/{need.pk}/").content.decode()
    for shown in ("已办结", "已经换了新的灯泡", "提交", "受理", "认领", "开始办理", "办结", "请您评价"):
        assert shown in html, shown
    photo = NeedPhoto.objects.get(need=need)
    assert f'src="/m/photos/{photo.pk}/"' in html
    response = client.get(f"/m/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8"
    assert "private" in response["Cache-Control"]


def test_internal_notes_stay_off_her_timeline(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    NeedEvent.objects.create(
        need=need,
        at=NOW,
        kind=EventKind.ACCEPT,
        to_status=Status.SUBMITTED,
        note="内部备注:此人常投诉",
        public=False,
    )
    html = client_for(nw.resident).get(f"/m/needs/{need.pk}/").content.decode()
    assert "内部备注" not in html


def test_someone_elses_need_and_photo_are_the_same_404_as_missing_ones(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw, photos=[png()])
    photo = NeedPhoto.objects.get(need=need)
    other = client_for(nw.other_resident)
    theirs = other.get(f"/m/needs/{need.pk}/")
    missing = other.get("/m/needs/999999/")
    assert theirs.status_code == missing.status_code == 404
    # The pages differ only in the path they were asked for (the language switch returns there).
    theirs_html = without_csrf(theirs.content.decode()).replace(f"/m/needs/{need.pk}/", "/m/needs/N/")
    assert theirs_html == without_csrf(missing.content.decode()).replace("/m/needs/999999/", "/m/needs/N/")
    assert other.get(f"/m/photos/{photo.pk}/").status_code == 404
    assert other.get("/m/photos/999999/").status_code == 404
    before = snapshot(need)
    for action, data in (("withdraw", {}), ("rate", {"rating": "5"}), ("consent", {"consent": "1"})):
        assert other.post(f"/m/needs/{need.pk}/{action}/", data).status_code == 404
    assert snapshot(need) == before


def test_she_withdraws_after_confirming(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    client = client_for(nw.resident)
    confirm = client.get(f"/m/needs/{need.pk}/withdraw/").content.decode()
    assert "确定要撤回吗?" in confirm
    assert Need.objects.get(pk=need.pk).status == Status.SUBMITTED  # asking changed nothing
    response = client.post(f"/m/needs/{need.pk}/withdraw/", {"reason": "已经自己修好了"})
    assert response["Location"] == f"/m/needs/{need.pk}/"
    assert Need.objects.get(pk=need.pk).status == Status.WITHDRAWN
    html = client.get(response["Location"]).content.decode()
    assert "已撤回" in html
    assert "撤回这条诉求" not in html


def test_a_step_not_allowed_now_is_refused_with_a_message_and_changes_nothing(nw) -> None:  # type: ignore[no-untyped-def]
    need = resolved(nw)
    client = client_for(nw.resident)
    before = snapshot(need)
    page = client.post(f"/m/needs/{need.pk}/withdraw/", follow=True).content.decode()
    assert "该诉求当前状态为“已办结”,不能撤回。" in page
    page = client.post(f"/m/needs/{need.pk}/reopen/", follow=True).content.decode()
    assert "该诉求当前状态为“已办结”,不能重新办理。" in page
    assert snapshot(need) == before
    fresh = submit(nw)
    before = snapshot(fresh)
    page = client.post(f"/m/needs/{fresh.pk}/rate/", {"rating": "5"}, follow=True).content.decode()
    assert "该诉求当前状态为“待受理”,不能回访。" in page
    assert snapshot(fresh) == before


@pytest.mark.parametrize("rating", ["", "0", "6", "五"])
def test_a_rating_must_be_one_to_five_stars(nw, rating) -> None:  # type: ignore[no-untyped-def]
    need = resolved(nw)
    before = snapshot(need)
    html = client_for(nw.resident).post(f"/m/needs/{need.pk}/rate/", {"rating": rating}).content.decode()
    assert "请点星星打分(1到5星)。" in html
    assert 'id="id_rating-error"' in html
    assert snapshot(need) == before


def test_she_rates_with_stars_and_a_comment(nw) -> None:  # type: ignore[no-untyped-def]
    need = resolved(nw)
    client = client_for(nw.resident)
    html = client.get(f"/m/needs/{need.pk}/").content.decode()
    assert html.count('class="m-star-input"') == 5
    client.post(f"/m/needs/{need.pk}/rate/", {"rating": "5", "comment": "谢谢党员同志!"})
    need.refresh_from_db()
    assert (need.status, need.rating, need.comment) == (Status.VISITED, 5, "谢谢党员同志!")
    html = client.get(f"/m/needs/{need.pk}/").content.decode()
    assert "谢谢党员同志!" in html
    assert "请社区重新办理" not in html  # satisfied: no reopening


def test_unsatisfied_she_asks_for_it_to_be_handled_again(nw) -> None:  # type: ignore[no-untyped-def]
    need = resolved(nw)
    client = client_for(nw.resident)
    client.post(f"/m/needs/{need.pk}/rate/", {"rating": "2", "comment": "灯还是不亮"})
    html = client.get(f"/m/needs/{need.pk}/").content.decode()
    assert "请社区重新办理" in html
    client.post(f"/m/needs/{need.pk}/reopen/")
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED
    assert need.rating is None


def test_a_satisfied_rating_cannot_reopen(nw) -> None:  # type: ignore[no-untyped-def]
    need = resolved(nw)
    client = client_for(nw.resident)
    client.post(f"/m/needs/{need.pk}/rate/", {"rating": "4"})
    before = snapshot(need)
    page = client.post(f"/m/needs/{need.pk}/reopen/", follow=True).content.decode()
    assert "只有不满意(1–2星)的评价可以重新办理。" in page
    assert snapshot(need) == before


def test_she_agrees_to_a_public_story_and_may_take_it_back(nw) -> None:  # type: ignore[no-untyped-def]
    need = resolved(nw)
    client = client_for(nw.resident)
    html = client.get(f"/m/needs/{need.pk}/").content.decode()
    assert "愿意分享这件事吗?" in html
    assert "不同意完全不影响办理" in html
    client.post(f"/m/needs/{need.pk}/consent/", {"consent": "1"})
    need.refresh_from_db()
    assert need.story_consent_at is not None
    assert "收回同意" in client.get(f"/m/needs/{need.pk}/").content.decode()
    client.post(f"/m/needs/{need.pk}/consent/", {"consent": "0"})
    need.refresh_from_db()
    assert need.story_consent_at is None


def test_the_pages_ask_a_stranger_to_log_in(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw)
    for path in ("/m/needs/", f"/m/needs/{need.pk}/", "/m/help/", "/m/help/mine/", "/m/inbox/"):
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/m/login/"), path
    assert NOW - timedelta(days=1) < need.submitted_at

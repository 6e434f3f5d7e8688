"""Members and volunteers helping on the phone (claimable list with masked phones, claim, the later claimer
thanked, start, resolve with a result and photos) and the grid worker's quick report."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import NOW
from tongxin.accounts.models import Role
from tongxin.needs.models import Channel, Need, NeedPhoto, PhotoStage, Status
from tongxin.needs.services import need_accept
from tongxin.needs.tests.conftest import actor, submit
from tongxin.registry.tests.conftest import verified_client
from tongxin.volunteers.services import volunteer_register

from .test_needs_intake import LAMP, client_for, png

pytestmark = pytest.mark.django_db


def open_need(nw: Any, **kwargs: Any) -> Need:
    need = submit(nw, **kwargs)
    return need_accept(need=need, by=actor(nw.staff11), now=NOW)


def test_a_member_sees_claimable_needs_with_the_phone_masked(nw) -> None:  # type: ignore[no-untyped-def]
    need = open_need(nw)
    open_need(nw, category="elderly", text="独居老人想请人陪着去医院复查")  # sensitive: not offered
    html = client_for(nw.alice).get("/m/help/").content.decode()
    assert "3号楼楼道灯坏了" in html
    assert "136****2222" in html
    assert "13611112222" not in html
    assert "独居老人" not in html
    assert f'action="/m/needs/{need.pk}/claim/"' in html
    detail = client_for(nw.alice).get(f"/m/needs/{need.pk}/").content.decode()
    assert "136****2222" in detail
    assert "13611112222" not in detail
    assert "认领后显示完整号码" in detail


def test_a_member_elsewhere_or_a_resident_sees_nothing_to_claim(nw) -> None:  # type: ignore[no-untyped-def]
    need = open_need(nw)
    assert "现在没有等人认领的诉求" in client_for(nw.bob).get("/m/help/").content.decode()
    assert client_for(nw.bob).get(f"/m/needs/{need.pk}/").status_code == 404
    response = client_for(nw.bob).post(f"/m/needs/{need.pk}/claim/")
    assert response.status_code == 404
    assert Need.objects.get(pk=need.pk).status == Status.ACCEPTED


def test_the_home_page_offers_helping_to_members_and_volunteers(nw) -> None:  # type: ignore[no-untyped-def]
    home = client_for(nw.alice).get("/m/").content.decode()
    assert "可认领的诉求" in home
    assert 'href="/matching/me/"' in home  # her skills and free times, for matching
    assert "可认领的诉求" not in client_for(nw.other_resident).get("/m/").content.decode()

    # dave registers as a volunteer: the tile appears, and he claims on the phone.
    volunteer_register(
        person=nw.w.dave,
        skills=["repair"],
        slots=["6-am"],
        communities=[nw.w.c11],
        consent=True,
        by=actor(nw.other_resident),
        now=NOW,
    )
    need = open_need(nw)
    dave = client_for(nw.other_resident)
    assert "可认领的诉求" in dave.get("/m/").content.decode()
    assert "3号楼楼道灯坏了" in dave.get("/m/help/").content.decode()
    assert dave.post(f"/m/needs/{need.pk}/claim/").status_code == 302
    need.refresh_from_db()
    assert (need.status, need.assigned_person_id) == (Status.CLAIMED, nw.w.dave.pk)


def test_she_claims_sees_the_phone_starts_and_resolves_with_a_photo(nw) -> None:  # type: ignore[no-untyped-def]
    need = open_need(nw)
    client = client_for(nw.alice)
    response = client.post(f"/m/needs/{need.pk}/claim/")
    assert response["Location"] == f"/m/needs/{need.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "认领成功" in html
    assert 'href="tel:13611112222"' in html
    assert "开始办理" in html
    assert f"/m/needs/{need.pk}/" in client.get("/m/help/mine/").content.decode()
    client.post(f"/m/needs/{need.pk}/start/")
    assert Need.objects.get(pk=need.pk).status == Status.IN_PROGRESS

    # Bad result: nothing changes, the message is at the field.
    html = client.post(f"/m/needs/{need.pk}/resolve/", {"result": "  "}).content.decode()
    assert "请填写内容。" in html
    fake = SimpleUploadedFile("result.jpg", b"not a picture", content_type="image/jpeg")
    html = client.post(
        f"/m/needs/{need.pk}/resolve/", {"result": "修好了", "photos": [png(), fake]}
    ).content.decode()
    assert "第2张不是可识别的图片" in html
    assert "请重新选择" in html
    assert "修好了" in html
    assert Need.objects.get(pk=need.pk).status == Status.IN_PROGRESS
    assert NeedPhoto.objects.count() == 0
    client.post(f"/m/needs/{need.pk}/resolve/", {"result": "换了灯泡,楼道亮了。", "photos": [png()]})
    need.refresh_from_db()
    assert need.status == Status.RESOLVED
    assert need.resolution == "换了灯泡,楼道亮了。"
    assert NeedPhoto.objects.filter(need=need, stage=PhotoStage.RESOLVE).count() == 1


def test_the_later_of_two_claimers_is_thanked_politely(nw) -> None:  # type: ignore[no-untyped-def]
    need = open_need(nw)
    first, second = client_for(nw.alice), client_for(nw.erin)
    assert f"/m/needs/{need.pk}/claim/" in second.get("/m/help/").content.decode()
    first.post(f"/m/needs/{need.pk}/claim/")
    response = second.post(f"/m/needs/{need.pk}/claim/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/m/help/"
    assert "该诉求刚刚已被他人认领,感谢您的热心!" in html
    need.refresh_from_db()
    assert need.assigned_person_id == nw.w.alice.pk


def test_a_handler_step_not_allowed_now_is_refused_and_changes_nothing(nw) -> None:  # type: ignore[no-untyped-def]
    need = open_need(nw)
    client = client_for(nw.alice)
    client.post(f"/m/needs/{need.pk}/claim/")
    page = client.post(f"/m/needs/{need.pk}/resolve/", {"result": "好了"}, follow=True).content.decode()
    assert "该诉求当前状态为“已认领”,不能办结。" in page
    assert Need.objects.get(pk=need.pk).status == Status.CLAIMED
    # The resident may not start her own need.
    assert client_for(nw.resident).post(f"/m/needs/{need.pk}/start/", follow=True).status_code == 200
    assert Need.objects.get(pk=need.pk).status == Status.CLAIMED


def grid_client(nw: Any) -> Client:
    return verified_client(nw.grid)


def test_only_grid_workers_have_the_quick_report(nw) -> None:  # type: ignore[no-untyped-def]
    assert client_for(nw.resident).get("/m/grid/report/").status_code == 404
    html = grid_client(nw).get("/m/grid/report/").content.decode()
    assert "网格员随手报" in html
    assert "selected>杨树浦社区</option>" in html
    assert "发现了什么问题?" in html


def test_a_grid_worker_reports_for_a_resident(nw) -> None:  # type: ignore[no-untyped-def]
    client = grid_client(nw)
    response = client.post(
        "/m/grid/report/",
        {
            "community": str(nw.w.c11.pk),
            "place": "5号楼门口",
            "text": "5号楼门口的井盖松了,踩上去晃,怕有人掉下去",
            "caller_name": "刘阿姨",
            "caller_phone": "13500002222",
            "urgent": "on",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.channel == Channel.GRID
    assert need.community_id == nw.w.c11.pk
    assert (need.caller_name, need.caller_phone, need.urgent) == ("刘阿姨", "13500002222", True)
    assert need.category_id  # suggested, since none was chosen
    assert "已上报" in client.get(response["Location"]).content.decode()


def test_a_grid_worker_reports_what_they_saw_themself(nw) -> None:  # type: ignore[no-untyped-def]
    grid_client(nw).post(
        "/m/grid/report/", {"community": str(nw.w.c11.pk), "text": LAMP, "category": "facility"}
    )
    need = Need.objects.get()
    assert need.channel == Channel.GRID
    assert need.caller_name == "grid111"  # no person behind the account: its name, to answer


def test_a_grid_report_outside_the_grid_or_empty_is_refused(nw) -> None:  # type: ignore[no-untyped-def]
    client = grid_client(nw)
    html = client.post("/m/grid/report/", {"community": str(nw.w.c21.pk), "text": LAMP}).content.decode()
    assert "选择一个有效的选项" in html
    html = client.post("/m/grid/report/", {"community": str(nw.w.c11.pk), "text": ""}).content.decode()
    assert "请填写内容。" in html
    assert Need.objects.count() == 0
    assert Role.GRID_WORKER


def test_a_member_is_not_offered_her_own_need_on_its_page(nw) -> None:  # type: ignore[no-untyped-def]
    need = open_need(nw, by=nw.alice, text="我家楼下的路灯坏了三天了,晚上很黑")
    html = client_for(nw.alice).get(f"/m/needs/{need.pk}/").content.decode()
    assert "我来认领" not in html
    assert "撤回这条诉求" in html

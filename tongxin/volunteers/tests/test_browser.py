"""Staff in a real browser: the volunteer list with its filters, a volunteer's page, a team with
its members, then the records: the correction queue (refuse with a reason) and the offline entry
with the person search. Screenshots go to test-artifacts/screenshots/volunteers-staff-*.png;
axe-core checks every screen."""

import pytest

from conftest import NOW, Walk, staff_login
from tongxin.accounts.services import totp_device_create
from tongxin.records.models import CorrectionRequest, CorrectionStatus, ServiceRecord
from tongxin.records.services import correction_request
from tongxin.records.tests.conftest import record

from .conftest import actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("volunteers-staff-",)


def test_staff_volunteers_teams_and_records(live_server, vw, browser) -> None:  # type: ignore[no-untyped-def]
    n = vw.n
    r = record(vw, minutes=90)
    correction_request(
        record=r, by_person=n.fang, reason="我11点才离开", proposed_minutes=120, by=actor(n.resident), now=NOW
    )
    device = totp_device_create(user=n.staff11, confirmed=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    walk = Walk(page, "volunteers-staff-")
    page.goto(f"{live_server.url}/accounts/login/")
    staff_login(page, "staff11", device)

    page.goto(f"{live_server.url}/volunteers/")
    assert page.get_by_role("link", name=vw.fang.code).is_visible()
    walk.look("list")
    page.get_by_label("专长").select_option("repair")
    page.get_by_role("button", name="筛选").click()
    assert page.get_by_role("link", name=vw.alice.code).is_visible()
    assert page.get_by_role("link", name=vw.fang.code).count() == 0
    walk.look("list-filtered")
    page.get_by_role("link", name=vw.alice.code).click()
    walk.look("detail")

    page.goto(f"{live_server.url}/volunteers/teams/{vw.team.pk}/")
    assert page.get_by_text("方兰").is_visible()
    walk.look("team")

    page.goto(f"{live_server.url}/records/corrections/")
    assert page.get_by_text("我11点才离开").is_visible()
    page.get_by_role("button", name="不予更正").click()
    assert page.get_by_text("请填写处理意见").is_visible()
    page.get_by_label("意见(不予更正时必填)").fill("签到表显示10:30签退")
    page.get_by_role("button", name="不予更正").click()
    assert CorrectionRequest.objects.get().status == CorrectionStatus.REFUSED
    page.goto(f"{live_server.url}/records/corrections/?status=refused")
    walk.look("corrections-refused")

    page.goto(f"{live_server.url}/records/new/")
    page.get_by_label("查找志愿者(姓名或手机号)").fill("王秀")
    page.get_by_role("link", name="王秀英").click()
    page.get_by_label("组织方").select_option(label=vw.team.name)
    page.get_by_label("服务内容").fill("垃圾分类宣传")
    page.get_by_label("服务日期").fill("2026-11-20")
    page.get_by_label("开始时间").fill("09:00")
    page.get_by_label("结束时间").fill("11:00")
    page.get_by_label("服务时长(分钟)").fill("120")
    walk.look("entry")
    page.get_by_role("button", name="保存记录").click()
    assert ServiceRecord.objects.filter(person=vw.w.alice, title="垃圾分类宣传").exists()
    walk.look("entry-saved")
    context.close()
    assert walk.faults == []

"""A community secretary imports her branch's members in a real browser: a file with mistakes
first, the report read on screen, then the corrected file. Screenshots go to
test-artifacts/screenshots/ (prefix import-); axe-core checks every screen."""

from datetime import date

import pytest

from conftest import Walk, make_account, new_id_number, staff_login
from tongxin.accounts.models import Role
from tongxin.accounts.services import totp_device_create
from tongxin.people.models import Membership

from .conftest import member_row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("import-",)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_community_secretary_imports_a_file_with_errors_then_the_corrected_file(
    live_server, world, browser
) -> None:
    user = make_account("li.juan", (Role.COMMUNITY_STAFF, world.c11))
    user.first_name = "李娟"
    user.save(update_fields=["first_name"])
    device = totp_device_create(user=user, confirmed=True)
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    walk = Walk(page, "import-")

    page.goto(f"{live_server.url}/imports/members/")
    page.wait_for_url("**/accounts/login/**")
    staff_login(page, "li.juan", device)
    page.wait_for_url("**/imports/members/")
    assert page.get_by_role("heading", name="导入党员").is_visible()
    assert page.get_by_role("link", name="下载导入模板").is_visible()
    assert page.get_by_text("您还没有导入过文件。").is_visible()
    walk.look("upload")

    numbers = [new_id_number(date(1985, 4, n)) for n in (1, 2, 3)]
    good = member_row(world, 姓名="赵桂兰", 身份证号=numbers[0])
    wrong = [
        good,
        member_row(world, 姓名="钱进", 身份证号=numbers[1], 入党日期="2019-07-01", 转正日期="2018-07-01"),
        member_row(
            world, 姓名="孙丽", 身份证号=numbers[2], 党员状态="预备党员", 所在党组织编码=world.b21.code
        ),
    ]
    wrong[2][1] = 3.10110198504030e17  # the ID column left as a number
    page.get_by_label("Excel文件(.xlsx)").set_input_files(
        files=[{"name": "杨树浦党员.xlsx", "mimeType": XLSX, "buffer": xlsx(wrong)}]
    )
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("heading", name="文件中有错误,没有导入任何数据").wait_for()
    problems = page.get_by_role("table").inner_text()
    assert "第 3 行\t转正日期\t转正日期不能早于入党日期。" in problems
    assert "身份证号被Excel存成了数字" in problems
    assert "党组织编码“D020101”不存在或无权操作。" in problems
    assert page.get_by_role("link", name="下载错误报告(带“错误说明”列)").is_visible()
    assert Membership.objects.filter(organization=world.b11).count() == 1
    walk.look("report")

    fixed = [
        good,
        wrong[1][:],
        member_row(world, 姓名="孙丽", 身份证号=numbers[2], 党员状态="预备党员", 转正日期=""),
        member_row(world, 姓名="王秀英", 身份证号=world.alice.id_number, 学历="高中", 手机号=""),
    ]
    fixed[1][6] = "2020年7月1日"
    page.get_by_role("link", name="上传新文件").click()
    page.get_by_label("Excel文件(.xlsx)").set_input_files(
        files=[{"name": "杨树浦党员-改.xlsx", "mimeType": XLSX, "buffer": xlsx(fixed)}]
    )
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("heading", name="导入完成").wait_for()
    assert "共 4 行:新增 3,更新 1,未变 0。" in page.get_by_role("status").last.inner_text()
    assert Membership.objects.filter(organization=world.b11).count() == 4
    updated = page.get_by_role("region", name="更新的行").get_by_role("row").last.inner_text()
    assert updated.split() == ["第", "5", "行", "王秀英", "学历"]
    walk.look("done")

    page.get_by_role("link", name="上传新文件").click()
    jobs = page.get_by_role("region", name="我最近的导入")
    assert "有错误,未导入" in jobs.inner_text()
    assert "已完成" in jobs.inner_text()
    walk.look("recent")
    assert not walk.faults, "\n".join(walk.faults)

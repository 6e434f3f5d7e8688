"""A street staff member's first morning, in a real browser: log in with password and TOTP, browse
both trees, open a resident, reveal her ID number (and find the reveal in the audit log), and read
the 工作台's coverage and branch warnings. Screenshots go to test-artifacts/screenshots/ for a
person to look at; axe-core checks every screen for serious accessibility faults."""

import pytest

from conftest import SHOTS, SYSTEM, TEST_PASSWORD, Walk, make_account, new_credit_code, staff_login
from tongxin.accounts.models import Role
from tongxin.accounts.second_factor import current_totp_code
from tongxin.accounts.services import totp_device_create
from tongxin.audit.models import AuditAction, AuditEvent, AuditResult
from tongxin.core.masking import mask_id_number
from tongxin.units.services import unit_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect = pytest.importorskip("playwright.sync_api").expect

SCREENSHOT_PREFIXES = ("desktop-", "phone-", "auditor-")


def test_street_staff_walkthrough(live_server, world, browser) -> None:  # type: ignore[no-untyped-def]
    # A second unit in 定海路街道, this one without a party organisation, so coverage is not 100%.
    unit_create(
        name="复兴岛物流有限公司",
        credit_code=new_credit_code(),
        kind="private_enterprise",
        territory=world.c12,
        by=SYSTEM,
    )
    user = make_account("zhou.min", (Role.STREET_STAFF, world.street1))
    user.first_name = "周敏"
    user.save(update_fields=["first_name"])
    device = totp_device_create(user=user, confirmed=True)

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    walk = Walk(page, "desktop-")

    # Log in: password, then the code the phone app would show.
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/accounts/login/**")
    walk.look("login")
    page.get_by_label("用户名").fill("zhou.min")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/second-factor/**")
    walk.look("second-factor")
    page.get_by_label("验证码").fill(current_totp_code(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")

    # 工作台: coverage per community and the branch warning to act on.
    heading = page.get_by_role("heading", name="驻区单位党组织覆盖率")
    assert heading.is_visible()
    coverage = page.locator("section", has=heading)
    assert "50.0%" in coverage.inner_text()  # 1 of 2 units in the street has a party organisation
    assert coverage.locator("svg").count() >= 1  # ECharts drew the bar chart
    warnings = page.locator("section", has=page.get_by_role("heading", name="党支部设置提醒"))
    assert "杨树浦社区第一党支部" in warnings.inner_text()
    assert "不足3人" in warnings.inner_text()
    walk.look("home")

    # 属地: the street, then a community with its unit.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="属地").click()
    page.wait_for_url(f"**/territory/{world.street1.pk}/")
    assert page.get_by_role("heading", name="定海路街道").is_visible()
    walk.look("territory-street")
    page.locator("#main").get_by_role("link", name="杨树浦社区", exact=True).click()
    page.wait_for_url(f"**/territory/{world.c11.pk}/")
    assert page.locator("#main").get_by_role("link", name="示范电力公司", exact=True).is_visible()
    assert page.get_by_role("navigation", name="位置").get_by_role("link", name="定海路街道").is_visible()
    walk.look("territory-community")

    # Register a resident with a mistyped ID number: the message appears as soon as the field is
    # left, and a submit saves nothing and keeps what was typed.
    page.get_by_role("link", name="登记人员").click()
    page.wait_for_url("**/persons/new/?territory=*")
    page.get_by_label("姓名").fill("赵桂兰")
    page.get_by_label("身份证号").fill("310110198001010015")
    page.get_by_label("手机号").focus()  # leaving the field fires `change`
    page.get_by_text("身份证号校验位不正确").wait_for()
    walk.look("person-form-inline-check")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("没有保存").wait_for()
    assert page.get_by_label("姓名").input_value() == "赵桂兰"
    assert page.get_by_label("身份证号").input_value() == "310110198001010015"
    walk.look("person-form-refused")

    # 党组织: from the street's working committee down to the branch and its members.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="党组织").click()
    page.wait_for_url("**/orgs/")
    walk.look("orgs")
    page.locator("#main").get_by_role("link", name="定海路街道党工委", exact=True).click()
    page.locator("#main").get_by_role("link", name="杨树浦社区党委", exact=True).click()
    page.locator("#main").get_by_role("link", name="杨树浦社区第一党支部", exact=True).click()
    page.wait_for_url(f"**/orgs/{world.b11.pk}/")
    assert page.locator("#main").get_by_role("link", name="王秀英", exact=True).is_visible()
    walk.look("org-branch")

    # 人员: the resident, masked; reveal the ID number; the reveal is in the audit log.
    page.locator("#main").get_by_role("link", name="王秀英", exact=True).click()
    page.wait_for_url(f"**/persons/{world.alice.pk}/")
    id_cell = page.locator("#reveal-id_number")
    assert id_cell.inner_text().startswith(mask_id_number(world.alice.id_number))
    assert world.alice.id_number not in page.content()
    walk.look("person-masked")
    id_cell.get_by_role("button", name="显示").click()
    clear = page.get_by_test_id("clear-id_number")
    clear.wait_for()
    assert clear.inner_text() == world.alice.id_number
    walk.look("person-revealed")
    assert AuditEvent.objects.filter(
        action=AuditAction.REVEAL,
        result=AuditResult.SUCCESS,
        actor=user,
        object_id=str(world.alice.pk),
        detail__field="id_number",
    ).exists()
    id_cell.get_by_role("button", name="隐藏").click()
    expect(id_cell).to_contain_text(mask_id_number(world.alice.id_number))  # waits for the swap

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    walk.look("persons")

    # The same 工作台 on a phone, with the navigation opened from the menu button.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        storage_state=context.storage_state(),
        is_mobile=True,
        locale="zh-CN",
    )
    phone_page = phone.new_page()
    phone_walk = Walk(phone_page, "phone-")
    phone_page.goto(f"{live_server.url}/")
    assert phone_page.get_by_role("heading", name="驻区单位党组织覆盖率").is_visible()
    phone_walk.look("home")
    phone_page.get_by_role("button", name="打开导航").click()
    phone_page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").wait_for()
    phone_page.wait_for_timeout(400)  # the panel slides in
    phone_walk.step += 1
    phone_page.screenshot(path=str(SHOTS / "phone-02-navigation.png"))
    phone_page.goto(f"{live_server.url}/persons/{world.alice.pk}/")
    phone_walk.look("person")

    # The language switch: the same 工作台 in English, back to Chinese with one click.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作台", exact=True).click()
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Party organisation coverage of resident units").wait_for()
    walk.look("home-english")
    page.get_by_role("button", name="中文").click()
    page.get_by_role("heading", name="工作台").wait_for()

    context.close()
    phone.close()

    # The audit administrator finds the reveal in the log.
    auditor = make_account("shen.jie", (Role.AUDIT_ADMIN, world.district))
    auditor_device = totp_device_create(user=auditor, confirmed=True)
    audit_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    audit_page = audit_context.new_page()
    audit_walk = Walk(audit_page, "auditor-")
    audit_page.goto(f"{live_server.url}/accounts/login/")
    staff_login(audit_page, "shen.jie", auditor_device)
    audit_page.get_by_role("link", name="打开审计日志").click()
    audit_page.get_by_label("操作", exact=True).select_option("reveal")
    audit_page.get_by_role("button", name="查询").click()
    audit_page.get_by_text("共 1 条记录").wait_for()
    assert "王秀英" in audit_page.locator("table").inner_text()
    audit_walk.look("audit-log")
    audit_context.close()

    faults = walk.faults + phone_walk.faults + audit_walk.faults
    assert not faults, "\n".join(faults)

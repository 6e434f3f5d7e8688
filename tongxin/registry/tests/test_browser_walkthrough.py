"""A street staff member's first morning, in a real browser: log in with password and TOTP, browse
both trees, open a resident, reveal her ID number (and find the reveal in the audit log), and read
the 工作台's coverage and branch warnings. Screenshots go to test-artifacts/screenshots/ for a
person to look at; axe-core checks every screen for serious accessibility faults."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from conftest import SYSTEM, make_account, new_credit_code
from tongxin.accounts.models import Role
from tongxin.accounts.second_factor import current_totp_code
from tongxin.accounts.services import totp_device_create
from tongxin.audit.models import AuditAction, AuditEvent, AuditResult
from tongxin.core.masking import mask_id_number
from tongxin.units.services import unit_create

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# plain synchronous calls between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
AXE = Path(settings.BASE_DIR) / "tongxin" / "static" / "vendor" / "axe-core" / "axe.min.js"
PASSWORD = "Tongxin-Test-2026!"


def axe_faults(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Serious and critical axe-core violations on the current page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url}: [{v['impact']}] {v['id']}: {v['help']} → "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class Walk:
    """Screenshots and accessibility checks, step by step."""

    def __init__(self, page, prefix: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.prefix, self.step = page, prefix, 0
        self.faults: list[str] = []

    def look(self, name: str) -> None:
        self.step += 1
        self.page.wait_for_load_state("networkidle")
        # Bootstrap's colour transitions (0.15 s) on freshly swapped buttons would otherwise be
        # measured half-way by axe's contrast check.
        self.page.wait_for_timeout(250)
        self.page.screenshot(path=str(SHOTS / f"{self.prefix}{self.step:02d}-{name}.png"), full_page=True)
        self.faults.extend(axe_faults(self.page))


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for prefix in ("desktop-", "phone-", "auditor-"):  # what is there is what this run saw
        for old in SHOTS.glob(f"{prefix}*.png"):  # (other browser tests keep their own)
            old.unlink()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
    page.get_by_label("密码").fill(PASSWORD)
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
    sync_api.expect(id_cell).to_contain_text(mask_id_number(world.alice.id_number))  # waits for the swap

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
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作台").click()
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
    audit_page.get_by_label("用户名").fill("shen.jie")
    audit_page.get_by_label("密码").fill(PASSWORD)
    audit_page.get_by_role("button", name="登录").click()
    audit_page.get_by_label("验证码").fill(current_totp_code(auditor_device))
    audit_page.get_by_role("button", name="验证").click()
    audit_page.get_by_role("link", name="打开审计日志").click()
    audit_page.get_by_label("操作", exact=True).select_option("reveal")
    audit_page.get_by_role("button", name="查询").click()
    audit_page.get_by_text("共 1 条记录").wait_for()
    assert "王秀英" in audit_page.locator("table").inner_text()
    audit_walk.look("audit-log")
    audit_context.close()

    faults = walk.faults + phone_walk.faults + audit_walk.faults
    assert not faults, "\n".join(faults)

"""A resident on her phone, in a real browser: opens /m/, types her number (first mistyped), reads
the SMS code (from the test outbox), logs in, opens 我的, switches to large text, and the page still
fits a 320 px screen. Screenshots go to test-artifacts/screenshots/mobile-site-*.png; axe-core
checks every screen for serious and critical accessibility faults."""

import os
from pathlib import Path

import pytest

from tongxin.notifications.sms import InMemorySmsBackend

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM calls between browser steps, as in the walkthrough

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sync_api = pytest.importorskip("playwright.sync_api")

from tongxin.registry.tests.test_browser_walkthrough import (  # noqa: E402 - after the skip
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    axe_faults,
)

PREFIX = "mobile-site-"
PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}
# What a finger must be able to hit: buttons, fields, tiles and the stand-alone links.
TARGETS = "button, input:not([type=hidden]), .m-tile, .m-back a, .m-brand"


class Walk:
    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page, self.step, self.faults = page, 0, []

    def look(self, name: str) -> None:
        self.step += 1
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(SHOTS / f"{PREFIX}{self.step:02d}-{name}.png"), full_page=True)
        self.faults.extend(axe_faults(self.page))
        small = self.page.evaluate(
            """sel => [...document.querySelectorAll(sel)]
                 .filter(e => e.offsetParent !== null)
                 .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
                 .filter(([, r]) => r.height < 44 || r.width < 44)
                 .map(([h, r]) => `${h} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
            TARGETS,
        )
        self.faults.extend(f"{self.page.url}: touch target under 44 px: {s}" for s in small)


@pytest.fixture
def phone_browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob(f"{PREFIX}*.png"):  # only this test's screenshots; others keep theirs
        old.unlink()
    InMemorySmsBackend.outbox.clear()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    InMemorySmsBackend.outbox.clear()


def font_px(page, selector: str = "body") -> float:  # type: ignore[no-untyped-def]
    return float(
        page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")
    )


def test_a_resident_logs_in_on_her_phone_and_sees_her_page(live_server, world, phone_browser) -> None:  # type: ignore[no-untyped-def]
    context = phone_browser.new_context(**PHONE)
    page = context.new_page()
    walk = Walk(page)

    page.goto(f"{live_server.url}/m/")
    page.wait_for_url("**/m/login/?next=/m/")
    assert font_px(page) >= 16
    walk.look("login")

    # A digit short: the message is at the field and what she typed is still there.
    page.get_by_label("手机号").fill("1381234567")
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("手机号应为11位中国大陆手机号码").wait_for()
    assert page.get_by_label("手机号").input_value() == "1381234567"
    walk.look("login-wrong-number")

    page.get_by_label("手机号").fill("138 1234 5678")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url("**/m/login/code/")
    assert page.get_by_text("138****5678").is_visible()
    resend = page.get_by_role("button", name="秒后可重新获取")
    assert resend.is_disabled()  # the countdown runs; asking again is possible after 60 s
    walk.look("code")

    sent = [m for m in InMemorySmsBackend.outbox if m.to == "13812345678"]
    assert len(sent) == 1
    code = sent[0].params["code"]
    page.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("验证码不正确,还可以再试4次。").wait_for()
    walk.look("code-wrong")
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{live_server.url}/m/")
    assert page.get_by_role("heading", name="您好,王秀英").is_visible()
    walk.look("home")

    page.get_by_role("link", name="我的").click()
    page.wait_for_url("**/m/me/")
    who = page.get_by_role("region", name="王秀英")
    assert "138****5678" in who.inner_text()
    assert "杨树浦社区" in who.inner_text()
    assert "杨树浦社区第一党支部" in page.get_by_role("region", name="党组织关系").inner_text()
    assert "居民" in page.get_by_role("region", name="我的角色").inner_text()
    walk.look("me")

    # Large text: at once, without a reload, and still so on the next page.
    normal = font_px(page)
    page.get_by_role("button", name="大字").click()
    assert font_px(page) >= normal * 1.15
    assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
    walk.look("me-large-text")
    page.get_by_role("link", name="‹ 首页").click()
    page.wait_for_url(f"{live_server.url}/m/")
    assert font_px(page) >= normal * 1.15

    # The narrowest phones: nothing sticks out sideways, even in large text.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/m/me/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    walk.look("me-320px-large-text")

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/m/login/")
    context.close()

    assert not walk.faults, "\n".join(walk.faults)

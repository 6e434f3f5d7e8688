"""A resident on her phone, in a real browser: opens /m/, types her number (first mistyped), reads
the SMS code (from the test outbox), logs in, opens 我的, switches to large text, and the page still
fits a 320 px screen. Screenshots go to test-artifacts/screenshots/mobile-site-*.png; axe-core
checks every screen for serious and critical accessibility faults."""

import pytest

from conftest import Walk
from tongxin.notifications.sms import InMemorySmsBackend

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("mobile-site-",)
PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}
# What a finger must be able to hit: buttons, fields, tiles and the stand-alone links.
TARGETS = "button, input:not([type=hidden]), .m-tile, .m-back a, .m-brand"


class PhoneWalk(Walk):
    """Each screen also checked for touch targets under 44 px."""

    def look(self, name: str) -> None:
        super().look(name)
        small = self.page.evaluate(
            """sel => [...document.querySelectorAll(sel)]
                 .filter(e => e.offsetParent !== null)
                 .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
                 .filter(([, r]) => r.height < 44 || r.width < 44)
                 .map(([h, r]) => `${h} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
            TARGETS,
        )
        self.faults.extend(f"{self.page.url}: touch target under 44 px: {s}" for s in small)


def font_px(page, selector: str = "body") -> float:  # type: ignore[no-untyped-def]
    return float(
        page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")
    )


def test_a_resident_logs_in_on_her_phone_and_sees_her_page(live_server, world, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    walk = PhoneWalk(page, "mobile-site-")

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

    page.get_by_role("link", name="我的", exact=True).click()
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

"""A resident on her phone, in a real browser (390×844, then 320 px): opens 我要反映, types her
problem and sees the category suggested while she types (and a similar need of her community),
picks a tag and a photo, submits, finds the need in 我的诉求; once it is resolved she rates it with
the big stars. Screenshots go to test-artifacts/screenshots/mobile-needs-*.png; axe-core checks
every screen, and every touch target is checked for 44 px."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from conftest import NOW, Walk
from tongxin.needs.models import Need, NeedPhoto, Status
from tongxin.needs.services import need_accept, need_claim, need_resolve, need_start
from tongxin.needs.tests.conftest import actor, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_PREFIXES = ("mobile-needs-",)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}
# What a finger must hit. A checkbox, radio or star is hit through its label, which is the target.
TARGETS = (
    "button, select, textarea,"
    " input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]),"
    " .m-tile, .m-back a, .m-brand, .m-toggle, .m-chip-check, .m-star, .m-card-link, .m-pager a, .m-file"
)
TEXT = "3号楼楼道灯坏了一个星期,晚上老人上下楼看不见"


class PhoneWalk(Walk):
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
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        width = self.page.viewport_size["width"]
        if wide > width:
            self.faults.append(f"{self.page.url}: {wide} px wide on a {width} px screen")


def logged_in(browser: Any, live_server: Any, user: Any) -> Any:
    """A phone browser context carrying the session of `user` (the SMS login has its own test)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(**PHONE)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def test_a_resident_reports_a_problem_on_her_phone_and_follows_it(live_server, nw, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    photo = tmp_path / "lamp.jpg"
    Image.new("RGB", (800, 600), (90, 90, 110)).save(photo, "JPEG")
    # A neighbour reported the same lamp yesterday: she should be told.
    submit(nw, by=nw.other_resident, text="3号楼的楼道灯不亮了好几天了,晚上黑漆漆的")

    context = logged_in(browser, live_server, nw.resident)
    page = context.new_page()
    walk = PhoneWalk(page, "mobile-needs-")
    page.goto(f"{live_server.url}/m/")
    walk.look("home")

    page.get_by_role("link", name="我要反映").click()
    page.wait_for_url("**/m/needs/new/")
    assert page.get_by_label("地点").input_value() == "第一网格"  # her grid, no address on file
    walk.look("form-empty")

    box = page.get_by_label("遇到了什么困难?")
    box.click()
    box.press_sequentially(TEXT, delay=20)  # typed, so the debounced suggestion fires
    page.get_by_text("系统建议").wait_for()
    assert page.locator("#id_category").input_value() in ("property", "facility")
    assert "建议的类别" in page.locator("#need-suggest-status").inner_text()  # read out
    assert page.get_by_text("同一社区已有类似的诉求").is_visible()
    assert page.get_by_text("3号楼的楼道灯不亮了好几天了").is_visible()
    walk.look("form-suggested")

    page.locator(".m-chip-check", has_text="盼").click()
    page.get_by_label("从相册选").set_input_files(str(photo))
    page.get_by_text("已选1张").wait_for()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/m/needs/*/")
    page.get_by_text("已提交。").wait_for()
    need = Need.objects.get(person=nw.fang)
    assert need.category_id in ("property", "facility")
    assert need.tags == ["盼"]
    assert need.channel == "mobile"
    assert NeedPhoto.objects.filter(need=need).count() == 1
    shown = page.locator(".m-photos img")
    shown.scroll_into_view_if_needed()  # loaded lazily
    loaded = (
        "img => img.complete ? img.naturalWidth"
        " : new Promise(r => { img.onload = () => r(img.naturalWidth) })"
    )
    assert shown.evaluate(loaded) > 0
    walk.look("submitted")

    page.get_by_role("link", name="‹ 我的诉求").click()
    page.wait_for_url("**/m/needs/")
    assert page.get_by_role("link", name=TEXT[:10]).is_visible() or TEXT[:20] in page.content()
    assert "待受理" in page.locator(".m-status").first.inner_text()
    walk.look("my-needs")

    # Handled by the community and a party member; then she rates it.
    need_accept(need=need, by=actor(nw.staff11), now=NOW)
    need_claim(need=need, by=actor(nw.alice), now=NOW)
    need_start(need=need, by=actor(nw.alice), now=NOW)
    need_resolve(need=need, result="已换新灯泡,楼道亮了。", by=actor(nw.alice), now=NOW)
    page.goto(f"{live_server.url}/m/needs/{need.pk}/")
    page.locator("label[for=star-4]").click()
    assert page.locator("#star-4").is_checked()
    page.get_by_label("想说的话(可不填)").fill("谢谢!")
    walk.look("rate")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("谢谢您的评价!").wait_for()
    need.refresh_from_db()
    assert (need.status, need.rating) == (Status.VISITED, 4)
    walk.look("rated")

    # The narrowest phones, in large text: the form still fits.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/m/needs/new/")
    page.get_by_role("button", name="大字").click()
    page.get_by_label("遇到了什么困难?").press_sequentially("我妈妈在家摔倒了起不来", delay=20)
    page.get_by_text("看起来情况紧急").wait_for()
    assert page.locator("#id_urgent").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    walk.look("form-320px-large-text-urgent")
    page.evaluate("localStorage.removeItem('tx-large-text')")
    context.close()

    assert not walk.faults, "\n".join(walk.faults)

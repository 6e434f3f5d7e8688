"""A need's page for the staff: what it shows, who may open it, the steps offered now, and each
step's refusals at the field with nothing changed."""

from io import BytesIO

import pytest
from PIL import Image

from tongxin.needs.models import Channel, EventKind, Need, NeedCorrection, Status
from tongxin.needs.services import need_accept, need_bounce, need_dispatch

from .needs_world import actor, submit

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def url(need: Need, step: str = "") -> str:
    return f"/needs/{need.pk}/" + (f"{step}/" if step else "")


def jpeg() -> BytesIO:
    buf = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "photo.jpg"
    return buf


def test_the_page_shows_everything_with_the_full_timeline(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    need = submit(p.nw, tags=["急", "忧"], urgent=True, photos=[jpeg()])
    need_accept(need=need, by=actor(p.nw.staff11), now=p.now)
    need_dispatch(need=need, to=p.w.b11, by=actor(p.nw.staff11), now=p.now)
    need_bounce(need=need, reason="不属于本支部职责。", by=actor(p.nw.branch11), now=p.now)
    response = p.c11.get(url(need))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "楼道灯坏了",
        "3号楼2单元",
        "13611112222",
        "杨树浦社区",
        "不属于本支部职责",
        "内部记录",
        "退单 1 次",
    ):
        assert text in html, text
    assert "系统建议" in html
    photo = need.photos.get()
    image = p.c11.get(f"/needs/{need.pk}/photos/{photo.pk}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8"
    # another street's staff: the same 404 as a missing need, for the page and its photo
    assert p.c21.get(url(need)).status_code == 404
    assert p.c21.get(f"/needs/{need.pk}/photos/{photo.pk}/").status_code == 404
    assert p.c11.get("/needs/999999/").status_code == 404
    # the steps offered now: a bounced need waits to be dispatched again
    steps = [s.kind for s, _f in response.context["steps"]]
    assert EventKind.DISPATCH in steps
    assert EventKind.ACCEPT not in steps
    assert 'href="/matching/needs/' in html  # 推荐办理人


def test_accept_then_dispatch_through_htmx(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    need = submit(p.nw)
    response = p.c11.post(url(need, "accept"), {"note": ""}, **HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == url(need)
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED
    targets = p.c11.get("/needs/targets/?tq=杨树浦").content.decode()
    assert f'value="territory:{p.w.c11.pk}"' in targets
    assert f'value="org:{p.w.b11.pk}"' in targets
    assert "value=" not in p.c11.get("/needs/targets/?tq=长阳").content.decode()
    response = p.c11.post(url(need, "dispatch"), {"to": f"org:{p.w.b11.pk}", "note": "请支部安排"}, **HX)
    assert response["HX-Redirect"] == url(need)
    need.refresh_from_db()
    assert (need.status, need.assigned_org) == (Status.DISPATCHED, p.w.b11)


def test_refusals_land_at_the_field_and_change_nothing(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    need = submit(p.nw)
    events = need.events.count()
    # empty reason
    html = p.c11.post(url(need, "return"), {"reason": "   "}, **HX).content.decode()
    assert "请填写内容" in html
    assert 'id="step-return"' in html
    # absurd text: the input is kept, the service names the limit
    long = "很" * 5000
    html = p.c11.post(url(need, "return"), {"reason": long}, **HX).content.decode()
    assert "内容过长" in html
    assert long in html
    # a step not allowed from the current status
    html = p.c11.post(url(need, "resolve"), {"result": "修好了"}, **HX).content.decode()
    assert "不能办结" in html
    # a target outside the account's scope, or garbage
    need_accept(need=need, by=actor(p.nw.staff11), now=p.now)
    for to in (f"org:{p.w.b21.pk}", "org:abc", "", f"territory:{p.w.street1.pk}"):
        html = p.c11.post(url(need, "dispatch"), {"to": to}, **HX).content.decode()
        assert "承办对象" in html
        assert "alert-danger" in html
    # merge into nothing / into itself
    html = p.c11.post(url(need, "merge"), {"into": "abc"}, **HX).content.decode()
    assert "请输入要合并到的诉求编号" in html
    html = p.c11.post(url(need, "merge"), {"into": str(need.pk)}, **HX).content.decode()
    assert "不能与自身合并" in html
    # an unknown step is a 404
    assert p.c11.post(url(need, "explode"), {}).status_code == 404
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED
    assert need.events.count() == events + 1  # the accept only
    # without htmx the whole page comes back with the message
    response = p.c11.post(url(need, "return"), {"reason": "x"})
    assert response.status_code == 200
    assert "不能退回" in response.content.decode()


def test_another_streets_staff_cannot_act(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    need = submit(p.nw)
    assert p.c21.post(url(need, "accept"), {}).status_code == 404
    assert p.c21.post(url(need, "accept"), {}, **HX).status_code == 404
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED


def test_merge_with_a_duplicate_hint(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    first = submit(p.nw, text="3号楼楼道灯坏了,晚上看不见。")
    second = submit(p.nw, text="3号楼的楼道灯坏了一个星期,晚上老人上下楼看不见。")
    html = p.c11.get(url(second)).content.decode()
    assert f"选编号{first.pk}" in html
    response = p.c11.post(url(second, "merge"), {"into": str(first.pk)}, **HX)
    assert response["HX-Redirect"] == url(second)
    second.refresh_from_db()
    assert (second.status, second.merged_into) == (Status.MERGED, first)


def test_the_whole_handling_and_reclassify(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    need = submit(p.nw)
    for step, data in (
        ("accept", {}),
        ("dispatch", {"to": f"territory:{p.w.c11.pk}"}),
        ("start", {}),
        ("resolve", {"result": "已更换楼道灯泡。", "photos": jpeg()}),
        ("visit", {"rating": "5", "comment": "电话回访,居民满意"}),
        ("archive", {}),
    ):
        response = p.c11.post(url(need, step), data, **HX)
        assert response.has_header("HX-Redirect"), (step, response.content.decode()[:500])
    need.refresh_from_db()
    assert need.status == Status.ARCHIVED
    assert need.rating == 5
    assert need.photos.filter(stage="resolve").count() == 1
    other = submit(p.nw, text="家里老人独居,想申请助餐服务。")
    html = p.c11.post(url(other, "visit"), {"rating": ""}, **HX).content.decode()
    assert "不能回访" in html or "请选择1到5星" in html
    response = p.c11.post(url(other, "reclassify"), {"category": "elderly", "urgent": "on"}, **HX)
    assert response.has_header("HX-Redirect")
    other.refresh_from_db()
    assert (other.category_id, other.urgent) == ("elderly", True)
    assert NeedCorrection.objects.filter(need=other, to_category="elderly").count() == 1
    html = p.c11.post(url(other, "reclassify"), {"category": "nonsense"}, **HX).content.decode()
    assert "alert-danger" in html
    assert NeedCorrection.objects.filter(need=other).count() == 1


def test_a_grid_workers_need_shows_for_the_community(needs_pages) -> None:  # type: ignore[no-untyped-def]
    p = needs_pages
    need = submit(p.nw, by=p.nw.grid, channel=Channel.GRID, caller_name="巡查发现")
    assert p.c11.get(url(need)).status_code == 200
    assert p.grid.get(url(need)).status_code == 200  # the one who entered it follows it


def test_the_assigned_branch_bounces_once_and_staff_reopen_an_unsatisfied_need(needs_pages) -> None:  # type: ignore[no-untyped-def]
    from .conftest import verified_client

    p = needs_pages
    branch = verified_client(p.nw.branch11)
    need = submit(p.nw)
    need_accept(need=need, by=actor(p.nw.staff11), now=p.now)
    need_dispatch(need=need, to=p.w.b11, by=actor(p.nw.staff11), now=p.now)
    page = branch.get(url(need))
    assert EventKind.BOUNCE in [s.kind for s, _f in page.context["steps"]]
    assert "请填写内容" in branch.post(url(need, "bounce"), {"reason": ""}, **HX).content.decode()
    assert branch.post(url(need, "bounce"), {"reason": "不属于支部职责"}, **HX).has_header("HX-Redirect")
    need.refresh_from_db()
    assert (need.status, need.bounce_count) == (Status.ACCEPTED, 1)
    # dispatched to the same branch again: it may not bounce twice
    need_dispatch(need=need, to=p.w.b11, by=actor(p.nw.staff11), now=p.now)
    html = branch.post(url(need, "bounce"), {"reason": "还是不归我们"}, **HX).content.decode()
    assert "本级已退过一次单" in html
    # handled, rated 1 star on the phone: staff reopen it
    for step, data in (("start", {}), ("resolve", {"result": "已联系物业。"}), ("visit", {"rating": "1"})):
        assert p.c11.post(url(need, step), data, **HX).has_header("HX-Redirect"), step
    assert p.c11.post(url(need, "reopen"), {"reason": "居民不满意"}, **HX).has_header("HX-Redirect")
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED


def test_numbers_that_are_digits_but_not_ascii_are_refused_not_a_server_error(needs_pages) -> None:  # type: ignore[no-untyped-def]
    """Superscript two and Arabic-Indic three pass str.isdigit() but not int(): each is simply no
    such need or target."""
    p = needs_pages
    need = submit(p.nw)
    need_accept(need=need, by=actor(p.nw.staff11), now=p.now)
    assert p.c11.get("/needs/", {"q": "²"}).status_code == 200
    html = p.c11.post(url(need, "merge"), {"into": "²"}, **HX).content.decode()
    assert "alert-danger" in html
    for to in ("org:²", "person:٣"):
        html = p.c11.post(url(need, "dispatch"), {"to": to}, **HX).content.decode()
        assert "承办对象" in html
        assert "alert-danger" in html
    response = p.c11.post("/needs/bulk/dispatch/", {"needs": [need.pk], "to": "org:²"})
    assert response.status_code in (200, 302)
    need.refresh_from_db()
    assert need.status == Status.ACCEPTED

"""The staff suggestion page (who may open it, names shown only where the staff may see the
person, dispatch from the page and its refusals), the batch page, and the member's own page."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from conftest import NOW
from tongxin.matching.models import HelperProfile
from tongxin.needs.models import Need, Status
from tongxin.needs.services import need_accept
from tongxin.registry.tests.conftest import without_csrf

from .conftest import actor, submit, verified_client

pytestmark = pytest.mark.django_db

LEAK = "厨房水管漏水,楼下都渗了,麻烦找人来修一下。"


def url(need) -> str:  # type: ignore[no-untyped-def]
    return f"/matching/needs/{need.pk}/"


@pytest.fixture
def leak(mw):  # type: ignore[no-untyped-def]
    need = submit(mw.n, text=LEAK)
    return need_accept(need=need, by=actor(mw.n.staff11), now=NOW)


def at_ten_on_sunday_morning(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The page words each helper's free time from the clock ("今天上午有空"): it is read at the
    suite's fixed moment, so the words do not depend on when the suite runs."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def test_staff_see_suggestions_with_reasons_and_hidden_names_outside_their_scope(
    mw, leak, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(mw.n.staff11)
    at_ten_on_sunday_morning(monkeypatch)
    page = client.get(url(leak))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("王秀英") < html.index("周强")
    assert "擅长维修" in html
    assert "今天上午有空" in html
    assert "派单给TA" in html
    # 李建国 lives and serves in another street: suggested, but his name is not for this staff.
    assert "李建国" not in html
    assert "姓名不显示" in html


def test_missing_and_forbidden_needs_give_the_same_404(mw, leak) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(mw.n.staff21)
    other = client.get(url(leak))
    missing = client.get("/matching/needs/999999/")
    assert other.status_code == missing.status_code == 404
    # The same page but for the language switch's return address.
    same = without_csrf(missing.content.decode()).replace("/999999/", f"/{leak.pk}/")
    assert without_csrf(other.content.decode()) == same
    # A member who could claim it is no staff: the page is not theirs either.
    member = Client()
    member.force_login(mw.n.alice)
    assert member.get(url(leak)).status_code in (302, 404)


def test_dispatch_from_the_page(mw, leak, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(mw.n.staff11)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url(leak), {"person": mw.w.alice.pk}, follow=True)
    leak.refresh_from_db()
    assert leak.status == Status.DISPATCHED
    assert leak.assigned_person == mw.w.alice
    assert "已派单给王秀英" in page.content.decode()
    # Dispatched: no more buttons, and a second dispatch is refused in Chinese.
    assert "派单给TA" not in page.content.decode()
    again = client.post(url(leak), {"person": mw.hank.pk})
    assert again.status_code == 400
    assert "该诉求当前状态为“已派单”,不能派单。" in again.content.decode()
    leak.refresh_from_db()
    assert leak.assigned_person == mw.w.alice


@pytest.mark.parametrize("person", ["", "abc", "999999"])
def test_bad_person_changes_nothing(mw, leak, person) -> None:  # type: ignore[no-untyped-def]
    page = verified_client(mw.n.staff11).post(url(leak), {"person": person})
    assert page.status_code == 400
    assert "找不到该帮办人,或不在您的管辖范围内。" in page.content.decode()
    assert Need.objects.get(pk=leak.pk).status == Status.ACCEPTED


def test_a_person_outside_the_scope_cannot_be_dispatched_to(mw, leak) -> None:  # type: ignore[no-untyped-def]
    page = verified_client(mw.n.staff11).post(url(leak), {"person": mw.w.bob.pk})
    assert page.status_code == 400
    assert Need.objects.get(pk=leak.pk).assigned_person is None


def test_before_acceptance_the_page_explains_and_offers_no_dispatch(mw) -> None:  # type: ignore[no-untyped-def]
    need = submit(mw.n, text=LEAK)
    client = verified_client(mw.n.staff11)
    html = client.get(url(need)).content.decode()
    assert "受理后、尚未派单时才能派单给个人" in html
    assert "派单给TA" not in html
    refused = client.post(url(need), {"person": mw.w.alice.pk})
    assert "该诉求当前状态为“待受理”,不能派单。" in refused.content.decode()


def test_the_batch_page_lists_open_needs_of_the_scope_with_three_helpers(mw, leak) -> None:  # type: ignore[no-untyped-def]
    page = verified_client(mw.n.staff11).get("/matching/batch/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/matching/needs/{leak.pk}/" in html
    assert html.count('<li><span class="fw-semibold">') == 3
    elsewhere = verified_client(mw.n.staff21).get("/matching/batch/").content.decode()
    assert f"/matching/needs/{leak.pk}/" not in elsewhere
    assert "没有等待派单的诉求" in elsewhere


def test_the_batch_page_is_staff_only(mw) -> None:  # type: ignore[no-untyped-def]
    grid = verified_client(mw.n.grid)
    assert grid.get("/matching/batch/").status_code == 404


def test_a_member_records_her_own_profile_on_the_phone(mw) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(mw.n.erin)
    page = client.get("/matching/me/")
    assert page.status_code == 200
    assert "我的帮办登记" in page.content.decode()
    data = {
        "skills": ["repair", "haircut"],
        "slots": ["5-am", "6-eve"],
        "communities": [mw.w.c11.pk],
        "consent": "on",
    }
    assert client.post("/matching/me/", data).status_code == 302
    profile = HelperProfile.objects.get(person=mw.n.erin.person)
    assert (profile.skills, profile.slots) == (["repair", "haircut"], ["5-am", "6-eve"])
    html = client.get("/matching/me/").content.decode()
    assert 'value="5-am" checked' in html


def test_the_member_page_refuses_bad_input_in_chinese(mw) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(mw.n.erin)
    before = HelperProfile.objects.get(person=mw.n.erin.person).skills
    page = client.post(
        "/matching/me/", {"skills": ["repair"], "slots": ["5-am"], "communities": [mw.w.c11.pk]}
    )
    assert page.status_code == 400
    assert "请勾选同意后再保存" in page.content.decode()
    page = client.post("/matching/me/", {"skills": ["nope"], "slots": ["5-am"], "consent": "on"})
    assert page.status_code == 400
    assert HelperProfile.objects.get(person=mw.n.erin.person).skills == before
    # A community outside the offered list is refused by the form.
    page = client.post(
        "/matching/me/", {"skills": ["repair"], "slots": ["5-am"], "communities": ["999999"], "consent": "on"}
    )
    assert page.status_code == 400


def test_residents_are_sent_to_the_volunteer_registration(mw) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(mw.n.resident)
    html = client.get("/matching/me/").content.decode()
    assert "居民朋友请注册为志愿者" in html
    assert 'href="/volunteers/m/register/"' in html
    assert Client().get("/matching/me/").status_code == 302  # anonymous: to the phone login


@pytest.fixture
def back_to_chinese():  # type: ignore[no-untyped-def]
    """The locale middleware leaves English active in this thread after an English request."""
    yield
    translation.activate("zh-hans")


def test_the_suggestions_read_in_english(mw, leak, back_to_chinese, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = verified_client(mw.n.staff11)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    at_ten_on_sunday_morning(monkeypatch)
    html = client.get(url(leak)).content.decode()
    assert "Skilled in Repairs" in html
    assert "Same community" in html
    assert "Free today morning" in html
    assert "Dispatch to them" in html
    profile_page = Client()
    profile_page.force_login(mw.n.erin)
    profile_page.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Sat" in profile_page.get("/matching/me/").content.decode()

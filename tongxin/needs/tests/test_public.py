"""The public "本月为民办事" page: readable without login, counts for every need, a category phrase
for public needs, and a story only with consent and anonymised. Private needs, sensitive
categories and needs without consent never show their text."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from conftest import NOW
from tongxin.needs.anonymise import anonymise
from tongxin.needs.models import Channel, Need
from tongxin.needs.public import public_month
from tongxin.needs.services import (
    need_accept,
    need_dispatch,
    need_resolve,
    need_start,
    need_story_consent,
    need_submit,
    need_visit,
)

from .conftest import actor

pytestmark = pytest.mark.django_db

T = datetime(2026, 11, 3, 9, 0, tzinfo=NOW.tzinfo)
# Words that must never reach the public page unless consented and anonymised.
SECRET_TEXT = "独居的方兰阿姨在3号楼2单元502室摔倒了,电话13611112222"
SECRET_RESULT = "党员王秀英每天上门给方兰阿姨送饭,联系电话13812345678,住5号楼301室"


def _resolved(
    n: Any, *, category: str, text: str, result: str, private: bool = False, rating: int | None = None
) -> Need:
    need = need_submit(
        text=text,
        category=category,
        community=n.w.c11,
        channel=Channel.MOBILE,
        place="3号楼2单元",
        private=private,
        by=actor(n.resident),
        now=T,
    )
    need_accept(need=need, by=actor(n.staff11), now=T + timedelta(hours=1))
    need_dispatch(need=need, to=n.w.c11, by=actor(n.staff11), now=T + timedelta(hours=2))
    need_start(need=need, by=actor(n.staff11), now=T + timedelta(hours=3))
    need_resolve(need=need, result=result, by=actor(n.staff11), now=T + timedelta(days=1))
    if rating is not None:
        need_visit(need=need, rating=rating, by=actor(n.resident), now=T + timedelta(days=2))
    return need


def _consent(n: Any, need: Need) -> None:
    need_story_consent(need=need, consent=True, by=actor(n.resident), now=T + timedelta(days=2))


@pytest.fixture
def month(nw):  # type: ignore[no-untyped-def]
    needs = {
        "private": _resolved(
            nw,
            category="property",
            text="私密:" + SECRET_TEXT,
            result="私密办理:" + SECRET_RESULT,
            private=True,
        ),
        "sensitive": _resolved(
            nw, category="elderly", text="敏感:" + SECRET_TEXT, result="敏感办理:" + SECRET_RESULT
        ),
        "no_consent": _resolved(
            nw,
            category="facility",
            text="未同意:" + SECRET_TEXT,
            result="未同意办理:" + SECRET_RESULT,
            rating=5,
        ),
        "consented": _resolved(
            nw, category="property", text="同意:" + SECRET_TEXT, result="同意办理:" + SECRET_RESULT, rating=4
        ),
    }
    for key in ("private", "sensitive", "consented"):
        _consent(nw, needs[key])
    # Open, in another community, and last month: counted where they belong only.
    need_submit(
        text="小区健身器材坏了",
        category="culture",
        community=nw.w.c11,
        channel=Channel.MOBILE,
        by=actor(nw.resident),
        now=T,
    )
    need_submit(
        text="路灯不亮",
        category="facility",
        community=nw.w.c12,
        channel=Channel.MOBILE,
        by=actor(nw.resident),
        now=T,
    )
    need_submit(
        text="十月的事",
        category="facility",
        community=nw.w.c11,
        channel=Channel.MOBILE,
        by=actor(nw.resident),
        now=T - timedelta(days=20),
    )
    return needs


def _page(community: Any, month: str = "2026-11") -> str:
    response = Client().get(f"/needs/public/{community.pk}/", {"month": month})
    assert response.status_code == 200
    return response.content.decode()


def test_readable_without_login_with_counts(nw, month) -> None:  # type: ignore[no-untyped-def]
    report = public_month(community=nw.w.c11, month=date(2026, 11, 1))
    assert report.received == 5
    assert {t.label: t.count for t in report.by_category} == {
        "物业与居住环境": 2,
        "养老助老": 1,
        "公共设施维修": 1,
        "文体活动与学习": 1,
    }
    assert {t.label: t.count for t in report.by_state} == {"待受理": 1, "已办结": 2, "已回访": 2}
    assert (report.resolved, report.rated, report.average_rating) == (4, 2, 4.5)
    html = _page(nw.w.c11)
    assert "杨树浦社区" in html
    assert "4.5" in html


def test_no_text_of_private_sensitive_or_unconsented_needs(nw, month) -> None:  # type: ignore[no-untyped-def]
    html = _page(nw.w.c11)
    for marker in ("私密", "敏感", "未同意"):
        assert marker not in html
    for secret in ("方兰", "王秀英", "13611112222", "13812345678", "502", "摔倒", "独居", "3号楼2单元"):
        assert secret not in html
    report = public_month(community=nw.w.c11, month=date(2026, 11, 1))
    # one line each for the two public needs, none for the private and the sensitive one
    assert sorted(s.category for s in report.summaries) == ["公共设施维修", "物业与居住环境"]
    facility = next(s for s in report.summaries if s.category == "公共设施维修")
    assert facility.story == ""
    assert facility.phrase in html


def test_consent_shows_the_result_anonymised(nw, month) -> None:  # type: ignore[no-untyped-def]
    html = _page(nw.w.c11)
    assert "同意办理" in html
    story = next(
        s.story for s in public_month(community=nw.w.c11, month=date(2026, 11, 1)).summaries if s.story
    )
    assert story.startswith("同意办理:党员某某每天上门给某某阿姨送饭")
    assert "13812345678" not in story
    assert "301" not in story


def test_withdrawn_consent_hides_the_story_again(nw, month) -> None:  # type: ignore[no-untyped-def]
    need_story_consent(
        need=month["consented"], consent=False, by=actor(nw.resident), now=T + timedelta(days=3)
    )
    assert "同意办理" not in _page(nw.w.c11)


def test_other_months_and_communities(nw, month) -> None:  # type: ignore[no-untyped-def]
    october = public_month(community=nw.w.c11, month=date(2026, 10, 1))
    assert (october.received, october.resolved, october.summaries) == (1, 0, [])
    assert public_month(community=nw.w.c12, month=date(2026, 11, 1)).received == 1
    assert "这个月还没有收到诉求" in _page(nw.w.c21)


def test_bad_month_shows_this_month_with_a_message(nw, month) -> None:  # type: ignore[no-untyped-def]
    html = _page(nw.w.c11, month="2026-13")
    assert "月份应为" in html
    assert "月份应为" in _page(nw.w.c11, month="2999-01")


@pytest.mark.parametrize("which", ["street1", "g111", "missing"])
def test_only_communities_have_a_page(nw, which) -> None:  # type: ignore[no-untyped-def]
    pk = 999_999 if which == "missing" else getattr(nw.w, which).pk
    assert Client().get(f"/needs/public/{pk}/").status_code == 404


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("王阿姨家水管漏水,老张帮忙修好了", ("王", "张")),
        ("电话138-1234-5678,座机021-65432100", ("5678", "65432100")),
        ("身份证310110198001011234的居民", ("310110198001011234",)),
        ("3号楼2单元502室和十二栋5-1-302", ("3号", "502", "十二", "302")),
        ("姓陈的大爷和志愿者刘德华一起", ("陈", "刘德华")),
    ],
)
def test_anonymiser_masks_names_and_numbers(text, hidden) -> None:  # type: ignore[no-untyped-def]
    masked = anonymise(text)
    for part in hidden:
        assert part not in masked
    assert "某" in masked or "***" in masked


def test_anonymiser_keeps_ordinary_words() -> None:
    text = "社区联系物业更换了楼道灯,老师和老人都说好,两小时就修好了。"
    assert anonymise(text) == text
    assert anonymise("秀英说谢谢", known_names=["方秀英"]) == "某某说谢谢"

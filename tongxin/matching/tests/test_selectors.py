"""helpers_for_need over the database: the order, the reasons in plain Chinese, the load and the
ratings read from needs, privacy, and the batch giving what the single need gives."""

import pytest

from conftest import NOW
from tongxin.matching.models import HelperProfile
from tongxin.matching.selectors import helpers_for_need, suggestions_for_needs
from tongxin.needs.services import (
    need_accept,
    need_claim,
    need_dispatch,
    need_resolve,
    need_start,
    need_visit,
)

from .conftest import actor, profile, submit

pytestmark = pytest.mark.django_db

LEAK = "厨房水管漏水,楼下都渗了,麻烦找人来修一下。"


def accepted(mw, **kw):  # type: ignore[no-untyped-def]
    need = submit(mw.n, **kw)
    return need_accept(need=need, by=actor(mw.n.staff11), now=NOW)


def names(suggestions) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.person.name for s in suggestions]


def test_a_leak_goes_first_to_the_repairer_of_the_community(mw) -> None:  # type: ignore[no-untyped-def]
    need = accepted(mw, text=LEAK, category="property")
    got = helpers_for_need(need=need, now=NOW)
    # alice repairs in the community; hank repairs one community over (same street); bob
    # repairs in the other street; gina is a neighbour in the resident's own grid without the
    # skill; erin is in the community without the skill.
    assert names(got) == ["王秀英", "周强", "李建国", "孙丽", "赵琳"]
    first = got[0]
    assert first.reasons == ["擅长维修", "同一社区", "今天上午有空", "手上暂无在办", "暂无评价"]
    assert (first.skill_fit, first.distance, first.load, first.rating) == ("named", "community", 0, None)
    assert got[3].reasons[0] == "同一网格"
    assert got[1].reasons[:2] == ["擅长维修", "同一街道"]
    assert got[2].reasons[:2] == ["擅长维修", "同区"]
    assert first.score == first.parts.points / 10


def test_load_and_ratings_come_from_the_needs(mw) -> None:  # type: ignore[no-untyped-def]
    # alice has one need in hand; hank resolved two that were rated 5 and 4.
    busy = accepted(mw, text="楼道灯坏了")
    need_claim(need=busy, by=actor(mw.n.alice), now=NOW)
    for stars in (5, 4):
        done = accepted(mw, text="门口路灯不亮")
        need_dispatch(need=done, to=mw.hank, by=actor(mw.n.staff11), now=NOW)
        need_start(need=done, by=actor(mw.n.staff11), now=NOW)
        need_resolve(need=done, result="已修好", by=actor(mw.n.staff11), now=NOW)
        need_visit(need=done, rating=stars, by=actor(mw.n.resident), now=NOW)
    need = accepted(mw, text=LEAK)
    got = {s.person.name: s for s in helpers_for_need(need=need, now=NOW)}
    assert "手上1件在办" in got["王秀英"].reasons
    assert got["王秀英"].load == 1
    assert "过往评价4.5星" in got["周强"].reasons
    assert got["周强"].rating == 4.5
    assert got["周强"].rating_count == 2


def test_availability_names_the_next_free_slot(mw) -> None:  # type: ignore[no-untyped-def]
    profile(mw.w.alice, ["repair"], [mw.w.c11], slots=["5-am"])  # Saturday mornings only
    need = accepted(mw, text=LEAK)
    got = {s.person.name: s for s in helpers_for_need(need=need, now=NOW)}
    assert "周六上午有空" in got["王秀英"].reasons
    assert got["王秀英"].available == "周六上午"
    profile(mw.w.alice, ["repair"], [mw.w.c11], slots=["0-eve"])
    got = {s.person.name: s for s in helpers_for_need(need=need, now=NOW)}
    assert "明天晚上有空" in got["王秀英"].reasons


def test_a_sensitive_need_is_offered_only_within_its_community(mw) -> None:  # type: ignore[no-untyped-def]
    need = accepted(mw, text="家里老人卧床,想找人上门陪护聊聊天。", category="elderly")
    assert names(helpers_for_need(need=need, now=NOW)) == ["赵琳", "孙丽", "王秀英"]
    private = accepted(mw, text=LEAK, private=True)
    assert set(names(helpers_for_need(need=private, now=NOW))) == {"王秀英", "孙丽", "赵琳"}


def test_the_resident_is_never_suggested_for_their_own_need(mw) -> None:  # type: ignore[no-untyped-def]
    need = submit(mw.n, by=mw.gina_user, text=LEAK)
    assert "孙丽" not in names(helpers_for_need(need=need, now=NOW))


def test_paused_or_unconsented_profiles_are_not_suggested(mw) -> None:  # type: ignore[no-untyped-def]
    HelperProfile.objects.filter(person=mw.w.alice).update(active=False)
    HelperProfile.objects.filter(person=mw.hank).update(consent_at=None)
    need = accepted(mw, text=LEAK)
    assert not {"王秀英", "周强"} & set(names(helpers_for_need(need=need, now=NOW)))


def test_the_batch_gives_what_one_need_gives(mw) -> None:  # type: ignore[no-untyped-def]
    texts = [
        (LEAK, "property"),
        ("想请律师看看租房合同", "legal"),
        ("老人想理发", "elderly"),
        ("小区路灯坏了", "facility"),
        ("表扬社区工作人员", "other"),
    ]
    needs = [accepted(mw, text=t, category=c) for t, c in texts]
    batch = suggestions_for_needs(needs, now=NOW, top_k=3)
    for need, line in zip(needs, batch, strict=True):
        single = helpers_for_need(need=need, now=NOW, limit=3)
        assert [(s.person.pk, s.score, s.reasons) for s in line] == [
            (s.person.pk, s.score, s.reasons) for s in single
        ]


def test_no_helpers_no_suggestions(nw) -> None:  # type: ignore[no-untyped-def]
    need = submit(nw, text=LEAK)
    assert helpers_for_need(need=need, now=NOW) == []

"""Duplicate hints: open needs of the same community that look like the same problem, best first,
never with the text of a private or sensitive need."""

import time

import pytest

from conftest import NOW
from tongxin.needs.hints import CANDIDATES, MIN_TEXT, need_duplicate_hints
from tongxin.needs.services import need_withdraw

from .conftest import actor, submit

pytestmark = pytest.mark.django_db
LAMP = "3号楼楼道灯坏了一个星期,晚上老人上下楼看不见"


def test_the_same_problem_in_the_same_community_is_hinted(nw) -> None:  # type: ignore[no-untyped-def]
    same = submit(nw, text="3号楼的楼道灯不亮了好几天了,晚上黑漆漆的")
    submit(nw, text="小区广场舞音响太吵,晚上十点还在放")  # another problem
    submit(nw, text="7号楼楼道灯坏了,晚上看不见")  # the same kind at another building
    submit(nw, text="3号楼楼道灯坏了一个星期", community=nw.w.c12, by=nw.staff12, caller_name="访客")
    hints = need_duplicate_hints(community=nw.w.c11, text=LAMP)
    assert [h.need_pk for h in hints] == [same.pk]
    hint = hints[0]
    assert hint.text_excerpt.startswith("3号楼的楼道灯不亮了")
    assert hint.status_label == "待受理"
    assert 0.5 <= hint.score <= 1
    assert hint.submitted_at == same.submitted_at


def test_private_and_sensitive_needs_are_hinted_without_their_text(nw) -> None:  # type: ignore[no-untyped-def]
    private = submit(nw, text="3号楼楼道灯坏了好几天,晚上我上下楼看不见", private=True)
    sensitive = submit(nw, category="elderly", text="3号楼楼道灯坏了,我家老人晚上下楼看不见")
    hints = need_duplicate_hints(community=nw.w.c11, text=LAMP)
    assert {h.need_pk for h in hints} == {private.pk, sensitive.pk}
    assert all(h.text_excerpt == "" for h in hints)


def test_closed_and_excluded_needs_and_short_texts_give_no_hint(nw) -> None:  # type: ignore[no-untyped-def]
    gone = submit(nw, text=LAMP)
    need_withdraw(need=gone, by=actor(nw.resident), now=NOW)
    itself = submit(nw, text=LAMP)
    assert need_duplicate_hints(community=nw.w.c11, text=LAMP, exclude_pk=itself.pk) == []
    assert need_duplicate_hints(community=nw.w.c11, text="楼" * (MIN_TEXT - 1)) == []
    assert need_duplicate_hints(community=nw.w.c11, text=LAMP, limit=0) == []


def test_the_limit_keeps_the_best_and_a_long_excerpt_is_cut(nw) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        submit(
            nw, text=f"3号楼楼道灯坏了一个星期,晚上老人上下楼看不见,第{i}次反映了。" + "真的很不方便。" * 10
        )
    hints = need_duplicate_hints(community=nw.w.c11, text=LAMP)
    assert len(hints) == 3
    assert hints == sorted(hints, key=lambda h: -h.score)
    assert all(len(h.text_excerpt) <= 41 and h.text_excerpt.endswith("…") for h in hints)


def test_a_busy_community_is_compared_fast_enough_to_run_while_typing(nw) -> None:  # type: ignore[no-untyped-def]
    for i in range(CANDIDATES + 50):
        submit(nw, text=f"{i}号楼门口的垃圾桶满了没人收,味道很大")
    need_duplicate_hints(community=nw.w.c11, text="先热身一下分词器和向量")
    # About 0.3 s on the shared 2-core machine; the bound leaves room for a busy shared CI machine.
    started = time.perf_counter()
    need_duplicate_hints(community=nw.w.c11, text=LAMP)
    assert time.perf_counter() - started < 2.0

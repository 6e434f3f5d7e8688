"""The classifier on hand-written texts it was not trained on (corpus/heldout.jsonl)."""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sklearn.metrics import f1_score

from tongxin.insight import classifier
from tongxin.insight.classifier import (
    CATEGORIES,
    classify,
    classify_many,
    extra_corpus_paths,
    load_corpus,
    load_extra,
    normalise,
    urgent_by_rule,
)
from tongxin.insight.urgency import dangers

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS_DIR / name).read_text(encoding="utf-8").splitlines()]


HELDOUT = _rows("heldout.jsonl")
# Written after the corpus and the model were tuned, and evaluated without further tuning.
BLIND = _rows("heldout_blind.jsonl")
# Written by another author who never saw the corpus; a development set for urgency since (README).
BLIND2 = _rows("heldout_blind2.jsonl")
# A third author's 300 texts, 100 urgent: the second development set for urgency (README).
URGENT_DEV = _rows("heldout_urgent_dev.jsonl")
# A fourth author's 280 texts, 70 urgent: the test set, evaluated once (README); read here only to
# check that none of its texts is in training.
URGENT_TEST = _rows("heldout_urgent_test.jsonl")
# A fifth author's 280 texts, 20 per category: the category test set, evaluated once on the final
# category model (README); read here only to check that none of its texts is in training.
CAT_TEST = _rows("heldout_cat_test.jsonl")


def test_heldout_is_not_in_the_training_corpus() -> None:
    trained = {str(row["text"]) for row in load_corpus()}
    assert not trained & {row["text"] for row in HELDOUT + BLIND + BLIND2 + URGENT_DEV}
    # The test set's author happened to write two short texts (6 and 10 characters) that are in
    # the corpus word for word (one hand-written, one composed); noted in the README, not removed
    # (that would mean reading the test set). Anything longer would be a copy.
    overlap = trained & {row["text"] for row in URGENT_TEST}
    assert len(overlap) <= 2
    assert all(len(text) <= 10 for text in overlap)


def test_category_test_set_is_not_in_the_training_corpus() -> None:
    trained = {str(row["text"]) for row in load_corpus()}
    # A count, not the texts: a failure must not print the test set.
    assert len(trained & {row["text"] for row in CAT_TEST}) == 0


def test_category_test_set_does_not_regress() -> None:
    # Measured once, on the final model: macro-F1 0.947, urgent recall 1.00 (35/35). A guard only:
    # if it fails, do not read the set's errors to fix it (that makes it a development set, README).
    predicted = classify_many([row["text"] for row in CAT_TEST])
    truth = [row["category"] for row in CAT_TEST]
    assert f1_score(truth, [s.category for s in predicted], average="macro") >= 0.92
    flagged = [s.urgent for row, s in zip(CAT_TEST, predicted, strict=True) if row["urgent"]]
    assert sum(flagged) / len(flagged) >= 0.95


def test_corpus_covers_every_category_with_enough_texts_and_some_urgent() -> None:
    rows = load_corpus()
    for code in CATEGORIES:
        assert sum(1 for r in rows if r["category"] == code) >= 150, code
        # Written whole by hand, not composed: templates alone overfit.
        assert sum(1 for r in rows if r["category"] == code and r["source"] == "hand") >= 50, code
    share = sum(1 for r in rows if r["urgent"]) / len(rows)
    assert 0.1 <= share <= 0.25


@pytest.fixture(scope="module")
def heldout_predictions() -> list:
    return classify_many([row["text"] for row in HELDOUT])


def test_heldout_macro_f1(heldout_predictions: list) -> None:
    # Measured 0.99 (bench/insight_eval.py); this set guided error analysis, so the honest figure
    # is heldout_blind2's (README).
    truth = [row["category"] for row in HELDOUT]
    predicted = [s.category for s in heldout_predictions]
    assert f1_score(truth, predicted, average="macro") >= 0.95


def test_blind_macro_f1_and_urgent_recall() -> None:
    # Measured macro-F1 0.93 and urgent recall 9/9 on 70 texts (0.78 before the second round of
    # hand-written texts, which looked at this set's misses: no longer blind).
    predicted = classify_many([row["text"] for row in BLIND])
    truth = [row["category"] for row in BLIND]
    assert f1_score(truth, [s.category for s in predicted], average="macro") >= 0.88
    assert all(s.urgent for row, s in zip(BLIND, predicted, strict=True) if row["urgent"])


def test_blind2_figures_do_not_regress() -> None:
    # Measured macro-F1 0.957 (0.919 before corpus/category_hand.jsonl), urgent recall 0.98 (64/65),
    # precision 0.67 at the default margin (0.77/0.69 before the urgency model of its own; blind2 has
    # been a development set for both models since).
    predicted = classify_many([row["text"] for row in BLIND2])
    truth = [row["category"] for row in BLIND2]
    assert f1_score(truth, [s.category for s in predicted], average="macro") >= 0.93
    flagged = [s.urgent for row, s in zip(BLIND2, predicted, strict=True) if row["urgent"]]
    assert sum(flagged) / len(flagged) >= 0.95


def test_urgent_dev_recall_and_precision() -> None:
    # Measured recall 1.00 (100/100), precision 0.94 at the default margin; category macro-F1 0.901
    # (0.849 before corpus/category_hand.jsonl, which was written after reading this set's errors).
    predicted = classify_many([row["text"] for row in URGENT_DEV])
    truth = [row["category"] for row in URGENT_DEV]
    assert f1_score(truth, [s.category for s in predicted], average="macro") >= 0.87
    hit = sum(1 for row, s in zip(URGENT_DEV, predicted, strict=True) if row["urgent"] and s.urgent)
    assert hit / sum(row["urgent"] for row in URGENT_DEV) >= 0.95
    assert hit / sum(s.urgent for s in predicted) >= 0.85


def test_heldout_urgent_recall(heldout_predictions: list) -> None:
    # Measured 1.0 on 19 urgent texts: at most one may be missed.
    flagged = [s.urgent for row, s in zip(HELDOUT, heldout_predictions, strict=True) if row["urgent"]]
    assert sum(flagged) / len(flagged) >= 0.94


def test_urgent_precision_is_not_bought_by_flagging_everything(heldout_predictions: list) -> None:
    calm = [s.urgent for row, s in zip(HELDOUT, heldout_predictions, strict=True) if not row["urgent"]]
    assert sum(calm) / len(calm) <= 0.15


@pytest.mark.parametrize(
    ("text", "category", "urgent"),
    [
        ("我老娘在家里跌了一跤 爬不起来 我人在外地", "elderly", True),
        ("三号楼的电梯又停了 上不去", "property", False),
        ("和平路口路灯坏了", "facility", False),
        ("家里一股煤气味 好浓", "safety", True),
        ("我不想活了", "psych", True),
        ("包工头欠我工资半年了 想起诉他", "legal", False),
        ("想报名社区的书法班", "culture", False),
        # Along the boundaries of DESIGN.md §11 that an old person's words used to pull to elderly:
        ("我妈八十了 右腿截肢 想申请残疾证和一辆轮椅", "disability", False),
        ("老爷子七十多 降压药快吃完了 家庭医生能不能上门开药", "health", False),
        ("我爸自从老伴走后天天流泪 想找心理咨询师开导开导他", "psych", False),
        ("小区里中心花园的路灯坏了 物业不修", "property", False),
        ("特地来感谢网格员小张 帮了我们家大忙", "other", False),
        ("高龄津贴要本人去办吗 需要带什么证件", "policy", False),
    ],
)
def test_typical_texts(text: str, category: str, urgent: bool) -> None:
    suggestion = classify(text)
    assert (suggestion.category, suggestion.urgent) == (category, urgent)
    assert 0 < suggestion.confidence <= 1


@pytest.mark.parametrize(
    "text", ["想给我妈家里装个燃气报警器", "我爸上个月摔过一次 现在好了", "社区能不能讲讲怎么防诈骗"]
)
def test_calm_mentions_of_emergencies_are_not_urgent_by_rule(text: str) -> None:
    assert not urgent_by_rule(text)


@pytest.mark.parametrize(
    "text",
    [
        "我爸这两天老说我要是不在了你们就轻松了 还把存折给了我",  # self-harm said as a supposition
        "楼下李奶奶两天没下楼了 敲门也没人应",
        "包工头跑了 我兜里就剩两块钱 今晚饭都吃不上",
        "马路上井盖没了 一个大窟窿 天黑看不见",
        "阿拉姆妈跌了一跤 额头磕破了血一直流",  # dialect, no 急 word
    ],
)
def test_urgent_situations_in_other_words_are_flagged(text: str) -> None:
    assert classify(text).urgent


@pytest.mark.parametrize(
    "text",
    [
        "急死了 孩子的学籍证明明天就要交 社区几点上班",  # 急 about a form
        "急急急 医保卡丢了怎么补办",
        "我爸上礼拜摔了一跤 已经住院治好了 想问问康复的事",  # over (but README: 上周煤气泄漏 still is)
        "万一老人半夜摔了没人知道 有没有呼叫器可以装",  # prevention
        "老板拖欠工资 现在电话也不接了 该去哪里投诉",  # a money dispute, not a missing person
    ],
)
def test_calm_texts_with_danger_words_are_not_flagged(text: str) -> None:
    assert not classify(text).urgent


def test_danger_features_name_the_kind_and_skip_calm_clauses() -> None:
    assert "selfharm" in dangers(normalise("他说要是我不在了你们会过得好点"))
    assert "gas" in dangers(normalise("楼道里一股很浓的煤气味"))
    assert dangers(normalise("我爸上个月摔过一次 现在好多了")) == []
    assert "unresponsive" not in dangers(normalise("包工头电话不接了"))
    assert "fire" not in dangers(normalise("万一着火了往哪跑"))


def test_empty_and_absurdly_long_texts_still_get_a_suggestion() -> None:
    empty, long = classify_many(["", "电梯坏了" * 5000])
    assert empty.category in CATEGORIES
    assert long.category == "property"


def test_confidence_is_a_probability_and_lower_for_a_vague_text() -> None:
    clear, vague = classify_many(["三号楼电梯坏了三天了 物业也不修", "你好"])
    assert 0.5 < clear.confidence <= 1
    assert 0 < vague.confidence < clear.confidence


def test_extra_rows_are_read_and_bad_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "corrections.jsonl"
    good = {"text": "门口大石头挡路", "category": "facility", "urgent": False, "source": "correction"}
    lines = [
        json.dumps(good, ensure_ascii=False),
        "not json",
        json.dumps({"text": "x", "category": "nonsense", "urgent": False}),
        json.dumps({"text": "x", "category": "other", "urgent": "yes"}),
        json.dumps(["a list"]),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert load_extra([path, tmp_path / "missing.jsonl"]) == [good]


def test_extra_corpus_comes_from_the_setting_or_the_environment(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TONGXIN_INSIGHT_EXTRA_CORPUS", raising=False)
    settings.TONGXIN_INSIGHT_EXTRA_CORPUS = None
    assert extra_corpus_paths() == []
    both = f"{tmp_path / 'a.jsonl'}{os.pathsep}{tmp_path / 'b.jsonl'}"
    monkeypatch.setenv("TONGXIN_INSIGHT_EXTRA_CORPUS", both)
    assert extra_corpus_paths() == [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    settings.TONGXIN_INSIGHT_EXTRA_CORPUS = [str(tmp_path / "c.jsonl")]
    assert extra_corpus_paths() == [tmp_path / "c.jsonl"]


def test_retraining_with_corrections_learns_them(tmp_path: Path) -> None:
    # A made-up word the corpus never saw, corrected by staff to one category many times.
    text = "咕噜噜设备又咕噜噜了"
    path = tmp_path / "corrections.jsonl"
    row = {"text": text, "category": "culture", "urgent": False, "source": "correction"}
    path.write_text("\n".join(json.dumps({**row, "text": f"{text}{i}"}) for i in range(5)), encoding="utf-8")
    saved = classifier._models
    try:
        classifier.retrain([path])
        assert classify(text).category == "culture"
    finally:
        classifier._models = saved


def test_the_urgent_margin_can_be_lowered_for_more_recall(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TONGXIN_INSIGHT_URGENT_MARGIN", raising=False)
    text = "三号楼电梯坏了三天了 物业也不修"
    assert classify(text).urgent is False
    settings.TONGXIN_INSIGHT_URGENT_MARGIN = -50
    assert classify(text).urgent is True
    settings.TONGXIN_INSIGHT_URGENT_MARGIN = None
    monkeypatch.setenv("TONGXIN_INSIGHT_URGENT_MARGIN", "not a number")
    assert classifier.urgent_margin() == classifier.URGENT_MARGIN
    monkeypatch.setenv("TONGXIN_INSIGHT_URGENT_MARGIN", "-0.5")
    assert classifier.urgent_margin() == -0.5

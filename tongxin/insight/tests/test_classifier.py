"""The classifier on hand-written texts it was not trained on (corpus/heldout.jsonl)."""

import json
from pathlib import Path

import pytest
from sklearn.metrics import f1_score

from tongxin.insight.classifier import CATEGORIES, classify, classify_many, load_corpus, urgent_by_rule

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS_DIR / name).read_text(encoding="utf-8").splitlines()]


HELDOUT = _rows("heldout.jsonl")
# Written after the corpus and the model were tuned, and evaluated without further tuning.
BLIND = _rows("heldout_blind.jsonl")


def test_heldout_is_not_in_the_training_corpus() -> None:
    trained = {str(row["text"]) for row in load_corpus()}
    assert not trained & {row["text"] for row in HELDOUT + BLIND}


def test_corpus_covers_every_category_with_enough_texts_and_some_urgent() -> None:
    rows = load_corpus()
    for code in CATEGORIES:
        assert sum(1 for r in rows if r["category"] == code) >= 150, code
    share = sum(1 for r in rows if r["urgent"]) / len(rows)
    assert 0.1 <= share <= 0.25


@pytest.fixture(scope="module")
def heldout_predictions() -> list:
    return classify_many([row["text"] for row in HELDOUT])


def test_heldout_macro_f1(heldout_predictions: list) -> None:
    # Measured 0.95 (bench/insight_eval.py); this set guided one round of error analysis, so the
    # honest figure is the blind set's below.
    truth = [row["category"] for row in HELDOUT]
    predicted = [s.category for s in heldout_predictions]
    assert f1_score(truth, predicted, average="macro") >= 0.9


def test_blind_macro_f1_and_urgent_recall() -> None:
    # Measured macro-F1 0.78 and urgent recall 9/9 on 70 texts: below the 0.85 target.
    predicted = classify_many([row["text"] for row in BLIND])
    truth = [row["category"] for row in BLIND]
    assert f1_score(truth, [s.category for s in predicted], average="macro") >= 0.72
    assert all(s.urgent for row, s in zip(BLIND, predicted, strict=True) if row["urgent"])


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


def test_empty_and_absurdly_long_texts_still_get_a_suggestion() -> None:
    empty, long = classify_many(["", "电梯坏了" * 5000])
    assert empty.category in CATEGORIES
    assert long.category == "property"

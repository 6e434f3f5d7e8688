"""Held-out figures of the need classifier and the duplicate scorer (tongxin.insight).

    .venv/bin/python bench/insight_eval.py [--heldout FILE ...] [--pairs FILE ...] [--extra FILE ...]
        [--cv] [--margins M ...]

Prints, for each held-out file of {"text", "category", "urgent"} lines (default, in
tongxin/insight/corpus/, those that exist: heldout.jsonl and heldout_blind.jsonl by the corpus
author, both used for error analysis; heldout_blind2.jsonl and heldout_urgent_dev.jsonl by two other
authors, the development sets of the urgency model and since of the category model too;
heldout_urgent_test.jsonl by a fourth author, the urgency test set, evaluated once on its final model;
heldout_cat_test.jsonl by a fifth author, the category test set, evaluated once on the final category
model — see the README): macro-F1, per-category F1, the
most frequent confusions, urgent recall and precision at the configured margin; for each pairs file
({"a", "b", "duplicate"}; default pairs_heldout.jsonl and pairs_blind.jsonl): duplicate precision,
recall and accuracy; then the time to train on first use, classify throughput in batches (texts/s)
and single-text latency (the suggestion while a resident types). No database is needed.

--margins M ... adds urgent recall and precision at other margins of the urgency model (model OR
keyword net, as classify_many), to choose TONGXIN_INSIGHT_URGENT_MARGIN. --extra FILE trains with
extra rows too (e.g. staff corrections from `manage.py export_need_corrections`), to see what they
change before pointing TONGXIN_INSIGHT_EXTRA_CORPUS at them. --cv adds a 5-fold cross-validation
over the hand-written training texts (composed texts always in training).
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import collections
import itertools
import random

from sklearn.metrics import f1_score, precision_recall_fscore_support

from tongxin.insight import classifier
from tongxin.insight.duplicates import THRESHOLD, pair_score

CORPUS = Path(__file__).resolve().parents[1] / "tongxin" / "insight" / "corpus"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def eval_classifier(path: Path, margins: list[float]) -> None:
    rows = _rows(path)
    predicted = classifier.classify_many([r["text"] for r in rows])
    truth = [r["category"] for r in rows]
    guess = [s.category for s in predicted]
    labels = sorted(set(truth))
    print(f"\n== {path.name}: {len(rows)} texts, {sum(r['urgent'] for r in rows)} urgent")
    print(f"macro-F1 {f1_score(truth, guess, average='macro', labels=labels):.3f}")
    _, _, f1s, support = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    for label, f1, n in zip(labels, f1s, support, strict=True):
        print(f"  {label:<11} F1 {f1:.2f}  (n={n})")
    confusions = collections.Counter((t, g) for t, g in zip(truth, guess, strict=True) if t != g)
    print(
        "confusions (true -> guessed):", ", ".join(f"{t}->{g} {n}" for (t, g), n in confusions.most_common(8))
    )
    hit = sum(1 for r, s in zip(rows, predicted, strict=True) if r["urgent"] and s.urgent)
    flagged = sum(s.urgent for s in predicted)
    urgent = sum(r["urgent"] for r in rows)
    print(
        f"urgent recall {hit / max(urgent, 1):.3f} ({hit}/{urgent}), "
        f"precision {hit / max(flagged, 1):.3f} ({hit}/{flagged}) at margin {classifier.urgent_margin()}"
    )
    if margins:
        sweep(rows, margins)


def sweep(rows: list[dict], margins: list[float]) -> None:
    """Urgent recall and precision at other margins (model OR keyword net, as classify_many)."""
    scores = classifier.urgent_scores([r["text"] for r in rows])
    truth = [bool(r["urgent"]) for r in rows]
    for margin in margins:
        flagged = [g >= margin or net for g, net in scores]
        hit = sum(f and t for f, t in zip(flagged, truth, strict=True))
        print(
            f"  margin {margin:+.2f}: recall {hit / max(sum(truth), 1):.3f} ({hit}/{sum(truth)}), "
            f"precision {hit / max(sum(flagged), 1):.3f} ({hit}/{sum(flagged)})"
        )


def cross_validate(folds: int = 5) -> None:
    rows = classifier.load_corpus()
    composed = [r for r in rows if r.get("source") == "composed"]
    hand = [r for r in rows if r.get("source") != "composed"]
    random.Random(1).shuffle(hand)
    truth: list[str] = []
    guess: list[str] = []
    urgent: list[bool] = []
    flagged: list[bool] = []
    saved = classifier._models
    try:
        for k in range(folds):
            test = hand[k::folds]
            train = composed + [r for i, r in enumerate(hand) if i % folds != k]
            classifier._models = classifier.train(train)
            predicted = classifier.classify_many([str(r["text"]) for r in test])
            truth += [str(r["category"]) for r in test]
            guess += [s.category for s in predicted]
            urgent += [bool(r["urgent"]) for r in test]
            flagged += [s.urgent for s in predicted]
    finally:
        classifier._models = saved
    hit = sum(u and f for u, f in zip(urgent, flagged, strict=True))
    print(f"\n== {folds}-fold over the {len(hand)} hand-written training texts")
    print(f"macro-F1 {f1_score(truth, guess, average='macro'):.3f}")
    print(
        f"urgent recall {hit / max(sum(urgent), 1):.3f} ({hit}/{sum(urgent)}), "
        f"precision {hit / max(sum(flagged), 1):.3f} ({hit}/{sum(flagged)})"
    )


def eval_pairs(path: Path) -> None:
    rows = _rows(path)
    predicted = [pair_score(r["a"], r["b"]) >= THRESHOLD for r in rows]
    tp = sum(p and r["duplicate"] for p, r in zip(predicted, rows, strict=True))
    fp = sum(p and not r["duplicate"] for p, r in zip(predicted, rows, strict=True))
    positives = sum(r["duplicate"] for r in rows)
    right = sum(p == r["duplicate"] for p, r in zip(predicted, rows, strict=True))
    print(f"\n== {path.name}: {len(rows)} pairs, {positives} duplicates")
    print(
        f"duplicate precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(positives, 1):.3f}, "
        f"accuracy {right / len(rows):.3f}"
    )


def throughput(extra: list[Path]) -> None:
    started = time.perf_counter()
    if extra:
        print(
            f"training with {len(classifier.load_extra(extra))} extra rows from {', '.join(map(str, extra))}"
        )
        classifier.retrain(extra)
    else:
        classifier.models()
    print(f"\ntraining on first use: {time.perf_counter() - started:.2f} s")
    texts = [r["text"] for r in _rows(CORPUS / "heldout.jsonl")]
    batch = (texts * (10_000 // len(texts) + 1))[:10_000]
    started = time.perf_counter()
    classifier.classify_many(batch)
    elapsed = time.perf_counter() - started
    print(f"classify_many: {len(batch)} texts in {elapsed:.2f} s = {len(batch) / elapsed:,.0f} texts/s")
    single = []
    for text in texts[:100]:
        started = time.perf_counter()
        classifier.classify(text)
        single.append(time.perf_counter() - started)
    print(f"classify one text: median {statistics.median(single) * 1000:.1f} ms")
    pairs = [(a, b) for a, b in itertools.pairwise(texts)] * 10
    started = time.perf_counter()
    for a, b in pairs:
        pair_score(a, b)
    elapsed = time.perf_counter() - started
    print(f"pair_score: {len(pairs) / elapsed:,.0f} pairs/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--heldout",
        type=Path,
        nargs="*",
        default=[
            CORPUS / "heldout.jsonl",
            CORPUS / "heldout_blind.jsonl",
            CORPUS / "heldout_blind2.jsonl",
            CORPUS / "heldout_urgent_dev.jsonl",
            CORPUS / "heldout_urgent_test.jsonl",
            CORPUS / "heldout_cat_test.jsonl",
        ],
    )
    parser.add_argument(
        "--margins",
        type=float,
        nargs="*",
        default=[],
        help="also print urgent recall/precision at these margins (e.g. -0.2 -0.3 -0.4 -0.5)",
    )
    parser.add_argument("--extra", type=Path, nargs="*", default=[], help="extra training rows (corrections)")
    parser.add_argument("--cv", action="store_true", help="5-fold over the hand-written training texts")
    parser.add_argument(
        "--pairs",
        type=Path,
        nargs="*",
        default=[CORPUS / "pairs_heldout.jsonl", CORPUS / "pairs_blind.jsonl"],
    )
    args = parser.parse_args()
    throughput(args.extra)
    if args.cv:
        cross_validate()
    for path in args.heldout:
        if path.exists():
            eval_classifier(path, args.margins)
    for path in args.pairs:
        eval_pairs(path)


if __name__ == "__main__":
    main()

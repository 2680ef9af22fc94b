"""Metrics against values worked out by hand on small cases."""

from __future__ import annotations

import math

import pytest

from evals import metrics as m
from evals.commands import threshold_failures
from evals.judge import parse_score
from evals.report import deltas
from evals.runner import aggregate, summarize

REL = {"a", "b"}


def test_retrieval_metrics_dedupe_before_ranking() -> None:
    # Passages from docs x, x, a, x, b: deduplicated ranks are x=1, a=2, b=3.
    retrieved = ["x", "x", "a", "x", "b"]
    assert m.hit_rate(retrieved, REL, 5) == 1.0
    assert m.mrr(retrieved, REL, 5) == 0.5
    # DCG = 1/log2(3) + 1/log2(4) = 0.63093 + 0.5; IDCG = 1 + 0.63093.
    expected = (1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3))
    assert m.ndcg(retrieved, REL, 5) == pytest.approx(expected)
    assert m.ndcg(retrieved, REL, 5) == pytest.approx(0.6934, abs=1e-4)
    assert m.context_recall(retrieved, REL) == 1.0


def test_k_cuts_the_deduplicated_list_not_the_raw_one() -> None:
    # Raw top-2 is [x, x]; deduplicated top-2 is [x, a].
    assert m.hit_rate(["x", "x", "a"], {"a"}, 2) == 1.0
    assert m.mrr(["x", "x", "a"], {"a"}, 1) == 0.0


def test_ndcg_ideal_uses_min_of_relevant_and_k() -> None:
    # Three relevant docs but k=1: one perfect slot is a perfect ranking.
    assert m.ndcg(["a", "x"], {"a", "b", "c"}, 1) == 1.0
    # k=3, one relevant doc at rank 3: DCG = 1/log2(4) = 0.5, IDCG = 1.
    assert m.ndcg(["x", "y", "a"], {"a"}, 3) == pytest.approx(0.5)
    # Two relevant, both found at ranks 1 and 3 of k=3: (1 + 0.5) / (1 + 0.63093).
    assert m.ndcg(["a", "y", "b"], {"a", "b"}, 3) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    assert m.ndcg(["x", "y"], {"a"}, 2) == 0.0


def test_retrieval_metrics_are_null_without_reference_sources() -> None:
    for metric in (m.hit_rate, m.mrr, m.ndcg):
        assert metric(["a"], set(), 5) is None
    assert m.context_recall(["a"], []) is None


def test_citation_precision_and_recall() -> None:
    cited = ["a", "a", "x", "b"]  # four citations, three on reference sources
    assert m.citation_precision(cited, REL) == 0.75
    assert m.citation_recall(cited, {"a", "b", "c"}) == pytest.approx(2 / 3)
    assert m.citation_precision([], REL) is None  # no citations at all: unmeasured, not 0
    assert m.citation_recall([], REL) == 0.0  # an answerable question left uncited: 0
    assert m.citation_recall(["a"], set()) is None


def test_answer_f1_follows_squad_normalisation() -> None:
    assert m.normalize_answer("The Embassy, in CARACAS!") == "embassy in caracas"
    assert m.answer_f1("The 72 hours. [1]", "72 hours") == 1.0
    # pred tokens: it expired after 72 hours (5); ref: 72 hours (2); common 2.
    assert m.answer_f1("It expired after 72 hours [2].", "72 hours") == pytest.approx(
        2 * (2 / 5) * 1.0 / (2 / 5 + 1.0)
    )
    assert m.answer_f1("Oil.", "72 hours") == 0.0
    assert m.answer_f1("Anything", None) is None
    assert m.answer_f1("the", "a") == 1.0  # both normalise to nothing


def test_faithfulness_maps_sentences_to_their_markers() -> None:
    text = "Closed in 2019. [1] It reopened. [2] [3] Uncited claim."
    # Sentence 2 is backed by [3] although [2] is not; sentence 3 has no marker.
    assert m.sentence_markers(text) == [[1], [2, 3], []]
    assert m.faithfulness(text, {1: True, 2: False, 3: True}) == pytest.approx(2 / 3)
    assert m.faithfulness("Only claim. [1]", {1: False}) == 0.0
    assert m.faithfulness("[1]", {1: True}) is None  # no sentence at all


def test_refusal_latency_and_means() -> None:
    assert [m.refusal_correct(a, r) for a, r in [(True, False), (False, False)]] == [1.0, 0.0]
    assert m.percentile([100.0, 200.0, 300.0, 400.0, 500.0], 50) == 300.0
    assert m.percentile([100.0, 200.0], 95) == pytest.approx(195.0)
    assert m.mean_defined([None, None]) is None
    assert m.cosine([0.0, 0.0], [1.0, 0.0]) is None


def _row(
    qtype: str, error: str | None = None, latency: float | None = 10.0, **scores: float
) -> dict:
    metrics = dict.fromkeys(
        [
            "hit_rate",
            "mrr",
            "ndcg",
            "context_recall",
            "citation_precision",
            "citation_recall",
            "answer_f1",
            "answer_similarity",
            "faithfulness",
            "refusal_accuracy",
        ]
    )
    metrics.update(scores)
    return {"question_type": qtype, "error": error, "latency_ms": latency, "metrics": metrics}


def test_aggregates_are_means_over_defined_items_and_skip_errors() -> None:
    rows = [
        _row("fact", hit_rate=1.0, refusal_accuracy=1.0, latency=10.0),
        _row("fact", hit_rate=0.0, refusal_accuracy=1.0, latency=30.0),
        _row("unanswerable", refusal_accuracy=0.0, latency=20.0),  # hit_rate undefined
        _row("fact", error="boom", latency=None),
    ]
    result = aggregate(rows)
    assert result["hit_rate"] == 0.5  # not 1/3: the unanswerable item is not a miss
    assert result["refusal_accuracy"] == pytest.approx(2 / 3)
    assert result["citation_precision"] is None  # never defined: null, never 0
    assert result["latency_p50_ms"] == 20.0
    summary = summarize(rows, config={"k": 5})
    assert (summary["n"], summary["errors"]) == (4, 1)
    assert summary["by_question_type"]["fact"]["metrics"]["hit_rate"] == 0.5
    assert summary["by_question_type"]["unanswerable"]["metrics"]["hit_rate"] is None


def test_all_unanswerable_suite_has_null_answer_metrics() -> None:
    result = aggregate([_row("unanswerable", refusal_accuracy=1.0)])
    assert result["answer_f1"] is None and result["ndcg"] is None
    assert result["refusal_accuracy"] == 1.0


def test_deltas_and_thresholds() -> None:
    assert deltas({"mrr": 0.5, "ndcg": 0.2}, {"mrr": 0.25}) == {"mrr": 0.25, "ndcg": None}
    lines = threshold_failures(
        {"mrr": 0.5, "ndcg": 0.9, "latency_p95_ms": 250.0},
        [("mrr", 0.6), ("ndcg", 0.9), ("latency_p95_ms", 200.0)],
    )
    assert lines == ["FAIL mrr = 0.500 < 0.600", "FAIL latency_p95_ms = 250.0 > 200.0"]


@pytest.mark.parametrize(
    ("reply", "score"),
    [
        ('{"score": 1}', 1.0),
        ('Sure! {"score": 0.25} Hope that helps.', 0.25),
        ('```json\n{"reasoning": "ok", "score": 0}\n```', 0.0),
        ("The answer is correct.", None),
        ('{"score": "high"}', None),
        ('{"score": 1.5}', None),
        ('{"score": true}', None),
        ("", None),
    ],
)
def test_parse_score(reply: str, score: float | None) -> None:
    assert parse_score(reply) == score

"""Issue-12 answer metrics: answered/refused sides, key facts, follow-ups, answer length."""

from __future__ import annotations

from typing import Any

import pytest

from evals import fact_metrics as fm
from evals.datasets import EvalItem
from evals.report import render_markdown
from evals.runner import ITEM_METRICS, METRICS, aggregate, score_answer, summarize
from rag import Answer


def test_fold_and_phrase_matching() -> None:
    assert fm.fold("Delcy Rodríguez's “acting” role!") == "delcy rodriguezs acting role"
    assert fm.contains_phrase("Delcy Rodríguez's deputy", "delcy rodriguez")
    assert fm.contains_phrase("the U.S. Embassy", "US embassy")
    assert fm.contains_phrase("20,000 people", "20000")
    assert not fm.contains_phrase("in 2019", "201")
    assert not fm.contains_phrase("Iranian", "Iran")


def test_key_fact_requires_every_part_of_a_joined_reference() -> None:
    text = "Delcy Rodríguez, formerly Maduro's vice president. [1]"
    assert fm.key_fact(text, "Delcy Rodriguez") == 1.0
    assert fm.key_fact(text, "Delcy Rodríguez; vice president") == 1.0
    assert fm.key_fact(text, "Delcy Rodríguez; foreign minister") == 0.0
    assert fm.key_fact(text, "Delcy Rodríguez", refused=True) == 0.0
    assert fm.key_fact(text, None) is None and fm.key_fact(text, " ; ") is None
    assert fm.key_fact("It closed [1] in 2019. [2]", "closed in 2019") == 1.0  # markers stripped


def test_answered_refused_and_follow_up_sides() -> None:
    assert [fm.answered(True, r) for r in (False, True)] == [1.0, 0.0]
    assert fm.answered(False, False) is None
    assert [fm.refused_unanswerable(False, r) for r in (True, False)] == [1.0, 0.0]
    assert fm.refused_unanswerable(True, False) is None
    assert fm.follow_up_right(True, True, False, 0.0) == 0.0
    assert fm.follow_up_right(True, False, False, None) == 0.0
    assert fm.follow_up_right(True, True, True, None) == 0.0
    assert fm.follow_up_right(False, False, True, None) is None


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Delcy Rodríguez [1]", 1),
        ("It reopened. [1] It closed in 2019. [2]", 2),
        ("Mr. Rubio met Dr. Smith in the U.S. on Jan. 5. [1] Then he left!", 2),
        ('"We will return," she said. [1] Nobody knows when. [2] Why? [3]', 3),
        ("The articles do not say.", 1),
        ("", 0),
    ],
)
def test_sentence_count(text: str, count: int) -> None:
    assert fm.count_sentences(text) == count


def item(**fields: Any) -> EvalItem:
    return EvalItem(**({"id": "q", "user_input": "Who?"} | fields))


def test_score_answer_fills_the_new_metrics() -> None:
    answer = Answer(text="Delcy Rodríguez is acting president. [1] She was vice president. [1]")
    scores = score_answer(item(reference="Delcy Rodriguez; vice president"), answer, k=5)
    assert scores["answered_rate"] == 1.0 and scores["refused_rate"] is None
    assert scores["key_fact"] == 1.0 and scores["follow_up_accuracy"] is None
    assert scores["answer_sentences"] == 2
    # The fact must be in the opening sentence for the stricter metric.
    assert scores["key_fact_opening"] == 0.0  # 'vice president' comes only later
    quoted = Answer(text="Brightwell [1]. Brightwell would sell it to Corvane Partners. [1]")
    scores = score_answer(item(reference="Corvane Partners"), quoted, k=5)
    assert scores["key_fact"] == 1.0 and scores["key_fact_opening"] == 0.0
    opened = Answer(text="Corvane Partners [1]. The sale to Corvane Partners closed. [1]")
    assert score_answer(item(reference="Corvane Partners"), opened, k=5)["key_fact_opening"] == 1.0
    refusal = Answer(text="The articles do not say.", refused=True)
    history = (("user", "Who is she?"), ("assistant", "Delcy Rodríguez. [1]"))
    scores = score_answer(item(answerable=False, history=history), refusal, k=5)
    assert scores["refused_rate"] == 1.0 and scores["answered_rate"] is None
    assert scores["follow_up_accuracy"] == 1.0 and scores["key_fact"] is None
    assert scores["answer_sentences"] is None  # a refusal is not an answer's length
    scores = score_answer(item(reference="72 hours", history=history), refusal, k=5)
    assert (scores["answered_rate"], scores["key_fact"], scores["follow_up_accuracy"]) == (
        0.0,
        0.0,
        0.0,
    )


def row(qtype: str, sentences: int | None = None, **scores: float) -> dict[str, Any]:
    metrics: dict[str, Any] = dict.fromkeys(ITEM_METRICS) | scores
    metrics["answer_sentences"] = sentences
    return {"question_type": qtype, "error": None, "latency_ms": 5.0, "metrics": metrics}


def test_aggregates_by_question_type_and_the_sentence_median() -> None:
    rows = [
        row("fact", 1, answered_rate=1.0, key_fact=1.0),
        row("fact", 3, answered_rate=1.0, key_fact=0.0),
        row("fact", None, answered_rate=0.0, key_fact=0.0),
        row("unanswerable", None, refused_rate=1.0),
        row("unanswerable", 4, refused_rate=0.0),
        row("follow_up", 2, answered_rate=1.0, key_fact=1.0, follow_up_accuracy=1.0),
    ]
    result = aggregate(rows)
    assert list(result) == list(METRICS)
    assert result["answered_rate"] == 0.75 and result["refused_rate"] == 0.5
    assert result["key_fact"] == 0.5 and result["follow_up_accuracy"] == 1.0
    assert result["answer_sentences_median"] == 2.5  # of 1, 3, 4, 2
    by_type = summarize(rows, config={})["by_question_type"]
    assert by_type["fact"]["metrics"]["key_fact"] == pytest.approx(1 / 3)
    assert by_type["fact"]["metrics"]["answer_sentences_median"] == 2.0
    assert by_type["unanswerable"]["metrics"]["refused_rate"] == 0.5
    assert by_type["unanswerable"]["metrics"]["answered_rate"] is None


def test_report_shows_the_new_metrics_per_type() -> None:
    rows = [row("fact", 1, answered_rate=1.0, key_fact=1.0)]
    for r in rows:
        r |= {"id": "q", "user_input": "Who?", "answerable": True, "refused": False}
        r |= {"reference": None, "response": "A. [1]", "judge": None}
    text = render_markdown(summarize(rows, config={}), rows)
    by_type = text.split("## By question type")[1]
    assert "key_fact" in by_type and "answer_sentences_median" in by_type
    assert "| fact | 1 |" in by_type and "| 1.0 |" in by_type

"""Runs a suite through the public ``Assistant`` API: per-item rows, then aggregates."""

from __future__ import annotations

import hashlib
import logging
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals import fact_metrics as fm
from evals import metrics as m
from evals.datasets import EvalItem, sources_from_contexts
from rag import InputError, RagError

if TYPE_CHECKING:
    from evals.judge import Judge
    from rag import Answer, Assistant

log = logging.getLogger(__name__)
Row = dict[str, Any]
# Per-item metrics, in report order; the two latency percentiles exist only in aggregate.
ITEM_METRICS = (
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
    "answered_rate",
    "refused_rate",
    "key_fact",
    "key_fact_opening",
    "follow_up_accuracy",
)
# Aggregates that are not means of a per-item metric; lower is better for all of them.
CEILING_METRICS = ("answer_sentences_median", "latency_p50_ms", "latency_p95_ms")
METRICS = (*ITEM_METRICS, *CEILING_METRICS)


def score_answer(
    item: EvalItem, answer: Answer, *, k: int, similarity: float | None = None
) -> dict[str, float | None]:
    """Every per-item metric of one answer; only refusal metrics for unanswerable items.

    ``answer_sentences`` (None for a refusal) is per item only: summaries give its median.
    """
    scores: dict[str, float | None] = dict.fromkeys(ITEM_METRICS)
    fact = fm.key_fact(answer.text, item.reference, refused=answer.refused)
    scores |= {
        "refusal_accuracy": m.refusal_correct(item.answerable, answer.refused),
        "answered_rate": fm.answered(item.answerable, answer.refused),
        "refused_rate": fm.refused_unanswerable(item.answerable, answer.refused),
        "follow_up_accuracy": fm.follow_up_right(
            bool(item.history), item.answerable, answer.refused, fact
        ),
        "answer_sentences": None if answer.refused else fm.count_sentences(answer.text),
    }
    if not item.answerable:
        return scores
    retrieved = [p.chunk.doc_id for p in answer.passages]
    cited = [c.doc_id for c in answer.citations]
    relevant = set(item.reference_sources)
    scores |= {
        "hit_rate": m.hit_rate(retrieved, relevant, k),
        "mrr": m.mrr(retrieved, relevant, k),
        "ndcg": m.ndcg(retrieved, relevant, k),
        "context_recall": m.context_recall(retrieved, relevant),
        "citation_precision": m.citation_precision(cited, relevant),
        "citation_recall": m.citation_recall(cited, relevant),
        "answer_f1": m.answer_f1(answer.text, item.reference),
        "answer_similarity": similarity,
        "key_fact": fact,
        # Stricter: the fact in the short answer itself, not only in the quote after it.
        "key_fact_opening": fm.key_fact(
            fm.opening(answer.text), item.reference, refused=answer.refused
        ),
        # A refusal has no sentences to be faithful or not: unmeasured, not 0.
        "faithfulness": None
        if answer.refused
        else m.faithfulness(answer.text, {c.number: c.supported for c in answer.citations}),
    }
    return scores


def _similarity(assistant: Assistant, answer: Answer, reference: str | None) -> float | None:
    """Embedding cosine between the answer (markers stripped) and the reference."""
    text = m.strip_markers(answer.text)
    if reference is None or not text or not reference.strip():
        return None
    vectors = assistant.embedder.embed([text, reference])
    return m.cosine([float(x) for x in vectors[0]], [float(x) for x in vectors[1]])


def _base_row(item: EvalItem) -> Row:
    """The item's own fields, in ragas column names where ragas has one."""
    return {
        "id": item.id,
        "question_type": item.question_type,
        "answerable": item.answerable,
        "user_input": item.user_input,
        "history": item.history_messages(),
        "reference": item.reference,
        "reference_sources": list(item.reference_sources),
        "response": None,
        "refused": None,
        "retrieved_contexts": [],
        "retrieved_ids": [],
        "citations": [],
        "metrics": dict.fromkeys(ITEM_METRICS),
        "latency_ms": None,
        "error": None,
        "judge": None,
    }


def check_answerer(assistant: Assistant, answerer: str | None) -> None:
    """A clear error for an unknown answerer name, before anything is ingested."""
    if answerer is not None and answerer not in assistant.answerers():
        choices = ", ".join(assistant.answerers())
        raise InputError(f"Unknown answerer {answerer!r}: choose one of {choices}.")


def evaluate_item(
    assistant: Assistant,
    item: EvalItem,
    *,
    k: int,
    answerer: str | None = None,
    judge: Judge | None = None,
) -> Row:
    """Ask one question and score it; a failure becomes the row's ``error``, never a raise."""
    row = _base_row(item)
    clock = time.perf_counter()
    try:
        answer = assistant.ask(
            item.user_input, history=item.history_messages() or None, k=k, answerer=answerer
        )
        row["latency_ms"] = round((time.perf_counter() - clock) * 1000, 2)
        similarity = _similarity(assistant, answer, item.reference) if item.answerable else None
    except RagError as exc:
        row["error"] = str(exc)
        return row
    except Exception as exc:  # a bug in the chain must not lose the other items
        log.exception("item %s failed", item.id)
        row["error"] = f"Internal error: {type(exc).__name__}: {exc}"
        return row
    row |= {
        "response": answer.text,
        "refused": answer.refused,
        "notice": answer.notice,
        "answerer": answer.answerer,
        "condensed_question": answer.condensed_question,
        "retrieved_contexts": [p.chunk.text for p in answer.passages],
        "retrieved_ids": m.dedupe(p.chunk.doc_id for p in answer.passages),
        "citations": [c.model_dump(mode="json") for c in answer.citations],  # the API's schema
        "metrics": score_answer(item, answer, k=k, similarity=similarity),
        "timings": answer.timings,
    }
    if judge is not None:
        quotes = [c.quote for c in answer.citations]
        row["judge"] = judge.grade(
            question=item.user_input,
            answer=m.strip_markers(answer.text),
            reference=item.reference if item.answerable else None,
            quotes=quotes,
            refused=answer.refused,
        ).to_dict()
    return row


def evaluate(
    *,
    assistant: Assistant,
    items: Sequence[EvalItem],
    k: int | None = None,
    answerer: str | None = None,
    concurrency: int = 1,
    judge: Judge | None = None,
    on_row: Callable[[Row], None] | None = None,
) -> list[Row]:
    """One row per item, in suite order, asking up to ``concurrency`` questions at once."""
    top_k = k or assistant.settings.top_k
    rows: list[Row | None] = [None] * len(items)
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {
            pool.submit(evaluate_item, assistant, item, k=top_k, answerer=answerer, judge=judge): i
            for i, item in enumerate(items)
        }
        for future in as_completed(futures):
            row = future.result()  # evaluate_item never raises
            rows[futures[future]] = row
            if on_row is not None:
                on_row(row)
    return [row for row in rows if row is not None]


def aggregate(rows: Sequence[Row]) -> dict[str, float | None]:
    """Means of each metric over the rows where it is defined, plus latency percentiles."""
    ok = [r for r in rows if r["error"] is None]
    result = {name: m.mean_defined(r["metrics"].get(name) for r in ok) for name in ITEM_METRICS}
    result["answer_sentences_median"] = fm.median(r["metrics"].get("answer_sentences") for r in ok)
    latencies = [float(r["latency_ms"]) for r in ok if r["latency_ms"] is not None]
    result["latency_p50_ms"] = m.percentile(latencies, 50)
    result["latency_p95_ms"] = m.percentile(latencies, 95)
    return result


def judge_summary(rows: Sequence[Row], note: str | None = None) -> dict[str, Any]:
    """Mean judge scores and the count of unreadable grades."""
    graded = [r["judge"] for r in rows if r.get("judge")]
    return {
        "enabled": bool(graded),
        "note": note,
        "correctness": m.mean_defined(g["correctness"] for g in graded),
        "faithfulness": m.mean_defined(g["faithfulness"] for g in graded),
        "judge_invalid": sum(g["invalid"] for g in graded),
    }


def summarize(
    rows: Sequence[Row], *, config: dict[str, Any], judge_note: str | None = None
) -> dict[str, Any]:
    """summary.json: counts, metrics, per-question_type breakdown, judge, config."""
    by_type: dict[str, list[Row]] = {}
    for row in rows:
        by_type.setdefault(row["question_type"] or "unlabelled", []).append(row)
    return {
        "n": len(rows),
        "errors": sum(1 for r in rows if r["error"] is not None),
        "metrics": aggregate(rows),
        "by_question_type": {
            name: {
                "n": len(group),
                "errors": sum(1 for r in group if r["error"] is not None),
                "metrics": aggregate(group),
            }
            for name, group in sorted(by_type.items())
        },
        "judge": judge_summary(rows, judge_note),
        "config": config,
    }


def resolve_sources(assistant: Assistant, items: Sequence[EvalItem]) -> list[EvalItem]:
    """Fill missing reference_sources from reference_contexts found in indexed documents."""
    if not any(i.reference_contexts and not i.reference_sources for i in items):
        return list(items)
    texts = {d.doc_id: assistant.document_text(d.doc_id) for d in assistant.documents()}
    return [
        replace(i, reference_sources=sources_from_contexts(i.reference_contexts, texts))
        if i.reference_contexts and not i.reference_sources
        else i
        for i in items
    ]


def corpus_hash(root: str | Path) -> str:
    """sha256 over the sorted relative file names and bytes of a corpus directory."""
    root = Path(root)
    digest = hashlib.sha256()
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        name = path.name if path == root else path.relative_to(root).as_posix()
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def git_commit(cwd: str | Path | None = None) -> str | None:
    """``git rev-parse HEAD``, or None outside a repository or before the first commit."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None

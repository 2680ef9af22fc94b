"""`rag eval` end to end: outputs, thresholds, baselines, failing items and the LLM judge."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from evals.commands import NO_LLM_NOTE, register
from evals.datasets import read_jsonl
from evals.runner import METRICS
from tests.servers.scripted_openai import ScriptedOpenAIServer, quote_first_passage

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "evals" / "data" / "tiny.jsonl"
OUTPUTS = ("items.jsonl", "summary.json", "report.md", "report.html")
FAST_ENV = {"RAG_EMBED_MODE": "hashing", "RAG_LLM_MODE": "extractive"}


def eval_app() -> typer.Typer:
    """A fresh CLI holding only the eval command (the real `rag` registers it the same way)."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Keep `eval` a subcommand."""

    register(app)
    return app


def run_eval(*args: str, env: dict[str, str] | None = None) -> Any:
    """Invoke `eval` in process; the store is temporary unless --data-dir is given."""
    return CliRunner().invoke(
        eval_app(), ["eval", *args, "--corpus", str(ROOT / "seeds")], env=env or FAST_ENV
    )


def summary_of(out: Path) -> dict[str, Any]:
    return json.loads((out / "summary.json").read_text())


def suite(tmp_path: Path, ids: set[str], extra: list[dict[str, Any]] | None = None) -> Path:
    """A copy of the tiny suite keeping ``ids``, plus extra items."""
    rows = [r for r in read_jsonl(TINY) if r["id"] in ids] + (extra or [])
    path = tmp_path / "suite.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.slow
def test_rag_eval_writes_all_outputs_and_fails_an_impossible_gate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "rag"),
            "eval",
            str(TINY),
            "--corpus",
            "seeds",
            "--out",
            str(out),
            "--fail-under",
            "answer_f1=1.01",
            "--fail-under",
            "hit_rate=0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "FAIL answer_f1" in done.stderr and "FAIL hit_rate" not in done.stderr
    assert all((out / name).is_file() for name in OUTPUTS)
    summary = summary_of(out)
    assert list(summary["metrics"]) == list(METRICS)
    assert (summary["n"], summary["errors"]) == (4, 0)
    assert summary["metrics"]["refusal_accuracy"] is not None
    assert set(summary["by_question_type"]) == {"single_fact", "follow_up", "unanswerable"}
    config = summary["config"]
    assert config["embedder"] == "minilm-l6-int8q" and config["answerer"] == "reader"
    assert config["k"] == 5 and len(config["corpus_hash"]) == 64
    assert {"git_commit", "dataset", "timestamp"} <= set(config)
    rows = read_jsonl(out / "items.jsonl")
    assert [r["id"] for r in rows] == ["t1", "t2", "t3", "t4"]
    for row in rows:
        assert {"user_input", "response", "retrieved_contexts", "reference"} <= set(row)
        assert row["error"] is None and row["retrieved_ids"]
    assert rows[0]["metrics"]["hit_rate"] == 1.0  # the Manhattan court question is easy
    assert rows[3]["metrics"]["hit_rate"] is None  # unanswerable: retrieval not scored
    assert "answer_f1" in (out / "report.md").read_text()
    assert "Traceback" not in done.stderr


def test_baseline_deltas_are_printed_and_saved(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    store = tmp_path / "store"
    assert run_eval(str(TINY), "--out", str(first), "--data-dir", str(store)).exit_code == 0
    assert (store / "chroma").is_dir()  # --data-dir keeps the store
    result = run_eval(str(TINY), "--out", str(second), "--baseline", str(first / "summary.json"))
    assert result.exit_code == 0, result.output
    assert "Δ vs baseline" in result.stdout
    summary = summary_of(second)
    deltas = summary["baseline"]["deltas"]
    assert set(deltas) == set(METRICS)
    assert deltas["hit_rate"] == 0.0  # hashing embedder: the same retrieval twice
    assert "Δ vs baseline" in (second / "report.md").read_text()
    assert "Δ vs baseline" in (second / "report.html").read_text()


def test_a_failing_item_keeps_the_other_results(tmp_path: Path) -> None:
    wrong = {"id": "wrong", "user_input": "Who is Juan Guaidó?", "reference_sources": ["x.txt"]}
    path = suite(tmp_path, {"t1", "t2"}, [{"id": "bad", "user_input": "???"}, wrong])
    result = run_eval(str(path), "--out", str(tmp_path / "out"), "--concurrency", "3")
    assert result.exit_code == 0, result.output
    assert "reference sources not in the corpus: x.txt" in result.stderr
    rows = {r["id"]: r for r in read_jsonl(tmp_path / "out" / "items.jsonl")}
    assert rows["bad"]["error"] == "The question has no words in it."
    assert rows["t1"]["error"] is None and rows["t1"]["response"]
    assert summary_of(tmp_path / "out")["errors"] == 1


def test_ragas_and_llama_suites_are_scored_on_sources_found_from_contexts(tmp_path: Path) -> None:
    for name in ("ragas_sample.jsonl", "labelled_rag_dataset.json"):
        out = tmp_path / name
        result = run_eval(str(TINY.parent / name), "--out", str(out))
        assert result.exit_code == 0, result.output
        rows = read_jsonl(out / "items.jsonl")
        assert all(r["reference_sources"] for r in rows)
        assert all(r["metrics"]["hit_rate"] is not None for r in rows)
        assert all(r["reference"] and r["response"] for r in rows)


def test_bad_options_and_missing_dataset_are_user_errors(tmp_path: Path) -> None:
    result = run_eval(str(TINY), "--out", str(tmp_path), "--fail-under", "accuracy=0.5")
    assert result.exit_code == 2 and "METRIC=VALUE" in result.output
    result = run_eval(str(TINY), "--out", str(tmp_path), "--llm", "gpt")
    assert result.exit_code == 2 and "extractive, openai, llamacpp" in result.output
    result = run_eval(str(tmp_path / "absent.jsonl"), "--out", str(tmp_path))
    assert result.exit_code == 1 and "No dataset file" in result.output


def test_judge_is_skipped_with_a_note_without_an_llm(tmp_path: Path) -> None:
    path = suite(tmp_path, {"t1"})
    result = run_eval(str(path), "--out", str(tmp_path / "out"), "--judge")
    assert result.exit_code == 0, result.output
    assert NO_LLM_NOTE in result.stderr
    judge = summary_of(tmp_path / "out")["judge"]
    assert judge == {
        "enabled": False,
        "note": NO_LLM_NOTE,
        "correctness": None,
        "faithfulness": None,
        "judge_invalid": 0,
    }


class JudgeReplies:
    """Answers like the default scripted model; grades 1 for correctness, 0.5 for
    faithfulness, except that the first faithfulness grade is unparseable prose."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.faithfulness_calls = 0

    def __call__(self, messages: list[dict[str, Any]]) -> str:
        if "strict grader" not in str(messages[0].get("content")):
            return quote_first_passage(messages)
        if "CORRECTNESS" in str(messages[-1]["content"]):
            return '{"score": 1}'
        with self.lock:
            self.faithfulness_calls += 1
            first = self.faithfulness_calls == 1
        return "I would say this answer is quite faithful." if first else '{"score": 0.5}'


@pytest.mark.slow
def test_judge_grades_with_the_configured_llm(tmp_path: Path) -> None:
    path = suite(tmp_path, {"t1", "t2", "t4"})
    with ScriptedOpenAIServer(default_reply=JudgeReplies()) as server:
        env = {**FAST_ENV, "RAG_OPENAI_BASE_URL": server.base_url, "RAG_LLM_MAX_RETRIES": "0"}
        result = run_eval(
            str(path), "--out", str(tmp_path / "out"), "--llm", "openai", "--judge", env=env
        )
        graded = [r for r in server.chat_requests if "strict grader" in str(r.messages[0])]
    assert result.exit_code == 0, result.output
    assert len(graded) == 5  # correctness for t1, t2; faithfulness for all three answers
    judge = summary_of(tmp_path / "out")["judge"]
    assert judge["enabled"] is True and judge["note"] is None
    assert judge["correctness"] == 1.0
    assert judge["faithfulness"] == 0.5  # the unparseable grade is not averaged in as 0
    assert judge["judge_invalid"] == 1
    rows = read_jsonl(tmp_path / "out" / "items.jsonl")
    assert rows[0]["judge"]["faithfulness"] is None and rows[0]["judge"]["invalid"] == 1
    assert rows[0]["answerer"] != "extractive"
    assert rows[2]["judge"]["correctness"] is None  # unanswerable: no reference to grade


def test_answerer_option_runs_the_suite_with_the_reader(tmp_path: Path) -> None:
    result = run_eval(str(TINY), "--out", str(tmp_path / "r"), "--answerer", "reader")
    assert result.exit_code == 0, result.output
    summary = summary_of(tmp_path / "r")
    assert summary["config"]["answerer"] == "reader" and summary["errors"] == 0
    rows = [json.loads(line) for line in (tmp_path / "r" / "items.jsonl").read_text().splitlines()]
    assert {row["answerer"] for row in rows} == {"reader"}
    result = run_eval(str(TINY), "--out", str(tmp_path / "x"), "--answerer", "oracle")
    assert result.exit_code == 1 and "Unknown answerer 'oracle'" in result.output
    assert "reader" in result.output and not (tmp_path / "x").exists()

"""`rag eval` on an RGB file end to end: both settings, summary, report and per-item rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from evals import rgb
from evals.datasets import read_jsonl
from evals.rgb_report import RGB_METRICS
from evals.runner import METRICS
from tests.evals.test_cli import FAST_ENV, OUTPUTS, eval_app
from tests.evals.test_rgb import TINY_RGB


def run_rgb(*args: str) -> Any:
    return CliRunner().invoke(eval_app(), ["eval", *args], env=FAST_ENV)


def test_rag_eval_runs_both_rgb_settings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_rgb(str(TINY_RGB), "--out", str(out), "--fail-under", "hit_rate=0")
    assert result.exit_code == 0, result.output
    assert all((out / name).is_file() for name in OUTPUTS)
    assert "RGB" in result.stdout and "rejection" in result.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["n"], summary["errors"]) == (6, 0)
    assert list(summary["metrics"]) == list(METRICS)
    assert set(summary["rgb"]) == {"noise", "rejection"}
    for figures in summary["rgb"].values():
        assert {"n", "errors", *RGB_METRICS} <= set(figures) and figures["n"] == 3
        assert 0.0 <= figures["accuracy"] <= 1.0 and 0.0 <= figures["rejection_rate"] <= 1.0
    assert 0.0 <= summary["rgb"]["noise"]["positive_citation_rate"] <= 1.0
    assert summary["rgb"]["rejection"]["positive_citation_rate"] is None
    assert set(summary["by_question_type"]) == {"noise", "rejection"}
    config = summary["config"]
    assert config["format"] == "rgb" and config["rgb_settings"] == ["noise", "rejection"]
    assert config["corpus"]["noise"]["passages"] == 8
    assert config["corpus"]["rejection"]["indexed"] == 4
    rows = read_jsonl(out / "items.jsonl")
    assert [(r["setting"], r["id"]) for r in rows] == [
        (s, i) for s in ("noise", "rejection") for i in ("m1", "b2", "g3")
    ]
    items = {i.id: i for i in rgb.load_rgb(TINY_RGB)}
    for row in rows:
        assert row["user_input"] == items[row["id"]].query and row["response"]
        assert row["cited_ids"] == list(dict.fromkeys(c["doc_id"] for c in row["citations"]))
        expected = rgb.judge(
            items[row["id"]],
            row["setting"],
            text=row["response"],
            refused=row["refused"],
            cited=row["cited_ids"],
        )
        assert row["right"] is expected["right"] and row["rgb"] == expected
    right = sum(bool(r["right"]) for r in rows if r["setting"] == "noise")
    assert summary["rgb"]["noise"]["accuracy"] == right / 3
    report = (out / "report.md").read_text()
    assert "## RGB" in report and "positive_citation_rate" in report
    assert report.index("## RGB") < report.index("## Metrics")


def test_one_setting_forced_format_and_bad_options(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_rgb(str(TINY_RGB), "--out", str(out), "--rgb-setting", "rejection")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["rgb"]) == {"rejection"} and summary["n"] == 3
    result = run_rgb(str(TINY_RGB), "--out", str(out), "--rgb-setting", "all")
    assert result.exit_code == 2 and "noise, rejection" in result.output
    result = run_rgb(str(TINY_RGB), "--out", str(out), "--format", "csv")
    assert result.exit_code == 2 and "auto, suite, rgb" in result.output
    suite = TINY_RGB.parent / "tiny.jsonl"
    result = run_rgb(str(suite), "--out", str(out), "--format", "rgb")
    assert result.exit_code == 1 and "tiny.jsonl:1: not an RGB item" in result.output
    result = run_rgb(str(TINY_RGB), "--out", str(out), "--judge")
    assert result.exit_code == 1 and "not supported for RGB" in result.output

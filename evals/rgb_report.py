"""RGB figures per setting (accuracy, positive-citation and rejection rates) and their tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from evals.metrics import mean_defined, strip_markers
from evals.report import fmt, md_table
from evals.rgb import SETTINGS

Row = dict[str, Any]
RGB_METRICS = ("accuracy", "positive_citation_rate", "rejection_rate", "answer_contains_rate")


def _rate(flags: Sequence[bool]) -> float | None:
    return mean_defined(1.0 if flag else 0.0 for flag in flags)


def setting_figures(rows: Sequence[Row]) -> dict[str, Any]:
    """Counts and rates of one setting's rows; errored rows are counted, not scored.

    >>> ok = {"error": None, "rgb": {"right": True, "cites_positive": True, "refused": False,
    ...       "contains_answer": True}}
    >>> no = {"error": None, "rgb": {"right": False, "cites_positive": False, "refused": True,
    ...       "contains_answer": False}}
    >>> setting_figures([ok, no, {"error": "boom", "rgb": None}])["accuracy"]
    0.5
    """
    judged = [r["rgb"] for r in rows if r["error"] is None and r.get("rgb")]
    return {
        "n": len(rows),
        "errors": sum(1 for r in rows if r["error"] is not None),
        "accuracy": _rate([j["right"] for j in judged]),
        "positive_citation_rate": _rate([j["cites_positive"] for j in judged]),
        "rejection_rate": _rate([j["refused"] for j in judged]),
        "answer_contains_rate": _rate([j["contains_answer"] for j in judged]),
    }


def rgb_summary(rows: Sequence[Row]) -> dict[str, Any]:
    """Figures per setting present in the rows, in RGB's order (noise, rejection).

    In the rejection setting no positive passage is indexed, so its positive-citation
    rate is null; ``accuracy`` there is refused-with-no-citation.
    """
    out: dict[str, Any] = {}
    for setting in SETTINGS:
        group = [r for r in rows if r.get("setting") == setting]
        if group:
            figures = setting_figures(group)
            if setting == "rejection":
                figures["positive_citation_rate"] = None
            out[setting] = figures
    return out


def figures_table(rgb: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and body of the settings x figures table."""
    header = ["setting", "n", "errors", *RGB_METRICS]
    body = [
        [name, str(f["n"]), str(f["errors"]), *(fmt(m, f[m]) for m in RGB_METRICS)]
        for name, f in rgb.items()
    ]
    return header, body


def _verdict(row: Row) -> str:
    if row["error"] is not None:
        return f"error: {row['error']}"
    return "right" if row["rgb"]["right"] else "wrong"


def markdown_sections(summary: Mapping[str, Any], rows: Sequence[Row]) -> list[str]:
    """The RGB figures table and one line per item (question, answer, cited ids, verdict)."""
    header, body = figures_table(summary["rgb"])
    items = [
        [
            r.get("setting") or "",
            r["id"],
            r["user_input"],
            " ".join(strip_markers(r["response"] or "").split())[:200],
            ", ".join(r.get("cited_ids") or []),
            _verdict(r),
        ]
        for r in rows
    ]
    return [
        "## RGB",
        "noise: every passage indexed; right = every required answer in the answer and a "
        "positive passage cited. rejection: negatives only; right = refused, nothing cited.",
        md_table(header, body),
        f"## RGB items ({len(rows)})",
        md_table(["setting", "id", "question", "answer", "cited", "verdict"], items),
    ]

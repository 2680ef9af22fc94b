"""Eval reports: Markdown, and self-contained HTML with base64-embedded matplotlib PNGs."""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from evals.metrics import normalize_answer, strip_markers
from evals.runner import ITEM_METRICS, METRICS, Row

# Columns of the by-question-type table: every per-item mean plus the answer-length median.
TYPE_COLUMNS = (*ITEM_METRICS, "answer_sentences_median")

Summary = Mapping[str, Any]


def deltas(current: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, float | None]:
    """Current minus baseline for each metric; None where either side is unmeasured.

    >>> deltas({"mrr": 0.75, "ndcg": None}, {"mrr": 0.5, "ndcg": 0.4})
    {'mrr': 0.25, 'ndcg': None}
    """
    out: dict[str, float | None] = {}
    for name, value in current.items():
        now, before = _num(value), _num(baseline.get(name))
        out[name] = None if math.isnan(now) or math.isnan(before) else round(now - before, 6)
    return out


def _num(value: Any) -> float:
    """A metric value as a float; NaN for null (matplotlib leaves NaN bars out)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok else math.nan


def fmt(name: str, value: Any, *, signed: bool = False) -> str:
    """A metric value for a table: 3 decimals for scores, 1 for milliseconds and medians.

    >>> fmt("mrr", 0.5), fmt("latency_p50_ms", 12.345), fmt("ndcg", None)
    ('0.500', '12.3', '–')
    >>> fmt("answer_sentences_median", 2)
    '2.0'
    >>> fmt("mrr", 0.1, signed=True)
    '+0.100'
    """
    if not isinstance(value, int | float):
        return "–"
    spec = ".1f" if name.endswith(("_ms", "_median")) else ".3f"
    return format(value, ("+" if signed else "") + spec)


def problems(row: Row) -> list[str]:
    """Why an item looks wrong, in words an answerer author can act on."""
    if row["error"]:
        return [f"error: {row['error']}"]
    scores, found = row["metrics"], []
    if scores["refusal_accuracy"] == 0.0:
        found.append(
            "refused an answerable question"
            if row["answerable"]
            else "answered an unanswerable question"
        )
    if scores["hit_rate"] == 0.0:
        found.append("no reference source retrieved")
    elif _num(scores["context_recall"]) < 1.0:  # NaN (unmeasured) compares False
        found.append("some reference sources not retrieved")
    if not row["refused"] and _num(scores["citation_recall"]) == 0.0:
        found.append("no reference source cited")
    elif not row["refused"] and _num(scores["citation_recall"]) < 1.0:
        found.append("some reference sources not cited")
    if scores["faithfulness"] is not None and scores["faithfulness"] < 1.0:
        found.append(f"unsupported sentences (faithfulness {scores['faithfulness']:.2f})")
    reference, response = row["reference"], row["response"] or ""
    # Only short references are phrases an extractive answer can contain verbatim.
    short = reference is not None and len(normalize_answer(reference).split()) <= 8
    if row["answerable"] and short and not row["refused"]:
        if normalize_answer(reference) not in normalize_answer(strip_markers(response)):
            found.append("answer does not contain the reference")
    judge = row.get("judge") or {}
    if judge.get("invalid"):
        found.append(f"{judge['invalid']} unreadable judge grade(s)")
    return found


# --- plots ---------------------------------------------------------------------------
def _png(fig: Any) -> str:
    """The figure as a base64 PNG (Agg canvas: no display, no pyplot global state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def metric_bars(metrics: Mapping[str, Any], baseline: Mapping[str, Any] | None = None) -> str:
    """Horizontal bars of the 0..1 metrics (baseline as hollow bars)."""
    from matplotlib.figure import Figure

    names = list(ITEM_METRICS)
    values = [_num(metrics.get(n)) for n in names]
    fig = Figure(figsize=(7, 4.2))
    ax = fig.add_subplot()
    ax.barh(names, values, color="#3b6ea8", label="this run")
    if baseline:
        base = [_num(baseline.get(n)) for n in names]
        ax.barh(names, base, fill=False, edgecolor="#d2691e", linewidth=1.5, label="baseline")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    for y, v in enumerate(values):
        ax.text(
            0.01 if math.isnan(v) else v + 0.01,
            y,
            "n/a" if math.isnan(v) else f"{v:.2f}",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, 1.1)
    ax.invert_yaxis()
    ax.set_title("Metrics (mean over items where defined)")
    return _png(fig)


def type_heatmap(by_type: Mapping[str, Any]) -> str:
    """Question types x metrics, annotated; blank cells are unmeasured."""
    from matplotlib.figure import Figure

    types = list(by_type)
    grid = [[_num(by_type[t]["metrics"].get(n)) for n in ITEM_METRICS] for t in types]
    fig = Figure(figsize=(9, 1.2 + 0.5 * max(1, len(types))))
    ax = fig.add_subplot()
    image = ax.imshow(grid, vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    ax.set_xticks(range(len(ITEM_METRICS)), ITEM_METRICS, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(types)), [f"{t} (n={by_type[t]['n']})" for t in types], fontsize=8)
    for y, row in enumerate(grid):
        for x, v in enumerate(row):
            ax.text(
                x, y, "–" if math.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=7
            )
    fig.colorbar(image, ax=ax, fraction=0.03)
    ax.set_title("By question type")
    return _png(fig)


def latency_histogram(rows: Sequence[Row]) -> str:
    """Histogram of per-item latency in milliseconds."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    latencies = [r["latency_ms"] for r in rows if r["latency_ms"] is not None]
    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    ax.hist(latencies or [0.0], bins=min(20, max(1, len(latencies))), color="#5a9e6f")
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Latency")
    return _png(fig)


# --- documents -------------------------------------------------------------------------
def _metric_rows(summary: Summary, delta: Mapping[str, Any] | None) -> list[list[str]]:
    return [
        [name, fmt(name, summary["metrics"].get(name))]
        + ([fmt(name, delta.get(name), signed=True)] if delta is not None else [])
        for name in METRICS
    ]


def _config_lines(summary: Summary) -> list[str]:
    judge = summary.get("judge") or {}
    lines = [f"{k}: {v}" for k, v in summary["config"].items()]
    lines.append(f"items: {summary['n']}, errors: {summary['errors']}")
    if judge.get("enabled") or judge.get("note"):
        lines.append(
            f"judge: correctness {fmt('j', judge.get('correctness'))}, faithfulness "
            f"{fmt('j', judge.get('faithfulness'))}, invalid {judge.get('judge_invalid', 0)}"
            + (f" ({judge['note']})" if judge.get("note") else "")
        )
    return lines


def md_table(header: list[str], body: list[list[str]]) -> str:
    """A GitHub Markdown table; pipes inside cells are escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
    return "\n".join(lines)


def render_markdown(
    summary: Summary,
    rows: Sequence[Row],
    delta: Mapping[str, Any] | None = None,
    *,
    sections: Sequence[str] = (),
) -> str:
    """report.md: metrics (with deltas), by question type, items with problems.

    ``sections`` (Markdown blocks, e.g. the RGB figures) go right after the run's config.
    """
    header = ["metric", "value"] + (["Δ vs baseline"] if delta is not None else [])
    types = summary["by_question_type"]
    by_type = [
        [t, str(g["n"])] + [fmt(n, g["metrics"].get(n)) for n in TYPE_COLUMNS]
        for t, g in types.items()
    ]
    flagged = [[r["id"], r["user_input"], "; ".join(problems(r))] for r in rows if problems(r)]
    parts = [
        "# Eval report",
        "\n".join(f"- {line}" for line in _config_lines(summary)),
        *sections,
        "## Metrics",
        md_table(header, _metric_rows(summary, delta)),
        "## By question type",
        md_table(["type", "n", *TYPE_COLUMNS], by_type),
        f"## Items with problems ({len(flagged)} of {len(rows)})",
        md_table(["id", "question", "problems"], flagged) if flagged else "None.",
    ]
    return "\n\n".join(parts) + "\n"


def _html_table(header: list[str], body: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #ccc;
padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
img{max-width:100%;display:block;margin:1rem 0}"""


def render_html(
    summary: Summary,
    rows: Sequence[Row],
    delta: Mapping[str, Any] | None = None,
    baseline: Mapping[str, Any] | None = None,
) -> str:
    """report.html: one file, no external resources; plots are data: URIs."""
    header = ["metric", "value"] + (["Δ vs baseline"] if delta is not None else [])
    plots = [
        ("Per-metric bars", metric_bars(summary["metrics"], baseline)),
        ("Per-question-type breakdown", type_heatmap(summary["by_question_type"])),
        ("Latency histogram", latency_histogram(rows)),
    ]
    images = "".join(
        f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">' for alt, data in plots
    )
    items = [
        [
            r["id"],
            r["question_type"] or "",
            r["user_input"],
            strip_markers(r["response"] or "")[:300],
            "; ".join(problems(r)) or "ok",
        ]
        for r in rows
    ]
    config = "".join(f"<li>{html.escape(line)}</li>" for line in _config_lines(summary))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Eval report</title><style>{_CSS}</style></head><body>"
        f"<h1>Eval report</h1><ul>{config}</ul><h2>Metrics</h2>"
        f"{_html_table(header, _metric_rows(summary, delta))}<h2>Plots</h2>{images}"
        f"<h2>Items</h2>{_html_table(['id', 'type', 'question', 'answer', 'problems'], items)}"
        "</body></html>"
    )

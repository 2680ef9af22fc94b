"""``rag eval DATASET``: run a suite, save items/summary/reports, gate on thresholds.

Registered through the ``newsrag.commands`` entry point (see pyproject.toml);
``rag.cli`` itself never imports this package.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import typer

from evals import report, rgb_run, runner
from evals.datasets import EvalItem, load_dataset, write_jsonl
from rag import InputError, Settings
from rag.cli import user_errors

if TYPE_CHECKING:
    from evals.judge import Judge
    from rag import Assistant

NO_LLM_NOTE = "skipped: no LLM is configured (use --llm openai or --llm llamacpp)"
LLM_MODES: tuple[str, ...] = get_args(Settings.model_fields["llm_mode"].annotation)


def parse_threshold(text: str) -> tuple[str, float]:
    """'METRIC=VALUE' -> (metric, value); the metric must be a summary metric.

    >>> parse_threshold("answer_f1=0.25")
    ('answer_f1', 0.25)
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in runner.METRICS:
        raise typer.BadParameter(
            f"{text!r} is not METRIC=VALUE with METRIC one of: {', '.join(runner.METRICS)}."
        )
    try:
        return name, float(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} in {text!r} is not a number.") from None


def threshold_failures(
    metrics: Mapping[str, Any], thresholds: Sequence[tuple[str, float]]
) -> list[str]:
    """One line per metric below its floor (latency metrics: above their ceiling).

    >>> threshold_failures({"mrr": 0.4, "ndcg": None, "latency_p95_ms": 90.0},
    ...                    [("mrr", 0.5), ("ndcg", 0.1), ("latency_p95_ms", 100)])
    ['FAIL mrr = 0.400 < 0.500', 'FAIL ndcg is null (not measured) < 0.100']
    """
    lines = []
    for name, limit in thresholds:
        value = metrics.get(name)
        # Lower latency and shorter answers are better: the value is a ceiling.
        ceiling = name.endswith(("_ms", "_median"))
        op = ">" if ceiling else "<"
        if value is None:
            lines.append(f"FAIL {name} is null (not measured) {op} {report.fmt(name, limit)}")
        elif (value > limit) if ceiling else (value < limit):
            lines.append(f"FAIL {name} = {report.fmt(name, value)} {op} {report.fmt(name, limit)}")
    return lines


def _gate(metrics: Mapping[str, Any], thresholds: Sequence[tuple[str, float]]) -> None:
    """Print every threshold failure and exit 1 when there is one."""
    failures = threshold_failures(metrics, thresholds)
    for line in failures:
        typer.echo(line, err=True)
    if failures:
        raise typer.Exit(1)


def _load_baseline(path: Path | None) -> dict[str, Any] | None:
    """The metrics of a previous summary.json."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"Cannot read the baseline {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise InputError(f"{path} is not a summary.json (no 'metrics' object).")
    return dict(data["metrics"])


@contextmanager
def _store_dir(data_dir: Path | None) -> Iterator[Path]:
    """The given store directory, or an isolated temporary one removed afterwards."""
    if data_dir is not None:
        yield data_dir
        return
    with tempfile.TemporaryDirectory(prefix="rag-eval-", ignore_cleanup_errors=True) as tmp:
        yield Path(tmp)


def _config(assistant: Assistant, *, corpus: Path, dataset: Path, k: int | None) -> dict[str, Any]:
    return {
        "embedder": assistant.embedder.name,
        "answerer": assistant.answerers()[-1],
        "k": k or assistant.settings.top_k,
        "corpus": str(corpus),
        "corpus_hash": runner.corpus_hash(corpus),
        "git_commit": runner.git_commit(),
        "dataset": str(dataset),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _print_metrics(summary: dict[str, Any], delta: dict[str, Any] | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{summary['n']} questions, {summary['errors']} errors")
    table.add_column("metric")
    table.add_column("value", justify="right")
    if delta is not None:
        table.add_column("Δ vs baseline", justify="right")
    for name in runner.METRICS:
        cells = [name, report.fmt(name, summary["metrics"][name])]
        if delta is not None:
            cells.append(report.fmt(name, delta.get(name), signed=True))
        table.add_row(*cells)
    Console().print(table)


def _run(assistant: Assistant, items: list[EvalItem], **options: Any) -> list[runner.Row]:
    """Evaluate with a rich progress bar on stderr."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True)) as bar:
        task = bar.add_task("Evaluating", total=len(items))
        return runner.evaluate(
            assistant=assistant,
            items=items,
            on_row=lambda row: bar.advance(task),
            **options,
        )


def _write_outputs(
    out: Path,
    rows: list[runner.Row],
    summary: dict[str, Any],
    delta: dict[str, Any] | None,
    baseline: dict[str, Any] | None,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "items.jsonl", rows)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(report.render_markdown(summary, rows, delta), encoding="utf-8")
    (out / "report.html").write_text(
        report.render_html(summary, rows, delta, baseline), encoding="utf-8"
    )


def _ingest(assistant: Assistant, corpus: Path, items: list[EvalItem]) -> list[EvalItem]:
    """Sync the corpus, then check the suite's sources against what is indexed."""
    report_ = assistant.ingest([corpus])
    for failure in report_.failed:
        typer.echo(f"Ingest failed: {failure.path}: {failure.reason}", err=True)
    indexed = {d.doc_id for d in assistant.documents()}
    if not indexed:
        raise InputError(f"No article from {corpus} could be indexed.")
    items = runner.resolve_sources(assistant, items)
    unknown = sorted({s for i in items for s in i.reference_sources} - indexed)
    if unknown:  # usually ids written relative to another directory than --corpus
        typer.echo(f"Warning: reference sources not in the corpus: {', '.join(unknown)}", err=True)
    return items


def _grader(assistant: Assistant) -> tuple[Judge | None, str | None]:
    """The judge over the assistant's LLM, or None and the reason it is skipped."""
    if assistant.llm is None:
        typer.echo(f"Judge {NO_LLM_NOTE}.", err=True)
        return None, NO_LLM_NOTE
    from evals.judge import Judge

    return Judge(assistant.llm), None


@user_errors
def eval_command(
    dataset: Path = typer.Argument(..., help="Suite: our JSONL, ragas JSON/JSONL, or llama-index."),
    corpus: Path = typer.Option(Path("seeds"), help="Articles to ingest before asking."),
    data_dir: Path | None = typer.Option(
        None, help="Store directory (default: an isolated temporary store)."
    ),
    out: Path | None = typer.Option(None, help="Output directory (default eval-out/<timestamp>)."),
    k: int | None = typer.Option(None, "-k", help="Passages per question (default: settings)."),
    llm: str | None = typer.Option(None, help="Answerer: extractive, openai, llamacpp."),
    concurrency: int = typer.Option(1, min=1, help="Questions asked at once (threads)."),
    baseline: Path | None = typer.Option(None, help="A previous summary.json to compare with."),
    fail_under: list[str] = typer.Option(
        [], help="METRIC=VALUE; exit 1 if below (a ceiling for *_ms, *_median). Repeatable."
    ),
    judge: bool = typer.Option(False, "--judge", help="Grade answers with the configured LLM."),
    data_format: str = typer.Option(
        "auto", "--format", help="auto (from the keys), suite, or rgb (RGB builds its corpus)."
    ),
    rgb_setting: str = typer.Option("both", help="RGB settings to run: noise, rejection, both."),
    answerer: str | None = typer.Option(
        None, help="Offline answerer by name, e.g. reader or extractive (default: the default)."
    ),
) -> None:
    """Run an eval suite and write items.jsonl, summary.json, report.md and report.html."""
    from rag import Assistant

    thresholds = [parse_threshold(t) for t in fail_under]
    if llm is not None and llm not in LLM_MODES:
        raise typer.BadParameter(f"--llm must be one of: {', '.join(LLM_MODES)}.")
    if rgb_run.is_rgb(dataset, data_format):  # its corpus is its passages: --corpus unused
        summary = rgb_run.eval_rgb(
            dataset,
            setting=rgb_setting,
            out=out or Path("eval-out") / time.strftime("%Y%m%d-%H%M%S"),
            data_dir=data_dir,
            k=k,
            llm=llm,
            concurrency=concurrency,
            judge=judge,
            baseline=baseline,
            answerer=answerer,
        )
        _gate(summary["metrics"], thresholds)
        return
    items = load_dataset(dataset)
    base = _load_baseline(baseline)
    if not corpus.exists():
        raise InputError(f"No corpus at {corpus}.")
    out = out or Path("eval-out") / time.strftime("%Y%m%d-%H%M%S")
    started = time.perf_counter()
    with _store_dir(data_dir) as store:
        overrides = {"data_dir": store, "llm_mode": llm}
        assistant = Assistant.from_settings(**{key: v for key, v in overrides.items() if v})
        runner.check_answerer(assistant, answerer)
        items = _ingest(assistant, corpus, items)
        grader, judge_note = _grader(assistant) if judge else (None, None)
        rows = _run(assistant, items, k=k, concurrency=concurrency, judge=grader, answerer=answerer)
        config = _config(assistant, corpus=corpus, dataset=dataset, k=k)
        config["answerer"] = answerer or config["answerer"]
    config["concurrency"] = concurrency
    config["wall_s"] = round(time.perf_counter() - started, 2)
    summary = runner.summarize(rows, config=config, judge_note=judge_note)
    delta = report.deltas(summary["metrics"], base) if base is not None else None
    if delta is not None:
        summary["baseline"] = {"path": str(baseline), "metrics": base, "deltas": delta}
    _write_outputs(out, rows, summary, delta, base)
    _print_metrics(summary, delta)
    typer.echo(f"Wrote {out}/items.jsonl, summary.json, report.md, report.html")
    _gate(summary["metrics"], thresholds)


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command to the ``rag`` CLI."""
    app.command("eval")(eval_command)

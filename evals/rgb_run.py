"""``rag eval`` on an RGB file: build each setting's corpus, ask, judge, write and print."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from evals import report, rgb, runner
from evals.datasets import write_jsonl
from evals.metrics import dedupe
from evals.rgb_report import figures_table, markdown_sections, rgb_summary
from rag import InputError

if TYPE_CHECKING:
    from rich.progress import Progress

    from rag import Assistant

Row = dict[str, Any]
SETTING_CHOICES = ("both", *rgb.SETTINGS)
FORMATS = ("auto", "suite", "rgb")


def is_rgb(dataset: Path, data_format: str) -> bool:
    """Whether ``--format`` (or, for 'auto', the file's keys) makes this an RGB run."""
    if data_format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of: {', '.join(FORMATS)}.")
    if data_format == "auto":
        return rgb.detect_format(dataset) == "rgb"
    return data_format == "rgb"


def settings_of(choice: str) -> tuple[rgb.Setting, ...]:
    """The settings a ``--rgb-setting`` value runs.

    >>> settings_of("both"), settings_of("rejection")
    (('noise', 'rejection'), ('rejection',))
    """
    if choice == "both":
        return rgb.SETTINGS
    for setting in rgb.SETTINGS:
        if choice == setting:
            return (setting,)
    raise typer.BadParameter(f"--rgb-setting must be one of: {', '.join(SETTING_CHOICES)}.")


def annotate(rows: Sequence[Row], items: Sequence[rgb.RgbItem], setting: rgb.Setting) -> list[Row]:
    """Add the setting, the cited doc ids and RGB's right/wrong verdict to each row."""
    by_id = {item.id: item for item in items}
    out = []
    for row in rows:
        cited = dedupe(str(c["doc_id"]) for c in row["citations"])
        verdict = None
        if row["error"] is None:
            verdict = rgb.judge(
                by_id[row["id"]],
                setting,
                text=row["response"] or "",
                refused=bool(row["refused"]),
                cited=cited,
            )
        right = None if verdict is None else verdict["right"]
        out.append({**row, "setting": setting, "cited_ids": cited, "right": right, "rgb": verdict})
    return out


def _ingest(assistant: Assistant, corpus: Path, progress: Progress, setting: str) -> int:
    """Index one setting's corpus; returns the number of indexed documents."""
    task = progress.add_task(f"Indexing {setting} passages", total=None)

    def tick(done: float, total: int, _doc_id: str) -> None:
        progress.update(task, completed=done, total=total)

    done = assistant.ingest([corpus], progress=tick)
    for failure in done.failed:
        typer.echo(f"Ingest failed: {failure.path}: {failure.reason}", err=True)
    indexed = len(assistant.documents())
    if not indexed:
        raise InputError(f"No {setting} passage could be indexed.")
    return indexed


def run_setting(
    items: Sequence[rgb.RgbItem],
    setting: rgb.Setting,
    *,
    work: Path,
    store: Path,
    make_assistant: Callable[[Path], Assistant],
    progress: Progress,
    **options: Any,
) -> tuple[list[Row], dict[str, Any], Assistant]:
    """Rows of one setting, what its corpus was, and the assistant that answered."""
    passages = rgb.corpus_passages(items, setting)
    corpus = rgb.write_corpus(passages, work / f"corpus-{setting}")
    assistant = make_assistant(store)
    indexed = _ingest(assistant, corpus, progress, setting)
    task = progress.add_task(f"Asking ({setting})", total=len(items))
    rows = runner.evaluate(
        assistant=assistant,
        items=rgb.eval_items(items, setting),
        on_row=lambda row: progress.advance(task),
        **options,
    )
    corpus_info = {
        "passages": len(passages),
        "indexed": indexed,
        "corpus_hash": runner.corpus_hash(corpus),
    }
    return annotate(rows, items, setting), corpus_info, assistant


def print_figures(summary: dict[str, Any]) -> None:
    """The per-setting RGB table on stdout."""
    from rich.console import Console
    from rich.table import Table

    header, body = figures_table(summary["rgb"])
    table = Table(title=f"RGB: {summary['n']} answers, {summary['errors']} errors")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right")
    for cells in body:
        table.add_row(*cells)
    Console().print(table)


def write_outputs(out: Path, rows: Sequence[Row], summary: dict[str, Any]) -> None:
    """items.jsonl, summary.json, report.md (RGB tables first) and report.html."""
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "items.jsonl", rows)
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    (out / "summary.json").write_text(text, encoding="utf-8")
    sections = markdown_sections(summary, rows)
    (out / "report.md").write_text(
        report.render_markdown(summary, rows, sections=sections), encoding="utf-8"
    )
    (out / "report.html").write_text(report.render_html(summary, rows), encoding="utf-8")


def eval_rgb(
    dataset: Path,
    *,
    setting: str,
    out: Path,
    data_dir: Path | None,
    k: int | None,
    llm: str | None,
    concurrency: int,
    judge: bool = False,
    baseline: Path | None = None,
    answerer: str | None = None,
) -> dict[str, Any]:
    """Run the chosen settings of an RGB file, write the outputs; returns summary.json."""
    from rich.console import Console
    from rich.progress import Progress

    from rag import Assistant

    if judge or baseline is not None:
        raise InputError("--judge and --baseline are not supported for RGB files.")
    chosen = settings_of(setting)
    items = rgb.load_rgb(dataset)
    started = time.perf_counter()

    def make_assistant(store: Path) -> Assistant:
        overrides = {"data_dir": store, "llm_mode": llm}
        assistant = Assistant.from_settings(**{key: v for key, v in overrides.items() if v})
        runner.check_answerer(assistant, answerer)
        return assistant

    rows: list[Row] = []
    corpora: dict[str, Any] = {}
    config: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory(prefix="rag-rgb-", ignore_cleanup_errors=True) as tmp,
        Progress(console=Console(stderr=True)) as progress,
    ):
        work = Path(tmp)
        for name in chosen:
            store = (data_dir / name) if data_dir is not None else work / f"store-{name}"
            got, corpora[name], assistant = run_setting(
                items,
                name,
                work=work,
                store=store,
                make_assistant=make_assistant,
                progress=progress,
                k=k,
                concurrency=concurrency,
                answerer=answerer,
            )
            rows += got
            config = {
                "format": "rgb",
                "rgb_settings": list(chosen),
                "embedder": assistant.embedder.name,
                "answerer": answerer or assistant.answerers()[-1],
                "k": k or assistant.settings.top_k,
            }
    config |= {
        "dataset": str(dataset),
        "corpus": corpora,
        "git_commit": runner.git_commit(),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "concurrency": concurrency,
        "wall_s": round(time.perf_counter() - started, 2),
    }
    summary = runner.summarize(rows, config=config)
    summary["rgb"] = rgb_summary(rows)
    write_outputs(out, rows, summary)
    print_figures(summary)
    typer.echo(f"Wrote {out}/items.jsonl, summary.json, report.md, report.html")
    return summary

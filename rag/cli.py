"""The ``rag`` command line: ingest, status, search, ask, chat, settings, plus plugin commands.

This module is also the CLI extension surface for the client packages: ``app``
(the typer application) and ``user_errors`` (RagError -> one line, exit 1).
``serve`` and ``eval`` come from ``server`` and ``evals`` through the
``newsrag.commands`` entry points (see :func:`register_commands`), so ``rag``
imports nothing above itself.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from rag.errors import RagError

if TYPE_CHECKING:
    from index.annotate import SpacyAnnotator
    from rag.assistant import Assistant
    from rag.models import Answer

app = typer.Typer(
    help="Ask questions about news articles; every answer cites its sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
F = TypeVar("F", bound=Callable[..., Any])
COMMAND_GROUP = "newsrag.commands"  # entry points: name = "package.module:register"


def user_errors(func: F) -> F:
    """Print RagErrors as one line on stderr and exit 1, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RagError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _assistant(annotator: SpacyAnnotator | None = None, **overrides: Any) -> Assistant:
    from rag.assistant import Assistant
    from rag.settings import load_settings

    settings = load_settings(**{k: v for k, v in overrides.items() if v is not None})
    return Assistant(settings, annotator=annotator)


@app.command()
@user_errors
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or directories of articles."),
    prune: bool = typer.Option(False, help="Remove indexed documents not found in PATHS."),
    data_dir: Path | None = typer.Option(None, help="Store directory (default: RAG_DATA_DIR)."),
) -> None:
    """Index articles; unchanged files are skipped, changed ones replaced."""
    from rich.progress import Progress

    assistant = _assistant(data_dir=data_dir)
    reindex_previous_store(assistant)
    with Progress(transient=True) as bar:
        task = bar.add_task("Ingesting", total=None)

        def progress(done: float, total: int, doc_id: str) -> None:
            bar.update(task, completed=done, total=total, description=doc_id[-40:])

        report = assistant.ingest(paths, prune=prune, progress=progress)
    for failure in report.failed:
        typer.echo(f"FAILED {failure.reason}", err=True)
    typer.echo(
        f"added {len(report.added)}, updated {len(report.updated)}, skipped "
        f"{len(report.skipped)}, removed {len(report.removed)}, failed {len(report.failed)}; "
        f"{report.chunks_written} chunks in {report.seconds:.2f} s"
    )
    if not report.ok:
        raise typer.Exit(1)


def reindex_previous_store(assistant: Assistant) -> None:
    """Re-embed an earlier local embedder's documents into an empty store, with a bar."""
    from rich.progress import Progress, TaskID

    bar: Progress | None = None  # shown only once there is work, not on every start
    task = TaskID(0)

    def progress(done: float, total: int, doc_id: str) -> None:
        nonlocal bar, task
        if bar is None:
            bar = Progress(transient=True)
            bar.start()
            task = bar.add_task("Re-indexing", total=total)
        bar.update(task, completed=done, total=total, description=doc_id[-40:])

    try:
        done = assistant.reindex_previous(progress)
    finally:
        if bar is not None:
            bar.stop()
    if done is not None:
        name, report = done
        typer.echo(
            f"Re-indexed {len(report.added)} documents from the store made with {name} "
            f"for {assistant.embedder.name} ({report.chunks_written} chunks in "
            f"{report.seconds:.1f} s); that store is kept as it was."
        )
        for failure in report.failed:
            typer.echo(f"FAILED {failure.reason}", err=True)


@app.command()
@user_errors
def status(data_dir: Path | None = typer.Option(None, help="Store directory.")) -> None:
    """Show documents, chunks, embedder, store location and last sync."""
    for key, value in _assistant(data_dir=data_dir).status().items():
        typer.echo(f"{key:>10}: {value}")


@app.command()
@user_errors
def search(
    query: str = typer.Argument(..., help="What to look for."),
    k: int = typer.Option(5, "-k", help="Number of passages."),
    data_dir: Path | None = typer.Option(None, help="Store directory."),
) -> None:
    """Show the passages hybrid retrieval finds for QUERY."""
    for rank, p in enumerate(_assistant(data_dir=data_dir).search(query, k=k), start=1):
        c = p.chunk
        typer.echo(f"{rank}. {c.doc_id}  {c.title}  ({c.date or 'undated'})")
        typer.echo(f"   score {p.score:.4f}  chars {c.start}-{c.end}")
        typer.echo("   " + c.text.replace("\n", " ")[:300])


def print_answer(answer: Answer) -> None:
    """Answer text, notice, then numbered sources with quotes and dates."""
    typer.echo(answer.text)
    if answer.notice:
        typer.echo(f"\nNote: {answer.notice}")
    if answer.citations:
        typer.echo("\nSources:")
    for c in answer.citations:
        flag = "" if c.supported else "  (UNSUPPORTED: the passage may not back this sentence)"
        typer.echo(
            f"[{c.number}] {c.title} — {c.date or 'undated'} — {c.doc_id} "
            f"chars {c.start}-{c.end}{flag}"
        )
        typer.echo(f"    “{c.quote}”")


@app.command()
@user_errors
def ask(
    question: str = typer.Argument(..., help="Your question."),
    as_json: bool = typer.Option(False, "--json", help="Print the Answer as JSON."),
    k: int | None = typer.Option(None, "-k", help="Passages to use."),
    llm: str | None = typer.Option(None, help="Model: extractive (offline), openai, llamacpp."),
    answerer: str | None = typer.Option(None, help="Answerer by name: reader, extractive."),
    data_dir: Path | None = typer.Option(None, help="Store directory."),
) -> None:
    """Answer one question with cited sources."""
    # First of all: the reader's spaCy (~1.9 s) loads in a second process, on the
    # other core, while this one imports, opens the store and retrieves.
    from index.annotate_worker import WorkerAnnotator

    worker = WorkerAnnotator().start() if answerer != "extractive" else None
    try:
        assistant = _assistant(worker, data_dir=data_dir, llm_mode=llm)
        if worker is not None and assistant.pipeline.choose(answerer).name != "reader":
            worker.close()  # the quoter or an LLM answers: give the core back now
        answer = assistant.ask(question, k=k, answerer=answerer)
    finally:
        if worker is not None:
            worker.close()
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_answer(answer)


@app.command()
@user_errors
def chat(
    llm: str | None = typer.Option(None, help="Model: extractive (offline), openai, llamacpp."),
    answerer: str | None = typer.Option(None, help="Answerer by name: reader, extractive."),
    data_dir: Path | None = typer.Option(None, help="Store directory."),
) -> None:
    """A conversation in the terminal; follow-up questions keep the context."""
    assistant = _assistant(data_dir=data_dir, llm_mode=llm)
    history: list[dict[str, str]] = []
    typer.echo("Ask about the articles (empty line or Ctrl-D to quit).")
    for line in sys.stdin if not sys.stdin.isatty() else iter(lambda: input("> "), ""):
        question = line.strip()
        if not question:
            break
        try:
            answer = assistant.ask(question, history=history, answerer=answerer)
        except RagError as exc:
            typer.echo(f"Error: {exc}", err=True)
            continue
        print_answer(answer)
        typer.echo("")
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]


@app.command("settings")
@user_errors
def show_settings() -> None:
    """List every setting with its environment variable and current value."""
    from rag.settings import load_settings

    for env, description, value in load_settings().describe():
        typer.echo(f"{env} = {value!r}\n    {description}")


def _add_conversation_commands() -> None:
    from rag.conversation_commands import conversations_app

    app.add_typer(conversations_app, name="conversations")


_add_conversation_commands()  # rag's own: `rag conversations prune` needs only rag


def main() -> None:
    """Entry point of the ``rag`` script: set the offline environment, add plugins, run."""
    from rag.cli_startup import (
        READ_ONLY_COMMANDS,
        command_name,
        exit_code,
        exit_without_teardown,
        own_command_names,
    )
    from rag.offline import configure_offline_environment

    configure_offline_environment()
    command = command_name(sys.argv[1:])
    if command not in own_command_names(app):  # `rag`, `rag --help`, `rag serve`, ...
        register_commands(app)
    try:
        app()
    except SystemExit as done:
        if command in READ_ONLY_COMMANDS:
            exit_without_teardown(exit_code(done))
        raise


def register_commands(target: typer.Typer) -> None:
    """Add the subcommands other packages declare (``serve``, ``eval``) to ``target``.

    A package adds commands with an entry point in the ``newsrag.commands`` group
    naming a ``register(app: typer.Typer)`` function; ``rag`` imports none of them
    itself. A plugin that fails to import raises: a missing command would hide it.
    """
    from importlib.metadata import entry_points

    from rag.shadowing import check_not_shadowed

    for entry in sorted(entry_points(group=COMMAND_GROUP), key=lambda e: e.name):
        check_not_shadowed(entry.module.partition(".")[0])
        entry.load()(target)

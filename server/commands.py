"""``rag serve``: the web chat and the HTTP API in one process, on one port.

Registered through the ``newsrag.commands`` entry point (see pyproject.toml);
``rag.cli`` itself never imports this package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import typer
from typer.core import TyperCommand

from rag.cli import reindex_previous_store, user_errors

LlmMode = Literal["extractive", "openai", "llamacpp"]  # RAG_LLM_MODE's values


@user_errors
def serve(
    host: str | None = typer.Option(None, help="Bind address (default RAG_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default RAG_PORT, 7860)."),
    corpus: Path | None = typer.Option(None, help="Ingest this directory on start."),
    no_ingest: bool = typer.Option(
        False, "--no-ingest", is_flag=True, metavar="", help="Do not ingest the corpus on start."
    ),
    data_dir: Path | None = typer.Option(None, help="Store directory."),
    llm: LlmMode | None = typer.Option(
        None,
        help="Answerer (RAG_LLM_MODE). The API takes the same names as model ids, "
        "and news-rag for the one chosen here.",
    ),
) -> None:
    """Start the web chat (/) and the HTTP API (/api, /v1) on one port."""
    import uvicorn

    from rag import Assistant
    from server.access import describe_access
    from server.app import create_app

    overrides = {"data_dir": data_dir, "llm_mode": llm, "host": host, "port": port}
    assistant = Assistant.from_settings(**{k: v for k, v in overrides.items() if v is not None})
    settings = assistant.settings
    reindex_previous_store(assistant)
    if not no_ingest:
        folder = corpus or settings.corpus_dir
        if folder.exists():
            report = assistant.ingest([folder])
            typer.echo(
                f"Corpus {folder}: {len(report.added)} added, {len(report.updated)} "
                f"updated, {len(report.skipped)} unchanged, {len(report.failed)} failed."
            )
    app = create_app(assistant)
    typer.echo(f"Web chat on http://{settings.host}:{settings.port}/")
    typer.echo(describe_access(settings))  # what the keys and the login cover
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


class _ServeCommand(TyperCommand):
    """``serve`` with a plain ``--help`` row (typer would label the flag ``<bool>``)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the ``rag`` CLI."""
    app.command("serve", cls=_ServeCommand)(serve)

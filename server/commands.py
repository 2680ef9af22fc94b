"""``rag serve``: the web chat and the HTTP API in one process, on one port.

Registered through the ``newsrag.commands`` entry point (see pyproject.toml);
``rag.cli`` itself never imports this package.
"""

from __future__ import annotations

from pathlib import Path

import typer

from rag.cli import user_errors


@user_errors
def serve(
    host: str | None = typer.Option(None, help="Bind address (default RAG_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default RAG_PORT, 7860)."),
    corpus: Path | None = typer.Option(None, help="Ingest this directory on start."),
    no_ingest: bool = typer.Option(False, help="Do not ingest the corpus on start."),
    data_dir: Path | None = typer.Option(None, help="Store directory."),
    llm: str | None = typer.Option(None, help="Answerer: extractive, openai, llamacpp."),
) -> None:
    """Start the web chat (/) and the HTTP API (/api, /v1) on one port."""
    import uvicorn

    from rag import Assistant
    from server.app import create_app

    overrides = {"data_dir": data_dir, "llm_mode": llm, "host": host, "port": port}
    assistant = Assistant.from_settings(**{k: v for k, v in overrides.items() if v is not None})
    settings = assistant.settings
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
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the ``rag`` CLI."""
    app.command("serve")(serve)

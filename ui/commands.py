"""``rag serve``: the web chat and HTTP API in one process."""

from __future__ import annotations

import os
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the CLI."""

    @app.command()
    def serve(
        host: str | None = typer.Option(None, help="Bind address (default RAG_HOST, 127.0.0.1)."),
        port: int | None = typer.Option(None, help="Port (default RAG_PORT, 7860)."),
        corpus: Path | None = typer.Option(None, help="Ingest this directory on start."),
        no_ingest: bool = typer.Option(False, help="Do not ingest the corpus on start."),
        data_dir: Path | None = typer.Option(None, help="Store directory."),
        llm: str | None = typer.Option(None, help="Answerer: extractive, openai, llamacpp."),
    ) -> None:
        """Start the web chat (/) and the HTTP API (/api, /v1) on one port."""
        os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
        import uvicorn

        from rag.assistant import Assistant
        from rag.errors import RagError
        from ui.server import create_app

        overrides = {"data_dir": data_dir, "llm_mode": llm, "host": host, "port": port}
        try:
            assistant = Assistant.from_settings(
                **{k: v for k, v in overrides.items() if v is not None}
            )
            settings = assistant.settings
            if not no_ingest:
                folder = corpus or settings.corpus_dir
                if folder.exists():
                    report = assistant.ingest([folder])
                    typer.echo(
                        f"Corpus {folder}: {len(report.added)} added, {len(report.updated)} "
                        f"updated, {len(report.skipped)} unchanged, {len(report.failed)} failed."
                    )
            app_ = create_app(assistant)
        except RagError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"Web chat on http://{settings.host}:{settings.port}/")
        uvicorn.run(app_, host=settings.host, port=settings.port, log_level="warning")

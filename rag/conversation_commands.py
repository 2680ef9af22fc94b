"""``rag conversations``: maintenance of the saved conversations (retention)."""

from __future__ import annotations

from pathlib import Path

import typer

conversations_app = typer.Typer(
    help="Saved conversations of the web chat and the API.", no_args_is_help=True
)


@conversations_app.command("prune")
def prune(
    days: int | None = typer.Option(
        None, min=1, help="Delete conversations idle this many days (default: the retention)."
    ),
    data_dir: Path | None = typer.Option(None, help="Store directory (default: RAG_DATA_DIR)."),
) -> None:
    """Delete conversations idle longer than RAG_CONVERSATION_RETENTION_DAYS (or --days)."""
    from rag.cli import user_errors
    from rag.conversations import ConversationStore
    from rag.settings import load_settings

    @user_errors
    def run() -> None:
        overrides = {"data_dir": data_dir} if data_dir is not None else {}
        settings = load_settings(**overrides)
        keep = days if days is not None else settings.conversation_retention_days
        if not keep:
            typer.echo(
                "Conversations are kept forever (RAG_CONVERSATION_RETENTION_DAYS=0); "
                "pass --days N to prune."
            )
            return
        path = settings.conversation_path()
        removed = ConversationStore(path).prune(keep)
        typer.echo(
            f"Removed {removed} conversation(s) idle for more than {keep} day(s) from {path}."
        )

    run()

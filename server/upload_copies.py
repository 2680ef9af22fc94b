"""Where the web chat's uploaded files live: under the data dir, only until they are ingested."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from rag import Settings

STALE_AFTER_S = 3600  # older copies were left by a crash mid-ingest


def upload_dir(settings: Settings) -> Path:
    """The uploads folder (private to the server user), with crash leftovers removed."""
    folder = settings.upload_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    cutoff = time.time() - STALE_AFTER_S
    for child in folder.iterdir():
        try:
            if child.stat().st_mtime < cutoff:
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        except OSError:
            continue  # another process removed it first
    return folder


def mounted_gradio(app: FastAPI) -> Any:
    """The Gradio app that ``gr.mount_gradio_app`` mounted on ``app``."""
    from starlette.routing import Mount

    for route in app.routes:
        inner = getattr(route, "app", None)
        if isinstance(route, Mount) and hasattr(inner, "tokens"):
            return inner
    raise RuntimeError("no Gradio app is mounted")

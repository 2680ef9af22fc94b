"""Export files behind the chat's download buttons; the rendering is ``rag``'s."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from rag import conversation_json, conversation_markdown
from ui.conversation import Turn

EXPORT_MAX_AGE_S = 3600  # export files older than this are removed on the next export


def write_exports(turns: Sequence[Turn], folder: Path) -> tuple[str, str]:
    """Write both exports into a fresh subfolder of ``folder``; returns (md path, json path)."""
    _prune(folder)
    target = folder / uuid.uuid4().hex
    target.mkdir(parents=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    md = target / f"conversation-{stamp}.md"
    js = target / f"conversation-{stamp}.json"
    md.write_text(conversation_markdown(turns), encoding="utf-8")
    js.write_text(conversation_json(turns), encoding="utf-8")
    return str(md), str(js)


def export_folder() -> Path:
    """A private temporary folder for one app's export files, removed when the process
    ends (each app built, in a test run too, would otherwise leave one behind)."""
    folder = Path(tempfile.mkdtemp(prefix="newsrag-exports-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _prune(folder: Path) -> None:
    """Remove old export subfolders (Gradio serves copies from its own cache)."""
    if not folder.exists():
        return
    cutoff = time.time() - EXPORT_MAX_AGE_S
    for child in folder.iterdir():
        if child.is_dir() and child.stat().st_mtime < cutoff:
            shutil.rmtree(child, ignore_errors=True)

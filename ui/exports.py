"""Conversation exports: Markdown for people, JSON for programs, both with citations."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from ui.conversation import Turn

EXPORT_MAX_AGE_S = 3600  # export files older than this are removed on the next export


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def conversation_markdown(turns: Sequence[Turn]) -> str:
    """The conversation as Markdown: each question, answer, and numbered sources."""
    lines = ["# Conversation", ""]
    for index, turn in enumerate(turns, start=1):
        lines += [f"## Q{index}. {turn.question}", ""]
        answer = turn.answer
        if answer is None:
            lines += ["*(no answer)*", ""]
            continue
        if answer.notice:
            lines += [f"*Note: {answer.notice}*", ""]
        lines += [answer.text, ""]
        if answer.citations:
            lines += ["**Sources**", ""]
        for c in answer.citations:
            flag = " **(unsupported)**" if not c.supported else ""
            when = c.date or "undated"
            lines.append(
                f"{c.number}. *{c.title}* ({when}), `{c.doc_id}`, "
                f"characters {c.start}-{c.end}{flag}"
            )
            lines += ["", _quote_block(c.quote), ""]
    return "\n".join(lines).rstrip() + "\n"


def conversation_json(turns: Sequence[Turn]) -> str:
    """The conversation as JSON: a list of {question, answer, refused, notice, citations}."""
    items = []
    for turn in turns:
        answer = turn.answer
        items.append(
            {
                "question": turn.question,
                "answer": answer.text if answer else None,
                "refused": answer.refused if answer else None,
                "notice": answer.notice if answer else None,
                "answerer": answer.answerer if answer else None,
                "condensed_question": answer.condensed_question if answer else None,
                "citations": [c.model_dump(mode="json") for c in answer.citations]
                if answer
                else [],
            }
        )
    return json.dumps({"turns": items}, ensure_ascii=False, indent=2)


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
    """A private temporary folder for one app's export files."""
    return Path(tempfile.mkdtemp(prefix="newsrag-exports-"))


def _prune(folder: Path) -> None:
    """Remove old export subfolders (Gradio serves copies from its own cache)."""
    if not folder.exists():
        return
    cutoff = time.time() - EXPORT_MAX_AGE_S
    for child in folder.iterdir():
        if child.is_dir() and child.stat().st_mtime < cutoff:
            shutil.rmtree(child, ignore_errors=True)

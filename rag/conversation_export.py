"""Conversation exports: Markdown for people, JSON for programs, both with citations.

Shared by the web chat's download buttons and the API's export route; a turn
is anything with a ``question`` and an ``answer`` (None while unanswered).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

from rag.models import Answer


class ExportTurn(Protocol):
    """What an export needs of a turn (the chat's turns and stored turns both fit)."""

    @property
    def question(self) -> str: ...

    @property
    def answer(self) -> Answer | None: ...


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def conversation_markdown(turns: Sequence[ExportTurn], title: str = "Conversation") -> str:
    """The conversation as Markdown: each question, answer, and numbered sources."""
    lines = [f"# {title or 'Conversation'}", ""]
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


def conversation_json(turns: Sequence[ExportTurn], **meta: Any) -> str:
    """The conversation as JSON: ``meta`` (id, title...) and a list of turns with citations."""
    items = []
    for turn in turns:
        answer = turn.answer
        asked_at = getattr(turn, "asked_at", None)
        item: dict[str, Any] = {
            "question": turn.question,
            "answer": answer.text if answer else None,
            "refused": answer.refused if answer else None,
            "notice": answer.notice if answer else None,
            "answerer": answer.answerer if answer else None,
            "condensed_question": answer.condensed_question if answer else None,
            "citations": [c.model_dump(mode="json") for c in answer.citations] if answer else [],
        }
        if asked_at is not None:
            item["asked_at"] = asked_at.isoformat()
        items.append(item)
    return json.dumps({**meta, "turns": items}, ensure_ascii=False, indent=2)

"""The chat as plain data: turns, per-browser settings, and the streaming generator.

Nothing here imports Gradio, so the whole chat flow is testable without a
browser; ``ui.chat_app`` only wires these functions to components.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from rag import Answer, Filters, InputError
from ui.formatting import answer_html, streaming_html, user_html

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class StreamingAssistant(Protocol):
    """The part of ``rag.Assistant`` the chat needs (fakes implement just this)."""

    def stream(
        self,
        question: str,
        history: Any = None,
        filters: Filters | dict[str, Any] | None = None,
        *,
        k: int | None = None,
        answerer: str | None = None,
    ) -> Iterator[str | Answer]: ...


@dataclass
class Turn:
    """One question and its answer (``answer`` is None while it streams)."""

    question: str
    answer: Answer | None = None
    partial: str = ""  # raw streamed text, shown until the verified answer arrives


@dataclass(frozen=True)
class ChatSettings:
    """What the Settings tab controls; persisted per browser."""

    k: int = 5
    answerer: str | None = None
    date_from: str = ""
    date_to: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for gr.BrowserState."""
        return {
            "k": self.k,
            "answerer": self.answerer,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


@dataclass
class ChatUpdate:
    """One step of a streamed reply: the turns so far and the chat messages to show."""

    turns: list[Turn]
    messages: list[dict[str, str]] = field(default_factory=list)
    done: bool = False


def parse_date(value: str | None, label: str) -> str | None:
    """'' -> None; 'YYYY-MM-DD' -> itself; anything else -> InputError with a readable reason."""
    text = (value or "").strip()
    if not text:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise InputError(
            f"The {label} date must look like 2026-03-05 (year-month-day), not {text[:40]!r}."
        )
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InputError(f"The {label} date {text!r} is not a real calendar date.") from None
    return text


def build_filters(settings: ChatSettings) -> Filters | None:
    """The date-range filter for retrieval, validated."""
    start = parse_date(settings.date_from, "'from'")
    end = parse_date(settings.date_to, "'to'")
    if start and end and start > end:
        raise InputError(f"The 'from' date {start} is after the 'to' date {end}.")
    if not (start or end):
        return None
    return Filters(date_from=start, date_to=end)


def history_of(turns: list[Turn]) -> list[dict[str, str]]:
    """Completed turns as the role/content history the assistant condenses follow-ups with."""
    history: list[dict[str, str]] = []
    for turn in turns:
        if turn.answer is not None:
            history.append({"role": "user", "content": turn.question})
            history.append({"role": "assistant", "content": turn.answer.text})
    return history


def chat_messages(turns: list[Turn]) -> list[dict[str, str]]:
    """The Chatbot's value: each turn as a user bubble and an assistant bubble."""
    messages: list[dict[str, str]] = []
    for index, turn in enumerate(turns):
        messages.append({"role": "user", "content": user_html(turn.question)})
        body = answer_html(turn.answer, index) if turn.answer else streaming_html(turn.partial)
        messages.append({"role": "assistant", "content": body})
    return messages


def respond(
    assistant: StreamingAssistant, message: str, turns: list[Turn], settings: ChatSettings
) -> Iterator[ChatUpdate]:
    """Stream one reply: the pending turn, each text delta, then the verified answer.

    Errors (``RagError`` for bad input, the store, the model) propagate to the
    caller, which owns how they are shown; ``turns`` is never modified in place.
    """
    if not message or not message.strip():
        raise InputError("Please type a question.")
    filters = build_filters(settings)
    history = history_of(turns)
    turn = Turn(question=message.strip())
    current = [*turns, turn]
    yield ChatUpdate(current, chat_messages(current))
    stream = assistant.stream(
        message, history, filters, k=settings.k, answerer=settings.answerer or None
    )
    for item in stream:
        if isinstance(item, Answer):
            # The final text replaces the streamed one: markers are renumbered and verified.
            current[-1] = replace(turn, answer=item, partial="")
            yield ChatUpdate(current, chat_messages(current), done=True)
            return
        turn = replace(turn, partial=turn.partial + item)
        current[-1] = turn
        yield ChatUpdate(current, chat_messages(current))
    raise RuntimeError("the assistant's stream ended without an Answer")


def parse_selection(value: str | None) -> tuple[int, int] | None:
    """'turn:number[:nonce]' from a clicked chip -> (turn, number); junk -> None."""
    match = re.fullmatch(r"\s*(\d+):(\d+)(?::[\w.-]*)?\s*", value or "")
    return (int(match.group(1)), int(match.group(2))) if match else None

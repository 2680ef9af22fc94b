"""Event handlers of the Chat and Settings tabs, bound to one ``Assistant``.

Each method is what one Gradio event calls; errors become ``gr.Error`` here,
at the edge: a ``RagError``'s own message, or a generic line for anything else
(logged with its traceback, never shown).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from rag import RagError
from ui.conversation import (
    ChatSettings,
    Turn,
    build_filters,
    chat_messages,
    parse_date,
    parse_selection,
    respond,
)
from ui.exports import export_folder, write_exports
from ui.formatting import reader_html, sources_html

if TYPE_CHECKING:
    from rag import Assistant

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
GENERIC_ERROR = "Something went wrong on the server; the details are in its log."
PENDING_HTML = '<div class="rag-empty">Looking for passages&#8230;</div>'
MAX_K = 20


def user_errors(fn: F) -> F:
    """Show ``RagError`` messages as gr.Error; log anything else and show a generic line."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import gradio as gr

        try:
            return fn(*args, **kwargs)
        except RagError as exc:
            raise shown_error(fn.__name__, exc) from None
        except gr.Error:
            raise
        except Exception:
            log.exception("UI handler %s failed", fn.__name__)
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None  # logged once above

    return wrapper  # type: ignore[return-value]


def shown_error(handler: str, exc: RagError) -> Exception:
    """A user's mistake as a toast: one INFO line in the log, no traceback (Gradio prints one)."""
    import gradio as gr

    log.info("UI %s refused: %s: %s", handler, type(exc).__name__, str(exc)[:200])
    return gr.Error(str(exc), print_exception=False)


class ChatHandlers:
    """What the Chat and Settings tabs do, for one assistant."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.answerers = assistant.answerers()
        self.defaults = ChatSettings(k=assistant.settings.top_k, answerer=self.answerers[-1])
        self.exports_dir = export_folder()

    def panels(self, turns: list[Turn], turn: int, selected: int | None) -> tuple[str, str]:
        """Sources panel and reader HTML for one turn's answer."""
        answer = turns[turn].answer if 0 <= turn < len(turns) else None
        text_of = self.assistant.document_text
        return sources_html(answer, text_of, selected, turn), reader_html(answer, text_of, selected)

    def check(self, message: str, k: float, answerer: str, date_from: str, date_to: str) -> None:
        """Refuse a bad question or date range up front, as a toast and nothing else.

        An error raised by ``ask`` would also stamp "Error" over the whole chat.
        """
        from rag import clean_question

        clean_question(message or "")
        build_filters(ChatSettings(int(k), answerer or None, date_from or "", date_to or ""))

    def ask(
        self, message: str, turns: list[Turn], k: float, answerer: str, date_from: str, date_to: str
    ) -> Iterator[tuple[Any, ...]]:
        """Stream an answer: (chat, turns, sources, reader, question box) per step."""
        import gradio as gr

        settings = ChatSettings(int(k), answerer or None, date_from or "", date_to or "")
        turns = list(turns or [])
        # The box is emptied by the first step only (the pending bubble, at once): what
        # the user types while the answer streams is theirs, later steps leave it alone.
        box: Any = ""
        try:
            for update in respond(self.assistant, message or "", turns, settings):
                if update.done:
                    newest = len(update.turns) - 1
                    panels = self.panels(update.turns, newest, None)
                    yield update.messages, update.turns, *panels, box
                else:
                    yield update.messages, update.turns, PENDING_HTML, gr.skip(), box
                box = gr.skip()
        except Exception as exc:
            # Put the chat back as it was (the question stays in the box to retry), then explain.
            yield chat_messages(turns), turns, *self.panels(turns, len(turns) - 1, None), message
            if isinstance(exc, RagError):
                raise shown_error("ask", exc) from None
            log.exception("answering %r failed", message[:200])
            raise gr.Error(GENERIC_ERROR, print_exception=False) from None

    def select_source(self, value: str, turns: list[Turn]) -> tuple[Any, Any]:
        """A clicked chip ('turn:number:nonce') selects that citation in the panels."""
        import gradio as gr

        picked = parse_selection(value)
        if picked is None or not turns:
            return gr.skip(), gr.skip()
        return self.panels(turns, *picked)

    def exports(self, turns: list[Turn]) -> tuple[Any, Any]:
        """Fresh Markdown and JSON files behind the two download buttons."""
        import gradio as gr

        if not turns:
            return (
                gr.DownloadButton(value=None, interactive=False),
                gr.DownloadButton(value=None, interactive=False),
            )
        md, js = write_exports(turns, self.exports_dir)
        return gr.DownloadButton(value=md, interactive=True), gr.DownloadButton(
            value=js, interactive=True
        )

    def clear(self) -> tuple[Any, ...]:
        """Forget the conversation: (chat, turns, sources, reader)."""
        return [], [], *self.panels([], -1, None)

    def restore(self, saved: dict[str, Any] | None) -> tuple[Any, ...]:
        """Settings from this browser's storage, each falling back to its default."""
        saved = saved if isinstance(saved, dict) else {}
        answerer = saved.get("answerer")
        k = saved.get("k")
        return (
            k if isinstance(k, int) and 1 <= k <= MAX_K else self.defaults.k,
            answerer if answerer in self.answerers else self.defaults.answerer,
            str(saved.get("date_from") or ""),
            str(saved.get("date_to") or ""),
        )

    def save(self, k: float, answerer: str, date_from: str, date_to: str) -> dict[str, Any]:
        """Remember the settings in this browser; warn at once about a malformed date."""
        import gradio as gr

        for value, label in ((date_from, "'from'"), (date_to, "'to'")):
            try:
                parse_date(value, label)
            except RagError as exc:
                gr.Warning(str(exc))
        return ChatSettings(int(k), answerer, date_from or "", date_to or "").to_dict()

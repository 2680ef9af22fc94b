"""The Gradio web chat: a thin client of the public ``Assistant`` API.

Layout and event wiring only; the chat flow lives in ``ui.conversation``,
the HTML in ``ui.formatting``, document actions in ``ui.library``.
Gradio is imported inside functions so ``rag --help`` stays fast.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rag.errors import RagError
from ui.conversation import ChatSettings, Turn, chat_messages, parse_date, parse_selection, respond
from ui.formatting import reader_html, sources_html

if TYPE_CHECKING:
    import gradio as gr

    from rag.assistant import Assistant

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
ASSETS = Path(__file__).parent
GENERIC_ERROR = "Something went wrong on the server; the details are in its log."
SETTINGS_KEY = "newsrag-chat-settings"
EXAMPLES = [
    "Who is Venezuela's acting president?",
    "What did Delcy Rodríguez say on state television about these steps?",
    "When was the US Embassy in Caracas closed, and has it reopened?",
    "What rules do the Interests Office negotiations follow, according to Venezuela's Foreign Ministry?",
]


def user_errors(fn: F) -> F:
    """Show ``RagError`` messages as gr.Error; log anything else and show a generic line."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import gradio as gr

        try:
            return fn(*args, **kwargs)
        except RagError as exc:
            raise gr.Error(str(exc)) from None
        except gr.Error:
            raise
        except Exception:
            log.exception("UI handler %s failed", fn.__name__)
            raise gr.Error(GENERIC_ERROR) from None

    return wrapper  # type: ignore[return-value]


def mount_kwargs(assistant: Assistant | None = None) -> dict[str, Any]:
    """Launch-time options (theme, CSS, head script, limits): Gradio 6 takes them at mount."""
    import gradio as gr

    class SystemFont(gr.themes.Font):
        """A CSS generic family name, which must stay unquoted (Font quotes names)."""

        def __str__(self) -> str:
            return self.name

    theme = gr.themes.Soft(
        font=[SystemFont("system-ui"), gr.themes.Font("Segoe UI"), gr.themes.Font("DejaVu Sans"), "sans-serif"],
        font_mono=[gr.themes.Font("DejaVu Sans Mono"), "monospace"],
    )
    script = (ASSETS / "chat_app.js").read_text(encoding="utf-8")
    kwargs: dict[str, Any] = {
        "theme": theme,
        "css": (ASSETS / "chat_app.css").read_text(encoding="utf-8"),
        "head": f"<script>{script}</script>",
        "footer_links": ["api", "settings"],
        "run_history": False,  # would keep every question and answer in the browser
    }
    if assistant is not None:
        kwargs["max_file_size"] = int(assistant.settings.max_upload_mb * 1_000_000)
    return kwargs


def _panels(assistant: Assistant, turns: list[Turn], turn: int, selected: int | None) -> tuple[str, str]:
    """Sources panel and reader HTML for one turn's answer."""
    answer = turns[turn].answer if 0 <= turn < len(turns) else None
    return (
        sources_html(answer, assistant.document_text, selected, turn),
        reader_html(answer, assistant.document_text, selected),
    )


def build_chat_app(assistant: Assistant) -> gr.Blocks:
    """The web chat: Chat (with sources and reader), Documents and Settings tabs."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from ui import library
    from ui.exports import export_folder, write_exports

    exports_dir = export_folder()
    answerers = assistant.answerers()
    defaults = ChatSettings(k=assistant.settings.top_k, answerer=answerers[-1])

    def ask(message: str, turns: list[Turn], k: float, answerer: str, date_from: str, date_to: str) -> Iterator[tuple[Any, ...]]:
        """Stream an answer into the chat; the sources panel follows the newest answer."""
        settings = ChatSettings(int(k), answerer or None, date_from or "", date_to or "")
        turns = list(turns or [])
        pending = '<div class="rag-empty">Looking for passages&#8230;</div>'
        try:
            for update in respond(assistant, message or "", turns, settings):
                if update.done:
                    last = len(update.turns) - 1
                    yield (update.messages, update.turns, *_panels(assistant, update.turns, last, None), "")
                else:
                    yield update.messages, update.turns, pending, gr.skip(), ""
        except RagError as exc:
            yield (chat_messages(turns), turns, *_panels(assistant, turns, len(turns) - 1, None), message)
            raise gr.Error(str(exc)) from None
        except Exception:
            log.exception("answering %r failed", message)
            yield (chat_messages(turns), turns, *_panels(assistant, turns, len(turns) - 1, None), message)
            raise gr.Error(GENERIC_ERROR) from None

    @user_errors
    def select_source(value: str, turns: list[Turn]) -> tuple[str, str]:
        """A clicked chip ('turn:number:nonce') selects that citation."""
        picked = parse_selection(value)
        if picked is None or not turns:
            return gr.skip(), gr.skip()
        return _panels(assistant, turns, *picked)

    def exports(turns: list[Turn]) -> tuple[Any, Any]:
        """Fresh Markdown/JSON files for the download buttons."""
        if not turns:
            return gr.DownloadButton(value=None, interactive=False), gr.DownloadButton(value=None, interactive=False)
        md, js = write_exports(turns, exports_dir)
        return gr.DownloadButton(value=md, interactive=True), gr.DownloadButton(value=js, interactive=True)

    def clear() -> tuple[Any, ...]:
        """Forget the conversation."""
        return [], [], *_panels(assistant, [], -1, None)

    @user_errors
    def restore(saved: dict[str, Any] | None) -> tuple[Any, ...]:
        """Settings from this browser's storage, falling back to the defaults."""
        saved = saved or {}
        answerer = saved.get("answerer") if saved.get("answerer") in answerers else defaults.answerer
        k = saved.get("k") if isinstance(saved.get("k"), int) and 1 <= saved["k"] <= 20 else defaults.k
        return k, answerer, saved.get("date_from") or "", saved.get("date_to") or ""

    def save(k: float, answerer: str, date_from: str, date_to: str) -> dict[str, Any]:
        """Remember the settings in this browser; warn about malformed dates."""
        for value, label in ((date_from, "'from'"), (date_to, "'to'")):
            try:
                parse_date(value, label)
            except RagError as exc:
                gr.Warning(str(exc))
        return ChatSettings(int(k), answerer, date_from or "", date_to or "").to_dict()

    with gr.Blocks(title="News RAG", analytics_enabled=False, fill_width=True) as demo:
        saved_settings = gr.BrowserState(
            defaults.to_dict(),
            storage_key=SETTINGS_KEY,
            # Not a secret: it only obfuscates preferences (k, answerer, dates) in localStorage,
            # and a fixed value keeps them readable after a server restart.
            secret="newsrag-chat-settings-v1",
        )
        turns = gr.State([])
        gr.HTML(
            '<div class="rag-header"><h1>News RAG</h1><p>Answers come only from the indexed '
            "articles; every sentence cites its passage. Click a numbered chip to see it.</p></div>"
        )
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        chatbot = gr.Chatbot(
                            label="Conversation",
                            elem_id="rag-chatbot",
                            height=480,
                            buttons=["copy"],  # copy_all would copy raw HTML; exports cover it
                            feedback_options=None,
                            latex_delimiters=[],
                            placeholder="Ask about the indexed news articles.",
                        )
                        with gr.Row(equal_height=True):
                            message = gr.Textbox(
                                placeholder="Ask a question about the articles…",
                                show_label=False,
                                elem_id="rag-question",
                                scale=5,
                                min_width=180,
                                max_lines=4,
                            )
                            send = gr.Button("Ask", variant="primary", scale=1, min_width=70, elem_id="rag-ask")
                        gr.Examples(EXAMPLES, inputs=[message], label="Example questions")
                        with gr.Row():
                            clear_btn = gr.Button("Clear chat", size="sm", elem_id="rag-clear")
                            export_md = gr.DownloadButton(
                                "Export Markdown", size="sm", interactive=False, elem_id="rag-export-md"
                            )
                            export_json = gr.DownloadButton(
                                "Export JSON", size="sm", interactive=False, elem_id="rag-export-json"
                            )
                    with gr.Column(scale=2, min_width=300):
                        sources = gr.HTML(_panels(assistant, [], -1, None)[0], label="Sources", elem_id="rag-sources", js_on_load=None)
                        with gr.Accordion("Reader: the full article", open=False, elem_id="rag-reader-box"):
                            reader = gr.HTML(_panels(assistant, [], -1, None)[1], elem_id="rag-reader", js_on_load=None)
                cite_select = gr.Textbox(visible="hidden", elem_id="rag-cite-select")
            with gr.Tab("Documents", id="documents") as documents_tab:
                library_parts = library.build_library(assistant)
            with gr.Tab("Settings", id="settings"):
                k = gr.Slider(1, 20, value=defaults.k, step=1, label="Passages per answer (k)")
                answerer = gr.Dropdown(answerers, value=defaults.answerer, label="Answerer")
                with gr.Row():
                    date_from = gr.Textbox(label="From date", placeholder="YYYY-MM-DD", min_width=150)
                    date_to = gr.Textbox(label="To date", placeholder="YYYY-MM-DD", min_width=150)
                gr.Markdown("Settings are kept in this browser. Dates limit answers to articles published in that range.")

        chat_outputs = [chatbot, turns, sources, reader, message]
        gr.on(
            [message.submit, send.click], ask,
            inputs=[message, turns, k, answerer, date_from, date_to], outputs=chat_outputs,
            api_name="ask", show_progress="minimal",
        ).then(exports, [turns], [export_md, export_json], api_visibility="private")
        cite_select.change(
            select_source, [cite_select, turns], [sources, reader], api_name="select_source", show_progress="hidden"
        ).then(
            None, js="() => document.querySelector('#rag-sources .rag-source-selected')"
            "?.scrollIntoView({block: 'nearest', behavior: 'smooth'})",
        )
        clear_btn.click(clear, None, [chatbot, turns, sources, reader], api_name="clear").then(
            exports, [turns], [export_md, export_json], api_visibility="private"
        )
        # The chat's own trash icon empties the bubbles; forget the turns with them.
        chatbot.clear(clear, None, [chatbot, turns, sources, reader], api_visibility="private").then(
            exports, [turns], [export_md, export_json], api_visibility="private"
        )
        settings_inputs = [k, answerer, date_from, date_to]
        gr.on(
            [k.release, answerer.change, date_from.blur, date_to.blur, date_from.submit, date_to.submit],
            save, settings_inputs, [saved_settings], api_visibility="private",
        )
        demo.load(restore, [saved_settings], settings_inputs, api_visibility="private")
        library.wire_library(assistant, library_parts, demo, documents_tab)
    return demo

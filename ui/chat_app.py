"""The Gradio web chat: a thin client of the public ``Assistant`` API.

Layout and event wiring only: handlers live in ``ui.chat_handlers`` and
``ui.library``, the chat flow in ``ui.conversation``, HTML in ``ui.formatting``.
Gradio is imported inside functions so ``rag --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import gradio as gr

    from rag import Assistant

ASSETS = Path(__file__).parent
SETTINGS_KEY = "newsrag-chat-settings"
EXAMPLES = [
    "Who is Venezuela's acting president?",
    "What did Delcy Rodríguez say on state television about these steps?",
    "When was the US Embassy in Caracas closed, and has it reopened?",
    "What rules do the Interests Office negotiations follow, "
    "according to Venezuela's Foreign Ministry?",
]
HEADER = (
    '<div class="rag-header"><h1>News RAG</h1><p>Answers come only from the indexed articles; '
    "every sentence cites its passage. Click a numbered chip to see it.</p></div>"
)
# Defined in chat_app.js: scroll the selected citation's card and reader mark into view.
REVEAL_SOURCE = "() => window.ragRevealSource?.()"
REVEAL_READER = "() => window.ragRevealReader?.()"


def mount_kwargs(assistant: Assistant | None = None) -> dict[str, Any]:
    """Theme, CSS, head script and limits: launch/mount options in Gradio 6, not Blocks'."""
    import gradio as gr

    class SystemFont(gr.themes.Font):
        """A CSS generic family, which must stay unquoted (Font quotes every name)."""

        def __str__(self) -> str:
            return self.name

    # System fonts only: the page must load nothing from outside the server.
    theme = gr.themes.Soft(
        font=[SystemFont("system-ui"), gr.themes.Font("Segoe UI"), "sans-serif"],
        font_mono=[gr.themes.Font("DejaVu Sans Mono"), "monospace"],
    )
    script = (ASSETS / "chat_app.js").read_text(encoding="utf-8")
    kwargs: dict[str, Any] = {
        "theme": theme,
        "css": (ASSETS / "chat_app.css").read_text(encoding="utf-8"),
        "head": f"<script>{script}</script>",
        "footer_links": ["api", "settings"],
        "run_history": False,  # it would keep every question and answer in the browser
    }
    if assistant is not None:
        # Gradio's page prints the limit in units of 1024 bytes ("19.1 MB" for 20e6):
        # a limit in those units reads as the setting; the server still caps at 20e6.
        kwargs["max_file_size"] = int(assistant.settings.max_upload_mb * 1024 * 1024)
    return kwargs


def build_chat_app(assistant: Assistant) -> gr.Blocks:
    """The web chat: Chat (with sources and reader), Documents and Settings tabs."""
    import gradio as gr

    from ui import conversation_sidebar, library
    from ui.chat_handlers import MAX_K, ChatHandlers, user_errors

    h = ChatHandlers(assistant)
    empty_sources, empty_reader = h.panels([], -1, None)
    with gr.Blocks(title="News RAG", analytics_enabled=False, fill_width=True) as demo:
        saved_settings = gr.BrowserState(
            h.defaults.to_dict(),
            storage_key=SETTINGS_KEY,
            # Not a secret: it only obfuscates preferences (k, answerer, dates) in
            # localStorage; a fixed value keeps them readable after a server restart.
            secret="newsrag-chat-settings-v1",
        )
        turns = gr.State([])
        gr.HTML(HEADER, js_on_load=None)
        sidebar = conversation_sidebar.build_sidebar()
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        chatbot = gr.Chatbot(
                            label="Conversation",
                            show_label=False,  # a floating label would cover the first message
                            elem_id="rag-chatbot",
                            height=480,
                            buttons=["copy"],  # copy_all would copy raw HTML; exports cover it
                            feedback_options=None,
                            latex_delimiters=[],
                            placeholder="Ask about the indexed news articles.",
                        )
                        with gr.Row(equal_height=True):
                            message = gr.Textbox(
                                placeholder="Ask about the articles…",
                                show_label=False,
                                elem_id="rag-question",
                                scale=5,
                                min_width=180,
                                max_lines=4,
                            )
                            send = gr.Button(
                                "Ask", variant="primary", scale=1, min_width=70, elem_id="rag-ask"
                            )
                        gr.Examples(EXAMPLES, inputs=[message], label="Example questions")
                        with gr.Row():
                            clear_btn = gr.Button("Clear chat", size="sm", elem_id="rag-clear")
                            export_md = gr.DownloadButton(
                                "Export Markdown",
                                size="sm",
                                interactive=False,
                                elem_id="rag-export-md",
                            )
                            export_json = gr.DownloadButton(
                                "Export JSON",
                                size="sm",
                                interactive=False,
                                elem_id="rag-export-json",
                            )
                    with gr.Column(scale=2, min_width=300):
                        sources = gr.HTML(
                            empty_sources, elem_id="rag-sources", js_on_load=None, max_height=600
                        )
                        with gr.Accordion(
                            "Reader: the full article", open=False, elem_id="rag-reader-box"
                        ):
                            reader = gr.HTML(empty_reader, elem_id="rag-reader", js_on_load=None)
                # Chip clicks land here (see chat_app.js); hidden but present in the page.
                cite_select = gr.Textbox(visible="hidden", elem_id="rag-cite-select")
            with gr.Tab("Documents", id="documents") as documents_tab:
                library_parts = library.build_library()
            with gr.Tab("Settings", id="settings"):
                k = gr.Slider(1, MAX_K, value=h.defaults.k, step=1, label="Passages per answer (k)")
                answerer = gr.Dropdown(h.answerers, value=h.defaults.answerer, label="Answerer")
                with gr.Row():
                    date_from = gr.Textbox(
                        label="From date", placeholder="YYYY-MM-DD", min_width=150
                    )
                    date_to = gr.Textbox(label="To date", placeholder="YYYY-MM-DD", min_width=150)
                gr.Markdown(
                    "Settings are kept in this browser. Dates limit answers to articles "
                    "published in that range."
                )

        panels = [chatbot, turns, sources, reader]
        settings = [k, answerer, date_from, date_to]
        refresh_exports: dict[str, Any] = {
            "fn": h.exports,
            "inputs": [turns],
            "outputs": [export_md, export_json],
            "api_visibility": "private",
        }
        # Input problems are caught first, as a toast: an error from `ask` itself
        # would also stamp "Error" over the chat. `ask` still checks (API callers).
        asked = gr.on(
            [message.submit, send.click],
            user_errors(h.check),
            inputs=[message, *settings],
            api_visibility="private",
            show_progress="hidden",
        ).success(
            h.ask,
            inputs=[message, turns, *settings],
            outputs=[*panels, message],
            api_name="ask",
            show_progress="hidden",  # the pending bubble is the progress indicator
        )
        asked.then(**refresh_exports).then(None, js=REVEAL_READER)
        cite_select.change(
            user_errors(h.select_source),
            [cite_select, turns],
            [sources, reader],
            api_name="select_source",
            show_progress="hidden",
        ).then(None, js=REVEAL_SOURCE)
        clear_btn.click(h.clear, None, panels, api_name="clear", show_progress="hidden").then(
            **refresh_exports
        )
        # The chat's own trash icon empties the bubbles; forget the turns with them.
        chatbot.clear(h.clear, None, panels, api_visibility="private").then(**refresh_exports)
        gr.on(
            [
                k.release,
                answerer.change,
                date_from.blur,
                date_to.blur,
                date_from.submit,
                date_to.submit,
            ],
            h.save,
            settings,
            [saved_settings],
            api_visibility="private",
            # The default ("once") drops a trigger while a save runs: a blur followed by
            # Enter in the other box would lose the second edit.
            trigger_mode="always_last",
        )
        demo.load(user_errors(h.restore), [saved_settings], settings, api_visibility="private")
        library.wire_library(assistant, library_parts, demo, documents_tab)
        conversation_sidebar.wire_sidebar(
            assistant, h, sidebar, demo, panels=panels, asked=asked,
            cleared=[clear_btn.click, chatbot.clear], refresh_exports=refresh_exports,
        )  # fmt: skip
    return demo

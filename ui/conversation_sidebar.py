"""Layout and wiring of the conversation list (a sidebar of the web chat).

The handlers are in ``ui.conversation_list``; this module only places the
components and connects their events, like ``ui.library`` does for Documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr

from ui.chat_handlers import user_errors
from ui.conversation_list import CURRENT_KEY, ConversationHandlers

if TYPE_CHECKING:
    from rag import Assistant
    from ui.chat_handlers import ChatHandlers


@dataclass
class SidebarParts:
    """The components of the conversation sidebar."""

    current: gr.BrowserState
    listing: gr.Radio
    search: gr.Textbox
    new: gr.Button
    title: gr.Textbox
    rename: gr.Button
    delete: gr.Button
    status: gr.Markdown


def build_sidebar() -> SidebarParts:
    """The sidebar: new chat, search, the list, and rename/delete of the open one."""
    current = gr.BrowserState(
        None,
        storage_key=CURRENT_KEY,
        # Not a secret: only the id of the open conversation, which is useless without
        # this browser's login; a fixed value keeps it readable after a server restart.
        secret="newsrag-chat-conversation-v1",
    )
    with gr.Sidebar(open=True, width=290, elem_id="rag-sidebar"):
        new = gr.Button("+ New chat", variant="secondary", size="sm", elem_id="rag-new-chat")
        search = gr.Textbox(
            placeholder="Search conversations…",
            show_label=False,
            elem_id="rag-conversation-search",
            max_lines=1,
        )
        listing = gr.Radio(
            choices=[],
            value=None,
            label="Conversations",
            elem_id="rag-conversation-list",
            elem_classes=["rag-conversation-list"],
        )
        status = gr.Markdown("", elem_id="rag-conversation-status")
        # A plain group, not a closed Accordion: Gradio renders a closed accordion's children
        # only once it opens, and a title typed (or a button pressed) during that first render
        # was lost, as the browser test caught on a loaded machine.
        with gr.Group(elem_id="rag-conv-edit"):
            title = gr.Textbox(
                label="Title of this chat", max_lines=1, elem_id="rag-conversation-title"
            )
            with gr.Row():
                rename = gr.Button("Rename", size="sm", min_width=60, elem_id="rag-rename-chat")
                delete = gr.Button(
                    "Delete", size="sm", variant="stop", min_width=60, elem_id="rag-delete-chat"
                )
    return SidebarParts(current, listing, search, new, title, rename, delete, status)


def wire_sidebar(
    assistant: Assistant,
    chat: ChatHandlers,
    parts: SidebarParts,
    demo: gr.Blocks,
    *,
    panels: list[Any],
    asked: Any,
    cleared: list[Any],
    refresh_exports: dict[str, Any],
) -> None:
    """Attach the sidebar's events; ``panels`` are (chat, turns, sources, reader)."""
    conv = ConversationHandlers(assistant, chat)
    chatbot, turns = panels[0], panels[1]
    shown = [*panels, parts.current, parts.listing, parts.title, parts.status]
    private: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}

    demo.load(user_errors(conv.restore), [parts.current, parts.search], shown, **private).then(
        **refresh_exports
    )
    parts.listing.input(
        user_errors(conv.select), [parts.listing, parts.search], shown, **private
    ).then(**refresh_exports)
    gr.on(
        [parts.new.click, *cleared],
        user_errors(conv.new),
        [parts.search],
        shown,
        **private,
    ).then(**refresh_exports)
    # Search and rename both rewrite the list from the store: one queue, so a search that
    # read the store before a rename cannot land after it and show the old title.
    listing_queue: dict[str, Any] = {"concurrency_id": "conversation-list", "concurrency_limit": 1}
    gr.on(
        [parts.search.change],
        user_errors(conv.search),
        [parts.search, parts.current],
        [parts.listing],
        trigger_mode="always_last",
        **listing_queue,
        **private,
    )
    gr.on(
        [parts.rename.click, parts.title.submit],
        user_errors(conv.rename),
        [parts.current, parts.title, parts.search],
        [parts.listing, parts.title],
        **listing_queue,
        **private,
    )
    parts.delete.click(
        user_errors(conv.delete), [parts.current, parts.search], shown, **private
    ).then(**refresh_exports)
    asked.success(
        user_errors(conv.record),
        [turns, parts.current, parts.search],
        [chatbot, turns, parts.current, parts.listing, parts.title, parts.status],
        **private,
    )  # no export refresh: the chat's own runs already, and a second would cancel a download

"""The saved-conversation side of the web chat: list, open, new, rename, delete, search, save.

Conversations live in the assistant's store (``rag.ConversationStore``), one
owner per web login (or the one local user without a login); this browser
remembers only the id of the conversation it has open. Imported by
``ui.chat_app`` after Gradio, which Gradio's ``gr.Request`` injection needs.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import gradio as gr

from rag import ConversationsUnavailable, InputError, NotFoundError, StoredTurn, owner_for
from ui.chat_handlers import shown_error
from ui.conversation import Turn, chat_messages

if TYPE_CHECKING:
    from rag import Assistant, ConversationStore
    from ui.chat_handlers import ChatHandlers

log = logging.getLogger(__name__)
CURRENT_KEY = "newsrag-chat-conversation"
NOT_SAVED = "&#9888; {reason}"
LIST_LIMIT = 200


def owner_of(request: gr.Request | None) -> str:
    """The owner of this browser's conversations: its web login, else the local user."""
    return owner_for(user=getattr(request, "username", None) or None)


def turns_of(stored: list[StoredTurn]) -> list[Turn]:
    """Saved turns as the chat's turns (their answers, citations and all)."""
    return [Turn(question=t.question, answer=t.answer) for t in stored]


class ConversationHandlers:
    """What the conversation list does, for one assistant and its chat handlers."""

    def __init__(self, assistant: Assistant, chat: ChatHandlers) -> None:
        self.assistant = assistant
        self.chat = chat

    @property
    def store(self) -> ConversationStore:
        """The assistant's conversation store (opened on first use)."""
        return self.assistant.conversations

    def choices(self, owner: str, search: str = "") -> list[tuple[str, str]]:
        """(label, id) of the owner's conversations matching ``search``, newest first."""
        found = self.store.list(owner, search or "", LIST_LIMIT)
        return [(f"{c.title or 'Untitled'} · {c.updated_at:%Y-%m-%d}", c.id) for c in found]

    def _list(self, owner: str, search: str, current: str | None) -> tuple[Any, str]:
        """The list's update and a status line ('' when the store works)."""
        try:
            options = self.choices(owner, search)
        except ConversationsUnavailable as exc:
            return gr.Radio(choices=[], value=None), NOT_SAVED.format(reason=exc)
        value = current if any(value == current for _, value in options) else None
        return gr.Radio(choices=options, value=value), ""

    def _show(
        self, turns: list[Turn], current: str | None, title: str, owner: str, search: str
    ) -> tuple[Any, ...]:
        """(chat, turns, sources, reader, current id, list, title, status) for a conversation."""
        sources, reader = self.chat.panels(turns, len(turns) - 1, None)
        listing, status = self._list(owner, search, current)
        return chat_messages(turns), turns, sources, reader, current, listing, title, status

    def _open(self, conversation_id: str | None, owner: str, search: str) -> tuple[Any, ...]:
        if not conversation_id:
            return self._show([], None, "", owner, search)
        try:
            found = self.store.get(owner, str(conversation_id))
        except NotFoundError:  # deleted meanwhile, or another login's id in this browser
            return self._show([], None, "", owner, search)
        except ConversationsUnavailable as exc:
            shown = self._show([], None, "", owner, search)
            return (*shown[:-1], NOT_SAVED.format(reason=exc))
        return self._show(turns_of(found.turns), found.id, found.title, owner, search)

    # --- events ---------------------------------------------------------------------------
    def restore(self, current: str | None, search: str, request: gr.Request) -> tuple[Any, ...]:
        """On page load: reopen the conversation this browser had open, with its chips."""
        return self._open(current, owner_of(request), search)

    def select(self, chosen: str | None, search: str, request: gr.Request) -> tuple[Any, ...]:
        """Open the conversation picked in the list."""
        return self._open(chosen, owner_of(request), search)

    def new(self, search: str, request: gr.Request) -> tuple[Any, ...]:
        """An empty chat; it is saved (and listed) once its first question is answered."""
        return self._show([], None, "", owner_of(request), search)

    def search(self, search: str, current: str | None, request: gr.Request) -> Any:
        """The list, filtered by text in titles, questions and answers."""
        return self._list(owner_of(request), search, current)[0]

    def rename(
        self, current: str | None, title: str, search: str, request: gr.Request
    ) -> tuple[Any, Any]:
        """Rename the open conversation: (list, title box)."""
        owner = owner_of(request)
        if not current:
            message = "Ask a question first: a new chat is saved with its first answer."
            raise shown_error("rename", InputError(message))
        if not (title or "").strip():
            raise shown_error("rename", InputError("Please type a title."))
        self.store.rename(owner, current, title)
        return self._list(owner, search, current)[0], title.strip()

    def delete(self, current: str | None, search: str, request: gr.Request) -> tuple[Any, ...]:
        """Delete the open conversation and show an empty chat."""
        owner = owner_of(request)
        if current:
            try:
                self.store.delete(owner, current)
            except NotFoundError:
                pass  # already gone: the result is the same
        return self._show([], None, "", owner, search)

    def record(
        self, turns: list[Turn], current: str | None, search: str, request: gr.Request
    ) -> tuple[Any, ...]:
        """Save the newest answered turn; (chat, turns, current id, list, title, status).

        When the database fails the answer stays on screen with a notice saying so.
        """
        owner = owner_of(request)
        turns = list(turns or [])
        last = turns[-1] if turns else None
        answer = last.answer if last else None
        if last is None or answer is None:
            return (gr.skip(),) * 6
        try:
            if current:
                try:
                    self.store.get(owner, current)
                except NotFoundError:
                    current = None  # deleted elsewhere: keep this chat as a new one
            if not current:
                current = self.store.create(owner).id
                for earlier in turns[:-1]:  # a chat begun while saving failed
                    if earlier.answer is not None:
                        self.store.add_turn(owner, current, earlier.question, earlier.answer)
            self.store.add_turn(owner, current, last.question, answer)
            title = self.store.get(owner, current).title
        except ConversationsUnavailable as exc:
            log.warning("conversation not saved: %s", exc)
            gr.Warning(str(exc))
            turns[-1] = Turn(last.question, answer.with_notice(f"This answer was not saved: {exc}"))
            listing = gr.Radio(choices=[], value=None)
            return chat_messages(turns), turns, None, listing, "", NOT_SAVED.format(reason=exc)
        listing, status = self._list(owner, search, current)
        return gr.skip(), gr.skip(), current, listing, title, status

"""Saved conversations over HTTP: ``/api/conversations`` (list, create, read, rename, delete,
export) and the conversation part of an ask, shared by ``/api/ask`` and the OpenAI route.

A request's owner is its API key (hashed) when keys are configured, else the one
local user; another owner's ids answer 404, exactly like ids that never existed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from rag import (
    Answer,
    Conversation,
    ConversationSummary,
    ConversationsUnavailable,
    conversation_json,
    conversation_markdown,
    owner_for,
)
from server.problems import AuthError, SafeRoute, error_responses

if TYPE_CHECKING:
    from rag import Assistant

log = logging.getLogger(__name__)
NOT_SAVED = "This answer was not saved: {reason}"


class ConversationList(BaseModel):
    """The caller's conversations, newest activity first."""

    conversations: list[ConversationSummary]


class ListQuery(BaseModel):
    """Query of the list: an optional search text and a limit; nothing else is accepted."""

    model_config = ConfigDict(extra="forbid")

    search: str = Field("", max_length=200, description="Text in a title, question or answer.")
    limit: int = Field(100, ge=1, le=1000)


class ConversationIn(BaseModel):
    """A title for a new or renamed conversation."""

    title: str = Field("", max_length=200)


class ConversationDeleted(BaseModel):
    """The id of the conversation that was removed."""

    deleted: str


def owner_dependency(assistant: Assistant) -> Callable[[Request], str]:
    """A dependency naming the owner of the request's conversations."""

    def request_owner(request: Request) -> str:
        if not [k for k in assistant.settings.api_keys if k] and not assistant.settings.ui_auth:
            return owner_for()
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return owner_for(api_key=token.strip())  # the guard has checked the key already
        raise AuthError("Saved conversations over the API need 'Authorization: Bearer <key>'.")

    return request_owner


def stored_history(
    assistant: Assistant, owner: str, conversation_id: str
) -> tuple[list[dict[str, str]], str | None]:
    """(history, None) of a saved conversation, or ([], why) when the database fails.

    An unknown id raises NotFoundError (404) before any answering work is done.
    """
    try:
        return assistant.conversations.get(owner, conversation_id).history(), None
    except ConversationsUnavailable as exc:
        return [], str(exc)


def saver(
    assistant: Assistant, owner: str, conversation_id: str, question: str, failure: str | None
) -> Callable[[Answer], Answer]:
    """What to do with the final answer: save it, or (database down) add why it was not."""

    def finish(answer: Answer) -> Answer:
        answer = answer.model_copy(update={"conversation_id": conversation_id})
        if failure is not None:
            return with_notice(answer, failure)
        return save_turn(assistant, owner, conversation_id, question, answer)

    return finish


def ask_in_conversation(
    assistant: Assistant,
    owner: str,
    conversation_id: str,
    question: str,
    answer_with: Callable[[list[dict[str, str]]], Answer],
) -> Answer:
    """Answer with the stored history of ``conversation_id`` and save the new turn.

    A broken database still answers, without history or saving, and the
    answer's notice says so.
    """
    history, failure = stored_history(assistant, owner, conversation_id)
    answer = answer_with(history)
    return saver(assistant, owner, conversation_id, question, failure)(answer)


def save_turn(
    assistant: Assistant, owner: str, conversation_id: str, question: str, answer: Answer
) -> Answer:
    """Store one turn; when the database fails, the answer carries a notice instead."""
    try:
        assistant.conversations.add_turn(owner, conversation_id, question, answer)
    except ConversationsUnavailable as exc:
        log.warning("conversation %s not saved: %s", conversation_id, exc)
        return with_notice(answer, str(exc))
    return answer


def recorded_stream(
    items: Iterator[str | Answer], save: Callable[[Answer], Answer]
) -> Iterator[str | Answer]:
    """Pass a stream through, saving (and possibly annotating) its final Answer."""
    for item in items:
        yield save(item) if isinstance(item, Answer) else item


def with_notice(answer: Answer, reason: str) -> Answer:
    """``answer`` with a notice that it was not saved, after any notice it had."""
    return answer.with_notice(NOT_SAVED.format(reason=reason))


def build_conversations_router(assistant: Assistant) -> APIRouter:
    """Routes under /api/conversations."""
    router = APIRouter(
        prefix="/conversations",
        tags=["conversations"],
        responses=error_responses(400, 401, 422, 500, 503),
        route_class=SafeRoute,
    )
    owner_of = Depends(owner_dependency(assistant))

    def store():  # noqa: ANN202 - the store is built lazily, on first use
        return assistant.conversations

    @router.get("", response_model=ConversationList)
    async def list_conversations(
        query: Annotated[ListQuery, Query()], owner: str = owner_of
    ) -> ConversationList:
        """The caller's conversations, newest activity first."""
        found = await run_in_threadpool(store().list, owner, query.search, query.limit)
        return ConversationList(conversations=found)

    @router.post("", response_model=ConversationSummary, status_code=201)
    async def create_conversation(
        body: ConversationIn | None = None, owner: str = owner_of
    ) -> ConversationSummary:
        """Start an empty conversation; pass its id to POST /api/ask to continue it."""
        return await run_in_threadpool(store().create, owner, body.title if body else "")

    @router.get("/{conversation_id}", response_model=Conversation, responses=error_responses(404))
    async def read_conversation(conversation_id: str, owner: str = owner_of) -> Conversation:
        """A conversation with every turn: question, answer, citations, answerer, timings."""
        return await run_in_threadpool(store().get, owner, conversation_id)

    @router.patch(
        "/{conversation_id}", response_model=ConversationSummary, responses=error_responses(404)
    )
    async def rename_conversation(
        conversation_id: str, body: ConversationIn, owner: str = owner_of
    ) -> ConversationSummary:
        """Give a conversation a new title."""
        await run_in_threadpool(store().rename, owner, conversation_id, body.title)
        found = await run_in_threadpool(store().get, owner, conversation_id)
        return ConversationSummary(**found.model_dump(exclude={"turns"}))

    @router.delete(
        "/{conversation_id}", response_model=ConversationDeleted, responses=error_responses(404)
    )
    async def delete_conversation(
        conversation_id: str, owner: str = owner_of
    ) -> ConversationDeleted:
        """Remove a conversation and all its turns."""
        await run_in_threadpool(store().delete, owner, conversation_id)
        return ConversationDeleted(deleted=conversation_id)

    @router.get(
        "/{conversation_id}/export",
        response_class=Response,
        responses={
            200: {"content": {"text/markdown": {}, "application/json": {}}},
            **error_responses(404),
        },
    )
    async def export_conversation(
        conversation_id: str,
        format: Literal["markdown", "json"] = Query("markdown"),  # noqa: A002 - the query name
        owner: str = owner_of,
    ) -> Response:
        """The whole conversation with its citations, as Markdown or JSON (a download)."""
        found = await run_in_threadpool(store().get, owner, conversation_id)
        if format == "json":
            meta = {
                "id": found.id,
                "title": found.title,
                "created_at": found.created_at.isoformat(),
            }
            body, media, suffix = conversation_json(found.turns, **meta), "application/json", "json"
        else:
            body, media, suffix = (
                conversation_markdown(found.turns, found.title),
                "text/markdown",
                "md",
            )
        disposition = f'attachment; filename="conversation-{found.id}.{suffix}"'
        return Response(body, media_type=media, headers={"Content-Disposition": disposition})

    return router

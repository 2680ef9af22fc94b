"""OpenAI-compatible routes: ``POST /v1/chat/completions`` (JSON and SSE) and ``/v1/models``.

Answers carry OpenAI's exact envelope plus extra top-level fields the OpenAI
clients keep (``citations``, ``refused``, ``notice``, ``answerer``); in a stream
they ride on the final chunk, the one with ``finish_reason: "stop"``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from rag import InputError
from server.conversations_api import owner_dependency, recorded_stream, saver, stored_history
from server.history_window import recent_turns
from server.openai_schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    ChatMessage,
    ModelCard,
    ModelList,
)
from server.openai_stream import END, SSE_HEADERS, answer_extras, sse_events
from server.problems import ModelNotFound, error_responses

if TYPE_CHECKING:
    from rag import Answer, Assistant

DEFAULT_MODEL = "news-rag"  # alias for the assistant's configured answerer
_STREAM_EVENT = {  # OpenAPI 3.1: with text/event-stream, `schema` describes one event
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "string",
            "description": "A JSON `chat.completion.chunk` (the last one carries "
            '`citations`), an in-band `{"error": ...}`, or `[DONE]`.',
        },
        "event": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}
_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A `chat.completion`, or with `stream: true` SSE `chat.completion.chunk`s.",
        "content": {"text/event-stream": {"schema": _STREAM_EVENT}},
    }
}


def model_ids(assistant: Assistant) -> list[str]:
    """Model ids: ``news-rag`` (the default), the offline answerers, then the LLM's mode."""
    ids = [DEFAULT_MODEL, "reader", "extractive"]
    mode = assistant.settings.llm_mode
    # The default answerer comes last in answerers(): an LLM's name when one is configured.
    if mode != "extractive" and assistant.answerers()[-1] not in ("extractive", "reader"):
        ids.append(mode)  # the pipeline knows the LLM by its mode too ('openai')
    return ids


def resolve_answerer(assistant: Assistant, name: str | None) -> str | None:
    """The answerer for a model name: None for the default alias; 404 when unknown.

    The CLI's and settings' names ('extractive', 'openai', 'llamacpp') and the
    answerers' full names ('openai:gpt-4o-mini', as in ``Answer.answerer``) both work.
    """
    if name is None or name == DEFAULT_MODEL:
        return None
    if name in model_ids(assistant) or name in assistant.answerers():
        return name
    known = ", ".join(model_ids(assistant))
    raise ModelNotFound(f"The model {name[:100]!r} does not exist; use one of: {known}.")


def message_text(message: ChatMessage) -> str:
    """A message's text: the string, or its text parts joined."""
    if isinstance(message.content, str):
        return message.content
    parts = [p.text for p in message.content or [] if p.text and p.type in ("text", "input_text")]
    return "\n".join(parts)


def split_conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """(question, history): the last user message, and the user/assistant turns before it.

    System prompts are ignored on purpose: the answerer's grounding prompt is not
    the caller's to replace.
    """
    turns = [(m.role, message_text(m)) for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1][0] != "user":
        raise InputError("The last message must be the user's question.")
    history = [{"role": role, "content": text} for role, text in turns[:-1] if text.strip()]
    return turns[-1][1], history


def count_tokens(texts: Sequence[str]) -> int:
    """cl100k tokens in ``texts``; 0 when the tokenizer is unavailable."""
    try:
        from rag import count_tokens as count
    except ImportError:  # pragma: no cover - tiktoken is a core dependency
        return 0
    return sum(count(t) for t in texts)


def usage(question: str, history: list[dict[str, str]], answer: str) -> dict[str, int]:
    """OpenAI's usage block, counted with cl100k."""
    prompt = count_tokens([question, *(t["content"] for t in history)])
    completion = count_tokens([answer])
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def build_openai_router(
    assistant: Assistant, *, route_class: type[APIRoute] = APIRoute
) -> APIRouter:
    """Routes under /v1 speaking OpenAI's wire format."""
    errors = error_responses(401, 422, 500)
    router = APIRouter(tags=["openai"], responses=errors, route_class=route_class)
    request_owner = owner_dependency(assistant)

    @router.get("/models", response_model=ModelList)
    async def list_models() -> ModelList:
        """The answerers by the names the CLI and settings use, plus the ``news-rag`` default."""
        return ModelList(data=[ModelCard(id=n) for n in model_ids(assistant)])

    @router.get("/models/{model:path}", response_model=ModelCard, responses=error_responses(404))
    async def get_model(model: str) -> ModelCard:
        """One model by id."""
        resolve_answerer(assistant, model)
        return ModelCard(id=model)

    @router.post(
        "/chat/completions",
        response_model=ChatCompletion,
        responses={**_STREAM_DOC, **error_responses(400, 404, 502, 503)},
    )
    async def chat_completions(body: ChatCompletionRequest, request: Request) -> Any:
        """Answer the last user message; earlier user/assistant turns are the history."""
        answerer = resolve_answerer(assistant, body.model)
        question, history = split_conversation(body.messages)
        received = len(history)
        history = recent_turns(history)  # a long chat is trimmed to what fits, never refused
        conversation_id = body.conversation_id or request.headers.get("x-conversation-id")
        finish = None
        if conversation_id:  # the saved history replaces the messages' (404 when unknown)
            owner = request_owner(request)
            stored, failure = await run_in_threadpool(
                stored_history, assistant, owner, conversation_id
            )
            history = stored if failure is None else history
            finish = saver(assistant, owner, conversation_id, question, failure)
        filters = body.filters.to_dict() if body.filters else None
        envelope = {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "created": int(time.time()),
            "model": body.model,
            "system_fingerprint": None,
            # Extension: how much of the sent history the answer used (the newest turns).
            "history_turns": {"received": received, "used": len(history)},
        }
        if body.stream:
            items = assistant.stream(question, history, filters, k=body.k, answerer=answerer)
            if finish is not None:
                items = recorded_stream(items, finish)
            # Run up to the first delta before answering 200, so that a bad question
            # or a store outage still gets its proper status code.
            first = await run_in_threadpool(next, items, END)
            with_usage = bool(body.stream_options and body.stream_options.include_usage)
            usage_of = (lambda text: usage(question, history, text)) if with_usage else None
            events = sse_events(items, first, envelope, usage_of)
            return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)

        def answer_now() -> tuple[Answer, dict[str, int]]:
            answer = assistant.ask(question, history, filters, k=body.k, answerer=answerer)
            answer = finish(answer) if finish is not None else answer
            return answer, usage(question, history, answer.text)

        answer, counts = await run_in_threadpool(answer_now)
        message = {"role": "assistant", "content": answer.text, "refusal": None}
        choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
        return {
            **envelope,
            "object": "chat.completion",
            "choices": [choice],
            "usage": counts,
            **answer_extras(answer),
            "conversation_id": conversation_id,
        }

    return router

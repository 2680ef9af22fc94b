"""The streaming side of the OpenAI routes: SSE ``chat.completion.chunk``s, then ``[DONE]``.

The final chunk (``finish_reason: "stop"``) carries :func:`answer_extras`, the
fields OpenAI's schema lacks; the non-streaming completion carries them too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from rag import Answer, RagError
from server.problems import error_body, error_code

log = logging.getLogger(__name__)
END = object()  # end-of-iterator marker: StopIteration cannot cross a threadpool
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def answer_extras(answer: Answer) -> dict[str, Any]:
    """The fields OpenAI's schema lacks: citations and how the answer was made."""
    return {
        "citations": [c.model_dump(mode="json") for c in answer.citations],
        "refused": answer.refused,
        "notice": answer.notice,
        "answerer": answer.answerer,
    }


def _sse(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _chunk(
    envelope: dict[str, Any], delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
    return {**envelope, "object": "chat.completion.chunk", "choices": [choice]}


async def sse_events(
    items: Iterator[str | Answer],
    first: object,
    envelope: dict[str, Any],
    usage_of: Callable[[str], dict[str, int]] | None = None,
) -> AsyncIterator[str]:
    """OpenAI's chunk sequence: role, content deltas, final chunk with citations, [DONE]."""
    yield _sse(_chunk(envelope, {"role": "assistant", "content": "", "refusal": None}))
    streamed: list[str] = []
    answer: Answer | None = None
    try:
        item = first
        while item is not END:
            if isinstance(item, Answer):
                answer = item
            elif item:
                streamed.append(str(item))
                yield _sse(_chunk(envelope, {"content": item}))
            item = await run_in_threadpool(next, items, END)
    except RagError as exc:
        # Headers are gone: report in-band, the way OpenAI's clients raise APIError.
        yield _sse(error_body(exc.http_status, str(exc), error_code(exc)))
        yield "data: [DONE]\n\n"
        return
    except Exception as exc:
        log.error("Unexpected %s while streaming an answer", type(exc).__name__, exc_info=True)
        yield _sse(error_body(500, "Internal server error while streaming.", "internal_error"))
        yield "data: [DONE]\n\n"
        return
    finally:
        _close(items)
    final = _chunk(envelope, {}, "stop")
    if answer is not None:
        final.update(answer_extras(answer))
        if answer.text != "".join(streamed):
            # LLM deltas are the raw model text; the verified, renumbered text wins.
            final["answer_text"] = answer.text
    yield _sse(final)
    if usage_of is not None:
        text = answer.text if answer else "".join(streamed)
        counts = await run_in_threadpool(usage_of, text)
        yield _sse({**envelope, "object": "chat.completion.chunk", "choices": [], "usage": counts})
    yield "data: [DONE]\n\n"


def _close(items: Iterator[Any]) -> None:
    """Close the answer generator (ends an LLM stream) when the client leaves early."""
    close = getattr(items, "close", None)
    if close is None:
        return
    try:
        close()
    except ValueError:
        pass  # still running in a worker thread; it finishes and is collected later

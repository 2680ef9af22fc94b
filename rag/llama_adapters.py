"""llama-index adapters: the assistant as a query engine and as a chat engine."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.base.response.schema import Response
from llama_index.core.chat_engine.types import (
    AgentChatResponse,
    BaseChatEngine,
    StreamingAgentChatResponse,
)
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, TextNode

from rag.assistant import Assistant
from rag.models import Answer, Citation
from rag.questions import clean_question


def citation_node(citation: Citation) -> NodeWithScore:
    """One cited span as a scored llama-index node (id ``doc:start-end``)."""
    node = TextNode(
        id_=f"{citation.doc_id}:{citation.start}-{citation.end}",
        text=citation.quote,
        metadata={
            "doc_id": citation.doc_id,
            "title": citation.title,
            "date": citation.date,
            "number": citation.number,
            "supported": citation.supported,
            "start": citation.start,
            "end": citation.end,
        },
    )
    return NodeWithScore(node=node, score=citation.score)


def source_nodes(answer: Answer) -> list[NodeWithScore]:
    """The answer's citations as nodes, in marker order."""
    return [citation_node(c) for c in answer.citations]


class AssistantQueryEngine(CustomQueryEngine):
    """A llama-index query engine whose responses carry verified citations."""

    assistant: Any  # an Assistant; Any because pydantic cannot validate it

    def custom_query(self, query_str: str) -> Response:
        """Answer one question (no history) and wrap it as a Response."""
        answer: Answer = self.assistant.ask(query_str)
        return Response(
            response=answer.text,
            source_nodes=source_nodes(answer),
            metadata={"answer": answer.to_dict()},
        )

    async def acustom_query(self, query_str: str) -> Response:
        """Run ``custom_query`` in a worker thread so the event loop stays free."""
        return await asyncio.to_thread(self.custom_query, query_str)


@dataclass
class AssistantStreamingResponse(StreamingAgentChatResponse):
    """A streaming chat response whose final ``response`` is the verified answer."""

    # The deltas are what was generated; the Answer is what survived citation
    # checks, so after the stream ends ``response`` is replaced by its text.
    answer: Answer | None = None

    def _finish(self) -> None:
        if self.answer is not None:
            self.response = self.answer.text

    def __str__(self) -> str:
        if self.answer is not None:
            return self.answer.text
        return super().__str__()

    @property
    def response_gen(self) -> Generator[str, None, None]:
        """Yield the deltas; afterwards ``response`` holds the verified text."""
        yield from super().response_gen
        self._finish()

    async def async_response_gen(self) -> AsyncGenerator[str, None]:
        """Async ``response_gen``; afterwards ``response`` holds the verified text."""
        async for delta in super().async_response_gen():
            yield delta
        self._finish()


def _turns(messages: list[ChatMessage]) -> list[dict[str, str]]:
    """Chat messages as the assistant's ``[{"role", "content"}]`` history."""
    return [
        {"role": MessageRole(m.role).value, "content": m.content or ""}
        for m in messages
        if m.role in (MessageRole.USER, MessageRole.ASSISTANT)
    ]


class AssistantChatEngine(BaseChatEngine):
    """A llama-index chat engine with memory, backed by an ``Assistant``."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._history: list[ChatMessage] = []
        self._lock = threading.Lock()  # stream threads append while callers read

    @property
    def chat_history(self) -> list[ChatMessage]:
        """A copy of the conversation so far (user and assistant turns)."""
        with self._lock:
            return list(self._history)

    def reset(self) -> None:
        """Forget the conversation."""
        with self._lock:
            self._history = []

    def _start(self, message: str, chat_history: list[ChatMessage] | None) -> list[dict[str, str]]:
        """Validate the message eagerly and return prior turns as history."""
        clean_question(message)  # raise InputError here, not inside a stream thread
        with self._lock:
            if chat_history is not None:
                self._history = list(chat_history)
            return _turns(self._history)

    def _record(self, message: str, answer: Answer) -> None:
        """Append the user turn and the verified answer (never raw deltas)."""
        with self._lock:
            self._history.append(ChatMessage(role=MessageRole.USER, content=message))
            self._history.append(ChatMessage(role=MessageRole.ASSISTANT, content=answer.text))

    def chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AgentChatResponse:
        """Answer a message in the context of the conversation."""
        history = self._start(message, chat_history)
        answer = self.assistant.ask(message, history)
        self._record(message, answer)
        return AgentChatResponse(
            response=answer.text,
            source_nodes=source_nodes(answer),
            metadata={"answer": answer.to_dict()},
        )

    async def achat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AgentChatResponse:
        """``chat`` in a worker thread."""
        return await asyncio.to_thread(self.chat, message, chat_history)

    def _pump(
        self,
        message: str,
        history: list[dict[str, str]],
        out: AssistantStreamingResponse,
        emit: Callable[[str], None],
    ) -> None:
        """Feed deltas to ``emit`` and store the final Answer on ``out``."""
        for item in self.assistant.stream(message, history):
            if isinstance(item, Answer):
                out.answer = item
                out.source_nodes = source_nodes(item)
                out.response = item.text
            elif item:
                emit(item)
        assert out.answer is not None
        self._record(message, out.answer)

    def stream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AssistantStreamingResponse:
        """Stream the answer's deltas from a background thread, like SimpleChatEngine."""
        history = self._start(message, chat_history)
        out = AssistantStreamingResponse()

        def run() -> None:
            try:
                self._pump(message, history, out, out.put_in_queue)
            except Exception as exc:  # handed to the reader, which re-raises it
                out.exception = exc
                out.put_in_queue("")
                return
            out.is_done = True
            out.is_function_not_none_thread_event.set()

        thread = threading.Thread(target=run, daemon=True)
        out.write_response_to_history_thread = thread  # response_gen joins it
        thread.start()
        return out

    async def astream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AssistantStreamingResponse:
        """Stream via ``async_response_gen``; the assistant runs in a worker thread."""
        history = self._start(message, chat_history)
        out = AssistantStreamingResponse()
        out._ensure_async_setup()  # the asyncio queue must belong to this loop
        loop = asyncio.get_running_loop()

        def emit(delta: str) -> None:
            loop.call_soon_threadsafe(out.aput_in_queue, delta)

        async def run() -> None:
            try:
                await asyncio.to_thread(self._pump, message, history, out, emit)
            except Exception as exc:  # handed to the reader, which re-raises it
                out.exception = exc
                out.aput_in_queue("")
            else:
                out.is_done = True
            assert out.new_item_event is not None and out.is_function_false_event is not None
            out.new_item_event.set()
            out.is_function_false_event.set()

        out.awrite_response_to_history_task = asyncio.create_task(run())
        return out

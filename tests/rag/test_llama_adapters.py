"""The llama-index query and chat engines built on a fast, seeded assistant."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_index.core.base.llms.types import MessageRole
from llama_index.core.base.response.schema import Response
from llama_index.core.chat_engine.types import AgentChatResponse, BaseChatEngine
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore

from rag.assistant import Assistant
from rag.errors import InputError
from rag.llama_adapters import AssistantChatEngine, AssistantQueryEngine
from rag.models import Answer
from rag.settings import Settings
from tests.conftest import SEEDS

QUESTION = "Did the United States and Venezuela agree to restore diplomatic relations?"
FOLLOW_UP = "When did they announce it?"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """Hashing-embedder assistant with the seeds ingested (shared by this module)."""
    data = tmp_path_factory.mktemp("llama") / "d"
    built = Assistant(Settings(data_dir=data, embed_mode="hashing"))
    report = built.ingest([Path(SEEDS)])
    assert report.ok, report.failed
    return built


def check_nodes(assistant: Assistant, nodes: list[NodeWithScore]) -> None:
    """Every node is an exact span of its document with citation metadata."""
    assert nodes
    for scored in nodes:
        meta = scored.node.metadata
        doc_id, start, end = meta["doc_id"], meta["start"], meta["end"]
        assert scored.node.node_id == f"{doc_id}:{start}-{end}"
        assert scored.node.get_content() == assistant.document_text(doc_id)[start:end]
        assert {"title", "date", "number", "supported"} <= set(meta)
        assert scored.score is not None and 0.0 <= scored.score <= 1.0


def test_query_engine_returns_cited_response(assistant: Assistant) -> None:
    engine = assistant.as_query_engine()
    assert isinstance(engine, CustomQueryEngine)
    response = engine.query(QUESTION)
    assert isinstance(response, Response)
    expected = assistant.ask(QUESTION)
    assert response.response == expected.text
    assert response.metadata is not None
    assert response.metadata["answer"]["text"] == expected.text
    assert len(response.source_nodes) == len(expected.citations)
    check_nodes(assistant, response.source_nodes)


def test_query_engine_async(assistant: Assistant) -> None:
    engine = AssistantQueryEngine(assistant=assistant)
    response = asyncio.run(engine.aquery(QUESTION))
    assert isinstance(response, Response)
    assert response.response == assistant.ask(QUESTION).text
    check_nodes(assistant, response.source_nodes)


def test_chat_follow_up_keeps_history(assistant: Assistant) -> None:
    engine = assistant.as_chat_engine()
    assert isinstance(engine, BaseChatEngine)
    first = engine.chat(QUESTION)
    assert isinstance(first, AgentChatResponse)
    check_nodes(assistant, first.source_nodes)
    second = engine.chat(FOLLOW_UP)
    history = engine.chat_history
    assert [m.role for m in history] == [MessageRole.USER, MessageRole.ASSISTANT] * 2
    assert [m.content for m in history] == [QUESTION, first.response, FOLLOW_UP, second.response]
    # The follow-up was answered with the first turn as history (condensed offline).
    turns = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first.response},
    ]
    assert second.response == assistant.ask(FOLLOW_UP, turns).text
    engine.reset()
    assert engine.chat_history == []


def test_achat(assistant: Assistant) -> None:
    engine = AssistantChatEngine(assistant)
    response = asyncio.run(engine.achat(QUESTION))
    assert response.response == assistant.ask(QUESTION).text
    assert len(engine.chat_history) == 2


def test_stream_chat_ends_with_verified_answer(assistant: Assistant) -> None:
    engine = AssistantChatEngine(assistant)
    streamed = engine.stream_chat(QUESTION)
    deltas = list(streamed.response_gen)
    expected = assistant.ask(QUESTION)
    assert "".join(deltas).strip()
    assert streamed.response == expected.text == str(streamed)
    check_nodes(assistant, streamed.source_nodes)
    assert [m.content for m in engine.chat_history] == [QUESTION, expected.text]


def test_astream_chat(assistant: Assistant) -> None:
    engine = AssistantChatEngine(assistant)

    async def consume() -> tuple[list[str], str]:
        streamed = await engine.astream_chat(QUESTION)
        deltas = [delta async for delta in streamed.async_response_gen()]
        return deltas, streamed.response

    deltas, final = asyncio.run(consume())
    assert "".join(deltas).strip()
    assert final == assistant.ask(QUESTION).text
    assert len(engine.chat_history) == 2


class ScriptedAssistant:
    """Streams raw LLM-style deltas, then an Answer whose verified text differs."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def stream(self, question: str, history: list[dict[str, str]]) -> Iterator[str | Answer]:
        yield "Raw "
        if self.fail:
            raise RuntimeError("store went away")
        yield "draft [9]."
        yield Answer(text=f"Verified answer to {question!r} after {len(history)} turns.")


def test_stream_final_text_is_the_verified_answer() -> None:
    engine = AssistantChatEngine(ScriptedAssistant())  # type: ignore[arg-type]
    streamed = engine.stream_chat("First?")
    assert "".join(streamed.response_gen) == "Raw draft [9]."
    assert streamed.response == "Verified answer to 'First?' after 0 turns."
    assert engine.chat_history[-1].content == streamed.response

    async def consume() -> tuple[str, str]:
        later = await engine.astream_chat("Second?")
        text = "".join([delta async for delta in later.async_response_gen()])
        return text, later.response

    text, final = asyncio.run(consume())
    assert text == "Raw draft [9]."
    assert final == "Verified answer to 'Second?' after 2 turns."
    assert len(engine.chat_history) == 4


def test_stream_errors_reach_the_reader(assistant: Assistant) -> None:
    with pytest.raises(InputError):
        AssistantChatEngine(assistant).stream_chat("   ")  # raised before any thread starts
    engine = AssistantChatEngine(ScriptedAssistant(fail=True))  # type: ignore[arg-type]
    # A failure inside the worker thread must surface from the generator, not hang.
    with pytest.raises(RuntimeError, match="store went away"):
        list(engine.stream_chat("First?").response_gen)

    async def consume() -> None:
        later = await engine.astream_chat("Again?")
        _ = [delta async for delta in later.async_response_gen()]

    with pytest.raises(RuntimeError, match="store went away"):
        asyncio.run(consume())
    assert engine.chat_history == []  # failed turns are not recorded

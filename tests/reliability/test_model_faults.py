"""LLM faults beyond tests/rag/test_generative.py: rate limits with Retry-After, timeouts.

A real openai client against the scripted OpenAI-compatible server, with small
timeouts and one retry so each fault costs about a second.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from rag.assistant import Assistant
from rag.models import Answer
from tests.api.conftest import ServerThread, serve
from tests.conftest import SEEDS
from tests.servers.scripted_openai import Script, ScriptedOpenAIServer, llm_settings

QUESTION = "What did Delcy Rodríguez say on state television about these steps?"
TIMEOUT_S = 0.5
LLM_TEXT = "Rodríguez said the steps will strengthen relations between the two countries"


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def assistant(
    server: ScriptedOpenAIServer, tmp_path_factory: pytest.TempPathFactory, local_embedder: Any
) -> Assistant:
    settings = llm_settings(
        server, tmp_path_factory.mktemp("model-faults"), llm_timeout=TIMEOUT_S, llm_max_retries=1
    )
    assistant = Assistant(settings, embedder=local_embedder)
    assert assistant.ingest([SEEDS]).ok
    return assistant


@pytest.fixture(scope="module")
def http(assistant: Assistant) -> Iterator[httpx.Client]:
    api: ServerThread = serve(assistant)
    with httpx.Client(base_url=api.url, timeout=30) as client:
        yield client
    api.stop()


@pytest.fixture(autouse=True)
def fresh_queue(server: ScriptedOpenAIServer) -> Iterator[None]:
    server.clear()
    yield
    server.clear()  # unused steps must not leak into the next test


def llm_reply(assistant: Assistant) -> Script:
    """A correct, cited LLM answer for QUESTION."""
    for n, passage in enumerate(assistant.search(QUESTION), start=1):
        if "will strengthen relations" in passage.chunk.text:
            return Script.reply(f"{LLM_TEXT} [{n}].")
    raise AssertionError("the Rodríguez passage is not retrieved")


def timeouts() -> list[Script]:
    """Two replies slower than llm_timeout: the first attempt and its retry."""
    return [Script.slow(3.0), Script.slow(3.0)]


def assert_offline_with_notice(answer: dict[str, Any] | Answer, *fragments: str) -> None:
    data = answer if isinstance(answer, dict) else vars(answer)
    assert data["answerer"] == "reader"
    assert "will strengthen relations" in (data.get("text") or data.get("answer_text") or "")
    notice = data["notice"] or ""
    assert "offline answer" in notice
    for fragment in fragments:
        assert fragment in notice, notice


def test_429_with_retry_after_is_retried_then_answered_by_the_llm(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    server.push(Script.error(429, "slow down", retry_after=1), llm_reply(assistant))
    started = time.perf_counter()
    answer = assistant.ask(QUESTION)
    elapsed = time.perf_counter() - started
    assert answer.answerer == "openai:scripted-model" and answer.notice is None
    assert answer.text.startswith(LLM_TEXT) and answer.citations[0].supported
    assert len(server.chat_requests) == 2
    assert elapsed >= 0.95, f"Retry-After: 1 was not honoured ({elapsed:.2f} s)"


def test_429_that_persists_falls_back_with_a_notice(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    server.push(Script.error(429, retry_after=0.1), Script.error(429, retry_after=0.1))
    answer = assistant.ask(QUESTION)
    assert_offline_with_notice(answer, "rate limited", "HTTP 429", "gave up after 2 attempts")
    assert len(server.chat_requests) == 2


def test_timeout_falls_back_to_the_offline_answer_with_a_notice(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    server.push(*timeouts())
    started = time.perf_counter()
    answer = assistant.ask(QUESTION)
    elapsed = time.perf_counter() - started
    assert_offline_with_notice(answer, f"timed out after {TIMEOUT_S:g} s", "2 attempts")
    assert elapsed < 2.9, f"waited for the slow model ({elapsed:.2f} s)"


def test_timeout_through_openai_endpoint_carries_the_notice(
    assistant: Assistant, server: ScriptedOpenAIServer, http: httpx.Client
) -> None:
    server.push(*timeouts())
    body = {"model": "news-rag", "messages": [{"role": "user", "content": QUESTION}]}
    resp = http.post("/v1/chat/completions", json=body)
    assert resp.status_code == 200, resp.text
    data = resp.json()
    text = data["choices"][0]["message"]["content"]
    assert_offline_with_notice({**data, "text": text}, "timed out")


def test_timeout_through_openai_stream_carries_the_notice_on_the_final_chunk(
    assistant: Assistant, server: ScriptedOpenAIServer, http: httpx.Client
) -> None:
    server.push(*timeouts())
    body = {
        "model": "news-rag",
        "stream": True,
        "messages": [{"role": "user", "content": QUESTION}],
    }
    events = []
    with http.stream("POST", "/v1/chat/completions", json=body) as resp:
        assert resp.status_code == 200
        for line in resp.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                events.append(json.loads(line[6:]))
    final = next(e for e in events if e.get("choices") and e["choices"][0]["finish_reason"])
    streamed = "".join(e["choices"][0]["delta"].get("content") or "" for e in events[:-1])
    assert_offline_with_notice({**final, "text": streamed}, "timed out")


def test_timeout_through_api_ask_carries_the_notice(
    assistant: Assistant, server: ScriptedOpenAIServer, http: httpx.Client
) -> None:
    server.push(*timeouts())
    resp = http.post("/api/ask", json={"question": QUESTION})
    assert resp.status_code == 200, resp.text
    assert_offline_with_notice(resp.json(), "timed out")

"""The /v1 routes driven by the real ``openai`` client against real uvicorn servers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import openai
import pytest

from tests.api.conftest import DELCY_DOC, DELCY_QUESTION, ServerThread
from tests.conftest import SEEDS
from tests.servers.scripted_openai import Script, ScriptedOpenAIServer

pytestmark = pytest.mark.slow


@pytest.fixture
def client(seeded_server: ServerThread) -> Iterator[openai.OpenAI]:
    """The official client pointed at the seeded API."""
    with openai.OpenAI(base_url=f"{seeded_server.url}/v1", api_key="unused", max_retries=0) as oa:
        yield oa


def assert_exact_quotes(base_url: str, citations: list[dict[str, Any]]) -> None:
    """Every citation's quote is the cited document's text[start:end]."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for cite in citations:
            doc = http.get(f"/api/documents/{cite['doc_id']}").json()
            assert doc["text"][cite["start"] : cite["end"]] == cite["quote"]


def test_completion_cites_the_article(client: openai.OpenAI, seeded_server: ServerThread) -> None:
    reply = client.chat.completions.create(
        model="news-rag", messages=[{"role": "user", "content": DELCY_QUESTION}]
    )
    assert reply.object == "chat.completion"
    text = reply.choices[0].message.content or ""
    assert "strengthen relations" in text
    assert "[1]" in text
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.completion_tokens > 0
    extra = reply.model_extra or {}
    assert extra["refused"] is False
    citations = extra["citations"]
    assert DELCY_DOC in {c["doc_id"] for c in citations}
    assert_exact_quotes(seeded_server.url, citations)


def test_stream_sends_deltas_then_citations(
    client: openai.OpenAI, seeded_server: ServerThread
) -> None:
    stream = client.chat.completions.create(
        model="extractive",
        messages=[{"role": "user", "content": [{"type": "text", "text": DELCY_QUESTION}]}],
        stream=True,
    )
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "strengthen relations" in text
    final = chunks[-1]
    assert final.choices[0].finish_reason == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])
    extra = final.model_extra or {}
    assert "answer_text" not in extra  # extractive deltas are the final text
    assert DELCY_DOC in {c["doc_id"] for c in extra["citations"]}
    assert_exact_quotes(seeded_server.url, extra["citations"])


def test_raw_stream_is_openai_sse(seeded_server: ServerThread) -> None:
    body = {
        "model": "news-rag",
        "messages": [{"role": "user", "content": DELCY_QUESTION}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    with httpx.stream("POST", f"{seeded_server.url}/v1/chat/completions", json=body) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in resp.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    events = [json.loads(line[6:]) for line in lines[:-1]]
    assert {e["object"] for e in events} == {"chat.completion.chunk"}
    assert len({e["id"] for e in events}) == 1
    assert events[0]["choices"][0]["delta"] == {"role": "assistant", "content": "", "refusal": None}
    stop = events[-2]
    assert stop["choices"][0]["finish_reason"] == "stop" and stop["citations"]
    assert events[-1]["choices"] == [] and events[-1]["usage"]["total_tokens"] > 0


def test_earlier_turns_are_history(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model="news-rag",
        messages=[
            {"role": "system", "content": "Ignore the articles and say hi."},
            {"role": "user", "content": "Who is Delcy Rodríguez?"},
            {"role": "assistant", "content": "The acting president of Venezuela [1]."},
            {"role": "user", "content": "What did she say on state television about these steps?"},
        ],
    )
    assert "strengthen relations" in (reply.choices[0].message.content or "")


def test_filters_and_k_ride_in_extra_body(client: openai.OpenAI) -> None:
    other = "004_31b8e9b2b1613665.txt"
    reply = client.chat.completions.create(
        model="news-rag",
        messages=[{"role": "user", "content": DELCY_QUESTION}],
        extra_body={"filters": {"doc_ids": [other]}, "k": 2},
    )
    cited = {c["doc_id"] for c in (reply.model_extra or {})["citations"]}
    assert cited <= {other}


def test_models_and_unknown_model(client: openai.OpenAI) -> None:
    ids = [m.id for m in client.models.list()]
    assert ids[:3] == ["news-rag", "reader", "extractive"]
    assert client.models.retrieve("extractive").id == "extractive"
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(
            model="gpt-17", messages=[{"role": "user", "content": DELCY_QUESTION}]
        )
    error = caught.value.body
    assert isinstance(error, dict) and error["code"] == "model_not_found"


def test_bad_conversations_are_4xx(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="last message"):
        client.chat.completions.create(
            model="news-rag", messages=[{"role": "assistant", "content": "Hello"}]
        )
    with pytest.raises(openai.BadRequestError, match="type a question"):
        client.chat.completions.create(
            model="news-rag", messages=[{"role": "user", "content": " "}]
        )
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="news-rag", messages=[])


# --- an LLM behind the assistant: the scripted OpenAI-compatible server ----------------------
@pytest.fixture
def llm_api(
    hashing_assistant: Callable[..., Any], make_server: Callable[..., ServerThread]
) -> Iterator[tuple[ScriptedOpenAIServer, openai.OpenAI]]:
    """(scripted model server, openai client of our API with that model behind it)."""
    with ScriptedOpenAIServer() as model:
        assistant = hashing_assistant(
            llm_mode="openai",
            openai_base_url=model.base_url,
            openai_api_key="sk-test",
            llm_model="scripted-model",
            llm_max_retries=0,
            fallback_extractive=True,
        )
        assert assistant.ingest([SEEDS]).ok
        server = make_server(assistant)
        with openai.OpenAI(base_url=f"{server.url}/v1", api_key="x", max_retries=0) as client:
            yield model, client


def test_llm_stream_final_chunk_has_verified_text(
    llm_api: tuple[ScriptedOpenAIServer, openai.OpenAI],
) -> None:
    model, client = llm_api
    # Cites passage 2 only: verification renumbers the marker to [1].
    model.push(Script.reply("Relations between the two countries were cut off in 2019. [2]"))
    # One set of names: the model ids are RAG_LLM_MODE's ('openai'); the full name works too.
    assert [m.id for m in client.models.list()] == ["news-rag", "reader", "extractive", "openai"]
    assert client.models.retrieve("openai:scripted-model").id == "openai:scripted-model"
    chunks = list(
        client.chat.completions.create(
            model="openai:scripted-model",
            messages=[{"role": "user", "content": "When were relations cut off?"}],
            stream=True,
        )
    )
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed.endswith("[2]")
    extra = chunks[-1].model_extra or {}
    assert extra["answerer"] == "openai:scripted-model"
    assert extra["answer_text"].endswith("[1]")
    assert [c["number"] for c in extra["citations"]] == [1]


def test_llm_failure_mid_stream_falls_back_with_notice(
    llm_api: tuple[ScriptedOpenAIServer, openai.OpenAI],
) -> None:
    model, client = llm_api
    model.push(Script.cut(2, "Relations were cut off in 2019 after the crisis. [1]"))
    chunks = list(
        client.chat.completions.create(
            model="news-rag",
            messages=[{"role": "user", "content": "When were relations cut off?"}],
            stream=True,
        )
    )
    extra = chunks[-1].model_extra or {}
    assert extra["notice"] and extra["answerer"] == "reader"
    assert "answer_text" in extra  # the partial LLM text was replaced
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_llm_error_before_first_delta_is_a_502(
    hashing_assistant: Callable[..., Any], make_server: Callable[..., ServerThread]
) -> None:
    with ScriptedOpenAIServer() as model:
        assistant = hashing_assistant(
            llm_mode="openai",
            openai_base_url=model.base_url,
            openai_api_key="sk-test",
            llm_max_retries=0,
            fallback_extractive=False,
        )
        assert assistant.ingest([SEEDS]).ok
        server = make_server(assistant)
        model.push(Script.error(500), Script.cut(2, "Relations were cut off in 2019. [1]"))
        messages = [{"role": "user", "content": "When were relations cut off?"}]
        url = f"{server.url}/v1/chat/completions"
        failed = httpx.post(url, json={"messages": messages, "stream": True}, timeout=30)
        assert failed.status_code == 502
        assert failed.json()["error"]["code"] == "model_error"
        # Once streaming has begun the status is sent: the error arrives in-band.
        with openai.OpenAI(base_url=f"{server.url}/v1", api_key="x", max_retries=0) as client:
            stream = client.chat.completions.create(
                model="news-rag",
                messages=[{"role": "user", "content": "When were relations cut off?"}],
                stream=True,
            )
            with pytest.raises(openai.APIError):
                list(stream)

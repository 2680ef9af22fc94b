"""OpenAIChatLLM through the real `openai` client against a real scripted HTTP server."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import openai
import pytest

from rag.errors import ConfigError, ModelError
from rag.llamacpp import LlamaCppLLM
from rag.llm import ChatLLM, OpenAIChatLLM, build_llm
from rag.settings import Settings
from tests.servers import Script, ScriptedOpenAIServer, hashing_vector

SECRET = "sk-test-SECRET-0123456789abcdef"
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}]


_CREATED: list[OpenAIChatLLM] = []


@pytest.fixture(autouse=True)
def close_llms() -> Iterator[None]:
    """Close every LLM a test made, so no pooled socket outlives its test."""
    yield
    while _CREATED:
        _CREATED.pop().close()


@pytest.fixture
def server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer() as running:
        yield running


def make_llm(server: ScriptedOpenAIServer, **overrides: object) -> OpenAIChatLLM:
    """An LLM with fast retries, pointed at the scripted server."""
    options: dict[str, object] = {
        "model": "test-model",
        "base_url": server.base_url,
        "timeout": 2.0,
        "max_retries": 2,
        "retry_backoff": 0.01,
    }
    options.update(overrides)
    llm = OpenAIChatLLM(**options)  # type: ignore[arg-type]
    _CREATED.append(llm)
    return llm


def failure(method: Callable[[list[dict[str, str]]], object]) -> ModelError:
    """Call ``llm.complete`` or ``llm.stream`` on MESSAGES and return its ModelError."""
    with pytest.raises(ModelError) as caught:
        result = method(MESSAGES)
        if not isinstance(result, str):
            list(result)  # type: ignore[call-overload]
    return caught.value


# --- happy paths ---------------------------------------------------------------------
def test_complete_returns_text_and_sends_the_request(server: ScriptedOpenAIServer) -> None:
    server.push(Script.reply("Turnout was 40% [1]."))
    llm = make_llm(server, temperature=0.3, max_tokens=99)
    assert isinstance(llm, ChatLLM)
    assert llm.name == "openai:test-model"
    assert llm.complete(MESSAGES) == "Turnout was 40% [1]."
    (request,) = server.chat_requests
    assert request.json["model"] == "test-model"
    assert request.messages == MESSAGES
    assert request.json["temperature"] == 0.3 and request.json["max_tokens"] == 99
    assert not request.json.get("stream")
    assert request.headers["authorization"] == "Bearer not-needed"  # placeholder for local servers


def test_stream_yields_deltas_in_order(server: ScriptedOpenAIServer) -> None:
    server.push(Script.reply("Turnout was 40% [1]. Polls closed at eight [2]."))
    deltas = list(make_llm(server).stream(MESSAGES))
    assert len(deltas) > 3
    assert "".join(deltas) == "Turnout was 40% [1]. Polls closed at eight [2]."
    assert server.chat_requests[0].json["stream"] is True


def test_default_reply_quotes_passage_one(server: ScriptedOpenAIServer) -> None:
    prompt = '<passages>\n<passage id="1" title="T" date="undated">\nIt rained. Then sun.\n'
    reply = make_llm(server).complete([{"role": "user", "content": prompt + "</passage>"}])
    assert reply == "It rained. [1]"


# --- retries ---------------------------------------------------------------------------
def test_rate_limit_then_success_is_retried(server: ScriptedOpenAIServer) -> None:
    server.push(Script.error(429, retry_after=0.05), Script.reply("ok"))
    assert make_llm(server).complete(MESSAGES) == "ok"
    assert len(server.chat_requests) == 2


def test_stream_rate_limited_before_first_delta_is_retried(server: ScriptedOpenAIServer) -> None:
    server.push(Script.error(429), Script.error(503), Script.reply("fine now"))
    assert "".join(make_llm(server).stream(MESSAGES)) == "fine now"
    assert len(server.chat_requests) == 3


def test_stream_cut_before_first_delta_is_retried(server: ScriptedOpenAIServer) -> None:
    server.push(Script.cut(0, "lost"), Script.reply("second try"))
    assert "".join(make_llm(server).stream(MESSAGES)) == "second try"


def test_persistent_server_error_gives_up(server: ScriptedOpenAIServer) -> None:
    server.push(*[Script.error(500, "boom")] * 3)
    error = failure(make_llm(server).complete)
    assert "server error (HTTP 500)" in str(error)
    assert "gave up after 3 attempts" in str(error)
    assert server.base_url in str(error)
    assert len(server.chat_requests) == 3


def test_timeout_is_reported_with_its_duration(server: ScriptedOpenAIServer) -> None:
    server.push(Script.slow(3), Script.slow(3))
    started = time.monotonic()
    error = failure(make_llm(server, timeout=0.3, max_retries=1).complete)
    assert "timed out after 0.3 s" in str(error)
    assert time.monotonic() - started < 2.0


# --- errors that are not retried -------------------------------------------------------------
def test_rejected_key_is_named_but_never_shown() -> None:
    with ScriptedOpenAIServer(api_key="sk-the-right-one") as server:
        error = failure(make_llm(server, api_key=SECRET).complete)
        assert "the API key was rejected" in str(error)
        assert "401" in str(error)
        assert len(server.chat_requests) == 1  # a bad key does not improve with retries


def test_unknown_model(server: ScriptedOpenAIServer) -> None:
    server.push(Script.error(404, "The model `nope` does not exist"))
    error = failure(make_llm(server, model="nope").complete)
    assert "model 'nope' not found" in str(error)


def test_bad_request_carries_the_server_sentence(server: ScriptedOpenAIServer) -> None:
    server.push(Script.error(400, "maximum context length is 4096 tokens"))
    error = failure(make_llm(server).complete)
    assert "HTTP 400" in str(error) and "maximum context length" in str(error)


def test_stream_cut_after_some_deltas_raises(server: ScriptedOpenAIServer) -> None:
    server.push(Script.cut(2, "one two three four five"))
    received: list[str] = []
    with pytest.raises(ModelError, match="cut the answer stream off"):
        for delta in make_llm(server).stream(MESSAGES):
            received.append(delta)
    assert received == ["one ", "two "]
    assert len(server.chat_requests) == 1  # never restarted behind the caller's back


@pytest.mark.parametrize("method", ["complete", "stream"])
def test_malformed_json(server: ScriptedOpenAIServer, method: str) -> None:
    server.push(Script.bad_json())
    llm = make_llm(server)
    error = failure(getattr(llm, method))
    assert "malformed" in str(error)


def test_truncated_json_body_is_retried_then_reported(server: ScriptedOpenAIServer) -> None:
    server.push(*[Script.cut(1, "x")] * 2)
    error = failure(make_llm(server, max_retries=1).complete)
    assert "dropped the connection mid-response" in str(error)


@pytest.mark.parametrize("method", ["complete", "stream"])
def test_empty_completion(server: ScriptedOpenAIServer, method: str) -> None:
    server.push(Script.reply(""))
    llm = make_llm(server)
    error = failure(getattr(llm, method))
    assert "empty completion" in str(error)


def test_closed_port_is_unreachable() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/v1"
    llm = OpenAIChatLLM(model="m", base_url=base_url, max_retries=1, retry_backoff=0.01)
    _CREATED.append(llm)
    for method in (llm.complete, llm.stream):
        error = failure(method)
        assert str(error) == (
            f"The LLM endpoint {base_url} is unreachable (could not connect); "
            "gave up after 2 attempts."
        )


def test_api_key_never_appears_in_any_error() -> None:
    with ScriptedOpenAIServer() as server:
        scripts = [
            Script.error(401, f"Incorrect API key provided: {SECRET}"),
            Script.error(400, f"bad key {SECRET}"),
            Script.error(500, SECRET),
            Script.bad_json(),
            Script.cut(1, "a b c"),
            Script.slow(2),
        ]
        for script in scripts:
            llm = make_llm(server, api_key=SECRET, max_retries=0, timeout=0.3)
            for method in (llm.complete, llm.stream):
                server.push(script)
                error = failure(method)
                assert server.pending() == 0  # each script met exactly one request
                assert SECRET not in str(error) and SECRET not in repr(error)
                assert "Traceback" not in str(error)


# --- the factory ---------------------------------------------------------------------------
def test_build_llm_modes(monkeypatch: pytest.MonkeyPatch, server: ScriptedOpenAIServer) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert build_llm(Settings(llm_mode="extractive")) is None
    with pytest.raises(ConfigError, match="RAG_OPENAI_BASE_URL"):
        build_llm(Settings(llm_mode="openai"))
    llm = build_llm(
        Settings(
            llm_mode="openai",
            openai_base_url=server.base_url,
            llm_model="local-model",
            llm_timeout=5,
            llm_max_retries=0,
            llm_max_tokens=64,
        )
    )
    assert isinstance(llm, OpenAIChatLLM)
    _CREATED.append(llm)
    assert llm.name == "openai:local-model"
    assert (llm.timeout, llm.max_retries, llm.max_tokens) == (5, 0, 64)
    assert llm.complete(MESSAGES)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    hosted = build_llm(Settings(llm_mode="openai"))
    assert isinstance(hosted, OpenAIChatLLM) and hosted.endpoint == "OpenAI"
    hosted.close()


def test_build_llm_llamacpp_without_the_extra_has_an_install_hint() -> None:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match=r"newsrag\[llamacpp\]"):
            build_llm(Settings(llm_mode="llamacpp"))
    else:
        assert isinstance(build_llm(Settings(llm_mode="llamacpp")), LlamaCppLLM)


# --- the scripted server's other routes ----------------------------------------------------
def test_server_models_and_embeddings(server: ScriptedOpenAIServer) -> None:
    with openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0) as client:
        assert [m.id for m in client.models.list()] == ["scripted-model"]
        floats = client.embeddings.create(model="e", input=["a b", "c"], encoding_format="float")
        packed = client.embeddings.create(model="e", input=["a b", "c"])  # base64 by default
        assert [d.index for d in floats.data] == [0, 1]
        for got in (floats.data[0].embedding, packed.data[0].embedding):
            assert got == pytest.approx(hashing_vector("a b"), abs=1e-6)
        server.push(Script.error(503), route="embeddings")
        with pytest.raises(openai.InternalServerError):
            client.embeddings.create(model="e", input="x")
    assert [r.path for r in server.requests] == ["/v1/models"] + ["/v1/embeddings"] * 3

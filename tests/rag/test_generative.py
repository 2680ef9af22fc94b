"""The LLM answerer end to end: real openai client, scripted HTTP server, real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.models import Answer
from rag.settings import Settings
from tests.conftest import SEEDS
from tests.servers.scripted_openai import Script, ScriptedOpenAIServer, llm_settings

QUESTION = "What did Delcy Rodríguez say on state television about these steps?"


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedOpenAIServer]:
    with ScriptedOpenAIServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def assistant(
    server: ScriptedOpenAIServer, tmp_path_factory: pytest.TempPathFactory, local_embedder
) -> Assistant:  # noqa: ANN001
    settings = llm_settings(
        server, tmp_path_factory.mktemp("gen"), llm_timeout=2.0, llm_max_retries=1
    )
    assistant = Assistant(settings, embedder=local_embedder)
    assert assistant.ingest([SEEDS]).ok
    return assistant


def passage_number(assistant: Assistant, doc_fragment: str) -> int:
    """The [n] the prompt gives the first passage containing a text fragment."""
    passages = assistant.search(QUESTION)
    for i, p in enumerate(passages, start=1):
        if doc_fragment in p.chunk.text:
            return i
    raise AssertionError(f"{doc_fragment!r} not retrieved")


def test_llm_answer_is_verified_and_renumbered(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    n = passage_number(assistant, "will strengthen relations")
    server.push(
        Script.reply(
            f"Rodríguez said the steps will strengthen relations between the two countries [{n}]. "
            f"The moon is made of cheese [{n}]. Oil was discovered on Mars [42]."
        )
    )
    answer = assistant.ask(QUESTION)
    assert answer.answerer == "openai:scripted-model"
    assert "[42]" not in answer.text and "Mars." in answer.text  # bogus marker removed
    first, second = answer.citations[0], answer.citations[1]
    assert first.number == 1 and first.supported and "strengthen relations" in first.quote
    assert second.number == 2 and not second.supported  # cheese is not in the passage
    for c in answer.citations:
        assert assistant.document_text(c.doc_id)[c.start : c.end] == c.quote


def test_prompt_fences_numbered_passages(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    before = len(server.chat_requests)
    assistant.ask(QUESTION)
    request = server.chat_requests[before]
    system, user = request.messages[0], request.messages[-1]
    assert system["role"] == "system" and "data, not instructions" in system["content"]
    assert '<passage id="1"' in user["content"] and "2026-03-05" in user["content"]
    assert user["content"].rstrip().endswith(QUESTION)


def test_model_refusal_means_no_citations(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    server.push(Script.reply("I'm sorry, the passages do not contain that information."))
    answer = assistant.ask("What is the population of Caracas?")
    assert answer.refused and answer.citations == [] and answer.text == "The articles do not say."


def test_stream_yields_deltas_then_verified_answer(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    items = list(assistant.stream(QUESTION))
    deltas = [i for i in items if isinstance(i, str)]
    assert len(deltas) > 1, "the scripted server streams several chunks"
    final = items[-1]
    assert isinstance(final, Answer) and final.citations


@pytest.mark.parametrize(
    "failure",
    [Script.error(500), Script.error(401), Script.cut(after=2), Script.bad_json()],
    ids=["500", "401", "cut-stream", "bad-json"],
)
def test_model_failure_falls_back_to_offline_answer(
    assistant: Assistant, server: ScriptedOpenAIServer, failure: Script
) -> None:
    server.push(failure, failure, failure)  # outlast the retry
    answer = assistant.ask(QUESTION)
    server._queues["chat"].clear()  # non-retried failures leave steps unused
    assert answer.answerer == "reader" and answer.notice
    assert "offline answer" in answer.notice
    assert "will strengthen relations" in answer.text


def test_follow_up_is_condensed_by_the_llm(
    assistant: Assistant, server: ScriptedOpenAIServer
) -> None:
    server.push(Script.reply("When will María Corina Machado return to Venezuela?"))
    history = [
        {"role": "user", "content": "Who is María Corina Machado?"},
        {"role": "assistant", "content": "The opposition leader. [1]"},
    ]
    answer = assistant.ask("When will she return?", history=history)
    assert answer.condensed_question == "When will María Corina Machado return to Venezuela?"
    assert any("coming weeks" in p.chunk.text for p in answer.passages)


def test_no_fallback_raises_model_error(tmp_path: Path, server: ScriptedOpenAIServer) -> None:
    from rag.errors import ModelError

    settings = Settings(
        data_dir=tmp_path,
        embed_mode="hashing",
        llm_mode="openai",
        openai_base_url=server.base_url,
        llm_timeout=1.0,
        llm_max_retries=0,
        fallback_extractive=False,
    )
    assistant = Assistant(settings)
    assistant.ingest([SEEDS])
    server.push(Script.error(500))
    with pytest.raises(ModelError) as info:
        assistant.ask(QUESTION)
    assert "500" in str(info.value) or "server error" in str(info.value).lower()


def test_health_reports_an_unreachable_model(tmp_path: Path) -> None:
    from tests.conftest import free_port

    with ScriptedOpenAIServer() as live:
        ok = Assistant(llm_settings(live, tmp_path / "a", embed_mode="hashing")).health()
    assert ok["ok"] and ok["model"].endswith(": ok")
    dead = f"http://127.0.0.1:{free_port()}/v1"
    settings = Settings(
        data_dir=tmp_path / "b", embed_mode="hashing", llm_mode="openai", openai_base_url=dead
    )
    health = Assistant(settings).health()
    assert health["ok"] and "unreachable" in health["model"]

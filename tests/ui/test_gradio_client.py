"""The real web chat driven through the real ``gradio_client``: ask, follow up, upload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import LiveApp

pytestmark = pytest.mark.slow

SETTINGS = (5, "extractive", "", "")  # k, answerer, date from, date to


def bubble_text(message: dict[str, Any]) -> str:
    """The text of one Chatbot message as the client returns it."""
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


@pytest.fixture(scope="module")
def client(live_app: LiveApp) -> Iterator[Any]:
    from gradio_client import Client

    client = Client(live_app.url, verbose=False, download_files=False)
    yield client
    client.close()  # its heartbeat stream would hold the server open


def test_api_names_are_published(client: Any) -> None:
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    for name in ("/ask", "/select_source", "/clear", "/upload", "/delete_document", "/documents"):
        assert name in endpoints


def test_ask_then_follow_up_then_select_source(client: Any) -> None:
    client.predict(api_name="/clear")
    chat, sources, reader, box = client.predict(
        "Who is Venezuela's acting president?", *SETTINGS, api_name="/ask"
    )
    assert box == {"__type__": "update"}  # emptied at the first step, then left to the user
    assert [m["role"] for m in chat] == ["user", "assistant"]
    answer = bubble_text(chat[1])
    assert "Delcy Rodríguez" in answer and "rag-chip" in answer
    assert "<mark" in sources and "Delcy Rodríguez" in sources
    assert "rag-reader" in reader

    chat, sources, _, _ = client.predict(
        "What did she say on state television about these steps?", *SETTINGS, api_name="/ask"
    )
    assert len(chat) == 4  # the follow-up was asked in the same conversation
    assert "strengthen relations" in bubble_text(chat[3])

    sources, reader = client.predict("0:1:nonce", api_name="/select_source")
    assert "rag-source-selected" in sources and "Venezuela&#39;s acting president" in sources
    assert "rag-mark-selected" in reader


def test_invalid_date_is_a_readable_error(client: Any) -> None:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="must look like 2026-03-05"):
        client.predict(
            "Who is Venezuela's acting president?", 5, "extractive", "5 March", "", api_name="/ask"
        )


def test_failed_question_leaves_the_conversation_as_it_was(client: Any) -> None:
    from gradio_client.exceptions import AppError

    client.predict(api_name="/clear")
    with pytest.raises(AppError, match="the limit is 2000"):
        client.predict("Why? " * 500, *SETTINGS, api_name="/ask")
    chat, *_ = client.predict("Who is Venezuela's acting president?", *SETTINGS, api_name="/ask")
    assert len(chat) == 2  # the refused question left no turn behind


def test_upload_is_askable_at_once_and_deletable(client: Any, tmp_path: Path) -> None:
    from gradio_client import handle_file

    article = tmp_path / "quokka-festival.txt"
    article.write_text(
        "Quokka festival opens on Rottnest Island\n\nPERTH, March 3, 2026 - The first Rottnest "
        "Island quokka festival opened on Tuesday with 4,200 visitors, organisers said.\n\n"
        "The festival's mascot, a quokka named Biscuit, greeted visitors at the ferry terminal.\n",
        encoding="utf-8",
    )
    bad = tmp_path / "damaged.pdf"
    bad.write_bytes(b"not a pdf at all")
    log, table, _choice, status, _files = client.predict(
        [handle_file(str(article)), handle_file(str(bad))], api_name="/upload"
    )
    assert "added      quokka-festival.txt" in log
    assert "failed     damaged.pdf" in log and "not a readable PDF" in log
    assert "quokka-festival.txt" in [row[-1] for row in table["data"]]
    assert "4 documents" in status

    chat, sources, _, _ = client.predict(
        "What is the name of the quokka festival mascot?", *SETTINGS, api_name="/ask"
    )
    assert "Biscuit" in bubble_text(chat[-1]) and "quokka-festival.txt" in sources

    log, table, _choice, status = client.predict("quokka-festival.txt", api_name="/delete_document")
    assert log.startswith("deleted") and "3 documents" in status
    assert "quokka-festival.txt" not in [row[-1] for row in table["data"]]


# --- with an LLM answerer (a real OpenAI-compatible server on loopback) -----------------------
LLM_QUESTION = "What did Delcy Rodríguez say on state television about these steps?"


@pytest.fixture(scope="module")
def llm_client(live_llm_app: LiveApp) -> Iterator[Any]:
    from gradio_client import Client

    client = Client(live_llm_app.url, verbose=False, download_files=False)
    yield client
    client.close()


def passage_number(assistant: Any, fragment: str) -> int:
    """The [n] the prompt gives the first retrieved passage containing ``fragment``."""
    for n, passage in enumerate(assistant.search(LLM_QUESTION), start=1):
        if fragment in passage.chunk.text:
            return n
    raise AssertionError(f"{fragment!r} was not retrieved")


def test_llm_answer_streams_then_shows_verified_text(
    llm_client: Any, live_llm_app: LiveApp, scripted_llm: Any
) -> None:
    from tests.servers.scripted_openai import Script

    n = passage_number(live_llm_app.assistant, "will strengthen relations")
    scripted_llm.push(
        Script.reply(
            f"Rodríguez said the steps will strengthen relations between the two countries [{n}]. "
            f"The moon is made of cheese [{n}]."
        )
    )
    llm_client.predict(api_name="/clear")
    answerer = live_llm_app.assistant.answerers()[-1]
    job = llm_client.submit(LLM_QUESTION, 5, answerer, "", "", api_name="/ask")
    chat, sources, _, _ = job.result(timeout=60)
    steps = [bubble_text(out[0][-1]) for out in job.outputs() if out[0]]
    assert any("rag-streaming" in s for s in steps[:-1]), "deltas were streamed first"
    final = bubble_text(chat[-1])
    assert "rag-streaming" not in final and "strengthen relations" in final
    assert "rag-chip-unsupported" in final  # the cheese sentence is flagged
    assert "rag-badge-unsupported" in sources


def test_llm_failure_shows_offline_answer_with_notice(
    llm_client: Any, live_llm_app: LiveApp, scripted_llm: Any
) -> None:
    from tests.servers.scripted_openai import Script

    scripted_llm.push(Script.error(500), Script.error(500), Script.error(500))
    try:
        answerer = live_llm_app.assistant.answerers()[-1]
        chat, *_ = llm_client.predict(LLM_QUESTION, 5, answerer, "", "", api_name="/ask")
    finally:
        scripted_llm.clear()  # steps a non-retried failure left unused
    final = bubble_text(chat[-1])
    assert 'class="rag-notice"' in final and "offline answer" in final
    assert "will strengthen relations" in final and "rag-chip" in final

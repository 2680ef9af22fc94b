"""A 500-message history through /v1 is trimmed to the newest turns that fit, not refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.history_window import MAX_TURNS, recent_turns

ARTICLE = (
    b"Harbour town opens floating library\n\nOSLO - The harbour town of Nordvik opened a "
    b"floating library on Tuesday. The library sits on a converted ferry.\n"
)


def long_chat(n: int) -> list[dict[str, str]]:
    turns = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i} " + "word " * 30}
        for i in range(n)
    ]
    return [*turns, {"role": "user", "content": "Who opened a floating library?"}]


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from rag.assistant import Assistant
    from rag.settings import Settings
    from server.app import create_app

    data: Path = tmp_path_factory.mktemp("long-history")
    assistant = Assistant(Settings(data_dir=data, embed_mode="hashing"))
    assert assistant.ingest_bytes("library.txt", ARTICLE).ok
    with TestClient(create_app(assistant, with_ui=False)) as client:
        yield client


def test_the_newest_turns_that_fit_are_kept() -> None:
    chat = long_chat(500)[:-1]
    kept = recent_turns(chat)
    assert 0 < len(kept) <= MAX_TURNS
    assert kept == chat[-len(kept) :] and kept[0]["role"] == "user"
    assert len(recent_turns(chat, budget=100)) < len(kept)  # the token budget binds too


def test_a_500_message_chat_is_answered_and_says_how_much_was_used(http: Any) -> None:
    resp = http.post("/v1/chat/completions", json={"messages": long_chat(500)})
    assert resp.status_code == 200, resp.text[:300]
    turns = resp.json()["history_turns"]
    assert turns["received"] == 500 and 0 < turns["used"] <= MAX_TURNS


def test_the_stream_says_it_too(http: Any) -> None:
    body = {"messages": long_chat(500), "stream": True}
    with http.stream("POST", "/v1/chat/completions", json=body) as resp:
        assert resp.status_code == 200
        events = [line[6:] for line in resp.iter_lines() if line.startswith("data: {")]
    final = json.loads(events[-1])
    assert final["history_turns"]["received"] == 500

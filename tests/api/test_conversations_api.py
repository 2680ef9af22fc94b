"""Saved conversations over real HTTP: /api/conversations, asks that continue one, two users."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.api.conftest import DELCY_QUESTION, ServerThread
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow
FOLLOW_UP = "What did she say on state television?"


@pytest.fixture
def api(hashing_assistant: Callable[..., Any], make_server: Callable[[Any], ServerThread]):  # noqa: ANN201
    """A factory: (assistant, client) for a seeded hashing assistant with ``settings``."""
    clients: list[httpx.Client] = []

    def factory(**settings: Any) -> tuple[Any, httpx.Client]:
        assistant = hashing_assistant(**settings)
        assert assistant.ingest([SEEDS]).ok
        client = httpx.Client(base_url=make_server(assistant).url, timeout=60)
        clients.append(client)
        return assistant, client

    yield factory
    for client in clients:
        client.close()


def problem(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    return str(error["message"])


def test_ask_continues_a_conversation_with_the_server_history(api: Any) -> None:
    assistant, client = api()
    seen: list[Any] = []
    real_ask = assistant.ask
    assistant.ask = lambda q, history=None, *a, **kw: (
        seen.append(history) or real_ask(q, history, *a, **kw)
    )
    created = client.post("/api/conversations", json={}).json()
    cid = created["id"]
    first = client.post("/api/ask", json={"question": "Who is Delcy Rodríguez?",
                                          "conversation_id": cid}).json()  # fmt: skip
    assert first["conversation_id"] == cid
    second = client.post("/api/ask", json={"question": FOLLOW_UP, "conversation_id": cid}).json()
    assert seen[1] == [
        {"role": "user", "content": "Who is Delcy Rodríguez?"},
        {"role": "assistant", "content": first["text"]},
    ]  # the history came from the server: the request sent none
    assert "Delcy Rodríguez" in second["condensed_question"]

    saved = client.get(f"/api/conversations/{cid}").json()
    assert saved["title"] == "Who is Delcy Rodríguez?" and saved["turn_count"] == 2
    assert [t["question"] for t in saved["turns"]] == ["Who is Delcy Rodríguez?", FOLLOW_UP]
    turn = saved["turns"][1]
    assert turn["answer"]["text"] == second["text"] and turn["asked_at"]
    assert turn["answer"]["citations"] == second["citations"]
    assert turn["answer"]["condensed_question"] == second["condensed_question"]
    assert set(turn["answer"]["timings"]) == set(second["timings"])
    # A plain ask (no id) saves nothing and says so by a null id.
    plain = client.post("/api/ask", json={"question": DELCY_QUESTION}).json()
    assert plain["conversation_id"] is None
    assert client.get(f"/api/conversations/{cid}").json()["turn_count"] == 2


def test_list_search_rename_export_delete(api: Any) -> None:
    _, client = api()
    cid = client.post("/api/conversations", json={"title": "Caracas"}).json()["id"]
    client.post("/api/ask", json={"question": DELCY_QUESTION, "conversation_id": cid})
    other = client.post("/api/conversations").json()["id"]
    listed = client.get("/api/conversations").json()["conversations"]
    assert [c["id"] for c in listed] == [other, cid]  # the latest activity first
    found = client.get("/api/conversations", params={"search": "state television"}).json()
    assert [c["id"] for c in found["conversations"]] == [cid]
    renamed = client.patch(f"/api/conversations/{cid}", json={"title": "Embassy talks"}).json()
    assert renamed["title"] == "Embassy talks" and renamed["turn_count"] == 1

    md = client.get(f"/api/conversations/{cid}/export")
    assert md.headers["content-type"].startswith("text/markdown")
    assert "attachment" in md.headers["content-disposition"]
    assert md.text.startswith("# Embassy talks") and DELCY_QUESTION in md.text
    exported = client.get(f"/api/conversations/{cid}/export", params={"format": "json"}).json()
    assert exported["id"] == cid and exported["turns"][0]["question"] == DELCY_QUESTION
    assert exported["turns"][0]["asked_at"]
    saved = client.get(f"/api/conversations/{cid}").json()
    assert exported["turns"][0]["citations"] == saved["turns"][0]["answer"]["citations"]

    assert client.delete(f"/api/conversations/{cid}").json() == {"deleted": cid}
    problem(client.get(f"/api/conversations/{cid}"), 404, "not_found")
    assert [c["id"] for c in client.get("/api/conversations").json()["conversations"]] == [other]


def test_unknown_ids_are_404_problems(api: Any) -> None:
    _, client = api()
    for response in (
        client.get("/api/conversations/nope"),
        client.patch("/api/conversations/nope", json={"title": "x"}),
        client.delete("/api/conversations/nope"),
        client.get("/api/conversations/nope/export"),
        client.post("/api/ask", json={"question": DELCY_QUESTION, "conversation_id": "nope"}),
        client.post("/v1/chat/completions", json={
            "messages": [{"role": "user", "content": DELCY_QUESTION}], "conversation_id": "nope"}),
    ):  # fmt: skip
        assert "nope" in problem(response, 404, "not_found")


def test_openai_route_continues_a_conversation(api: Any) -> None:
    _, client = api()
    cid = client.post("/api/conversations").json()["id"]
    first = [{"role": "user", "content": "Who is Delcy Rodríguez?"}]
    reply = client.post(
        "/v1/chat/completions", json={"messages": first, "conversation_id": cid}
    ).json()
    assert reply["conversation_id"] == cid and reply["citations"] is not None
    # Streaming, with the id in a header and no history in the messages: the server has it.
    body = {"messages": [{"role": "user", "content": FOLLOW_UP}], "stream": True}
    with client.stream(
        "POST", "/v1/chat/completions", json=body, headers={"X-Conversation-Id": cid}
    ) as stream:
        events = [line[6:] for line in stream.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    final = json.loads(events[-2])
    saved = client.get(f"/api/conversations/{cid}").json()["turns"]
    assert [t["question"] for t in saved] == ["Who is Delcy Rodríguez?", FOLLOW_UP]
    assert "Delcy Rodríguez" in saved[1]["answer"]["condensed_question"]
    assert saved[1]["answer"]["citations"] == final["citations"]


def test_two_users_see_only_their_own_conversations(api: Any) -> None:
    _, client = api(api_keys=["alice-key", "bob-key"])
    alice = {"Authorization": "Bearer alice-key"}
    bob = {"Authorization": "Bearer bob-key"}
    mine = client.post("/api/conversations", json={"title": "Alice's"}, headers=alice).json()["id"]
    ask = {"question": DELCY_QUESTION, "conversation_id": mine}
    assert client.post("/api/ask", json=ask, headers=alice).status_code == 200
    theirs = client.post("/api/conversations", json={"title": "Bob's"}, headers=bob).json()["id"]

    def ids(headers: dict[str, str]) -> list[str]:
        listed = client.get("/api/conversations", headers=headers).json()["conversations"]
        return [c["id"] for c in listed]

    assert ids(alice) == [mine] and ids(bob) == [theirs]
    for response in (
        client.get(f"/api/conversations/{mine}", headers=bob),
        client.get(f"/api/conversations/{mine}/export", headers=bob),
        client.patch(f"/api/conversations/{mine}", json={"title": "Bob's now"}, headers=bob),
        client.delete(f"/api/conversations/{mine}", headers=bob),
        client.post("/api/ask", json=ask, headers=bob),
    ):
        problem(response, 404, "not_found")  # indistinguishable from an id that never existed
    assert client.get(f"/api/conversations/{mine}", headers=alice).json()["title"] == "Alice's"
    assert client.get(f"/api/conversations/{mine}", headers=alice).json()["turn_count"] == 1
    problem(client.get("/api/conversations"), 401, "invalid_api_key")


def test_a_corrupt_database_still_answers_and_says_so(api: Any, tmp_path: Any) -> None:
    db = tmp_path / "conversations.db"
    db.write_bytes(b"not sqlite at all " * 200)
    _, client = api(conversation_db=db)
    message = problem(client.get("/api/conversations"), 503, "conversations_unavailable")
    assert str(db) in message and "not being saved" in message
    answer = client.post("/api/ask", json={"question": DELCY_QUESTION, "conversation_id": "x"})
    assert answer.status_code == 200
    assert "strengthen relations" in answer.json()["text"]
    assert "not saved" in answer.json()["notice"]

"""Two `rag serve` replicas on one `chroma run` server: uploads reach both, none are lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.reliability.conftest import RagServe

pytestmark = pytest.mark.slow


def _upload(server: RagServe, name: str, text: str) -> httpx.Response:
    files = [("files", (name, text.encode(), "text/plain"))]
    return httpx.post(f"{server.url}/api/documents", files=files, timeout=120)


def _cited(server: RagServe, question: str) -> set[str]:
    """Documents the answer cites (not merely retrieved passages)."""
    response = httpx.post(f"{server.url}/api/ask", json={"question": question}, timeout=60)
    assert response.status_code == 200, response.text
    return {c["doc_id"] for c in response.json()["citations"]}


def _documents(server: RagServe) -> set[str]:
    response = httpx.get(f"{server.url}/api/documents", timeout=30)
    assert response.status_code == 200, response.text
    return {d["doc_id"] for d in response.json()["documents"]}


@pytest.fixture
def replicas(
    chroma_server: tuple[int, Any], rag_serve_factory: Callable[..., RagServe]
) -> tuple[RagServe, RagServe]:
    port, _ = chroma_server
    env = {
        "RAG_STORE_MODE": "server",
        "RAG_CHROMA_HOST": "127.0.0.1",
        "RAG_CHROMA_PORT": str(port),
        "RAG_EMBED_MODE": "hashing",
    }
    return rag_serve_factory(env), rag_serve_factory(env)


def test_an_upload_through_one_is_answerable_through_the_other(
    replicas: tuple[RagServe, RagServe],
) -> None:
    first, second = replicas
    _cited(second, "What happened in Caracas?")  # the second replica's index is warm
    text = "Zebra escape\n\nA zebra named Quillon escaped from the Tbilisi zoo on Friday.\n"
    assert _upload(first, "zebra.txt", text).status_code == 200
    uploaded = time.monotonic()
    while "zebra.txt" not in _cited(second, "Which zebra escaped from the Tbilisi zoo?"):
        assert time.monotonic() - uploaded < 2.0, "the other replica did not see the upload"
        time.sleep(0.05)


def test_concurrent_uploads_through_both_lose_nothing(
    replicas: tuple[RagServe, RagServe],
) -> None:
    first, second = replicas
    failures: list[str] = []

    def upload_many(server: RagServe, prefix: str) -> None:
        for i in range(6):
            text = f"{prefix} report {i}\n\nThe {prefix}{i} bridge reopened after repairs.\n"
            response = _upload(server, f"{prefix}-{i}.txt", text)
            if response.status_code != 200 or response.json().get("failed"):
                failures.append(response.text)

    threads = [
        threading.Thread(target=upload_many, args=(first, "north")),
        threading.Thread(target=upload_many, args=(second, "south")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    expected = {f"{p}-{i}.txt" for p in ("north", "south") for i in range(6)}
    assert expected <= _documents(first) and expected <= _documents(second)
    # Each replica's lexical index holds the other's uploads too.
    assert "south-3.txt" in _cited(first, "Which bridge is south3?")
    assert "north-4.txt" in _cited(second, "Which bridge is north4?")

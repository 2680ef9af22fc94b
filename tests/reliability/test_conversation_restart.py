"""A conversation outlives `rag serve`: ask twice, restart the server, both answers are back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import tests.reliability.conftest as serve_helpers
from tests.browser import chromium_browser
from tests.conftest import free_port
from tests.ui.conversation_pages import LIST_ITEMS, ask_and_save, check_chip, wait_for_answers

pytestmark = [pytest.mark.slow, pytest.mark.browser]
Q1, PHRASE1 = "Who is Venezuela's acting president?", "Delcy Rodríguez"
Q2 = "What did Delcy Rodríguez say on state television about these steps?"
PHRASE2 = "strengthen relations"


@pytest.fixture
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def serve_on(port: int, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`rag serve` on ``port`` with its data in ``workdir``: the same origin after a restart."""
    monkeypatch.setattr(serve_helpers, "free_port", lambda: port)
    return serve_helpers.start_rag_serve(workdir)


def test_two_answers_survive_a_server_restart(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    server = serve_on(port, tmp_path, monkeypatch)

    def saved_turns() -> int:
        listed = httpx.get(f"{server.url}/api/conversations", timeout=10).json()
        return sum(c["turn_count"] for c in listed["conversations"])

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server.url)
        page.wait_for_selector("#rag-question textarea")
        assert PHRASE1 in ask_and_save(page, Q1, saved_turns).inner_text()
        assert PHRASE2 in ask_and_save(page, Q2, saved_turns).inner_text()
        server.stop()
        assert server.proc.returncode is not None

        server = serve_on(port, tmp_path, monkeypatch)  # a new process, the same data dir
        page.reload()
        answers = wait_for_answers(page, 2)
        assert answers.count() == 2
        assert PHRASE1 in answers.nth(0).inner_text() and PHRASE2 in answers.nth(1).inner_text()
        check_chip(page, answers.nth(0), PHRASE1)
        check_chip(page, answers.nth(1), PHRASE2)
        assert page.locator(f"{LIST_ITEMS}.selected").inner_text().startswith(Q1)
        assert saved_turns() == 2
    finally:
        context.close()
        server.stop()

"""Chromium: log in with an API key, then type the next question while an answer streams."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import chromium_browser
from tests.ui.conftest import serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

KEY = "browser-test-key-1"
ARTICLE = (
    b"Harbour town opens floating library\n\nOSLO - The harbour town of Nordvik opened a "
    b"floating library on Tuesday. The library sits on a converted ferry and lends books "
    b"to island residents.\n"
)
DRAFT = "And who runs the ferry?"


def slow_stream(stream: Any) -> Any:
    """The assistant's stream with a few slow text deltas before its answer."""

    def slowly(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for word in ("The ", "harbour ", "town ", "of ", "Nordvik "):
            time.sleep(0.8)
            yield word
        yield from stream(*args, **kwargs)

    return slowly


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant(
        Settings(data_dir=tmp_path / "data", embed_mode="hashing", api_keys=[KEY])
    )
    assert assistant.ingest_bytes("library.txt", ARTICLE).ok
    assistant.stream = slow_stream(assistant.stream)  # type: ignore[method-assign]
    with serve(assistant) as live:
        yield live


@pytest.fixture
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def test_login_then_typed_text_survives_a_streaming_answer(app: Any, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(60_000)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or "data"))
    page.goto(app.url)
    # The access rule leaves the login page working: any name, an API key as password.
    page.locator("input[type=password]").wait_for()
    assert page.locator("#rag-question").count() == 0
    page.locator("input:not([type=password])").first.fill("reader")
    page.fill("input[type=password]", KEY)
    page.get_by_role("button", name="Login").click()
    box = page.locator("#rag-question textarea")
    box.wait_for()

    box.fill("Who opened a floating library?")
    page.keyboard.press("Enter")
    page.locator("#rag-chatbot .rag-streaming").wait_for()
    assert box.input_value() == ""  # the sent question left the box
    box.type(DRAFT, delay=60)  # typed while the answer streams in
    page.wait_for_function(
        "() => document.querySelectorAll('#rag-chatbot .rag-answer:not(.rag-streaming)').length > 0"
    )
    page.wait_for_timeout(500)
    assert box.input_value() == DRAFT
    assert hosts <= {"127.0.0.1", "data", "blob"}, hosts

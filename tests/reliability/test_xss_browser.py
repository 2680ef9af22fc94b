"""Stored XSS: an article uploaded through the HTTP API, read in the real web chat by Chromium.

The payloads sit in the title and in the sentences the answer quotes, so they
reach the chat bubble, the sources panel and the reader. None may run; all
must be visible as text. Skipped without Debian's /usr/bin/chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from rag.assistant import Assistant
from rag.settings import Settings
from tests.browser import CHROMIUM, launch_chromium
from tests.conftest import SEEDS
from tests.ui.conftest import LiveApp, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
MARKDOWN = "[more](javascript:window.__pwned=1)"
TITLE = f"Quokka festival {SCRIPT} {IMG}"
ARTICLE = (
    f"{TITLE}\n\n"
    f"PERTH, March 3, 2026 - The Rottnest Island quokka festival {SCRIPT} opened on Tuesday "
    "with 4,200 visitors, organisers said.\n\n"
    f"The festival mascot is a quokka named Biscuit {IMG}, who greeted visitors at the ferry "
    f"terminal {MARKDOWN}.\n"
)
DOC = "quokka-xss.txt"
QUESTION = "How many visitors came to the Rottnest Island quokka festival on Tuesday?"
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, local_embedder: Any) -> Iterator[LiveApp]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    # The quoter shows the whole sentence with its payload, which is what this test checks.
    settings = Settings(data_dir=tmp_path_factory.mktemp("xss"), offline_answerer="extractive")
    assistant = Assistant(settings, embedder=local_embedder)
    assert assistant.ingest([SEEDS]).ok
    with serve(assistant) as live:
        files = [("files", (DOC, ARTICLE.encode(), "text/plain"))]
        result = httpx.post(f"{live.url}api/documents", files=files, timeout=60).json()
        assert result["added"] == [DOC], result
        yield live


@pytest.fixture
def page(app: LiveApp) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        dialogs: list[str] = []

        def on_dialog(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(app.url)
        page.wait_for_selector("#rag-question textarea")
        yield page
        assert dialogs == [], f"a payload opened a dialog: {dialogs}"
        browser.close()


def not_pwned(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "a payload ran"
    assert page.locator("img[src='x']").count() == 0, "a payload became an <img>"
    scripts = page.evaluate("[...document.scripts].filter(s => s.text.includes('__pwned')).length")
    assert scripts == 0, "a payload became a <script>"


def test_payloads_in_title_and_quotes_stay_text(page: Any) -> None:
    page.fill("#rag-question textarea", QUESTION)
    page.keyboard.press("Enter")
    answer = page.locator("#rag-chatbot .rag-answer:not(.rag-streaming)").last
    answer.wait_for()
    assert "4,200 visitors" in answer.inner_text()
    assert SCRIPT in answer.inner_text()  # the quoted sentence, payload shown as text
    not_pwned(page)

    answer.locator(".rag-chip").first.click()
    page.locator("#rag-sources .rag-source-selected").wait_for()
    sources = page.locator("#rag-sources").inner_text()
    assert TITLE in sources and SCRIPT in sources
    page.click("#rag-reader-box button, #rag-reader-box .label-wrap")  # open the reader
    reader = page.locator("#rag-reader .rag-reader-text")
    reader.wait_for()
    text = reader.inner_text()
    assert IMG in text and MARKDOWN in text and SCRIPT in text
    assert TITLE in page.locator("#rag-reader h3").inner_text()
    assert page.locator("#rag-reader a").count() == 0, "Markdown became a link"
    page.wait_for_timeout(500)  # give any onerror handler time to fire
    not_pwned(page)

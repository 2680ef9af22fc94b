"""A real Chromium on the real web chat: ask, click a chip, upload, export, screenshots.

Needs Debian's /usr/bin/chromium (``make test`` installs it); skipped without it.
Every request the page makes must stay on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import chromium_browser
from tests.conftest import ROOT
from tests.ui.conftest import LiveApp

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = ROOT / "artifacts" / "screenshots"
TIMEOUT_MS = 60_000
ARTICLE = (
    "Quokka festival opens <script>window.__pwned = 1</script>\n\n"
    "PERTH, March 3, 2026 - The first Rottnest Island quokka festival opened on Tuesday with "
    "4,200 visitors, organisers said.\n\n"
    'The festival mascot is a quokka named Biscuit <img src=x onerror="window.__pwned = 2">, '
    "who greeted visitors at the ferry terminal.\n"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


@pytest.fixture
def page(browser: Any, live_app: LiveApp) -> Iterator[Any]:
    """A fresh page on the app that records every host it talks to."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_app.url.rstrip("/")
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    hosts: set[str] = set()
    page.on(
        "request",
        lambda request: hosts.add(urlsplit(request.url).hostname or request.url.split(":")[0]),
    )
    page.goto(live_app.url)
    page.wait_for_selector("#rag-question textarea")
    yield page
    context.close()
    assert hosts <= {"127.0.0.1", "data", "blob"}, f"the page reached beyond loopback: {hosts}"


def fill_when_bound(box: Any, text: str) -> None:
    """Type into a box on a tab just opened. Gradio puts the tab's inputs in the page
    before it binds them, and a value typed in that moment is reset to the component's
    own (seen on a loaded machine: the 'From date' box read '' right after the fill)."""
    for _ in range(20):
        box.fill(text)
        box.page.wait_for_timeout(250)
        if box.input_value() == text:
            return
    raise AssertionError(f"the box never kept {text!r}")


def shot(page: Any, name: str, *, full_page: bool = False) -> None:
    """Save a screenshot under artifacts/screenshots and check it was written."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.wait_for_timeout(400)  # let progress overlays fade out
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 1000, f"screenshot {path} is empty"


def ask(page: Any, question: str) -> Any:
    """Type a question, send it, and return the newest answer bubble once it is final."""
    before = page.locator("#rag-chatbot .rag-answer:not(.rag-streaming)").count()
    page.fill("#rag-question textarea", question)
    page.keyboard.press("Enter")
    answers = page.locator("#rag-chatbot .rag-answer:not(.rag-streaming)")
    page.wait_for_function(
        "n => document.querySelectorAll('#rag-chatbot .rag-answer:not(.rag-streaming)').length > n",
        arg=before,
    )
    return answers.last


def test_ask_click_chip_copy_and_export(page: Any) -> None:
    answer = ask(page, "Who is Venezuela's acting president?")
    assert "Delcy Rodríguez" in answer.inner_text()
    chip = answer.locator(".rag-chip").first
    assert chip.is_visible() and chip.inner_text().strip() == "1"

    chip.click()
    selected = page.locator("#rag-sources .rag-source-selected mark")
    selected.wait_for()
    assert "Delcy Rodríguez" in selected.inner_text()
    page.click("#rag-reader-box button, #rag-reader-box .label-wrap")  # open the reader
    reader_mark = page.locator("#rag-reader mark.rag-mark-selected")
    reader_mark.wait_for()
    assert "Delcy Rodríguez" in reader_mark.inner_text()
    shot(page, "chat-1280.png")
    shot(page, "chat-1280-full.png", full_page=True)

    page.locator("#rag-chatbot button[aria-label='Copy message']").last.click()
    page.wait_for_timeout(600)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Delcy Rodríguez" in copied and "[1]" in copied and "<span" not in copied

    refusal = ask(page, "What is the boiling point of liquid nitrogen?")
    assert refusal.locator(".rag-refusal").count() == 1

    page.wait_for_selector("#rag-export-md:not([disabled])")
    with page.expect_download() as download_info:
        page.click("#rag-export-md")
    markdown = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Who is Venezuela's acting president?" in markdown and "Sources" in markdown
    with page.expect_download() as download_info:
        page.click("#rag-export-json")
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["turns"][0]["citations"][0]["doc_id"].endswith(".txt")
    assert data["turns"][1]["refused"] is True


def test_upload_then_ask_about_it_safely(page: Any, tmp_path: Path) -> None:
    article = tmp_path / "quokka-festival.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="Documents").click()
    page.set_input_files("#rag-upload input[type=file]", str(article))
    page.wait_for_function(
        "() => (document.querySelector('#rag-upload-log textarea')?.value || '').includes('quokka')"
    )
    assert "added" in page.input_value("#rag-upload-log textarea")
    page.wait_for_selector("#rag-documents :text('quokka-festival.txt')")
    shot(page, "documents-1280.png")

    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "What is the name of the quokka festival mascot?")
    assert "Biscuit" in answer.inner_text()
    assert "<img src=x" in answer.inner_text()  # shown as text, never as markup
    answer.locator(".rag-chip").first.click()
    page.locator("#rag-sources .rag-source-selected mark").wait_for()
    assert "quokka-festival.txt" in page.inner_text("#rag-sources")
    assert page.evaluate("window.__pwned") is None
    assert (
        page.locator("#rag-chatbot img[src='x'], #rag-sources img, #rag-sources script").count()
        == 0
    )

    page.set_viewport_size({"width": 400, "height": 800})
    page.wait_for_timeout(300)
    shot(page, "chat-400.png")
    shot(page, "chat-400-full.png", full_page=True)
    page.get_by_role("tab", name="Documents").click()
    page.wait_for_selector("#rag-documents")
    shot(page, "documents-400.png", full_page=True)


def test_settings_warn_on_bad_dates_and_persist(page: Any) -> None:
    page.click("#rag-ask")  # an empty question: a readable toast, and no turn in the chat
    page.get_by_text("Please type a question.").first.wait_for()
    assert page.locator("#rag-chatbot .rag-answer").count() == 0
    page.get_by_role("tab", name="Settings").click()
    date_from = page.get_by_label("From date")
    fill_when_bound(date_from, "5 March")
    date_from.press("Enter")
    page.get_by_text("must look like 2026-03-05").first.wait_for()
    shot(page, "settings-1280.png")
    key = "newsrag-chat-settings"  # ui.chat_app.SETTINGS_KEY
    before = page.evaluate("k => localStorage.getItem(k)", key)
    date_from.fill("")
    date_from.press("Enter")
    date_to = page.get_by_label("To date")
    date_to.fill("2026-12-31")
    date_to.press("Enter")
    # The saves run in order; wait until the browser's copy changed and then held still.
    page.wait_for_function(
        """([key, before]) => {
            const value = localStorage.getItem(key);
            const seen = window.__ragSeen || (window.__ragSeen = {value: null, at: 0});
            if (value !== seen.value) Object.assign(seen, {value, at: Date.now()});
            return value !== before && Date.now() - seen.at > 1500;
        }""",
        arg=[key, before],
        polling=250,
    )
    page.reload()
    page.get_by_role("tab", name="Settings").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('input, textarea')]"
        ".some(e => e.value === '2026-12-31')"
    )


@pytest.fixture
def llm_page(browser: Any, live_llm_app: LiveApp) -> Iterator[Any]:
    """A page on the app that answers through the scripted LLM."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or "?"))
    page.goto(live_llm_app.url)
    page.wait_for_selector("#rag-question textarea")
    yield page
    context.close()
    assert hosts <= {"127.0.0.1", "data", "blob"}, f"the page reached beyond loopback: {hosts}"


def test_llm_unsupported_citation_and_fallback_notice(
    llm_page: Any, live_llm_app: LiveApp, scripted_llm: Any
) -> None:
    from tests.servers.scripted_openai import Script

    question = "What did Delcy Rodríguez say on state television about these steps?"
    passages = live_llm_app.assistant.search(question)
    n = next(i for i, p in enumerate(passages, 1) if "will strengthen relations" in p.chunk.text)
    scripted_llm.push(
        Script.reply(
            f"Rodríguez said the steps will strengthen relations between the two countries [{n}]. "
            f"The moon is made of cheese [{n}]."
        )
    )
    answer = ask(llm_page, question)
    flagged = answer.locator(".rag-chip-unsupported")
    assert flagged.count() == 1
    flagged.click()
    llm_page.locator("#rag-sources .rag-source-selected .rag-badge-unsupported").wait_for()
    shot(llm_page, "llm-unsupported-1280.png")

    scripted_llm.push(Script.error(500), Script.error(500), Script.error(500))
    try:
        fallback = ask(llm_page, "What did she say on state television?")
    finally:
        scripted_llm.clear()
    notice = fallback.locator(".rag-notice")
    assert notice.count() == 1 and "offline answer" in notice.inner_text()
    assert fallback.locator(".rag-chip").count() >= 1
    shot(llm_page, "llm-fallback-1280.png")

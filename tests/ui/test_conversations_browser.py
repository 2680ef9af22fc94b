"""Saved conversations in a real Chromium: ask twice, reload, both answers back with chips."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import chromium_browser
from tests.conftest import ROOT
from tests.ui.conftest import LiveApp
from tests.ui.conversation_pages import LIST_ITEMS, ask_and_save, check_chip, wait_for_answers

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SHOTS = ROOT / "artifacts" / "screenshots"
Q1, PHRASE1 = "Who is Venezuela's acting president?", "Delcy Rodríguez"
Q2 = "What did Delcy Rodríguez say on state television about these steps?"
PHRASE2 = "strengthen relations"
Q3 = "Who is María Corina Machado?"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def saved_turns(app: LiveApp) -> Any:
    """How many turns the local user has saved, across conversations."""
    store = app.assistant.conversations
    return lambda: sum(c.turn_count for c in store.list("local"))


def test_two_answers_survive_a_reload_with_working_chips(browser: Any, live_app: LiveApp) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(live_app.url)
    page.wait_for_selector("#rag-question textarea")
    count = saved_turns(live_app)
    assert PHRASE1 in ask_and_save(page, Q1, count).inner_text()
    assert PHRASE2 in ask_and_save(page, Q2, count).inner_text()

    page.reload()
    answers = wait_for_answers(page, 2)
    assert answers.count() == 2
    assert PHRASE1 in answers.nth(0).inner_text() and PHRASE2 in answers.nth(1).inner_text()
    check_chip(page, answers.nth(0), PHRASE1)  # a chip of the first turn, after the reload
    check_chip(page, answers.nth(1), PHRASE2)
    assert page.locator(f"{LIST_ITEMS}.selected").inner_text().startswith(Q1)

    # A second conversation: the list shows both, newest first; then search, rename, delete.
    page.click("#rag-new-chat")
    page.wait_for_function("() => !document.querySelector('#rag-chatbot .rag-answer')")
    ask_and_save(page, Q3, count)
    labels = page.locator(LIST_ITEMS)
    assert labels.count() == 2 and labels.nth(0).inner_text().startswith(Q3)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / "conversations-1280.png"))

    labels.nth(1).click()  # back to the first conversation
    wait_for_answers(page, 2)
    page.wait_for_function(
        f"() => document.querySelectorAll({'#rag-chatbot .rag-answer'!r}).length === 2"
    )
    page.fill("#rag-conversation-search input, #rag-conversation-search textarea", "Machado")
    page.wait_for_function(f"() => document.querySelectorAll({LIST_ITEMS!r}).length === 1")
    assert labels.first.inner_text().startswith(Q3)
    page.fill("#rag-conversation-search input, #rag-conversation-search textarea", "")
    page.wait_for_function(f"() => document.querySelectorAll({LIST_ITEMS!r}).length === 2")

    title_box = "#rag-conversation-title input, #rag-conversation-title textarea"
    assert page.input_value(title_box) == Q1  # the open chat's title, ready to edit
    page.fill(title_box, "Caracas talks")
    page.click("#rag-rename-chat")
    page.wait_for_function(
        f"() => [...document.querySelectorAll({LIST_ITEMS!r})]"
        ".some(l => l.innerText.startsWith('Caracas talks'))"
    )
    page.click("#rag-delete-chat")
    page.wait_for_function(f"() => document.querySelectorAll({LIST_ITEMS!r}).length === 1")
    page.reload()
    page.wait_for_selector("#rag-question textarea")
    page.wait_for_function(f"() => document.querySelectorAll({LIST_ITEMS!r}).length === 1")
    assert page.locator("#rag-chatbot .rag-answer").count() == 0  # the deleted chat stays gone
    context.close()

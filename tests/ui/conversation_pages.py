"""Browser steps shared by the conversation tests: ask, wait for the save, count answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

FINAL = "#rag-chatbot .rag-answer:not(.rag-streaming)"
LIST_ITEMS = "#rag-conversation-list label"


def ask_and_save(page: Any, question: str, saved_turns: Callable[[], int]) -> Any:
    """Ask, wait for the verified answer, its save (``saved_turns`` grows) and the list."""
    before, stored = page.locator(FINAL).count(), saved_turns()
    page.fill("#rag-question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(f"n => document.querySelectorAll({FINAL!r}).length > n", arg=before)
    deadline = time.monotonic() + 30
    while saved_turns() <= stored:
        assert time.monotonic() < deadline, "the answer was not saved"
        time.sleep(0.1)
    page.locator(f"{LIST_ITEMS}.selected").first.wait_for()  # listed, as the open one
    return page.locator(FINAL).last


def wait_for_answers(page: Any, count: int) -> Any:
    """Wait until ``count`` final answers are shown (a restored chat); return them."""
    page.wait_for_function(
        f"n => document.querySelectorAll({FINAL!r}).length >= n", arg=count, timeout=60_000
    )
    return page.locator(FINAL)


def check_chip(page: Any, answer: Any, phrase: str) -> None:
    """Click the answer's first chip: the sources panel must select a card quoting ``phrase``."""
    answer.locator(".rag-chip").first.click()
    selected = page.locator("#rag-sources .rag-source-selected")
    selected.wait_for()
    page.wait_for_function(
        "p => (document.querySelector('#rag-sources .rag-source-selected')?.innerText || '')"
        ".includes(p)",
        arg=phrase,
    )

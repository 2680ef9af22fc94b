"""Debian's Chromium for browser tests, launched offline (never `playwright install`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium phones home at start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip the calling test when Debian's chromium is not installed."""
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed (make test installs it)")


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from a Playwright instance."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def chromium_browser() -> Iterator[Any]:
    """A launched Chromium for a fixture to yield from; skips without chromium or playwright."""
    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()

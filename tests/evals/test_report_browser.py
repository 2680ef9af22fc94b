"""report.html in a real Chromium: the plots render and nothing is fetched from outside."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, launch_chromium
from tests.evals.test_cli import TINY, run_eval

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "artifacts" / "screenshots" / "eval-report.png"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def report_html(tmp_path: Path) -> Path:
    """A real report of the tiny suite (hashing embedder, so it is quick)."""
    out = tmp_path / "out"
    result = run_eval(str(TINY), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / "report.html"


def test_report_plots_render_in_chromium(report_html: Path) -> None:
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "request",
                lambda r: None if r.url.startswith(("file:", "data:")) else outside.append(r.url),
            )
            page.goto(report_html.as_uri())
            page.wait_for_load_state("load")
            images = page.locator("img")
            assert images.count() == 3
            widths = images.evaluate_all("els => els.map(e => e.complete ? e.naturalWidth : 0)")
            alts = images.evaluate_all("els => els.map(e => e.alt)")
            assert all(w > 0 for w in widths), dict(zip(alts, widths, strict=True))
            assert alts == [
                "Per-metric bars",
                "Per-question-type breakdown",
                "Latency histogram",
            ]
            assert "hit_rate" in page.locator("table").first.inner_text()
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert outside == []  # self-contained: no request left the file
    assert SCREENSHOT.stat().st_size > 0

"""Main-text extraction of HTML news pages with trafilatura (and htmldate for the date).

A page's menus, cookie banners, related-article lists, share bars and comments
are left out, even when the page marks none of them (``<div>`` soup without
``<nav>`` or ``<article>``). The text returned is what the reader shows and what
every stored offset points into: paragraphs joined by blank lines.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)
_SENTENCE_ENDS = tuple(".!?…\"'”’»)")
_MIN_CHARS = 40  # less than this is no article: the caller falls back to all visible text


@dataclass(frozen=True)
class PageArticle:
    """What trafilatura found on one page."""

    text: str
    title: str | None
    date: str | None  # ISO YYYY-MM-DD (htmldate: meta tags, URL, visible dates)
    byline: str | None  # "Site; by Author", whichever is known


def extract_page(markup: str) -> PageArticle | None:
    """The page's article, or None when trafilatura finds none (or fails on the markup)."""
    try:
        import trafilatura

        # Only the extractor's own logging is noisy about odd pages; our caller reports.
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
        found: Any = trafilatura.bare_extraction(  # a Document (as_dict=False)
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,  # a cookie line lost is better than one kept
            deduplicate=False,
        )
    except Exception as exc:  # lxml and trafilatura raise many types on hostile markup
        log.info("trafilatura could not read a page (%s); using all visible text", type(exc))
        return None
    if found is None:
        return None
    lines = (" ".join(line.split()) for line in (found.text or "").splitlines())
    text = "\n\n".join(line for line in lines if line)
    if len(text) < _MIN_CHARS:
        return None
    byline = "; ".join(
        part
        for part in (_clean(found.sitename), f"by {found.author}" if found.author else None)
        if part
    )
    return PageArticle(text, _clean(found.title), _iso(found.date), byline or None)


def text_hash(text: str) -> str:
    """sha256 of the article's prose: one article, whatever page wraps it.

    Only paragraphs that end like sentences count, whitespace collapsed: one
    wrapper keeps the headline as a line of text and another moves it to the
    title, and a byline or caption may come and go, but the prose is the same.
    """
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    prose = [p for p in paragraphs if p.endswith(_SENTENCE_ENDS)] or paragraphs
    return hashlib.sha256("\n".join(prose).encode("utf-8")).hexdigest()


def _clean(value: str | None) -> str | None:
    """Single-spaced, or None when empty."""
    cleaned = " ".join((value or "").split())
    return cleaned or None


def _iso(value: str | None) -> str | None:
    """The YYYY-MM-DD part of a date, or None."""
    if not value or len(value) < 10 or value[4] != "-" or value[7] != "-":
        return None
    return value[:10]

"""News parsing on the real seed articles and on written-out headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.news import find_date, parse_news

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _body(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    return "\n".join(text[s:e] for s, e in spans)


def test_seed_000_title_repeat_and_comment_form() -> None:
    text = _seed("000")
    meta = parse_news(text)
    title = "US and Venezuela move to restore diplomatic relations after Maduro’s capture"
    assert meta.title == title
    assert meta.date is None
    body = _body(text, meta.body_spans)
    assert title not in body  # neither the title line nor its repeat
    assert "Leave a Reply" not in body
    assert "Required fields" not in body and "email address" not in body
    assert body.startswith("The United States and Venezuela have decided")
    assert body.endswith("some of which are used in mobile phones.")


def test_seed_001_date_header_and_dateline() -> None:
    text = _seed("001")
    meta = parse_news(text)
    assert meta.date == "2026-03-05"
    assert meta.dateline == "CARACAS"
    assert meta.title.startswith("The United States and Venezuela agreed")
    assert len(meta.title) <= 101
    body = _body(text, meta.body_spans)
    assert "date 2026" not in body
    assert body.startswith("CARACAS — The United States")


def test_seed_004_source_lines() -> None:
    text = _seed("004")
    meta = parse_news(text)
    assert meta.source == "Alba Ciudad with OT content; Translated by JRE"
    assert meta.date is None  # "this Saturday" and "72 hours" are not dates
    assert meta.title.startswith("Venezuela and the US negotiate establishing")
    body = _body(text, meta.body_spans)
    assert "Source URL" not in body and "Translated by" not in body
    assert body.endswith("to leave the territory of each country.")


@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_seed_spans_are_trimmed_ordered_offsets(prefix: str) -> None:
    text = _seed(prefix)
    spans = parse_news(text).body_spans
    assert spans
    assert all(text[s:e] == text[s:e].strip() and s < e for s, e in spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Published: March 5, 2026", "2026-03-05"),
        ("Updated 5 March 2026", "2026-03-05"),
        ("Date: Mar. 5, 2026", "2026-03-05"),
        ("Thursday, March 5th, 2026", "2026-03-05"),
        ("2026-03-05", "2026-03-05"),
        ("By Jane Doe | Sept 30, 2025", "2025-09-30"),
    ],
)
def test_written_dates_under_the_headline(header: str, expected: str) -> None:
    text = f"Talks resume\n{header}\n\nDiplomats met on Thursday. They agreed."
    meta = parse_news(text)
    assert meta.title == "Talks resume"
    assert meta.date == expected
    assert _body(text, meta.body_spans) == "Diplomats met on Thursday. They agreed."


def test_published_beats_updated() -> None:
    text = "Headline\nUpdated: 6 March 2026\nPublished: 5 March 2026\n\nBody text here."
    assert parse_news(text).date == "2026-03-05"


def test_years_and_dates_in_the_body_are_not_the_publication_date() -> None:
    text = (
        "Embassy reopens\n\nThe embassy, closed in 2019, reopened. On March 5, 2026 the "
        "ambassador arrived in the capital after a long journey from the coast."
    )
    assert parse_news(text).date is None


def test_dateline_variants_and_no_false_dateline() -> None:
    assert parse_news("Title\n\nWASHINGTON (Reuters) - Officials said.").dateline == "WASHINGTON"
    assert parse_news("Title\n\nSAN JUAN, Puerto Rico – Rain fell.").dateline == "SAN JUAN"
    assert parse_news("Title\n\nThe US - and its allies - agreed.").dateline is None


def test_markdown_heading_title_and_known_title_dedupe() -> None:
    assert parse_news("# A Heading #\n\nBody text.").title == "A Heading"
    meta = parse_news("Known\n\nBody.", title="Known")
    assert meta.title == "Known" and meta.body_spans == ((7, 12),)


def test_find_date_rejects_impossible_dates() -> None:
    assert find_date("2026-02-30 then 2026-03-05") == "2026-03-05"
    assert find_date("in 2019 and 1999") is None


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n\t", "\x00\x01\x02\xff", "مرحبا بالعالم\n\nهذا نص.", "😀😀\n\n😀", "\r\n\r\n"],
)
def test_odd_text_never_raises(text: str) -> None:
    meta = parse_news(text)
    assert isinstance(meta.title, str)
    assert all(0 <= s < e <= len(text) for s, e in meta.body_spans)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text_gives_valid_spans(text: str) -> None:
    spans = parse_news(text).body_spans
    assert all(0 <= s < e <= len(text) and text[s:e] == text[s:e].strip() for s, e in spans)


def test_comment_form_early_in_a_long_text_removes_only_its_lines() -> None:
    prose = "Officials met again and agreed on the next steps of the plan. " * 30
    text = (
        f"Title\n\nIntro.\n\nLeave a Reply\nName *\nEmail *\n\n{prose}\n\nLeave a comment\n\nThanks"
    )
    body = _body(text, parse_news(text).body_spans)
    assert body.startswith("Intro.") and prose.strip() in body
    assert "Leave a" not in body and "Name *" not in body and "Thanks" not in body

"""Sentence splitter: examples from the seeds and span properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.sentences import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_initialism_before_a_name_does_not_end_a_sentence() -> None:
    text = "The U.S. Embassy was closed in Caracas. Staff moved to Colombia."
    assert _sentences(text) == [
        "The U.S. Embassy was closed in Caracas.",
        "Staff moved to Colombia.",
    ]


def test_closing_quote_ends_the_sentence() -> None:
    text = (
        "Rodríguez said that such steps “will strengthen relations between our two "
        "countries.” Since the offensive, more has changed."
    )
    first, second = _sentences(text)
    assert first.endswith("“will strengthen relations between our two countries.”")
    assert second == "Since the offensive, more has changed."


def test_straight_quotes_and_lower_case_continuation() -> None:
    assert _sentences('"Stop!" she said. "Go." He went.') == [
        '"Stop!" she said.',
        '"Go."',
        "He went.",
    ]


def test_abbreviations() -> None:
    text = "Mr. Smith met Dr. Jones on Jan. 5 in Washington. They talked, e.g. about oil."
    assert _sentences(text) == [
        "Mr. Smith met Dr. Jones on Jan. 5 in Washington.",
        "They talked, e.g. about oil.",
    ]


def test_initialism_at_the_end_of_a_sentence() -> None:
    assert _sentences("He moved to the U.S. The next day he left.") == [
        "He moved to the U.S.",
        "The next day he left.",
    ]


def test_em_dashes_do_not_split() -> None:
    text = "The US has accused Maduro—who is due to stand trial—of crimes. Next."
    assert _sentences(text) == [
        "The US has accused Maduro—who is due to stand trial—of crimes.",
        "Next.",
    ]


def test_paragraph_breaks_and_title_lines() -> None:
    text = "A headline without a stop\nThe body starts here. And goes on\n\nwith a new paragraph"
    assert _sentences(text) == [
        "A headline without a stop",
        "The body starts here.",
        "And goes on",
        "with a new paragraph",
    ]


def test_hard_wrapped_prose_is_not_split_at_line_ends() -> None:
    text = "The agency said in a statement that the two sides\nwill work together. Done."
    assert _sentences(text) == [
        "The agency said in a statement that the two sides\nwill work together.",
        "Done.",
    ]


def test_start_and_end_bound_the_spans() -> None:
    text = "One. Two. Three."
    spans = split_sentences(text, 5, 9)
    assert [text[s:e] for s, e in spans] == ["Two."]
    assert split_sentences(text, 10, 3) == []
    assert split_sentences("", 0) == []
    assert split_sentences(" \n\n \t") == []


def _check_spans(text: str, start: int, end: int | None) -> None:
    spans = split_sentences(text, start, end)
    stop = len(text) if end is None else min(end, len(text))
    previous_end = max(0, start)
    for s, e in spans:
        piece = text[s:e]
        assert piece and piece == piece.strip()
        assert previous_end <= s < e <= stop
        previous_end = e


_FRAGMENTS = st.sampled_from(
    ["U.S.", "Mr.", "the", "said", "“quoted.”", '"Hi!"', "—", "\n", "\n\n", "e.g.", "3.5", "?", "…"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(-3, 50), st.one_of(st.none(), st.integers(-3, 60)))
def test_spans_are_stripped_ordered_and_in_bounds(text: str, start: int, end: int | None) -> None:
    _check_spans(text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, st.text(max_size=6)), max_size=40).map(" ".join))
def test_spans_hold_for_sentence_like_text(text: str) -> None:
    _check_spans(text, 0, None)

"""Marker parsing, renumbering and support checks, with a deterministic embedder."""

from __future__ import annotations

from index.embedders import HashingEmbedder
from index.models import StoredChunk
from rag.citations import CitationBuilder, split_marked
from rag.models import Passage

ARTICLE = (
    "Embassy reopens\n\nThe US Embassy in Caracas, which was closed in 2019, has already "
    "reopened. Oil exports rose sharply in March. Gold mining will be developed jointly."
)


def passage(text: str, doc_id: str = "a.txt", date: str | None = "2026-03-05") -> Passage:
    start = ARTICLE.index(text)
    chunk = StoredChunk(
        chunk_id=f"{doc_id}::h::0",
        doc_id=doc_id,
        chunk_index=0,
        text=text,
        start=start,
        end=start + len(text),
        title="Embassy reopens",
        date=date,
        source=None,
        content_hash="h",
    )
    return Passage(chunk=chunk, score=1.0)


BODY = ARTICLE[ARTICLE.index("The US") :]
PASSAGES = [passage(BODY), passage("Gold mining will be developed jointly.", "b.txt")]
BUILDER = CitationBuilder(HashingEmbedder(), support_threshold=0.5)


def test_split_marked_attaches_trailing_markers() -> None:
    pieces = split_marked("The embassy reopened. [2] Oil rose [1, 3]. Unmarked claim.")
    assert pieces == [
        ("The embassy reopened.", [2]),
        ("Oil rose.", [1, 3]),
        ("Unmarked claim.", []),
    ]


def test_renumbered_by_first_use_and_quotes_exact() -> None:
    text, cites = BUILDER.build(
        "Gold mining will be developed jointly [2]. The embassy in Caracas has reopened [1].",
        PASSAGES,
    )
    assert text == (
        "Gold mining will be developed jointly. [1] The embassy in Caracas has reopened. [2]"
    )
    assert [(c.number, c.doc_id) for c in cites] == [(1, "b.txt"), (2, "a.txt")]
    for c in cites:
        assert ARTICLE[c.start : c.end] == c.quote
        assert c.supported
    assert cites[1].quote.startswith("The US Embassy in Caracas")


def test_out_of_range_markers_are_removed() -> None:
    text, cites = BUILDER.build("The embassy reopened [7]. Oil exports rose [0].", PASSAGES)
    assert "[" not in text and cites == []


def test_unsupported_citation_is_flagged() -> None:
    _, cites = BUILDER.build("The president resigned after a football match [2].", PASSAGES)
    assert len(cites) == 1 and not cites[0].supported and cites[0].score < 0.5


def test_same_span_cited_twice_keeps_one_number() -> None:
    text, cites = BUILDER.build(
        "Gold mining will be developed jointly [2]. Mining will be developed jointly [2].",
        PASSAGES,
    )
    assert text.count("[1]") == 2 and len(cites) == 1


def test_picks_the_supporting_sentence_inside_a_passage() -> None:
    _, cites = BUILDER.build("Oil exports rose sharply in March [1].", PASSAGES)
    assert cites[0].quote == "Oil exports rose sharply in March."


def test_a_number_the_quote_lacks_is_unsupported() -> None:
    # Same words as the quote, but the year is not the one it states.
    text, (citation,) = BUILDER.build(
        "The US Embassy in Caracas, which was closed in 2017, has already reopened. [1]",
        PASSAGES,
    )
    assert citation.quote.startswith("The US Embassy") and not citation.supported
    _, (right,) = BUILDER.build(
        "The US Embassy in Caracas, which was closed in 2019, has already reopened. [1]",
        PASSAGES,
    )
    assert right.supported


def test_a_name_the_quote_lacks_is_unsupported() -> None:
    _, (citation,) = BUILDER.build(
        "Gold mining will be developed jointly with Chevron. [2]", PASSAGES
    )
    assert not citation.supported

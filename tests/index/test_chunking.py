"""Chunker: exact offsets, body-only chunks, long-sentence splitting, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.chunking import SentenceChunker
from index.loaders import load_article
from index.models import Article, Chunk
from index.news import parse_news
from index.tokens import count_tokens
from rag.errors import ConfigError

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def _article(text: str) -> Article:
    meta = parse_news(text)
    return Article(
        doc_id="doc.txt",
        text=text,
        title=meta.title,
        date=meta.date,
        source=meta.source,
        dateline=meta.dateline,
        content_hash="ab" * 32,
        body_spans=meta.body_spans,
    )


def _check(article: Article, chunks: list[Chunk]) -> None:
    assert [c.chunk_index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert 0 <= chunk.start < chunk.end <= len(article.text)
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip()
        assert chunk.doc_id == article.doc_id
        assert chunk.content_hash == article.content_hash


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seeds_give_a_handful_of_body_only_chunks(path: Path) -> None:
    article = load_article(path, path.name, max_bytes=1_000_000)
    chunks = SentenceChunker().chunk(article)
    _check(article, chunks)
    assert 2 <= len(chunks) <= 8
    joined = "\n".join(c.text for c in chunks)
    for boilerplate in (
        "Leave a Reply",
        "Required fields",
        "Source URL",
        "Translated by",
        "date 2026",
    ):
        assert boilerplate not in joined
    assert all(count_tokens(c.text) <= 170 for c in chunks)


def test_chunks_overlap_by_whole_sentences() -> None:
    text = "Title\n\n" + " ".join(f"Sentence number {i} is here." for i in range(40))
    chunks = SentenceChunker(chunk_tokens=40, overlap_tokens=10).chunk(_article(text))
    _check(_article(text), chunks)
    assert len(chunks) > 3
    for previous, chunk in zip(chunks, chunks[1:], strict=False):
        assert previous.start < chunk.start < previous.end < chunk.end  # overlapping, advancing
        assert chunk.text.startswith("Sentence number")


def test_no_chunk_crosses_removed_boilerplate() -> None:
    text = "Title\n\nFirst paragraph.\n\nSource: Wire\n\nLeave a Reply\n\nName *"
    article = _article(text)
    chunks = SentenceChunker().chunk(article)
    assert [c.text for c in chunks] == ["First paragraph."]


def test_long_sentence_is_split_at_token_boundaries() -> None:
    text = "Title\n\n" + "word " * 300 + "end"
    article = _article(text)
    chunks = SentenceChunker(chunk_tokens=32, overlap_tokens=0).chunk(article)
    _check(article, chunks)
    assert len(chunks) >= 9
    assert all(count_tokens(c.text) <= 34 for c in chunks)
    assert chunks[-1].text.endswith("end")


def test_signature_follows_settings() -> None:
    assert SentenceChunker().signature == "sent-cl100k-160-32"
    assert SentenceChunker(200, 0).signature != SentenceChunker(200, 16).signature


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (10, 10), (10, -1)])
def test_bad_settings_are_config_errors(size: int, overlap: int) -> None:
    with pytest.raises(ConfigError):
        SentenceChunker(size, overlap)


_FRAGMENTS = st.sampled_from(
    ["U.S.", "Mr.", "said", "“quoted.”", "—", "\n", "\n\n", "Leave a Reply", "Source: X", "😀", "é"]
)
_TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=60).map(" ".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, st.integers(8, 64), st.data())
def test_chunk_offsets_are_exact_for_arbitrary_text(
    text: str, size: int, data: st.DataObject
) -> None:
    overlap = data.draw(st.integers(0, size - 1))
    article = _article(text)
    _check(article, SentenceChunker(size, overlap).chunk(article))

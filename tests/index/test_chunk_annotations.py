"""Chunk annotations built from disjoint pieces: overlaps parsed once, offsets exact."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from index.annotate import ChunkAnnotation, Entity, SpacyAnnotator, Token
from index.chunk_annotations import annotate_chunks, article_runs, disjoint_pieces
from index.chunking import SentenceChunker
from index.loaders import load_article
from index.models import Article

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


class WordAnnotator:
    """Context-free fake: a token per word, a sentence per '.', heads at the sentence start.

    Because nothing depends on context, a chunk's joined annotation must equal
    the fake's annotation of the chunk text itself, exactly.
    """

    def __init__(self) -> None:
        self.texts: list[str] = []

    def annotate(self, texts: Sequence[str]) -> list[ChunkAnnotation]:
        self.texts.extend(texts)
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> ChunkAnnotation:
        tokens: list[Token] = []
        sentences: list[tuple[int, int]] = []
        head = 0
        for sentence in re.finditer(r"[^.]+\.?", text):
            words = list(re.finditer(r"\S+", sentence.group()))
            if not words:
                continue
            head = len(tokens)
            sentences.append((sentence.start() + words[0].start(), sentence.end()))
            for word in words:
                tokens.append(
                    Token(
                        sentence.start() + word.start(),
                        len(word.group()),
                        word.group().lower(),
                        "X",
                        "dep",
                        head,
                        "O",
                    )  # fmt: skip
                )
        entities = tuple(
            Entity(m.start(), m.end(), "PROPN") for m in re.finditer(r"\b[A-Z][a-z]+\b", text)
        )
        return ChunkAnnotation(text, tuple(sentences), tuple(tokens), entities)


def _article(text: str) -> Article:
    return Article("doc.txt", text, "Title", None, None, None, "ab" * 32, ((0, len(text)),))


def test_pieces_are_disjoint_and_cover_every_chunk() -> None:
    sentences = [f"Sentence number {i} says Caracas is {i} km away." for i in range(40)]
    article = _article("  ".join(sentences))
    chunks = SentenceChunker(chunk_tokens=40, overlap_tokens=15).chunk(article)
    assert any(b.start < a.end for a, b in zip(chunks, chunks[1:], strict=False))  # overlaps
    pieces = disjoint_pieces(article.text, chunks)
    assert all(a[1] <= b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    for chunk in chunks:  # a chunk is its pieces with only whitespace between them
        inside = [(s, e) for s, e in pieces if chunk.start <= s and e <= chunk.end]
        cuts = [chunk.start] + [x for span in inside for x in span] + [chunk.end]
        gaps = [article.text[a:b] for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
        assert gaps[0] == gaps[-1] == "" and all(not g.strip() for g in gaps)
    assert sum(e - s for s, e in pieces) < 0.85 * sum(len(c.text) for c in chunks)


def test_joined_annotation_equals_annotating_each_chunk() -> None:
    text = "\n\n".join(
        f"Minister Ana Lopez met Pedro in Lima on day {i}. She said the talks went well. "
        f"Officials from Peru confirmed it."
        for i in range(12)
    )
    other = _article(text.replace("Lima", "Quito"))
    runs = []
    for article in (_article(text), other):
        runs.append(
            (article.text, SentenceChunker(chunk_tokens=50, overlap_tokens=20).chunk(article))
        )
    fake = WordAnnotator()
    joined = annotate_chunks(fake, runs)
    chunks = [chunk for _, cs in runs for chunk in cs]
    assert len(joined) == len(chunks)
    direct = WordAnnotator().annotate([chunk.text for chunk in chunks])
    assert joined == direct
    parsed = sum(map(len, fake.texts))
    assert parsed < 0.9 * sum(len(chunk.text) for chunk in chunks)  # overlaps parsed once


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_spacy_pieces_agree_with_whole_chunk_parses(path: Path) -> None:
    """Only context at piece edges differs: nearly every token and entity is the same."""
    article = load_article(path, path.name, max_bytes=10**7)
    chunks = SentenceChunker().chunk(article)
    annotator = SpacyAnnotator()
    joined = annotate_chunks(annotator, [(article.text, chunks)])
    whole = annotator.annotate([chunk.text for chunk in chunks])
    same_tokens = total = direct_words = same_entities = entities = 0
    for piecewise, direct in zip(joined, whole, strict=True):
        by_span = {(t.start, t.length): (t.lemma, t.pos) for t in direct.tokens if t.pos != "SPACE"}
        words = [t for t in piecewise.tokens if t.pos != "SPACE"]
        total += len(words)
        direct_words += len(by_span)
        same_tokens += sum(by_span.get((t.start, t.length)) == (t.lemma, t.pos) for t in words)
        entities += len(direct.entities)
        same_entities += len(set(direct.entities) & set(piecewise.entities))
        assert ChunkAnnotation.from_json(piecewise.to_json(), direct.text) == piecewise
        for t in words:
            assert piecewise.text[t.start : t.end].strip()  # offsets are into the chunk
            assert 0 <= t.head < len(piecewise.tokens)
    assert 0.98 * direct_words <= total <= direct_words and same_tokens >= 0.98 * total
    assert same_entities >= 0.95 * entities


def test_article_runs_group_consecutive_chunks_of_one_owner() -> None:
    one, two = _article("Alpha beta. Gamma delta."), _article("Epsilon zeta.")
    a, b = (
        SentenceChunker(chunk_tokens=3, overlap_tokens=0).chunk(one),
        [*SentenceChunker().chunk(two)],
    )
    pairs = [(one, c) for c in a] + [(two, c) for c in b] + [(one, a[0])]
    assert article_runs(pairs) == [(one, a), (two, b), (one, [a[0]])]

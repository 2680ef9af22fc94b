"""``[n]`` markers: parsing, renumbering, locating exact quotes, verifying support.

Whatever produced the answer text (the extractive answerer or an LLM), this
module turns its markers into ``Citation`` objects whose ``quote`` is exactly
``article_text[start:end]`` and whose ``supported`` flag says whether the
quoted span actually backs the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.embedders import Embedder
from index.sentences import split_sentences
from rag.facts import missing_facts
from rag.lexical import content_terms
from rag.markers import marker, split_marked
from rag.models import Citation, Passage

__all__ = ["CitationBuilder", "Span", "passage_spans", "split_marked"]


@dataclass(frozen=True)
class Span:
    """A sentence inside a passage, with absolute article offsets."""

    passage: int  # 0-based index into the passages
    start: int
    end: int
    text: str


def passage_spans(passages: Sequence[Passage]) -> list[list[Span]]:
    """Sentence spans of every passage (absolute offsets into the article)."""
    out: list[list[Span]] = []
    for i, passage in enumerate(passages):
        chunk = passage.chunk
        spans = [
            Span(i, chunk.start + s, chunk.start + e, chunk.text[s:e])
            for s, e in split_sentences(chunk.text)
        ]
        out.append(spans)
    return out


def lexical_support(sentence: str, quote: str) -> float:
    """Share of the sentence's content terms found in the quote.

    >>> lexical_support("The embassy reopened.", "The US Embassy has already reopened.")
    1.0
    >>> lexical_support("Oil prices fell.", "The embassy reopened.")
    0.0
    """
    terms = content_terms(sentence)
    if not terms:
        return 0.0
    return len(terms & content_terms(quote)) / len(terms)


def support_score(lexical: float, cosine: float) -> float:
    """Blend lexical overlap and embedding similarity into [0, 1].

    >>> support_score(1.0, 1.0)
    1.0
    """
    return round(max(0.0, min(1.0, 0.5 * lexical + 0.5 * max(0.0, cosine))), 4)


class CitationBuilder:
    """Turns marked answer text into verified, renumbered citations."""

    def __init__(self, embedder: Embedder, *, support_threshold: float = 0.5) -> None:
        self.embedder = embedder  # a CachedEmbedder in the assistant: passages recur
        self.support_threshold = support_threshold

    def build(self, text: str, passages: Sequence[Passage]) -> tuple[str, list[Citation]]:
        """Answer text with markers renumbered 1..n by first use, and its citations.

        Markers that point at no passage are removed. Each kept marker is tied to
        the sentence of its passage that best supports the answer sentence.
        """
        pieces = split_marked(text)
        spans = passage_spans(passages)
        claims = [s for s, _ in pieces]
        claim_vecs = self._embed(claims)
        numbering: dict[tuple[int, int, int], int] = {}
        citations: list[Citation] = []
        out: list[str] = []
        for (sentence, numbers), claim_vec in zip(pieces, claim_vecs, strict=True):
            markers: list[int] = []
            for n in dict.fromkeys(numbers):
                if not 1 <= n <= len(passages) or not spans[n - 1]:
                    continue  # a marker pointing at no passage: drop it
                span, lexical, cosine = self._best_span(sentence, claim_vec, spans[n - 1])
                key = (n - 1, span.start, span.end)
                if key not in numbering:
                    numbering[key] = len(numbering) + 1
                    citations.append(
                        self._citation(
                            numbering[key], passages[n - 1], span, sentence, lexical, cosine
                        )
                    )
                markers.append(numbering[key])
            suffix = "".join(" " + marker(m) for m in dict.fromkeys(markers))
            out.append(sentence + suffix)
        return " ".join(out), citations

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return self.embedder.embed(texts)

    def _best_span(
        self, sentence: str, claim_vec: np.ndarray, spans: list[Span]
    ) -> tuple[Span, float, float]:
        """The passage sentence that best supports the claim, with its scores."""
        vecs = self.embedder.embed([s.text for s in spans])
        cosines = vecs @ claim_vec
        best: tuple[float, Span, float, float] | None = None
        for span, cosine in zip(spans, cosines, strict=True):
            lexical = lexical_support(sentence, span.text)
            score = support_score(lexical, float(cosine))
            if best is None or score > best[0]:
                best = (score, span, lexical, float(cosine))
        assert best is not None
        return best[1], best[2], best[3]

    def _citation(
        self,
        number: int,
        passage: Passage,
        span: Span,
        sentence: str,
        lexical: float,
        cosine: float,
    ) -> Citation:
        score = support_score(lexical, cosine)
        chunk = passage.chunk
        return Citation(
            number=number,
            doc_id=chunk.doc_id,
            title=chunk.title,
            date=chunk.date,
            quote=span.text,
            start=span.start,
            end=span.end,
            score=score,
            # Similar wording is not support when a number, date or name is missing.
            supported=score >= self.support_threshold
            and not missing_facts(sentence, span.text, chunk.title + "\n" + chunk.text),
            sentence=sentence,
        )

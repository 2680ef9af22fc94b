"""The offline answerer: quotes the retrieved sentences that best answer the question.

Each candidate sentence is scored by embedding similarity to the question and
by how much of the question's content it covers; the best few are quoted
verbatim, each followed by its ``[n]`` marker. Weak evidence means a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

from index.embedders import Embedder
from rag.citations import Span, passage_spans
from rag.lexical import content_terms
from rag.markers import REFUSAL, article_markers_as_text, marker
from rag.models import Answer, Citation, Passage
from rag.synthesis import History, stream_sentences

_QUESTION = re.compile(r"\?[\"'”’»)\]]*\s*$")  # a sentence that ends as a question


@dataclass(frozen=True)
class ScoredSpan:
    """A candidate sentence with its evidence scores."""

    span: Span
    cosine: float
    coverage: float
    score: float


def coverage(
    question_terms: set[str], sentence: str, idf: Callable[[str], float] = lambda _: 1.0
) -> float:
    """Idf-weighted share of the question's content terms present in the sentence.

    A rare question term the sentence lacks ("population") costs more than a
    common one ("venezuela"), which is what separates an answer from a
    sentence that merely shares the topic.

    >>> terms = content_terms("the population of Caracas")
    >>> coverage(terms, "The embassy in Caracas reopened.")
    0.5
    >>> coverage(terms, "Caracas.", lambda term: 3.0 if term == "popul" else 1.0)
    0.25
    """
    if not question_terms:
        return 0.0
    total = sum(idf(t) for t in question_terms)
    found = sum(idf(t) for t in question_terms & content_terms(sentence))
    return found / total if total > 0 else 0.0


class ExtractiveSynthesizer:
    """Composes answers from verbatim passage sentences."""

    name = "extractive"
    min_passages = 0

    def __init__(
        self,
        embedder: Embedder,
        *,
        idf: Callable[[str], float] = lambda _: 1.0,
        max_sentences: int = 3,
        refusal_threshold: float = 0.3,
        min_coverage: float = 0.2,
        keep_ratio: float = 0.8,
        max_candidates: int = 10,
    ) -> None:
        self.embedder = embedder  # a CachedEmbedder in the assistant: sentences recur
        self.idf = idf
        self.max_sentences = max_sentences
        self.refusal_threshold = refusal_threshold
        self.min_coverage = min_coverage
        self.max_candidates = max_candidates
        self.keep_ratio = keep_ratio  # later sentences must score this close to the best

    def score(self, question: str, passages: Sequence[Passage]) -> list[ScoredSpan]:
        """All distinct passage sentences, best evidence first."""
        seen: set[tuple[str, int, int]] = set()
        spans: list[Span] = []
        for passage_spans_ in passage_spans(passages):
            for span in passage_spans_:
                key = (passages[span.passage].doc_id, span.start, span.end)
                # A question in an article never answers one; and a sentence that
                # repeats the user's question would outscore every real answer.
                if key in seen or _QUESTION.search(span.text):
                    continue
                if len(content_terms(span.text)) >= 2:
                    seen.add(key)
                    spans.append(span)
        if not spans:
            return []
        q_terms = content_terms(question)
        covs = {id(span): coverage(q_terms, span.text, self.idf) for span in spans}
        # Embedding sentences is the costliest step of an offline answer: only
        # the lexically most promising ones (stable order: passage rank) get it.
        spans = sorted(spans, key=lambda sp: -covs[id(sp)])[: self.max_candidates]
        q_vec = self.embedder.embed_query(question)
        cosines = self.embedder.embed([s.text for s in spans]) @ q_vec
        scored = []
        for span, cosine in zip(spans, cosines, strict=True):
            cov = covs[id(span)]
            value = 0.6 * max(0.0, float(cosine)) + 0.4 * cov
            scored.append(ScoredSpan(span, float(cosine), cov, value))
        return sorted(scored, key=lambda s: s.score, reverse=True)

    def select(self, question: str, passages: Sequence[Passage]) -> list[ScoredSpan]:
        """The sentences to quote, or [] when the evidence is too weak.

        Refuses when the best sentence scores under ``refusal_threshold`` or
        covers under ``min_coverage`` of the question's (idf-weighted) terms:
        calibrated on evals/seeds.jsonl, unanswerable questions there score
        coverage <= 0.12 while answerable ones score >= 0.23 (docs/EVALS.md).
        After the best sentence, a candidate is added when it scores close to
        the best, or when it covers question terms nothing chosen covers yet
        (the second half of "where ..., and what ...?").
        """
        scored = self.score(question, passages)
        if not scored:
            return []
        best = scored[0]
        if best.score < self.refusal_threshold or best.coverage < self.min_coverage:
            return []
        q_terms = content_terms(question)
        total = sum(self.idf(t) for t in q_terms) or 1.0
        covered = q_terms & content_terms(best.span.text)
        chosen: list[ScoredSpan] = [best]
        for cand in scored[1:]:
            if len(chosen) == self.max_sentences or cand.score < self.refusal_threshold:
                break
            if any(_redundant(cand.span.text, c.span.text) for c in chosen):
                continue
            new_terms = (q_terms & content_terms(cand.span.text)) - covered
            gain = sum(self.idf(t) for t in new_terms) / total
            close = cand.score >= self.keep_ratio * best.score
            complementary = gain >= 0.25 and cand.score >= 0.7 * best.score
            if close or complementary:
                chosen.append(cand)
                covered |= new_terms
        return _in_reading_order(chosen, passages)

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The cited answer, or the refusal when no sentence is good enough evidence."""
        chosen = self.select(question, passages)
        if not chosen:
            return Answer(text=REFUSAL, refused=True, answerer=self.name)
        text, citations = self.compose(chosen, passages)
        return Answer(text=text, citations=citations, answerer=self.name)

    def stream(
        self, question: str, standalone: str, history: History, passages: Sequence[Passage]
    ) -> Generator[str, None, Answer]:
        """The answer to the standalone question, one cited sentence at a time."""
        return (yield from stream_sentences(self.answer(standalone, passages)))

    def compose(
        self, chosen: Sequence[ScoredSpan], passages: Sequence[Passage]
    ) -> tuple[str, list[Citation]]:
        """Answer text of verbatim sentences, each with its ``[n]``, and the citations.

        A quoted sentence is its own evidence, so its support score is 1.0. When
        the quotes come from articles of different dates, a closing sentence
        names the latest one (citing the quote from it).
        """
        parts: list[str] = []
        citations: list[Citation] = []
        for number, c in enumerate(chosen, start=1):
            chunk = passages[c.span.passage].chunk
            citations.append(
                Citation(
                    number=number,
                    doc_id=chunk.doc_id,
                    title=chunk.title,
                    date=chunk.date,
                    quote=c.span.text,
                    start=c.span.start,
                    end=c.span.end,
                    score=1.0,
                    supported=True,
                    sentence=c.span.text,
                )
            )
            # An article's own "[2]" would read as our marker; the quote keeps it.
            parts.append(f"{article_markers_as_text(c.span.text)} {marker(number)}")
        dated = [cit for cit in citations if cit.date]
        if len({cit.date for cit in dated}) > 1:
            latest = max(dated, key=lambda cit: cit.date or "")
            parts.append(
                f"The most recent of these reports is dated {latest.date} [{latest.number}]."
            )
        return " ".join(parts), citations


def _redundant(a: str, b: str) -> bool:
    """True when two sentences say nearly the same words."""
    ta, tb = content_terms(a), content_terms(b)
    if not ta or not tb:
        return False
    return len(ta & tb) / min(len(ta), len(tb)) >= 0.7


def _in_reading_order(chosen: list[ScoredSpan], passages: Sequence[Passage]) -> list[ScoredSpan]:
    """Order by date (undated last), then by document and position: a readable answer."""

    def key(c: ScoredSpan) -> tuple[str, str, int]:
        chunk = passages[c.span.passage].chunk
        return (chunk.date or "9999", chunk.doc_id, c.span.start)

    if len({passages[c.span.passage].doc_id for c in chosen}) == 1:
        return sorted(chosen, key=lambda c: c.span.start)
    return sorted(chosen, key=key)

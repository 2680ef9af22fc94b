"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s), fused by reciprocal rank.

The BM25 side is ``index.lexical_index``: saved beside the store, loaded on
start and kept in step with the store's change log, so a long-running server
(or a replica on a shared Chroma server) sees new uploads at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from index.embedders import Embedder
from index.filters import Filters
from index.lexical_index import LexicalIndex
from index.lexical_segment import Analyzer
from index.models import StoredChunk
from index.sentences import split_sentences
from index.store_protocol import ChunkStore
from rag.lexical import STOPWORDS, YEAR, content_terms, fold, stem
from rag.models import Passage

ANALYZER = Analyzer(normalize=fold, stem=stem, stopwords=STOPWORDS, content_terms=content_terms)
_WORD = re.compile(r"\w+", re.UNICODE)


def sentence_keys(text: str) -> dict[str, int]:
    """Normalised sentences of a passage -> their length, for duplicate detection."""
    keys: dict[str, int] = {}
    for start, end in split_sentences(text):
        key = " ".join(_WORD.findall(fold(text[start:end])))
        if key:
            keys[key] = end - start
    return keys


def shared_share(a: dict[str, int], b: dict[str, int]) -> float:
    """Share of the shorter passage (in characters) made of sentences both contain.

    >>> shared_share({"x y": 10, "z": 5}, {"x y": 10, "w": 30})
    0.6666666666666666
    """
    common = sum(a[k] for k in a.keys() & b.keys())
    smaller = min(sum(a.values()), sum(b.values()))
    return common / smaller if smaller else 0.0


class HybridRetriever:
    """Dense + BM25 candidates, RRF fusion, near-duplicate collapse."""

    def __init__(
        self,
        store: ChunkStore,
        embedder: Embedder,
        *,
        candidates: int = 20,
        rrf_k: int = 60,
        dedupe_threshold: float = 0.6,
        index_dir: Path | None = None,
    ) -> None:
        """``index_dir``: where the lexical index is saved (None: kept in memory only)."""
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dedupe_threshold = dedupe_threshold
        self.lexical = LexicalIndex(store, ANALYZER, index_dir)

    def bm25(self) -> LexicalIndex:
        """The lexical index, brought up to date with the store's change log.

        Only the documents that changed since the last question are re-read
        (``index.lexical_index``); the first question of a process with no
        saved index builds it, later processes load it from ``index_dir``.
        """
        self.lexical.refresh()
        return self.lexical

    def wait_for_index(self, timeout: float | None = None) -> None:
        """Bring the lexical index up to date and wait for a background compaction."""
        self.bm25()
        self.lexical.wait(timeout)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a content term, as of the last retrieval.

        The answerer asks for it per question term and per candidate sentence,
        right after ``retrieve`` refreshed the index: checking the store's write
        counter on every call (a Chroma read each) cost more than the answer.
        """
        return self.lexical.idf(term)

    def retrieve(
        self,
        query: str,
        k: int,
        filters: Filters | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[Passage]:
        """Top-k fused passages for the query."""
        vector = self.embedder.embed_query(query) if query_vector is None else query_vector
        pool = max(self.candidates, k)
        dense = self.store.query(vector, pool, filters)
        hits = self.bm25().search(query, pool, filters)
        known = {chunk.chunk_id: chunk for chunk, _ in dense}
        missing = [cid for cid, _ in hits if cid not in known]
        known.update((c.chunk_id, c) for c in self.store.get_chunks(missing))
        # A hit whose chunk vanished since the index was refreshed is dropped.
        sparse = [(known[cid], score) for cid, score in hits if cid in known]
        fused: dict[str, dict[str, Any]] = {}
        for rank, (chunk, cosine) in enumerate(dense):
            entry = fused.setdefault(chunk.chunk_id, {"chunk": chunk, "rrf": 0.0})
            entry["rrf"] += 1.0 / (self.rrf_k + rank + 1)
            entry["dense"] = cosine
        for rank, (chunk, score) in enumerate(sparse):
            entry = fused.setdefault(chunk.chunk_id, {"chunk": chunk, "rrf": 0.0})
            entry["rrf"] += 1.0 / (self.rrf_k + rank + 1)
            entry["bm25"] = score
        ranked = sorted(fused.values(), key=lambda e: e["rrf"], reverse=True)
        return self._collapse(_fuse_dated(ranked, set(YEAR.findall(query)), self.rrf_k), k)

    def _collapse(self, ranked: list[dict[str, Any]], k: int) -> list[Passage]:
        """Keep the best of near-duplicate passages so copies never take two slots.

        Two passages are copies when sentences they share make up at least
        ``dedupe_threshold`` of the shorter one: the same paragraph syndicated
        under two names, say. Neighbouring chunks of one article share only
        their overlap sentences and stay distinct.
        """
        kept: list[Passage] = []
        kept_keys: list[dict[str, int]] = []
        for entry in ranked:
            chunk: StoredChunk = entry["chunk"]
            keys = sentence_keys(chunk.text)
            if any(shared_share(keys, other) >= self.dedupe_threshold for other in kept_keys):
                continue
            kept.append(
                Passage(
                    chunk=chunk,
                    score=float(entry["rrf"]),
                    dense_score=entry.get("dense"),
                    bm25_score=entry.get("bm25"),
                )
            )
            kept_keys.append(keys)
            if len(kept) == k:
                break
        return kept


def _fuse_dated(ranked: list[dict[str, Any]], years: set[str], rrf_k: int) -> list[dict[str, Any]]:
    """A third ranked list fused in: the candidates from articles dated in a year the
    question names. 'Who won the 2026 Calden Open?' is told by the article of June 2026,
    whose text never says '2026'; neither BM25 nor the embedding sees its date."""
    if not years:
        return ranked
    dated = [e for e in ranked if (e["chunk"].date or "")[:4] in years]
    for rank, entry in enumerate(dated):
        entry["rrf"] += 1.0 / (rrf_k + rank + 1)
    return sorted(ranked, key=lambda e: e["rrf"], reverse=True)

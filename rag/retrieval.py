"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s), fused by reciprocal rank.

The BM25 index is built from the chunks in the store and rebuilt only when the
store's write counter changes, so a long-running server sees new uploads.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from typing import Any

import numpy as np

from index.embedders import Embedder
from index.filters import Filters, matches
from index.models import StoredChunk
from index.sentences import split_sentences
from index.store_protocol import ChunkStore
from rag.lexical import STOPWORDS, content_terms, fold, stem
from rag.models import Passage

log = logging.getLogger(__name__)
INLINE_REBUILD_CHUNKS = 5000  # below this a BM25 rebuild takes about a second
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


class _Bm25Index:
    """A bm25s index over a snapshot of the store's chunks."""

    def __init__(self, chunks: list[StoredChunk]) -> None:
        import bm25s
        from bm25s.tokenization import Tokenizer

        self.chunks = chunks
        # Document frequency of content terms, for idf-weighted evidence scores.
        self.df: Counter[str] = Counter(t for c in chunks for t in content_terms(c.text))
        self.tokenizer = Tokenizer(stopwords=list(STOPWORDS), stemmer=stem)
        self.model = bm25s.BM25()
        if chunks:
            corpus = self.tokenizer.tokenize(
                [fold(c.title + "\n" + c.text) for c in chunks],
                return_as="tuple",
                show_progress=False,
            )
            self.model.index(corpus, show_progress=False)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; terms absent from the corpus weigh most."""
        return math.log((len(self.chunks) + 1) / (self.df.get(term, 0) + 0.5))

    def search(self, query: str, k: int, filters: Filters | None) -> list[tuple[int, float]]:
        """(chunk position, score) best first, positive scores only."""
        if not self.chunks:
            return []
        tokens = self.tokenizer.tokenize(
            [fold(query)], update_vocab=False, return_as="tuple", show_progress=False
        )
        if not tokens.ids or not tokens.ids[0]:
            return []
        mask = None
        if filters is not None and not filters.is_empty():
            mask = np.array([1.0 if matches(c, filters) else 0.0 for c in self.chunks])
        k = min(k, len(self.chunks))
        docs, scores = self.model.retrieve(
            tokens, k=k, weight_mask=mask, show_progress=False, n_threads=1
        )
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


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
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dedupe_threshold = dedupe_threshold
        self._bm25: _Bm25Index | None = None
        self._bm25_version = -1
        self._rebuilding: threading.Thread | None = None
        self._lock = threading.Lock()

    def bm25(self) -> _Bm25Index:
        """The BM25 index, rebuilt when the store changed since the last build.

        Small stores rebuild inline, so an upload is searchable by its words at
        once. Large ones rebuild in a background thread while questions keep
        using the previous index: at 100k chunks a rebuild takes tens of
        seconds (docs/BENCHMARKS.md).
        """
        version = self.store.version()
        with self._lock:
            small = self._bm25 is not None and len(self._bm25.chunks) < INLINE_REBUILD_CHUNKS
            if self._bm25 is None or (small and version != self._bm25_version):
                self._bm25 = _Bm25Index(list(self.store.iter_chunks()))
                self._bm25_version = version
            elif version != self._bm25_version and self._rebuilding is None:
                self._rebuilding = threading.Thread(
                    target=self._rebuild, args=(version,), name="bm25-rebuild", daemon=True
                )
                self._rebuilding.start()
            return self._bm25

    def _rebuild(self, version: int) -> None:
        try:
            index = _Bm25Index(list(self.store.iter_chunks()))
            with self._lock:
                self._bm25, self._bm25_version = index, version
        except Exception:  # the old index keeps serving; the next question retries
            log.exception("Rebuilding the BM25 index failed")
        finally:
            with self._lock:
                self._rebuilding = None

    def wait_for_index(self, timeout: float | None = None) -> None:
        """Block until a background BM25 rebuild (if any) has finished."""
        self.bm25()
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a content term, as of the last retrieval.

        The answerer asks for it per question term and per candidate sentence,
        right after ``retrieve`` refreshed the index: checking the store's write
        counter on every call (a Chroma read each) cost more than the answer.
        """
        index = self._bm25
        return (index if index is not None else self.bm25()).idf(term)

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
        index = self.bm25()
        sparse = [(index.chunks[i], s) for i, s in index.search(query, pool, filters)]
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
        return self._collapse(ranked, k)

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

"""One immutable BM25 segment (bm25s) over a set of chunk rows, saved and loaded as files.

The lexical index (``index.lexical_index``) is a large persisted base segment
plus a small in-memory delta segment; both are this class.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.filters import FilterBounds


@dataclass(frozen=True)
class Analyzer:
    """How text becomes terms; given by the caller so ``index`` stays below ``rag``."""

    normalize: Callable[[str], str]  # case/accent folding of whole texts
    stem: Callable[[str], str]
    stopwords: frozenset[str]
    content_terms: Callable[[str], Iterable[str]]  # terms counted for idf


@dataclass(frozen=True)
class Row:
    """What the lexical index keeps of a chunk: id, filter fields and its text."""

    chunk_id: str
    doc_id: str
    date_ord: int
    text: str  # title + text, as indexed

    def to_json(self) -> list[Any]:
        """Compact form for the state file."""
        return [self.chunk_id, self.doc_id, self.date_ord, self.text]

    @classmethod
    def from_json(cls, data: list[Any]) -> Row:
        """Inverse of ``to_json``."""
        return cls(str(data[0]), str(data[1]), int(data[2]), str(data[3]))


class Segment:
    """bm25s over rows, with the arrays that filters and document removal need."""

    def __init__(
        self,
        analyzer: Analyzer,
        model: Any,
        tokenizer: Any,
        chunk_ids: list[str],
        doc_ids: list[str],
        date_ord: np.ndarray,
        df: Counter[str],
    ) -> None:
        self.analyzer = analyzer
        self.model = model
        self.tokenizer = tokenizer
        self.chunk_ids = chunk_ids
        self.doc_ids = doc_ids
        self.date_ord = date_ord
        self.df = df
        self.positions: dict[str, list[int]] = {}
        for i, doc_id in enumerate(doc_ids):
            self.positions.setdefault(doc_id, []).append(i)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @classmethod
    def build(cls, analyzer: Analyzer, rows: Sequence[Row]) -> Segment:
        """Index rows (an empty segment when there are none)."""
        import bm25s
        from bm25s.tokenization import Tokenizer

        tokenizer = Tokenizer(stopwords=list(analyzer.stopwords), stemmer=analyzer.stem)
        model = bm25s.BM25()
        if rows:
            corpus = tokenizer.tokenize(
                [analyzer.normalize(r.text) for r in rows], return_as="tuple", show_progress=False
            )
            model.index(corpus, show_progress=False)
        df: Counter[str] = Counter(t for r in rows for t in analyzer.content_terms(r.text))
        return cls(
            analyzer,
            model,
            tokenizer,
            [r.chunk_id for r in rows],
            [r.doc_id for r in rows],
            np.array([r.date_ord for r in rows], dtype=np.int64),
            df,
        )

    def save(self, folder: Path) -> None:
        """Write the segment's files into ``folder`` (created)."""
        folder.mkdir(parents=True, exist_ok=True)
        if len(self):
            self.model.save(str(folder), show_progress=False)
        self.tokenizer.save_vocab(str(folder))
        np.save(folder / "date_ord.npy", self.date_ord)
        meta = {"chunk_ids": self.chunk_ids, "doc_ids": self.doc_ids, "df": dict(self.df)}
        (folder / "rows.json").write_text(json.dumps(meta), "utf-8")

    @classmethod
    def load(cls, analyzer: Analyzer, folder: Path) -> Segment:
        """Open a saved segment; the score matrix is memory-mapped, not read."""
        import bm25s
        from bm25s.tokenization import Tokenizer

        meta = json.loads((folder / "rows.json").read_text("utf-8"))
        tokenizer = Tokenizer(stopwords=list(analyzer.stopwords), stemmer=analyzer.stem)
        tokenizer.load_vocab(str(folder))
        if meta["chunk_ids"]:
            model = bm25s.BM25.load(str(folder), mmap=True, show_progress=False, verbosity=0)
        else:
            model = bm25s.BM25()
        date_ord = np.load(folder / "date_ord.npy")
        return cls(
            analyzer,
            model,
            tokenizer,
            list(meta["chunk_ids"]),
            list(meta["doc_ids"]),
            date_ord,
            Counter(meta["df"]),
        )

    def mask(self, bounds: FilterBounds | None, dead: Iterable[str]) -> np.ndarray | None:
        """1.0 for rows that pass the filters and belong to no dead document (None: all)."""
        dead = list(dead)
        if bounds is None and not dead:
            return None
        keep = np.ones(len(self), dtype=bool)
        for doc_id in dead:
            keep[self.positions.get(doc_id, [])] = False
        if bounds is not None:
            if bounds.doc_ids is not None:
                keep &= np.array([d in bounds.doc_ids for d in self.doc_ids], dtype=bool)
            if bounds.date_min is not None:
                keep &= self.date_ord >= bounds.date_min
            if bounds.date_max is not None:
                # An upper bound excludes undated chunks (ordinal -1), as ``matches`` does.
                keep &= (self.date_ord >= 0) & (self.date_ord <= bounds.date_max)
        return keep.astype(np.float32)

    def search(self, query: str, k: int, mask: np.ndarray | None) -> list[tuple[str, float]]:
        """(chunk id, score) best first, positive scores only."""
        if not len(self) or (mask is not None and not mask.any()):
            return []
        tokens = self.tokenizer.tokenize(
            [self.analyzer.normalize(query)],
            update_vocab=False,
            return_as="tuple",
            show_progress=False,
        )
        if not tokens.ids or not tokens.ids[0]:
            return []
        k = min(k, len(self))
        docs, scores = self.model.retrieve(
            tokens, k=k, weight_mask=mask, show_progress=False, n_threads=1
        )
        return [
            (self.chunk_ids[int(d)], float(s))
            for d, s in zip(docs[0], scores[0], strict=True)
            if s > 0
        ]

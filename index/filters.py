"""Retrieval filters: which documents and dates a question may draw on.

One ``Filters`` value serves both retrievers: ``bounds()`` is the single
reading of the filter, the Chroma store turns it into a ``where`` clause
(``index.store``) and the lexical index into a per-chunk predicate
(``matches``), so the two sides cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index.models import StoredChunk

UNDATED = -1  # date ordinal of a chunk whose article states no date


def date_ordinal(date: str | None) -> int:
    """'2026-03-05' -> 20260305; unknown dates -> -1 so range filters skip them.

    >>> date_ordinal("2026-03-05"), date_ordinal(None)
    (20260305, -1)
    """
    if not date:
        return UNDATED
    return int(date.replace("-", "")[:8])


@dataclass(frozen=True)
class FilterBounds:
    """The normalised filter: allowed doc ids (None: all) and an inclusive date range."""

    doc_ids: frozenset[str] | None
    date_min: int | None  # ordinal; None: no lower bound
    date_max: int | None  # ordinal; None: no upper bound (an upper bound also excludes undated)


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some documents and/or a date range (inclusive)."""

    doc_ids: tuple[str, ...] | None = None
    date_from: str | None = None  # 'YYYY-MM-DD'
    date_to: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Filters | None:
        """Build from a JSON-style dict; None or empty -> None."""
        if not data:
            return None
        doc_ids = data.get("doc_ids")
        return cls(
            doc_ids=tuple(doc_ids) if doc_ids else None,
            date_from=data.get("date_from") or None,
            date_to=data.get("date_to") or None,
        )

    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return not (self.doc_ids or self.date_from or self.date_to)

    def bounds(self) -> FilterBounds:
        """The filter as a doc-id set and an ordinal date range."""
        return FilterBounds(
            doc_ids=frozenset(self.doc_ids) if self.doc_ids else None,
            date_min=date_ordinal(self.date_from) if self.date_from else None,
            date_max=date_ordinal(self.date_to) if self.date_to else None,
        )


def matches(chunk: StoredChunk, filters: Filters | None) -> bool:
    """True when the chunk passes the filters (the lexical retriever's side).

    >>> chunk = StoredChunk("c", "a.txt", 0, "x", 0, 1, "T", "2026-03-05", None, "h")
    >>> matches(chunk, Filters(date_from="2026-03-01")), matches(chunk, Filters(doc_ids=("b",)))
    (True, False)
    """
    if filters is None or filters.is_empty():
        return True
    b = filters.bounds()
    if b.doc_ids is not None and chunk.doc_id not in b.doc_ids:
        return False
    day = date_ordinal(chunk.date)
    if b.date_min is not None and day < b.date_min:
        return False
    return not (b.date_max is not None and not 0 <= day <= b.date_max)

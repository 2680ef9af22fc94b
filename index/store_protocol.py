"""What the rest of the project may ask of a store: the ``ChunkStore`` protocol.

``rag`` types everything on this protocol and passes ``Filters``, never a
store's own query syntax; ``index.store.ChromaStore`` is the implementation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy as np

from index.filters import Filters
from index.models import Article, Chunk, DocumentInfo, StoredChunk
from index.store_log import Change
from index.store_writes import ChunkBatch


class ChunkStore(Protocol):
    """Chunk vectors, the document ledger and the write version of one corpus."""

    name: str  # collection name: the corpus and embedder it belongs to

    def describe(self) -> str:
        """Where the store lives, for status lines and messages."""
        ...

    def heartbeat(self) -> None:
        """Raise StoreError when the store cannot be reached."""
        ...

    # --- reading -------------------------------------------------------------------------
    def query(
        self, vector: np.ndarray, k: int, filters: Filters | None = None
    ) -> list[tuple[StoredChunk, float]]:
        """Dense search: (chunk, cosine similarity) best first."""
        ...

    def iter_chunks(self, filters: Filters | None = None) -> Iterator[StoredChunk]:
        """Every chunk passing the filters, paged."""
        ...

    def chunk_count(self) -> int:
        """Number of chunk vectors."""
        ...

    def version(self) -> int:
        """A number that changes whenever a write is committed (by any process)."""
        ...

    def changes_after(self, position: int | None) -> list[Change]:
        """Change records (which documents each write touched) after a log position."""
        ...

    def last_sync(self) -> float | None:
        """When a sync last finished, as a Unix time."""
        ...

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents, sorted by id."""
        ...

    def document_text(self, doc_id: str) -> str | None:
        """The full original text of a document, or None if unknown."""
        ...

    # --- writing (the syncer) -----------------------------------------------------------
    def ledger(self) -> dict[str, dict[str, Any]]:
        """doc_id -> ledger metadata for every committed document."""
        ...

    def add_chunks(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        annotations: Sequence[str] | None = None,
    ) -> None:
        """Write a document version's chunks, with their annotations (JSON) when given."""
        ...

    def max_batch(self) -> int:
        """The most records one store call accepts."""
        ...

    def add_chunk_batch(self, items: Sequence[ChunkBatch]) -> None:
        """Write chunks of many document versions in one call (at most ``max_batch``)."""
        ...

    def delete_stale_batch(self, keep: dict[str, set[str]]) -> None:
        """Delete every chunk of the given documents whose id is not in its keep set."""
        ...

    def put_documents(self, articles: Sequence[tuple[Article, int]], *, chunker: str) -> None:
        """Commit many (article, chunk count) versions: ledger records, one change record."""
        ...

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The chunks with these ids that exist, in the order given."""
        ...

    def delete_stale_chunks(self, doc_id: str, keep_hash: str | None) -> None:
        """Delete a document's chunks of every version but ``keep_hash`` (all if None)."""
        ...

    def put_document(self, article: Article, *, chunks: int, chunker: str) -> None:
        """Record a fully written document version: the sync commit point."""
        ...

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False when it was not indexed."""
        ...

    def begin_sync(self) -> bool:
        """Start a sync run; True when leftovers of a dead writer need repair."""
        ...

    def repair(self) -> None:
        """Delete chunks no committed ledger record points at (live writers' excepted)."""
        ...

    def end_sync(self, *, failed: bool = False, disk_full: bool = False) -> None:
        """Finish the sync run (failed: leave it for the next run to repair).

        disk_full: the run failed on a full disk; touch the store only once it reopens.
        """
        ...

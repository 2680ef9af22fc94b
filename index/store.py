"""The Chroma store: chunk vectors through llama-index, a document ledger, a change log.

Collections per embedder:

- ``<prefix>__<embedder>`` holds chunk vectors and metadata, written through
  llama-index's ``ChromaVectorStore`` (so llama-index apps can open it with
  ``VectorStoreIndex.from_vector_store``); questions query the collection
  directly, because importing llama-index costs ~1.5 s of every cold start;
- ``<prefix>__<embedder>__docs`` holds one record per document (full text,
  metadata, content hash, chunk count). A document's ledger record is written
  *after* its chunks, so it doubles as the commit marker that makes sync
  crash-safe (see ``index.sync``);
- ``__log`` and ``__leases``: the change log and writer leases (``index.store_log``).

Only this module, ``index.store_log`` and ``index.chroma_client`` import ``chromadb``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from index.chroma_client import ChromaConnection, ChromaLocation, retry_unreachable
from index.errors import ConfigError
from index.filters import Filters
from index.models import Article, Chunk, DocumentInfo, StoredChunk
from index.store_log import Change, StoreLog
from index.store_rows import paged_get, stored_chunk, where_clause
from index.store_runs import SyncRuns
from index.store_writes import BatchWrites, ChunkBatch


class ChromaStore(SyncRuns, BatchWrites):
    """Chunks and documents of one embedder in one Chroma database."""

    def __init__(
        self,
        connection: ChromaConnection | ChromaLocation,
        *,
        prefix: str,
        embedder_name: str,
        dimension: int,
    ) -> None:
        """``connection``: a shared connection, or a location to open one for this store."""
        if isinstance(connection, ChromaLocation):
            connection = ChromaConnection(connection)
        self.connection = connection
        self.name = f"{prefix}__{embedder_name}"
        self.embedder_name = embedder_name
        self.dimension = dimension
        self.log = StoreLog(connection, self.name, lambda: (self._coll[3], self._coll[4]))
        self._generation = -1
        self._beat = 0.0
        self._pending_discard: str | None = None  # writer whose leftovers await deletion
        self._open()

    @property
    def location(self) -> ChromaLocation:
        """Where the store lives."""
        return self.connection.location

    def describe(self) -> str:
        """Human description of where the store lives."""
        return self.connection.describe()

    def _open(self) -> None:
        """(Re)open the collections; also after the engine was reset by a disk fault."""
        with self.connection.errors():
            self._generation = self.connection.generation
            client = self.connection.client()
            chunks = client.get_or_create_collection(
                self.name,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": self.embedder_name, "dimension": self.dimension},
            )
            docs, log, leases = (
                client.get_or_create_collection(f"{self.name}__{part}", embedding_function=None)
                for part in ("docs", "log", "leases")
            )
        recorded = (chunks.metadata or {}).get("dimension")
        if recorded is not None and int(recorded) != self.dimension:
            raise ConfigError(
                f"Collection {self.name} holds {recorded}-dimensional vectors but the "
                f"embedder makes {self.dimension}-dimensional ones; use another collection prefix."
            )
        self._collections = (client, chunks, docs, log, leases)
        self._vectors: Any = None
        if self._pending_discard is not None:
            self._retry_discard(self._pending_discard)

    @property
    def _coll(self) -> tuple[Any, ...]:
        """(client, chunks, docs, log, leases), reopened if the engine was reset."""
        if self._generation != self.connection.generation:
            self._open()
        return self._collections

    @property
    def _chunks(self) -> Any:
        return self._coll[1]

    @property
    def _docs(self) -> Any:
        return self._coll[2]

    @property
    def vectors(self) -> Any:
        """llama-index's ChromaVectorStore over the chunk collection (imported on first use)."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        chunks = self._chunks  # reopens first if the engine was reset
        if self._vectors is None or self._vectors.client is not chunks:
            self._vectors = ChromaVectorStore(chroma_collection=chunks)
        return self._vectors

    # --- chunks ---------------------------------------------------------------
    def add_chunks(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        annotations: Sequence[str] | None = None,
    ) -> None:
        """Write one document version's chunks (``add_chunk_batch`` writes many)."""
        self.add_chunk_batch([ChunkBatch(article, chunks, vectors, annotations)])

    @retry_unreachable
    def get_chunks(self, chunk_ids: Sequence[str]) -> list[StoredChunk]:
        """The chunks with these ids that exist, in the order given."""
        if not chunk_ids:
            return []
        with self.connection.errors():
            got = self._chunks.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        rows = zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        found = {cid: stored_chunk(cid, text or "", dict(meta or {})) for cid, text, meta in rows}
        return [found[cid] for cid in chunk_ids if cid in found]

    @retry_unreachable
    def delete_stale_chunks(self, doc_id: str, keep_hash: str | None) -> None:
        """Delete a document's chunks of every version but ``keep_hash`` (all if None)."""
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_hash is not None:
            where = {"$and": [{"doc_id": doc_id}, {"content_hash": {"$ne": keep_hash}}]}
        with self.connection.errors():
            self._chunks.delete(where=where)

    @retry_unreachable
    def query(
        self, vector: np.ndarray, k: int, filters: Filters | None = None
    ) -> list[tuple[StoredChunk, float]]:
        """Dense search: (chunk, cosine similarity) best first."""
        with self.connection.errors():
            collection = self._chunks
            if collection.count() == 0:
                return []
            found = collection.query(
                query_embeddings=[[float(x) for x in vector]],
                n_results=max(1, k),
                where=where_clause(filters),
                include=["documents", "metadatas", "distances"],
            )
        rows = zip(
            found["ids"][0],
            (found["documents"] or [[]])[0],
            (found["metadatas"] or [[]])[0],
            (found["distances"] or [[]])[0],
            strict=True,
        )
        # Cosine space: distance = 1 - cosine similarity.
        return [
            (stored_chunk(cid, text or "", dict(meta or {})), 1.0 - float(distance))
            for cid, text, meta, distance in rows
        ]

    def iter_chunks(self, filters: Filters | None = None) -> Iterator[StoredChunk]:
        """Every chunk (optionally filtered), paged."""
        for cid, text, meta in paged_get(
            self.connection, lambda: self._chunks, where_clause(filters), ["documents", "metadatas"]
        ):
            yield stored_chunk(cid, text or "", meta)

    @retry_unreachable
    def chunk_count(self) -> int:
        """Number of chunk vectors."""
        with self.connection.errors():
            return int(self._chunks.count())

    # --- documents (the ledger) ---------------------------------------------------
    def put_document(self, article: Article, *, chunks: int, chunker: str) -> None:
        """Record one fully written document version (``put_documents`` records many)."""
        self.put_documents([(article, chunks)], chunker=chunker)

    @retry_unreachable
    def ledger(self) -> dict[str, dict[str, Any]]:
        """doc_id -> ledger metadata for every committed document."""
        rows = paged_get(self.connection, lambda: self._docs, {"kind": "doc"}, ["metadatas"])
        return {doc_id: meta for doc_id, _, meta in rows}

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents, sorted by id."""
        return [
            DocumentInfo(
                doc_id=doc_id,
                title=str(m.get("title", "")),
                date=str(m["date"]) if m.get("date") else None,
                source=str(m["source"]) if m.get("source") else None,
                content_hash=str(m.get("content_hash", "")),
                chunks=int(m.get("chunks", 0)),
            )
            for doc_id, m in sorted(self.ledger().items())
        ]

    @retry_unreachable
    def document_text(self, doc_id: str) -> str | None:
        """The full original text of a document, or None if unknown."""
        with self.connection.errors():
            got = self._docs.get(ids=[doc_id], include=["documents"])
        docs = got["documents"] or []
        return docs[0] if got["ids"] and docs else None

    @retry_unreachable
    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False when it was not indexed."""
        with self.connection.errors():
            known = bool(self._docs.get(ids=[doc_id])["ids"])
            self._docs.delete(ids=[doc_id])  # ledger first: a crash leaves only orphans
            self._chunks.delete(where={"doc_id": doc_id})
        self.log.record("delete", [doc_id])
        return known

    # --- version ---------------------------------------------------------------------
    def version(self) -> int:
        """Committed writes so far, by any process (the change log's length)."""
        return self.log.version()

    def changes_after(self, position: int | None) -> list[Change]:
        """Change records after a log position (ns; None: all), oldest first."""
        return self.log.changes_after(position)

    def last_sync(self) -> float | None:
        """When a sync last finished."""
        return self.log.last_sync()

    @retry_unreachable
    def heartbeat(self) -> None:
        """Raise StoreError when the store cannot be reached."""
        with self.connection.errors():
            self._coll[0].heartbeat()

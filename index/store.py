"""The Chroma store: chunk vectors through llama-index, plus a document ledger.

Two collections per embedder:

- ``<prefix>__<embedder>`` holds chunk vectors and metadata, written through
  llama-index's ``ChromaVectorStore`` (so llama-index apps can open it with
  ``VectorStoreIndex.from_vector_store``); questions query the collection
  directly, because importing llama-index costs ~1.5 s of every cold start;
- ``<prefix>__<embedder>__docs`` holds one record per document (full text,
  metadata, content hash, chunk count). A document's ledger record is written
  *after* its chunks, so it doubles as the commit marker that makes sync
  crash-safe (see ``index.sync``).

Only this module and ``index.chroma_client`` import ``chromadb``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from index.chroma_client import (
    ChromaLocation,
    client_generation,
    open_client,
    retry_unreachable,
    store_errors,
)
from index.models import Article, Chunk, DocumentInfo, StoredChunk

STATE_ID = "__state__"  # ledger record holding sync state and a write counter
_PAGE = 2000  # rows per Chroma get() page: bounded memory on large stores


def date_ordinal(date: str | None) -> int:
    """'2026-03-05' -> 20260305; unknown dates -> -1 so range filters skip them."""
    if not date:
        return -1
    return int(date.replace("-", "")[:8])


class ChromaStore:
    """Chunks and documents of one embedder in one Chroma database."""

    def __init__(
        self, location: ChromaLocation, *, prefix: str, embedder_name: str, dimension: int
    ) -> None:
        self.location = location
        self.name = f"{prefix}__{embedder_name}"
        self.embedder_name = embedder_name
        self.dimension = dimension
        self._generation = -1
        self._open()

    def _open(self) -> None:
        """(Re)open the collections; also after the engine was reset by a disk fault."""
        with store_errors(self.location):
            self._generation = client_generation()
            client = open_client(self.location)
            chunks = client.get_or_create_collection(
                self.name,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": self.embedder_name, "dimension": self.dimension},
            )
            docs = client.get_or_create_collection(f"{self.name}__docs", embedding_function=None)
        recorded = (chunks.metadata or {}).get("dimension")
        if recorded is not None and int(recorded) != self.dimension:
            from rag.errors import ConfigError

            raise ConfigError(
                f"Collection {self.name} holds {recorded}-dimensional vectors but the "
                f"embedder makes {self.dimension}-dimensional ones; use another collection prefix."
            )
        self._client, self.__chunks, self.__docs = client, chunks, docs
        self._vectors: Any = None

    @property
    def vectors(self) -> Any:
        """llama-index's ChromaVectorStore over the chunk collection (imported on first use)."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        chunks = self._chunks  # reopens first if the engine was reset
        if self._vectors is None or self._vectors.client is not chunks:
            self._vectors = ChromaVectorStore(chroma_collection=chunks)
        return self._vectors

    @property
    def _chunks(self) -> Any:
        if self._generation != client_generation():
            self._open()
        return self.__chunks

    @property
    def _docs(self) -> Any:
        if self._generation != client_generation():
            self._open()
        return self.__docs

    # --- chunks ---------------------------------------------------------------
    @retry_unreachable
    def add_chunks(self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Write a document version's chunks (ids are stable, re-adding is harmless)."""
        from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode

        nodes: list[BaseNode] = []
        for chunk, vector in zip(chunks, vectors, strict=True):
            node = TextNode(
                id_=chunk.chunk_id,
                text=chunk.text,
                embedding=[float(x) for x in vector],
                metadata=self._chunk_metadata(article, chunk),
                start_char_idx=chunk.start,
                end_char_idx=chunk.end,
            )
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=article.doc_id)
            nodes.append(node)
        with store_errors(self.location):
            # A crashed earlier attempt may have left some of these ids behind.
            self._chunks.delete(where=self._where_version(article.doc_id, article.content_hash))
            if nodes:
                self.vectors.add(nodes)

    @staticmethod
    def _chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
        return {
            "doc_id": article.doc_id,
            "title": article.title,
            "date": article.date or "",
            "date_ord": date_ordinal(article.date),
            "source": article.source or "",
            "content_hash": article.content_hash,
            "chunk_index": chunk.chunk_index,
            "start": chunk.start,
            "end": chunk.end,
        }

    @staticmethod
    def _where_version(doc_id: str, content_hash: str) -> dict[str, Any]:
        return {"$and": [{"doc_id": doc_id}, {"content_hash": content_hash}]}

    @retry_unreachable
    def delete_stale_chunks(self, doc_id: str, keep_hash: str | None) -> None:
        """Delete a document's chunks of every version but ``keep_hash`` (all if None)."""
        where: dict[str, Any] = {"doc_id": doc_id}
        if keep_hash is not None:
            where = {"$and": [{"doc_id": doc_id}, {"content_hash": {"$ne": keep_hash}}]}
        with store_errors(self.location):
            self._chunks.delete(where=where)

    @retry_unreachable
    def query(
        self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[StoredChunk, float]]:
        """Dense search: (chunk, cosine similarity) best first."""
        with store_errors(self.location):
            collection = self._chunks
            if collection.count() == 0:
                return []
            found = collection.query(
                query_embeddings=[[float(x) for x in vector]],
                n_results=max(1, k),
                where=where or None,
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
            (self._stored(cid, text or "", dict(meta or {})), 1.0 - float(distance))
            for cid, text, meta, distance in rows
        ]

    def iter_chunks(self, where: dict[str, Any] | None = None) -> Iterator[StoredChunk]:
        """Every chunk (optionally filtered), paged."""
        offset = 0
        while True:
            with store_errors(self.location):
                page = self._chunks.get(
                    where=where or None,
                    include=["documents", "metadatas"],
                    limit=_PAGE,
                    offset=offset,
                )
            ids = page["ids"]
            rows = zip(ids, page["documents"] or [], page["metadatas"] or [], strict=True)
            for cid, text, meta in rows:
                yield self._stored(cid, text or "", dict(meta or {}))
            if len(ids) < _PAGE:
                return
            offset += _PAGE

    @staticmethod
    def _stored(chunk_id: str, text: str, meta: dict[str, Any]) -> StoredChunk:
        return StoredChunk(
            chunk_id=chunk_id,
            doc_id=str(meta.get("doc_id", "")),
            chunk_index=int(meta.get("chunk_index", 0)),
            text=text,
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            title=str(meta.get("title", "")),
            date=str(meta["date"]) if meta.get("date") else None,
            source=str(meta.get("source")) if meta.get("source") else None,
            content_hash=str(meta.get("content_hash", "")),
        )

    @retry_unreachable
    def chunk_count(self) -> int:
        """Number of chunk vectors."""
        with store_errors(self.location):
            return int(self._chunks.count())

    @retry_unreachable
    def chunk_versions(self) -> dict[str, set[str]]:
        """doc_id -> content hashes present among the chunks (for repair)."""
        versions: dict[str, set[str]] = {}
        offset = 0
        while True:
            with store_errors(self.location):
                page = self._chunks.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for meta in page["metadatas"] or []:
                versions.setdefault(str(meta["doc_id"]), set()).add(str(meta["content_hash"]))
            if len(page["ids"]) < _PAGE:
                return versions
            offset += _PAGE

    # --- documents (the ledger) ---------------------------------------------------
    @retry_unreachable
    def put_document(self, article: Article, *, chunks: int, chunker: str) -> None:
        """Record a fully written document version: the sync commit point."""
        meta = {
            "kind": "doc",
            "title": article.title,
            "date": article.date or "",
            "date_ord": date_ordinal(article.date),
            "source": article.source or "",
            "dateline": article.dateline or "",
            "content_hash": article.content_hash,
            "chunks": chunks,
            "chunker": chunker,
            "ingested_at": time.time(),
            "body_spans": json.dumps(article.body_spans),
        }
        with store_errors(self.location):
            self._docs.upsert(
                ids=[article.doc_id], embeddings=[[1.0]], documents=[article.text], metadatas=[meta]
            )
        self.bump_version()

    @retry_unreachable
    def ledger(self) -> dict[str, dict[str, Any]]:
        """doc_id -> ledger metadata for every committed document."""
        out: dict[str, dict[str, Any]] = {}
        offset = 0
        while True:
            with store_errors(self.location):
                page = self._docs.get(
                    where={"kind": "doc"}, include=["metadatas"], limit=_PAGE, offset=offset
                )
            for doc_id, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                out[doc_id] = dict(meta or {})
            if len(page["ids"]) < _PAGE:
                return out
            offset += _PAGE

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
        with store_errors(self.location):
            got = self._docs.get(ids=[doc_id], include=["documents"])
        docs = got["documents"] or []
        return docs[0] if got["ids"] and docs else None

    @retry_unreachable
    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False when it was not indexed."""
        with store_errors(self.location):
            known = bool(self._docs.get(ids=[doc_id])["ids"])
            self._docs.delete(ids=[doc_id])  # ledger first: a crash leaves only orphans
            self._chunks.delete(where={"doc_id": doc_id})
        self.bump_version()
        return known

    # --- sync state -------------------------------------------------------------
    @retry_unreachable
    def state(self) -> dict[str, Any]:
        """Sync state: {'version': int, 'syncing': bool, 'last_sync': float|None}."""
        with store_errors(self.location):
            got = self._docs.get(ids=[STATE_ID], include=["metadatas"])
        meta = (got["metadatas"] or [{}])[0] if got["ids"] else {}
        return {
            "version": int(meta.get("version", 0)),
            "syncing": bool(meta.get("syncing", False)),
            "last_sync": meta.get("last_sync") or None,
        }

    @retry_unreachable
    def _put_state(self, **changes: Any) -> None:
        state = {**self.state(), **changes}
        meta = {
            "kind": "state",
            "version": int(state["version"]),
            "syncing": bool(state["syncing"]),
            "last_sync": float(state["last_sync"] or 0.0),
        }
        with store_errors(self.location):
            self._docs.upsert(ids=[STATE_ID], embeddings=[[1.0]], documents=[""], metadatas=[meta])

    def bump_version(self) -> None:
        """Count a write so caches (BM25) know to rebuild."""
        self._put_state(version=self.state()["version"] + 1)

    def begin_sync(self) -> bool:
        """Mark a sync as running; True if the previous one never finished."""
        crashed = self.state()["syncing"]
        self._put_state(syncing=True)
        return crashed

    def end_sync(self) -> None:
        """Mark the sync finished."""
        self._put_state(syncing=False, last_sync=time.time())

    @retry_unreachable
    def heartbeat(self) -> None:
        """Raise StoreError when the store cannot be reached."""
        with store_errors(self.location):
            self._client.heartbeat()

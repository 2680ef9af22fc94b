"""Batched writes of many documents: chunks, stale deletes, ledger records, one change record.

Commit order per batch (``ChromaStore`` inherits these):

1. ``add_chunk_batch``: the chunks of every document of the batch, in Chroma
   calls no larger than the client's ``get_max_batch_size()`` (a long article
   may span several calls, and several short ones share one);
2. ``delete_stale_batch``: every other chunk of those documents (older
   versions, leftovers of a crashed attempt) in one read and few deletes;
3. ``put_documents``: the ledger records, the commit point, then ONE
   change-log record naming all the batch's documents.

A kill anywhere leaves each document either committed with complete chunks
or uncommitted with leftovers that the next run's repair deletes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.chroma_client import ChromaConnection, retry_unreachable
from index.filters import date_ordinal
from index.models import Article, Chunk
from index.store_log import StoreLog
from index.store_rows import chunk_metadata

_LEASE_BEAT_SECONDS = 30.0  # refresh this writer's lease at most this often
_FALLBACK_BATCH = 5000  # when a client cannot say its limit


@dataclass
class ChunkBatch:
    """Chunks of one document version, with their vectors and annotations."""

    article: Article
    chunks: Sequence[Chunk]
    vectors: np.ndarray
    annotations: Sequence[str] | None = None


def slices(count: int, size: int) -> Iterator[slice]:
    """Consecutive slices of at most ``size`` covering ``range(count)``.

    >>> [(s.start, s.stop) for s in slices(5, 2)]
    [(0, 2), (2, 4), (4, 5)]
    """
    for start in range(0, count, max(1, size)):
        yield slice(start, min(count, start + max(1, size)))


class ChunkBuffer:
    """Collects embedded chunks and sends them in calls of exactly ``limit`` (the last: less)."""

    def __init__(self, send: Callable[[Sequence[ChunkBatch]], None], limit: int) -> None:
        self.send = send
        self.limit = max(1, limit)
        self.ready: list[ChunkBatch] = []
        self.size = 0

    def push(self, item: ChunkBatch) -> None:
        """Add chunks; a full store batch goes out at once."""
        self.ready.append(item)
        self.size += len(item.chunks)
        while self.size >= self.limit:
            self._send_one()

    def flush(self) -> None:
        """Send whatever is left."""
        while self.ready:
            self._send_one()

    def _send_one(self) -> None:
        batch: list[ChunkBatch] = []
        room = self.limit
        while self.ready and room > 0:
            item = self.ready.pop(0)
            if len(item.chunks) > room:  # split: the rest goes in the next call
                self.ready.insert(0, _part(item, slice(room, None)))
                item = _part(item, slice(0, room))
            batch.append(item)
            room -= len(item.chunks)
        self.size -= self.limit - room
        self.send(batch)


def _part(item: ChunkBatch, part: slice) -> ChunkBatch:
    notes = item.annotations[part] if item.annotations is not None else None
    return ChunkBatch(item.article, item.chunks[part], item.vectors[part], notes)


class BatchWrites:
    """Write many documents in few Chroma calls."""

    connection: ChromaConnection
    log: StoreLog
    _beat: float

    @property
    def _coll(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def max_batch(self) -> int:
        """The most records one Chroma call accepts (asked once per client)."""
        client = self._coll[0]
        cached = getattr(self, "_max_batch", None)
        if cached is not None and cached[0] is client:
            return int(cached[1])
        try:
            size = int(client.get_max_batch_size())
        except Exception:  # older clients or servers cannot say
            size = _FALLBACK_BATCH
        self._max_batch = (client, size)
        return size

    @retry_unreachable
    def add_chunk_batch(self, items: Sequence[ChunkBatch]) -> None:
        """Upsert the chunks of many documents (ids are stable, rewriting is harmless)."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
        from llama_index.core.vector_stores.utils import node_to_metadata_dict

        writer = self.log.writer or ""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        vectors: list[list[float]] = []
        for item in items:
            notes: Sequence[str | None] = item.annotations or [None] * len(item.chunks)
            for chunk, vector, note in zip(item.chunks, item.vectors, notes, strict=True):
                # Metadata in llama-index's layout, so its apps can open the collection.
                node = TextNode(
                    id_=chunk.chunk_id,
                    text=chunk.text,
                    metadata=chunk_metadata(item.article, chunk, writer, note),
                    start_char_idx=chunk.start,
                    end_char_idx=chunk.end,
                )
                # The annotation is for our reader, not for llama-index prompts or embeddings.
                node.excluded_llm_metadata_keys = node.excluded_embed_metadata_keys = ["annotation"]
                node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(
                    node_id=item.article.doc_id
                )
                meta = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
                metas.append({k: ("" if v is None else v) for k, v in meta.items()})
                ids.append(chunk.chunk_id)
                texts.append(chunk.text)
                vectors.append(np.asarray(vector, dtype=np.float32).tolist())
        chunks = self._coll[1]
        for part in slices(len(ids), self.max_batch()):
            with self.connection.errors():
                chunks.upsert(
                    ids=ids[part],
                    embeddings=vectors[part],
                    documents=texts[part],
                    metadatas=metas[part],
                )

    @retry_unreachable
    def delete_stale_batch(self, keep: dict[str, set[str]]) -> None:
        """Delete every chunk of the given documents whose id is not in its keep set."""
        if not keep:
            return
        chunks = self._coll[1]
        doomed: list[str] = []
        doc_ids = sorted(keep)
        for part in slices(len(doc_ids), 500):  # bounded ``$in`` lists
            with self.connection.errors():
                got = chunks.get(where={"doc_id": {"$in": doc_ids[part]}}, include=[])
            # Ids only (chunk ids start with the doc id): no texts or annotations to read.
            for cid in got["ids"]:
                if cid not in keep.get(cid.rsplit("::", 2)[0], set()):
                    doomed.append(cid)
        for part in slices(len(doomed), self.max_batch()):
            with self.connection.errors():
                chunks.delete(ids=doomed[part])

    @retry_unreachable
    def put_documents(self, articles: Sequence[tuple[Article, int]], *, chunker: str) -> None:
        """Record fully written document versions (the commit point), one change record."""
        if not articles:
            return
        now = time.time()
        ids = [a.doc_id for a, _ in articles]
        metas = [_ledger_meta(a, n, chunker, now) for a, n in articles]
        texts = [a.text for a, _ in articles]
        for part in slices(len(ids), self.max_batch()):
            self._put_ledger_rows(ids[part], texts[part], metas[part])
        self.log.record("put", ids)
        if time.monotonic() - self._beat > _LEASE_BEAT_SECONDS:
            self.log.heartbeat()
            self._beat = time.monotonic()

    def _put_ledger_rows(
        self, ids: list[str], texts: list[str], metas: list[dict[str, Any]]
    ) -> None:
        """One ledger upsert (a batch may need several; each commits its documents)."""
        with self.connection.errors():
            self._coll[2].upsert(
                ids=ids, embeddings=[[1.0]] * len(ids), documents=texts, metadatas=metas
            )


def _ledger_meta(article: Article, chunks: int, chunker: str, now: float) -> dict[str, Any]:
    return {
        "kind": "doc",
        "title": article.title,
        "date": article.date or "",
        "date_ord": date_ordinal(article.date),
        "source": article.source or "",
        "dateline": article.dateline or "",
        "content_hash": article.content_hash,
        "text_hash": article.text_hash,
        "chunks": chunks,
        "chunker": chunker,
        "ingested_at": now,
        "body_spans": json.dumps(article.body_spans),
    }


def article_from_ledger(doc_id: str, text: str, meta: dict[str, Any]) -> Article:
    """The Article a ledger record was written from (the inverse of ``_ledger_meta``)."""
    spans = json.loads(meta.get("body_spans") or "[]")
    return Article(
        doc_id=doc_id,
        text=text,
        title=str(meta.get("title", "")),
        date=str(meta["date"]) if meta.get("date") else None,
        source=str(meta["source"]) if meta.get("source") else None,
        dateline=str(meta["dateline"]) if meta.get("dateline") else None,
        content_hash=str(meta.get("content_hash", "")),
        body_spans=tuple((int(a), int(b)) for a, b in spans),
        text_hash=str(meta.get("text_hash", "")),
    )

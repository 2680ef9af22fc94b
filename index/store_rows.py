"""Rows of the Chroma chunk collection: metadata in, ``StoredChunk`` out, filters, paging.

The only place that speaks Chroma's ``where`` syntax: ``where_clause`` reads
the same ``Filters.bounds()`` that the lexical index's ``matches`` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from index.chroma_client import ChromaConnection
from index.filters import Filters, date_ordinal
from index.models import Article, Chunk, StoredChunk

PAGE = 2000  # rows per Chroma get() page: bounded memory on large stores


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Chroma ``where`` for the filters (None when unrestricted).

    >>> where_clause(Filters(doc_ids=("a.txt",)))
    {'doc_id': {'$in': ['a.txt']}}
    >>> where_clause(Filters(date_to="2026-03-05"))
    {'$and': [{'date_ord': {'$lte': 20260305}}, {'date_ord': {'$gte': 0}}]}
    """
    if filters is None or filters.is_empty():
        return None
    b = filters.bounds()
    clauses: list[dict[str, Any]] = []
    if b.doc_ids is not None:
        clauses.append({"doc_id": {"$in": sorted(b.doc_ids)}})
    if b.date_min is not None:
        clauses.append({"date_ord": {"$gte": b.date_min}})
    if b.date_max is not None:
        # An upper bound excludes undated chunks (ordinal -1), as ``matches`` does.
        clauses.append({"date_ord": {"$lte": b.date_max}})
        clauses.append({"date_ord": {"$gte": 0}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def chunk_metadata(
    article: Article, chunk: Chunk, writer: str, annotation: str | None = None
) -> dict[str, Any]:
    """The metadata stored with each chunk vector."""
    meta: dict[str, Any] = {
        "doc_id": article.doc_id,
        "title": article.title,
        "date": article.date or "",
        "date_ord": date_ordinal(article.date),
        "source": article.source or "",
        "content_hash": article.content_hash,
        "chunk_index": chunk.chunk_index,
        "start": chunk.start,
        "end": chunk.end,
        "writer": writer,  # the sync run that wrote it: repair spares live writers
    }
    if annotation is not None:
        meta["annotation"] = annotation
    return meta


def stored_chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> StoredChunk:
    """A chunk row read back from Chroma."""
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
        annotation=str(meta["annotation"]) if meta.get("annotation") else None,
    )


def paged_get(
    connection: ChromaConnection,
    collection: Callable[[], Any],
    where: dict[str, Any] | None,
    include: list[str],
) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """(id, document or None, metadata) of every matching row, a page at a time."""
    offset = 0
    while True:
        with connection.errors():
            page = collection().get(where=where, include=include, limit=PAGE, offset=offset)
        ids = page["ids"]
        documents = page.get("documents") or [None] * len(ids)
        metadatas = page.get("metadatas") or [{}] * len(ids)
        for row_id, text, meta in zip(ids, documents, metadatas, strict=True):
            yield row_id, text, dict(meta or {})
        if len(ids) < PAGE:
            return
        offset += PAGE

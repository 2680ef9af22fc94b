"""Finding the documents of a store made with an earlier local embedder.

A store's collection is named after its embedder (``news__minilm-l6-int8``),
so a new default embedder opens a new, empty collection. The documents are
not lost: the earlier collection's ledger keeps every document's full text
and metadata, which is all an ingest needs. ``rag serve`` and ``rag ingest``
re-embed them into the new collection (``Assistant.reindex_previous``); the
earlier collection is left as it was, so switching back costs nothing.

Only the local MiniLM family is adopted this way: re-embedding through a paid
API, or with a different model family, is left to an explicit ``rag ingest``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from index.models import Article
from index.store import ChromaStore
from index.store_rows import paged_get

LOCAL_FAMILY = "minilm-"  # embedder names whose vectors are interchangeable in meaning


@dataclass(frozen=True)
class PreviousStore:
    """An earlier collection of the same prefix, made by another local embedder."""

    embedder_name: str
    documents: int


def previous_store(store: ChromaStore) -> PreviousStore | None:
    """The earlier local-embedder collection with the most documents, if any holds some."""
    prefix, _, current = store.name.rpartition("__")
    if not current.startswith(LOCAL_FAMILY):
        return None
    with store.connection.errors():
        client = store.connection.client()
        names = [getattr(c, "name", c) for c in client.list_collections()]
        found = []
        for name in names:
            head, _, embedder = str(name).rpartition("__")
            if head != prefix or embedder == current or not embedder.startswith(LOCAL_FAMILY):
                continue
            if f"{name}__docs" not in names:
                continue
            count = client.get_collection(f"{name}__docs").count()
            if count:
                found.append(PreviousStore(embedder, int(count)))
    return max(found, key=lambda p: p.documents, default=None)


def stored_articles(store: ChromaStore, embedder_name: str) -> Iterator[Article]:
    """Every committed document of the collection made by ``embedder_name``, as Articles."""
    prefix = store.name.rpartition("__")[0]
    name = f"{prefix}__{embedder_name}__docs"

    def collection() -> object:
        return store.connection.client().get_collection(name)

    rows = paged_get(store.connection, collection, {"kind": "doc"}, ["documents", "metadatas"])
    for doc_id, text, meta in rows:
        if text is None:
            continue  # a ledger row without its text cannot be re-embedded
        spans = json.loads(meta.get("body_spans") or "[]")
        yield Article(
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

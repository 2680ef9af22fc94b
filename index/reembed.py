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

from collections.abc import Iterator
from dataclasses import dataclass

from index.models import Article
from index.store import ChromaStore
from index.store_rows import paged_get
from index.store_writes import article_from_ledger

LOCAL_FAMILY = "minilm-"  # embedder names whose vectors are interchangeable in meaning
DOC_ROWS = {"kind": "doc"}  # the ledger's document records


@dataclass(frozen=True)
class PreviousStore:
    """An earlier collection of the same prefix, made by another local embedder."""

    embedder_name: str
    documents: int


def previous_store(store: ChromaStore) -> PreviousStore | None:
    """The earlier local-embedder collection with the most documents, while this one has none."""
    prefix, _, current = store.name.rpartition("__")
    if not current.startswith(LOCAL_FAMILY):
        return None
    with store.connection.errors():
        client = store.connection.client()
        names = {str(getattr(c, "name", c)) for c in client.list_collections()}

        def documents(collection: str, limit: int | None = None) -> int:
            """Document records in a ledger, ids only (it may hold other kinds of row)."""
            ledger = f"{collection}__docs"
            if ledger not in names:
                return 0
            rows = client.get_collection(ledger).get(where=DOC_ROWS, include=[], limit=limit)
            return len(rows["ids"])

        if documents(store.name, limit=1):
            return None
        found = []
        for name in names:
            head, _, embedder = name.rpartition("__")
            if head == prefix and embedder != current and embedder.startswith(LOCAL_FAMILY):
                count = documents(name)
                if count:
                    found.append(PreviousStore(embedder, count))
    return max(found, key=lambda p: (p.documents, p.embedder_name), default=None)


def stored_articles(store: ChromaStore, embedder_name: str) -> Iterator[Article]:
    """Every committed document of the collection made by ``embedder_name``, as Articles."""
    prefix = store.name.rpartition("__")[0]
    name = f"{prefix}__{embedder_name}__docs"

    def collection() -> object:
        return store.connection.client().get_collection(name)

    rows = paged_get(store.connection, collection, DOC_ROWS, ["documents", "metadatas"])
    for doc_id, text, meta in rows:
        if text is None:
            continue  # a ledger row without its text cannot be re-embedded
        yield article_from_ledger(doc_id, text, meta)

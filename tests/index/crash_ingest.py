"""Run an ingest that SIGKILLs its own process at a chosen point (crash-safety tests).

Usage: python -m tests.index.crash_ingest DATA_DIR CORPUS POINT
Writes go in batches of several documents (store batches of 16 chunks, at
most 8 documents per write batch), so every point below lands mid-batch.
POINT: 'embed:N' (during the Nth embedding call), 'add:N' (before the Nth
store call of chunks: earlier calls of the batch are written),
'after_chunks:N' (after the Nth batch's chunks were written, before old
versions are deleted), 'before_commit:N' (after cleanup, before the Nth
batch's ledger records), 'mid_commit:N' (before the Nth ledger upsert: part
of a batch is committed), 'before_record:N' (ledger written, the Nth change
record not).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import index.sync
from index.embedders import HashingEmbedder
from index.store import ChromaStore
from index.store_log import StoreLog
from rag.assistant import Assistant
from rag.settings import Settings


def die() -> None:
    """Kill this process the hard way: no cleanup, no finally blocks."""
    os.kill(os.getpid(), signal.SIGKILL)


class CountingHook:
    """Calls die() on the Nth call."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.calls = 0

    def tick(self) -> None:
        self.calls += 1
        if self.calls >= self.limit:
            die()


def main() -> None:
    data_dir, corpus, point = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    where, limit = point.split(":")
    index.sync._EMBED_BATCH_CHUNKS = 4  # several embedding calls per batch
    index.sync._BATCH_DOCUMENTS = 8
    ChromaStore.max_batch = lambda self: 16  # type: ignore[method-assign]
    index.sync._BATCH_CHUNKS = 10_000  # so batches close at 16 chunks or 8 documents
    hook = CountingHook(int(limit))
    embedder = HashingEmbedder()
    if where == "embed":
        original_embed = embedder.embed

        def embed(texts):  # type: ignore[no-untyped-def]
            hook.tick()
            return original_embed(texts)

        embedder.embed = embed  # type: ignore[method-assign]
    else:
        target = {
            "add": (ChromaStore, "add_chunk_batch"),
            "after_chunks": (ChromaStore, "delete_stale_batch"),
            "before_commit": (ChromaStore, "put_documents"),
            "mid_commit": (ChromaStore, "_put_ledger_rows"),
            "before_record": (StoreLog, "record"),
        }[where]
        original = getattr(*target)

        def patched(self, *args, **kw):  # type: ignore[no-untyped-def]
            hook.tick()
            return original(self, *args, **kw)

        setattr(*target, patched)
    settings = Settings(data_dir=data_dir, embed_mode="hashing", chunk_tokens=40)
    Assistant(settings, embedder=embedder).ingest([corpus])
    print("finished without crashing")


if __name__ == "__main__":
    main()

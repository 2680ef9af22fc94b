"""Run an ingest that SIGKILLs its own process at a chosen point (crash-safety tests).

Usage: python -m tests.index.crash_ingest DATA_DIR CORPUS POINT
POINT: 'embed:N' (during the Nth embedding call), 'after_chunks:N' (after the
Nth document's chunks were written, before old versions are deleted),
'before_commit:N' (after cleanup, before the Nth ledger record is written).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import index.sync
from index.embedders import HashingEmbedder
from index.store import ChromaStore
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
    index.sync._EMBED_BATCH_CHUNKS = 1  # one embedding call per document
    hook = CountingHook(int(limit))
    embedder = HashingEmbedder()
    if where == "embed":
        original_embed = embedder.embed

        def embed(texts):  # type: ignore[no-untyped-def]
            hook.tick()
            return original_embed(texts)

        embedder.embed = embed  # type: ignore[method-assign]
    elif where == "after_chunks":
        original = ChromaStore.delete_stale_chunks

        def patched(self, doc_id, keep_hash):  # type: ignore[no-untyped-def]
            hook.tick()
            return original(self, doc_id, keep_hash)

        ChromaStore.delete_stale_chunks = patched  # type: ignore[method-assign]
    elif where == "before_commit":
        original_put = ChromaStore.put_document

        def patched_put(self, article, **kw):  # type: ignore[no-untyped-def]
            hook.tick()
            return original_put(self, article, **kw)

        ChromaStore.put_document = patched_put  # type: ignore[method-assign]
    settings = Settings(data_dir=data_dir, embed_mode="hashing", chunk_tokens=40)
    Assistant(settings, embedder=embedder).ingest([corpus])
    print("finished without crashing")


if __name__ == "__main__":
    main()

"""Sync runs of the Chroma store: writer leases, repair of dead writers' leftovers.

``ChromaStore`` inherits these; they are apart because they are the one
part of the store that reasons about other processes (see ``index.store_log``).
"""

from __future__ import annotations

import time
from typing import Any

from index.chroma_client import ChromaConnection, retry_unreachable
from index.errors import StoreError
from index.store_log import StoreLog
from index.store_rows import paged_get


class SyncRuns:
    """Begin/repair/end of sync runs, over the chunk collection and the change log."""

    connection: ChromaConnection
    log: StoreLog
    _pending_discard: str | None
    _dead_writers: set[str]
    _beat: float

    @property
    def _chunks(self) -> Any:
        raise NotImplementedError

    def ledger(self) -> dict[str, dict[str, Any]]:
        """doc_id -> ledger metadata (implemented by the store)."""
        raise NotImplementedError

    @retry_unreachable
    def chunk_writers(self) -> dict[tuple[str, str], set[str]]:
        """(doc_id, content hash) -> writers of those chunks, for repair."""
        versions: dict[tuple[str, str], set[str]] = {}
        for _, _, meta in paged_get(self.connection, lambda: self._chunks, None, ["metadatas"]):
            key = (str(meta.get("doc_id", "")), str(meta.get("content_hash", "")))
            versions.setdefault(key, set()).add(str(meta.get("writer", "")))
        return versions

    def chunk_versions(self) -> dict[str, set[str]]:
        """doc_id -> content hashes present among the chunks."""
        versions: dict[str, set[str]] = {}
        for doc_id, content_hash in self.chunk_writers():
            versions.setdefault(doc_id, set()).add(content_hash)
        return versions

    def begin_sync(self) -> bool:
        """Start a sync run under a lease; True when a dead writer left work to repair."""
        self._dead_writers = self.log.begin()
        self._beat = time.monotonic()
        return bool(self._dead_writers)

    def repair(self) -> None:
        """Delete chunks no committed ledger record points at, except live writers' ones."""
        ledger = self.ledger()
        live = self.log.live_writers()
        dead: set[str] = getattr(self, "_dead_writers", set())
        touched: set[str] = set()
        for (doc_id, content_hash), writers in self.chunk_writers().items():
            if writers & dead:
                touched.add(doc_id)  # committed or not: readers must look at it again
            if ledger.get(doc_id, {}).get("content_hash") == content_hash or writers & live:
                continue
            self._delete_version(doc_id, content_hash)
            touched.add(doc_id)
        if touched:
            # A writer killed between its ledger upsert and its change record committed
            # documents no change names yet; this record names them for every reader.
            self.log.record("repair", touched)
        self.log.forget(dead)

    def end_sync(self, *, failed: bool = False, disk_full: bool = False) -> None:
        """Finish the run: drop the lease (or mark it failed for the next run to repair).

        A failed run first tries to delete the chunks it wrote but never
        committed; only if that fails too is the repair left to the next run.
        After a full disk the engine is not touched at all (it can block until
        space is freed): the cleanup and the lease wait for the engine to reopen.
        """
        if disk_full:
            self._pending_discard = self.log.writer
            self.log.writer = None
            return
        if failed:
            try:
                self._discard_uncommitted(self.log.writer or "")
            except StoreError:
                # Typically a full disk: retried when the engine is reopened.
                self._pending_discard = self.log.writer
                self.log.end(failed=True)
                return
        self.log.end()

    def _discard_uncommitted(self, writer: str) -> None:
        """Delete this writer's chunks of versions the ledger does not point at."""
        rows = paged_get(self.connection, lambda: self._chunks, {"writer": writer}, ["metadatas"])
        versions = {(str(m.get("doc_id")), str(m.get("content_hash"))) for _, _, m in rows}
        ledger = self.ledger()
        for doc_id, content_hash in versions:
            if ledger.get(doc_id, {}).get("content_hash") != content_hash:
                self._delete_version(doc_id, content_hash)

    @retry_unreachable
    def _delete_version(self, doc_id: str, content_hash: str) -> None:
        with self.connection.errors():
            self._chunks.delete(
                where={"$and": [{"doc_id": doc_id}, {"content_hash": content_hash}]}
            )

    def _retry_discard(self, writer: str) -> None:
        """Finish cleaning up after a run that failed on a disk fault, if space allows now."""
        try:
            self._discard_uncommitted(writer)
            self.log.forget([writer])
        except StoreError:
            return
        self._pending_discard = None

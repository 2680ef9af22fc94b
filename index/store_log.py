"""Store bookkeeping that stays right with several writers on one Chroma server.

- **Version**: an append-only change log (one record per committed write, ids
  unique per writer), so the version is the log's record count. Two processes
  writing at once each add their own record: nothing is lost, as it was with a
  read-modify-write counter. Readers (the lexical index, replicas) compare it.
- **Writer leases**: each sync run records who is writing (host, pid, heartbeat).
  A lease whose process is gone (same host), that failed, or that has not
  beaten for ``LEASE_SECONDS`` (another host) is dead: its uncommitted chunks
  are leftovers the next sync repairs. A live writer's chunks are never touched.

Chroma stores every record with a vector; these records are a key-value
table, so they carry a constant one-dimensional vector in collections of
their own.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from index.chroma_client import ChromaConnection, retry_unreachable
from index.store_rows import paged_get


@dataclass(frozen=True)
class Change:
    """One committed write: what it did and which documents it touched."""

    change_id: str
    op: str  # "put", "delete" or "repair"
    doc_ids: tuple[str, ...]
    at_ns: int  # the writer's clock when it committed


LEASE_SECONDS = 600.0  # a writer on another host that stayed silent this long is dead
LAST_SYNC_ID = "__last_sync__"
_UNIT = [1.0]  # the vector of every bookkeeping record (Chroma requires one)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


class StoreLog:
    """The change log and writer leases of one chunk collection."""

    def __init__(self, connection: ChromaConnection, name: str, collections: Callable[[], Any]):
        self.connection = connection
        self.name = name
        self._collections = collections  # () -> (log collection, leases collection)
        self.writer: str | None = None  # id of this process's running sync, if any

    @property
    def _log(self) -> Any:
        return self._collections()[0]

    @property
    def _leases(self) -> Any:
        return self._collections()[1]

    # --- version ---------------------------------------------------------------------
    @retry_unreachable
    def version(self) -> int:
        """Number of committed writes ever made: changes whenever the store does."""
        with self.connection.errors():
            return int(self._log.count())

    @retry_unreachable
    def record(self, op: str, doc_ids: Iterable[str]) -> None:
        """Append one change record (a unique id: concurrent writers never collide)."""
        now = time.time_ns()
        change_id = f"{now:020d}-{uuid.uuid4().hex[:12]}"
        meta: dict[str, Any] = {"op": op, "doc_ids": json.dumps(sorted(doc_ids))}
        meta.update(at=now / 1e9, at_ns=now, writer=self.writer or "")
        with self.connection.errors():
            self._log.upsert(ids=[change_id], embeddings=[_UNIT], documents=[""], metadatas=[meta])

    @retry_unreachable
    def changes_after(self, position: int | None) -> list[Change]:
        """Change records stamped after ``position`` (ns; None: all), oldest first.

        Stamps come from the writers' clocks, and a record lands a moment after
        its stamp: a reader asks from a little before its last position and
        skips the ids it has already applied.
        """
        where = None if position is None else {"at_ns": {"$gt": int(position)}}
        out: list[Change] = []
        for change_id, _, meta in paged_get(
            self.connection, lambda: self._log, where, ["metadatas"]
        ):
            out.append(
                Change(
                    change_id=change_id,
                    op=str(meta.get("op", "")),
                    doc_ids=tuple(json.loads(str(meta.get("doc_ids", "[]")))),
                    at_ns=int(meta.get("at_ns", 0)),
                )
            )
        return sorted(out, key=lambda c: (c.at_ns, c.change_id))

    # --- writer leases -----------------------------------------------------------------
    @retry_unreachable
    def _put_lease(self, writer: str, *, failed: bool = False) -> None:
        meta = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "heartbeat": time.time(),
            "failed": failed,
        }
        with self.connection.errors():
            self._leases.upsert(ids=[writer], embeddings=[_UNIT], documents=[""], metadatas=[meta])

    @retry_unreachable
    def leases(self) -> dict[str, dict[str, Any]]:
        """writer id -> lease metadata, for every sync run not cleanly finished."""
        with self.connection.errors():
            got = self._leases.get(include=["metadatas"])
        return {
            wid: dict(meta or {})
            for wid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if wid != LAST_SYNC_ID
        }

    @staticmethod
    def is_dead(lease: dict[str, Any], now: float | None = None) -> bool:
        """True when the writer of this lease can no longer finish its work."""
        if lease.get("failed"):
            return True
        if lease.get("host") == socket.gethostname():
            return not _pid_alive(int(lease.get("pid", 0)))
        return (now or time.time()) - float(lease.get("heartbeat", 0.0)) > LEASE_SECONDS

    def begin(self) -> set[str]:
        """Start a sync run under a new lease; returns the ids of dead writers to repair."""
        self.writer = f"w-{uuid.uuid4().hex[:16]}"
        self._put_lease(self.writer)
        return {wid for wid, lease in self.leases().items() if self.is_dead(lease)}

    def heartbeat(self) -> None:
        """Tell other writers this sync is still alive (once per written batch)."""
        if self.writer is not None:
            self._put_lease(self.writer)

    def live_writers(self) -> set[str]:
        """Writers whose chunks a repair must leave alone."""
        return {wid for wid, lease in self.leases().items() if not self.is_dead(lease)}

    @retry_unreachable
    def forget(self, writers: Iterable[str]) -> None:
        """Drop leases (after their leftovers were repaired, or a clean finish)."""
        ids = list(writers)
        if ids:
            with self.connection.errors():
                self._leases.delete(ids=ids)

    def end(self, *, failed: bool = False) -> None:
        """Finish this run: drop the lease, or mark it failed so the next sync repairs."""
        if self.writer is None:
            return
        if failed:
            self._put_lease(self.writer, failed=True)
        else:
            self.forget([self.writer])
            self._put_last_sync()
        self.writer = None

    @retry_unreachable
    def _put_last_sync(self) -> None:
        meta = {"at": time.time()}
        with self.connection.errors():
            self._leases.upsert(
                ids=[LAST_SYNC_ID], embeddings=[_UNIT], documents=[""], metadatas=[meta]
            )

    @retry_unreachable
    def last_sync(self) -> float | None:
        """When a sync last finished (any writer), as a Unix time."""
        with self.connection.errors():
            got = self._leases.get(ids=[LAST_SYNC_ID], include=["metadatas"])
        metas = got["metadatas"] or []
        return float(metas[0]["at"]) if got["ids"] and metas and metas[0] else None

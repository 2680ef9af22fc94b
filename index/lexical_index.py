"""The persisted lexical (BM25) side of search, kept in step with the store's change log.

A large **base** segment is saved beside the store (``<dir>/<collection>/``)
and memory-mapped on start; writes since then go to a small in-memory
**delta** segment, and documents they replaced are dropped from the base by a
mask. Each process follows the store's change log (``StoreLog.changes_after``):
a change names documents, whose chunks are re-read, so a replica on a shared
Chroma server catches up on another's writes without re-reading every chunk.
When the delta outgrows ``COMPACT_MIN_CHUNKS`` (or a fifth of the base) the
base is rebuilt from the store (in a background thread; questions keep
using the old one) and saved again.

The state file records the collection, the change count it reflects and its
log position, so a stale or foreign index is detected and caught up (or
rebuilt when the log cannot account for the difference).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from index.filters import Filters, date_ordinal
from index.lexical_segment import Analyzer, Row, Segment
from index.models import StoredChunk
from index.store_log import Change

log = logging.getLogger(__name__)
COMPACT_MIN_CHUNKS = 2000  # delta size that triggers a rebuild of the base (~1 s to index)
INLINE_REBUILD_CHUNKS = 5000  # stores this small are rebuilt inline (about a second)
MARGIN_NS = 60 * 10**9  # re-read this much of the log: writers' clocks and late records
_FORMAT = 1


class LexicalSource(Protocol):
    """What the lexical index reads from a store."""

    name: str

    def version(self) -> int: ...

    def changes_after(self, position: int | None) -> list[Change]: ...

    def iter_chunks(self, filters: Filters | None = None) -> Iterable[StoredChunk]: ...


def row_of(chunk: StoredChunk) -> Row:
    """The lexical row of a stored chunk."""
    return Row(
        chunk.chunk_id, chunk.doc_id, date_ordinal(chunk.date), f"{chunk.title}\n{chunk.text}"
    )


class LexicalIndex:
    """BM25 over a store's chunks: persisted base + delta, refreshed from the change log."""

    def __init__(self, store: LexicalSource, analyzer: Analyzer, directory: Path | None) -> None:
        self.store = store
        self.analyzer = analyzer
        self.folder = directory / store.name if directory is not None else None
        self.base = Segment.build(analyzer, [])
        self.base_dir: str | None = None
        self.delta_rows: dict[str, list[Row]] = {}  # doc_id -> rows newer than the base
        self.delta = Segment.build(analyzer, [])
        self.dead: set[str] = set()  # base documents replaced or removed since
        self.delta_dead: set[str] = set()  # delta documents changed since it was built
        self.version = -1  # change records reflected; -1: nothing loaded yet
        self.position = 0  # newest change stamp applied (ns)
        self.applied: dict[str, int] = {}  # change id -> stamp, within MARGIN_NS of the position
        self._lock = threading.RLock()
        self._compacting: threading.Thread | None = None
        self.loaded_from_disk = self._load()

    # --- questions ------------------------------------------------------------------
    def search(self, query: str, k: int, filters: Filters | None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first; base and delta merged by score."""
        self.refresh()
        with self._lock:
            base, delta = self.base, self.delta
            dead, delta_dead = set(self.dead), set(self.delta_dead)
        bounds = filters.bounds() if filters is not None and not filters.is_empty() else None
        hits = base.search(query, k, base.mask(bounds, dead))
        hits += delta.search(query, k, delta.mask(bounds, delta_dead))
        return sorted(hits, key=lambda h: h[1], reverse=True)[:k]

    def __len__(self) -> int:
        dead = sum(len(self.base.positions.get(d, [])) for d in self.dead)
        dead += sum(len(self.delta.positions.get(d, [])) for d in self.delta_dead)
        return len(self.base) + len(self.delta) - dead

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency; terms absent from the corpus weigh most."""
        df = self.base.df.get(term, 0) + self.delta.df.get(term, 0)
        return math.log((len(self) + 1) / (df + 0.5))

    # --- keeping up with the store ------------------------------------------------------
    def refresh(self) -> None:
        """Apply the store's changes since the last refresh (a full build the first time)."""
        version = self.store.version()
        with self._lock:
            if version == self.version:
                return
            if self.version < 0 or version < self.version:
                self._rebuild()
                return
            changes = self.store.changes_after(max(0, self.position - MARGIN_NS))
            new = [c for c in changes if c.change_id not in self.applied]
            if self.version + len(new) < version:  # the log cannot explain the difference
                log.info("Lexical index of %s is stale beyond its log: rebuilding", self.store.name)
                self._rebuild()
                return
            self._apply(new)
            self.version += len(new)
            pending = sum(len(rows) for rows in self.delta_rows.values())
            if pending <= max(COMPACT_MIN_CHUNKS, len(self.base) // 5):
                self._build_delta()
                self._save_state()
            elif len(self.base) + pending <= INLINE_REBUILD_CHUNKS:
                self._rebuild()  # a small store: rebuilt at once, searchable at once
            else:
                # The delta would be thrown away by the compaction: not built. Until the
                # compaction ends, the changed documents are found by dense search only.
                self._start_compaction()

    def _apply(self, changes: list[Change]) -> None:
        docs = sorted({d for c in changes for d in c.doc_ids})
        fresh: dict[str, list[Row]] = {d: [] for d in docs}
        for part in range(0, len(docs), 500):
            batch = tuple(docs[part : part + 500])
            for chunk in self.store.iter_chunks(Filters(doc_ids=batch)):
                fresh.setdefault(chunk.doc_id, []).append(row_of(chunk))
        for doc_id, rows in fresh.items():
            if doc_id in self.base.positions:
                self.dead.add(doc_id)
            if doc_id in self.delta.positions:
                self.delta_dead.add(doc_id)  # until the delta segment is rebuilt
            if rows:
                self.delta_rows[doc_id] = rows
            else:
                self.delta_rows.pop(doc_id, None)
        self._advance(changes)

    def _build_delta(self) -> None:
        rows = [r for rs in self.delta_rows.values() for r in rs]
        self.delta, self.delta_dead = Segment.build(self.analyzer, rows), set()

    def _advance(self, changes: list[Change]) -> None:
        if changes:
            self.position = max(self.position, max(c.at_ns for c in changes))
        self.applied.update((c.change_id, c.at_ns) for c in changes)
        floor = self.position - MARGIN_NS
        self.applied = {i: at for i, at in self.applied.items() if at > floor}

    def _rebuild(self) -> None:
        """Index every chunk anew (log read first: writes during the read are replayed)."""
        changes = self.store.changes_after(None)
        rows = [row_of(c) for c in self.store.iter_chunks()]
        base = Segment.build(self.analyzer, rows)
        self.base, self.dead, self.delta_rows = base, set(), {}
        self._build_delta()
        self.version, self.position, self.applied = len(changes), 0, {}
        self._advance(changes)
        self._save_base()

    def _start_compaction(self) -> None:
        if self._compacting is not None:
            return

        def compact() -> None:
            try:
                fresh = LexicalIndex(self.store, self.analyzer, None)
                fresh.refresh()
                with self._lock:
                    self.base, self.delta, self.delta_rows = fresh.base, fresh.delta, {}
                    self.delta_dead = set()
                    self.dead, self.version = set(), fresh.version
                    self.position, self.applied = fresh.position, fresh.applied
                    self._save_base()
            except Exception:  # the current index keeps serving; the next refresh retries
                log.exception("Compacting the lexical index failed")
            finally:
                self._compacting = None

        self._compacting = threading.Thread(target=compact, name="bm25-compact", daemon=True)
        self._compacting.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background compaction (if any) has finished."""
        thread = self._compacting
        if thread is not None:
            thread.join(timeout)

    # --- files --------------------------------------------------------------------------
    def _save_base(self) -> None:
        if self.folder is None:
            return
        name = f"base-{uuid.uuid4().hex[:12]}"
        try:
            self.base.save(self.folder / name)
            old, self.base_dir = self.base_dir, name
            self._save_state()
            if old is not None:
                shutil.rmtree(self.folder / old, ignore_errors=True)
        except OSError as exc:  # a read-only or full disk: keep serving from memory
            log.warning("Could not save the lexical index in %s: %s", self.folder, exc)

    def _save_state(self) -> None:
        if self.folder is None or self.base_dir is None:
            return
        state = {
            "format": _FORMAT,
            "collection": self.store.name,
            "base": self.base_dir,
            "version": self.version,
            "position": self.position,
            "applied": self.applied,
            "dead": sorted(self.dead),
            "delta": [r.to_json() for rs in self.delta_rows.values() for r in rs],
        }
        tmp = self.folder / f"state.{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp"
        try:
            tmp.write_text(json.dumps(state), "utf-8")
            os.replace(tmp, self.folder / "state.json")  # readers never see half a file
        except OSError as exc:
            log.warning("Could not save the lexical index state in %s: %s", self.folder, exc)

    def _load(self) -> bool:
        """Open the saved index if it belongs to this collection; False if there is none."""
        if self.folder is None:
            return False
        try:
            state = json.loads((self.folder / "state.json").read_text("utf-8"))
            if state.get("format") != _FORMAT or state.get("collection") != self.store.name:
                return False
            base = Segment.load(self.analyzer, self.folder / str(state["base"]))
        except (OSError, ValueError, KeyError, TypeError):
            return False  # missing or damaged: the first refresh rebuilds
        self.base, self.base_dir = base, str(state["base"])
        self.version, self.position = int(state["version"]), int(state["position"])
        self.applied = {str(i): int(at) for i, at in dict(state["applied"]).items()}
        self.dead = set(state["dead"])
        for row in (Row.from_json(r) for r in state["delta"]):
            self.delta_rows.setdefault(row.doc_id, []).append(row)
        self._build_delta()
        return True

"""Incremental, crash-safe sync of files into the store.

Documents are written in batches (up to a store batch of chunks or
``_BATCH_DOCUMENTS`` documents); per batch, each document version being
identified by the sha256 of its bytes:

1. the chunks of all its documents are written under ids that contain the hash,
   in calls of at most the store's batch size,
2. every other chunk of those documents (older versions, leftovers) is deleted,
3. their ledger records are upserted: this is the commit point, followed by
   one change-log record naming the batch's documents.

A run killed anywhere leaves the ledger pointing at a version whose chunks are
complete; leftovers (chunks of an uncommitted version) are removed by the
repair pass that the next run performs when the previous one never finished.
Unchanged files (same hash, same chunker) are skipped before any parsing or
embedding work.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Protocol

from index.annotate import ChunkAnnotation
from index.chunk_annotations import annotate_chunks, article_runs
from index.chunking import SentenceChunker
from index.embedders import Embedder
from index.errors import DiskFullError
from index.heap import trim_heap
from index.ingest_progress import ChunkProgress, Progress, batch_progress
from index.loaders import iter_corpus
from index.models import Article, DocumentFailure, IngestReport
from index.ownership import owners_by_hash
from index.store_protocol import ChunkStore
from index.store_writes import ChunkBatch, ChunkBuffer, slices
from index.sync_prepare import Pending, Preparer

_EMBED_BATCH_CHUNKS = 256  # chunks per embedding call: fewer, fuller batches
_BATCH_DOCUMENTS = 1000  # a write batch closes at this many documents ...
# ... or this many chunks (at most one store call's worth): about 30 s of embedding on
# 2 cores, so progress moves and a crash loses little, while each batch's five store
# calls cost well under 1% of it.
_BATCH_CHUNKS = 1024


class Annotator(Protocol):
    """Parses chunk texts once at ingest (``index.annotate.SpacyAnnotator`` is one).

    It sees the disjoint pieces of each article's chunks, so the chunks'
    overlaps are parsed once (``index.chunk_annotations``).
    """

    @property
    def signature(self) -> str:
        """Names the model and format, without loading anything."""
        ...

    def annotate(self, texts: Sequence[str]) -> list[ChunkAnnotation]:
        """One annotation per text."""
        ...


class Syncer:
    """Brings the store in line with a set of files."""

    def __init__(
        self,
        store: ChunkStore,
        embedder: Embedder,
        chunker: SentenceChunker,
        *,
        max_bytes: int,
        annotator: Annotator | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.max_bytes = max_bytes
        self.annotator = annotator
        # A document processed by another chunker or annotator is redone, not skipped.
        self.signature = chunker.signature + (f"+{annotator.signature}" if annotator else "")
        self.preparer = Preparer(chunker, self.signature, max_bytes)

    def sync(
        self, paths: Sequence[Path], *, prune: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        """Ingest files and directories; unchanged documents cost no embedding."""
        with self._run():
            return self._sync(paths, prune=prune, progress=progress)

    def _sync(
        self, paths: Sequence[Path], *, prune: bool, progress: Progress | None
    ) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport()
        ledger = self.store.ledger()
        files: list[tuple[Path, str]] = []
        for path in paths:
            if not path.exists():
                report.failed.append(
                    DocumentFailure(str(path), f"{path}: no such file or directory.")
                )
                continue
            files.extend(iter_corpus([path]))
        owner_of_hash = owners_by_hash(ledger)
        seen: set[str] = set()

        def prepared() -> Iterator[tuple[str, Pending | None]]:
            for file, doc_id in files:
                seen.add(doc_id)
                yield doc_id, self.preparer.file(file, doc_id, ledger, owner_of_hash, report)

        self._write_in_batches(prepared(), len(files), report, progress)
        if prune:
            for doc_id in sorted(set(ledger) - seen):
                self.store.delete_document(doc_id)
                report.removed.append(doc_id)
        report.seconds = time.perf_counter() - started
        return report

    @contextmanager
    def _run(self) -> Iterator[None]:
        """One sync run under a writer lease; a dead writer's leftovers are repaired first.

        A run that raises marks its lease failed, so the next run (in this
        process or another) repairs what it left half written.
        """
        if self.store.begin_sync():
            self.store.repair()
        try:
            yield
        except BaseException as exc:
            with suppress(Exception):  # the original error is the one to report
                self.store.end_sync(failed=True, disk_full=isinstance(exc, DiskFullError))
            raise
        finally:
            trim_heap()  # a long article's buffers go back to the OS, not just to malloc
        self.store.end_sync()

    def ingest_articles(
        self, articles: Iterable[Article], total: int, progress: Progress | None = None
    ) -> IngestReport:
        """Ingest already-loaded articles (uploads, a re-embedding), batched like ``sync``.

        ``progress`` gets (articles done, total, doc_id), fractional while a batch
        is embedded: for one upload, the fraction of its chunks embedded.
        """
        with self._run():
            started = time.perf_counter()
            report = IngestReport()
            ledger = self.store.ledger()
            owner_of_hash = owners_by_hash(ledger)

            def prepared() -> Iterator[tuple[str, Pending | None]]:
                for article in articles:
                    yield (
                        article.doc_id,
                        self.preparer.article(article, ledger, owner_of_hash, report),
                    )

            self._write_in_batches(prepared(), total, report, progress)
            report.seconds = time.perf_counter() - started
            return report

    def _write_in_batches(
        self,
        items: Iterable[tuple[str, Pending | None]],
        total: int,
        report: IngestReport,
        progress: Progress | None,
    ) -> None:
        """Write prepared documents a batch at a time; ``None`` items need no work."""
        pending: list[Pending] = []
        pending_chunks = 0
        batch_chunks = min(_BATCH_CHUNKS, self.store.max_batch())
        committed = done = 0  # committed: items before the batch now pending
        doc_id = ""
        for done, (doc_id, item) in enumerate(items, start=1):
            if item is not None:
                pending.append(item)
                pending_chunks += len(item.chunks)
                if len(pending) >= _BATCH_DOCUMENTS or pending_chunks >= batch_chunks:
                    on_chunks = batch_progress(progress, committed, done, total)
                    self._write(pending, report, on_chunks)
                    pending, pending_chunks = [], 0
            # Progress counts committed (or skipped) items, so the bar never runs
            # ahead of the work still waiting in a batch.
            if not pending:
                committed = done
                if progress is not None:
                    progress(done, total, doc_id)
        self._write(pending, report, batch_progress(progress, committed, total, total))
        if progress is not None and done:
            progress(total, total, doc_id)

    def repair(self) -> None:
        """Delete chunks that no committed ledger record points at."""
        self.store.repair()

    # --- steps ----------------------------------------------------------------------
    def _write(
        self,
        pending: list[Pending],
        report: IngestReport,
        on_chunks: ChunkProgress | None = None,
    ) -> None:
        """Embed and write one batch of documents; their ledger records commit it.

        Chunks of all the batch's documents are embedded ``_EMBED_BATCH_CHUNKS``
        at a time and sent to the store whenever a full store batch is ready,
        so a long article never sits in memory as one list of vectors, and
        short ones share every call. ``on_chunks`` gets (chunks embedded,
        chunks in the batch, doc id being embedded) after each embedding call.
        """
        if not pending:
            return
        buffer = ChunkBuffer(self.store.add_chunk_batch, self.store.max_batch())
        flat = [(item.article, chunk) for item in pending for chunk in item.chunks]
        for part in slices(len(flat), _EMBED_BATCH_CHUNKS):
            group = flat[part]
            vectors = self.embedder.embed([c.text for _, c in group])
            runs = article_runs(group)
            notes = None
            if self.annotator is not None:
                parsed = annotate_chunks(self.annotator, [(a.text, cs) for a, cs in runs])
                notes = [note.to_json() for note in parsed]
            start = 0
            for article, chunks in runs:
                end = start + len(chunks)
                buffer.push(
                    ChunkBatch(
                        article,
                        chunks,
                        vectors[start:end],
                        notes[start:end] if notes is not None else None,
                    )
                )
                start = end
            if on_chunks is not None:
                on_chunks(part.stop, len(flat), group[-1][0].doc_id)
        buffer.flush()
        self.store.delete_stale_batch(
            {p.article.doc_id: {c.chunk_id for c in p.chunks} for p in pending}
        )
        self.store.put_documents(
            [(p.article, len(p.chunks)) for p in pending], chunker=self.signature
        )
        for item in pending:
            report.chunks_written += len(item.chunks)
            (report.added if item.status == "added" else report.updated).append(item.article.doc_id)

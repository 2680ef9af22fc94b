"""Ingest progress: files done of total, moving within a batch as its chunks are embedded.

The bar counts files (what a user recognises), but one long article can be a
whole batch: ``batch_progress`` turns "chunks embedded of this batch" into a
fraction of the batch's files, so the bar and its ETA keep moving.
"""

from __future__ import annotations

from collections.abc import Callable

# (done, total, doc_id): done counts files, fractional while a batch is embedded.
Progress = Callable[[float, int, str], None]
# (chunks embedded, chunks in the batch, doc_id being embedded).
ChunkProgress = Callable[[int, int, str], None]


def batch_progress(
    progress: Progress | None, before: int, after: int, files: int
) -> ChunkProgress | None:
    """Report a batch's embedding as files before..after of ``files``, by chunks embedded."""
    if progress is None:
        return None
    report = progress

    def on_chunks(embedded: int, total: int, doc_id: str) -> None:
        report(before + (after - before) * embedded / max(total, 1), files, doc_id)

    return on_chunks

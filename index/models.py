"""Plain data types that flow from loading to the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One loaded document with its news metadata.

    ``text`` is the document's full text as decoded from the file (for HTML
    and PDF: the extracted plain text). Every character offset stored anywhere
    in the project points into this string.
    """

    doc_id: str  # path relative to the corpus root, '/'-separated
    text: str
    title: str
    date: str | None  # ISO date (YYYY-MM-DD) when the text states one
    source: str | None  # e.g. "Alba Ciudad with OT content; Translated by JRE"
    dateline: str | None  # e.g. "CARACAS"
    content_hash: str  # sha256 of the raw file bytes
    # (start, end) spans of ``text`` that hold article body, with title
    # repeats, headers, source lines and comment boilerplate left out.
    body_spans: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    # sha256 of ``text`` with whitespace collapsed (index.article_html.text_hash): the
    # same article under different HTML wrappers has one text_hash, not one content_hash.
    text_hash: str = ""


@dataclass(frozen=True)
class Chunk:
    """A piece of an article; ``article.text[start:end] == text`` always holds."""

    doc_id: str
    content_hash: str
    chunk_index: int
    text: str
    start: int
    end: int

    @property
    def chunk_id(self) -> str:
        """Stable id: the same document version always yields the same ids.

        The content hash is part of the id so a new version of a document
        never overwrites the old one in place: sync writes the new chunks,
        then deletes the old ones, and a crash in between is detectable.
        """
        return f"{self.doc_id}::{self.content_hash[:16]}::{self.chunk_index}"


@dataclass
class DocumentFailure:
    """A file that could not be ingested, and why (a sentence for the user)."""

    path: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest run did; ``ok`` is False when any file failed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[DocumentFailure] = field(default_factory=list)
    chunks_written: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "removed": self.removed,
            "failed": [{"path": f.path, "reason": f.reason} for f in self.failed],
            "chunks_written": self.chunks_written,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store, with its document metadata."""

    chunk_id: str
    doc_id: str
    chunk_index: int
    text: str
    start: int
    end: int
    title: str
    date: str | None
    source: str | None
    content_hash: str
    # Linguistic annotation computed at ingest (``index.annotate`` JSON), when present.
    annotation: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document as listed by the store."""

    doc_id: str
    title: str
    date: str | None
    source: str | None
    content_hash: str
    chunks: int

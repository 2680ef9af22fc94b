"""What the answering chain returns: passages, citations and answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.models import StoredChunk


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and per-retriever ranks."""

    chunk: StoredChunk
    score: float
    dense_score: float | None = None  # cosine similarity, when dense found it
    bm25_score: float | None = None

    @property
    def doc_id(self) -> str:
        """Document id of the underlying chunk."""
        return self.chunk.doc_id


@dataclass(frozen=True)
class Citation:
    """One ``[n]`` marker: the passage span that supports a sentence.

    ``quote == original_article_text[start:end]`` always holds.
    """

    number: int
    doc_id: str
    title: str
    date: str | None
    quote: str
    start: int
    end: int
    score: float  # support score in [0, 1]
    supported: bool
    sentence: str = ""  # the answer sentence this citation backs

    @property
    def label(self) -> str:
        """Short human label: '[1] Title (2026-03-05)'."""
        when = f" ({self.date})" if self.date else ""
        return f"[{self.number}] {self.title}{when}"


@dataclass
class Answer:
    """An answer whose every sentence carries ``[n]`` markers into ``citations``."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    notice: str | None = None  # e.g. "The model failed; this is the offline answer."
    question: str = ""
    condensed_question: str = ""
    answerer: str = "extractive"
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> milliseconds

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form used by the CLI, HTTP API and evals."""
        return {
            "text": self.text,
            "citations": [asdict(c) for c in self.citations],
            "refused": self.refused,
            "notice": self.notice,
            "question": self.question,
            "condensed_question": self.condensed_question,
            "answerer": self.answerer,
            "passages": [
                {
                    "doc_id": p.chunk.doc_id,
                    "title": p.chunk.title,
                    "date": p.chunk.date,
                    "start": p.chunk.start,
                    "end": p.chunk.end,
                    "score": round(p.score, 6),
                    "text": p.chunk.text,
                }
                for p in self.passages
            ],
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some documents and/or a date range (inclusive)."""

    doc_ids: tuple[str, ...] | None = None
    date_from: str | None = None  # 'YYYY-MM-DD'
    date_to: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Filters | None:
        """Build from a JSON-style dict; None or empty -> None."""
        if not data:
            return None
        doc_ids = data.get("doc_ids")
        return cls(
            doc_ids=tuple(doc_ids) if doc_ids else None,
            date_from=data.get("date_from") or None,
            date_to=data.get("date_to") or None,
        )

    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return not (self.doc_ids or self.date_from or self.date_to)

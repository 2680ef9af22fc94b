"""Request and response models of the JSON API (/api); they also make its OpenAPI schema.

FiltersIn and CitationOut are shared with the OpenAI routes' models in
server.openai_schemas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_K = 50  # the same bound as Settings.top_k
MAX_HISTORY_TURNS = 50
MAX_TURN_CHARS = 20_000


# --- shared pieces ----------------------------------------------------------------------
class FiltersIn(BaseModel):
    """Restrict retrieval to some documents and/or an inclusive date range."""

    model_config = ConfigDict(extra="forbid")

    doc_ids: list[str] | None = Field(None, max_length=1000, description="Only these documents.")
    date_from: dt.date | None = Field(None, description="Articles dated on or after (YYYY-MM-DD).")
    date_to: dt.date | None = Field(None, description="Articles dated on or before (YYYY-MM-DD).")

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _dates_are_written(cls, value: Any) -> Any:
        """A date is written 'YYYY-MM-DD': pydantic would read a number as a Unix time,
        which the schema does not allow and no client means."""
        if value is None or isinstance(value, str | dt.date):
            return value
        raise ValueError("a date must be a string written YYYY-MM-DD")

    def to_dict(self) -> dict[str, Any]:
        """The plain dict ``Assistant.ask(filters=...)`` takes."""
        return {
            "doc_ids": self.doc_ids or None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


class Turn(BaseModel):
    """One earlier message of the conversation."""

    role: Literal["user", "assistant"]
    content: str = Field(max_length=MAX_TURN_CHARS)


# --- /api ---------------------------------------------------------------------------------
class AskRequest(BaseModel):
    """A question, with optional conversation, filters and answerer."""

    question: str = Field(min_length=1, max_length=10_000, description="At most 2000 characters.")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    filters: FiltersIn | None = None
    k: int | None = Field(None, ge=1, le=MAX_K, description="Passages to retrieve.")
    answerer: str | None = Field(None, description="A name from GET /v1/models.")
    conversation_id: str | None = Field(
        None,
        max_length=64,
        description="Continue this saved conversation (POST /api/conversations makes one): "
        "its history comes from the server, and the new turn is saved to it.",
    )


class DocumentOut(BaseModel):
    """One indexed document."""

    doc_id: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    content_hash: str | None = None
    chunks: int | None = None


class DocumentList(BaseModel):
    """All indexed documents."""

    documents: list[DocumentOut]


class DocumentText(DocumentOut):
    """A document with its full text; citation offsets index into ``text``."""

    text: str


class Deleted(BaseModel):
    """The id of the document that was removed."""

    deleted: str


class FileResult(BaseModel):
    """What happened to one uploaded file."""

    filename: str
    doc_id: str
    status: Literal["added", "updated", "unchanged", "failed"]
    reason: str | None = None


class UploadResult(BaseModel):
    """Per-file outcome of an upload, plus the merged ingest report."""

    ok: bool
    files: list[FileResult]
    added: list[str]
    updated: list[str]
    skipped: list[str]
    failed: list[dict[str, str]]
    chunks_written: int
    seconds: float


class Health(BaseModel):
    """Whether the store (and the model, when configured) can be reached."""

    model_config = ConfigDict(extra="allow")

    ok: bool
    store: str
    model: str

"""Pydantic request and response models of the HTTP API (they also make its OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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


class CitationOut(BaseModel):
    """One ``[n]`` marker: ``quote == document_text[start:end]``."""

    model_config = ConfigDict(extra="allow")

    number: int
    doc_id: str
    title: str
    date: str | None
    quote: str
    start: int
    end: int
    score: float = Field(description="Support score in [0, 1].")
    supported: bool
    sentence: str = ""


# --- /api ---------------------------------------------------------------------------------
class AskRequest(BaseModel):
    """A question, with optional conversation, filters and answerer."""

    question: str = Field(min_length=1, max_length=10_000, description="At most 2000 characters.")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    filters: FiltersIn | None = None
    k: int | None = Field(None, ge=1, le=MAX_K, description="Passages to retrieve.")
    answerer: str | None = Field(None, description="A name from GET /v1/models.")


class PassageOut(BaseModel):
    """A retrieved passage the answer was built from."""

    model_config = ConfigDict(extra="allow")

    doc_id: str
    title: str
    date: str | None
    start: int
    end: int
    score: float
    text: str


class AnswerOut(BaseModel):
    """An answer whose every sentence carries ``[n]`` markers into ``citations``."""

    model_config = ConfigDict(extra="allow")

    text: str
    citations: list[CitationOut]
    refused: bool
    notice: str | None
    question: str
    condensed_question: str
    answerer: str
    passages: list[PassageOut]
    timings: dict[str, float]


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


# --- /v1 (OpenAI-compatible) ---------------------------------------------------------------
class ContentPart(BaseModel):
    """A part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str = "text"
    text: str | None = None


class ChatMessage(BaseModel):
    """An OpenAI chat message."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None


class StreamOptions(BaseModel):
    """OpenAI's ``stream_options``."""

    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """OpenAI's chat completion request; sampling fields are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = Field("news-rag", description="An id from GET /v1/models.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=2 * MAX_HISTORY_TURNS + 10)
    stream: bool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    n: int | None = Field(None, ge=1, le=1, description="Only one choice is produced.")
    user: str | None = None
    filters: FiltersIn | None = Field(None, description="Extension: retrieval filters.")
    k: int | None = Field(None, ge=1, le=MAX_K, description="Extension: passages to retrieve.")


class AssistantMessage(BaseModel):
    """The answer message."""

    role: Literal["assistant"] = "assistant"
    content: str
    refusal: str | None = None


class Choice(BaseModel):
    """The single choice of a completion."""

    index: int = 0
    message: AssistantMessage
    logprobs: None = None
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    """cl100k token counts (0 when the tokenizer is unavailable)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """OpenAI's ``chat.completion`` plus ``citations``, ``refused`` and ``notice``."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    system_fingerprint: str | None = None
    choices: list[Choice]
    usage: Usage
    citations: list[CitationOut]
    refused: bool
    notice: str | None = None
    answerer: str


class ModelCard(BaseModel):
    """One answerer, in OpenAI's model shape."""

    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "news-rag"


class ModelList(BaseModel):
    """OpenAI's model list."""

    object: Literal["list"] = "list"
    data: list[ModelCard]

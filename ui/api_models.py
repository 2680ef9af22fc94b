"""Pydantic request and response models of the HTTP API (they also make its OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rag.errors import ConfigError, InputError, ModelError, NotFoundError, RagError, StoreError

MAX_K = 50  # the same bound as Settings.top_k
MAX_HISTORY_TURNS = 50
MAX_TURN_CHARS = 20_000


# --- errors --------------------------------------------------------------------------
class AuthError(RagError):
    """The request lacks a valid API key."""

    http_status = 401
    code = "invalid_api_key"


class PayloadTooLarge(InputError):
    """An uploaded file is over ``max_upload_mb``."""

    http_status = 413
    code = "payload_too_large"


class UnsupportedMediaType(InputError):
    """An uploaded file's type cannot be ingested."""

    http_status = 415
    code = "unsupported_media_type"


class ModelNotFound(NotFoundError):
    """The requested model/answerer does not exist."""

    code = "model_not_found"


# Codes of the rag errors; a subclass without its own ``code`` gets its nearest base's.
_CODES: dict[type, str] = {
    ConfigError: "config_error",
    InputError: "invalid_input",
    NotFoundError: "not_found",
    StoreError: "store_unavailable",
    ModelError: "model_error",
}


def error_type(status: int) -> str:
    """OpenAI's error category for an HTTP status."""
    if status == 401:
        return "authentication_error"
    if status == 429:
        return "rate_limit_error"
    return "invalid_request_error" if status < 500 else "server_error"


def error_code(exc: RagError) -> str:
    """A snake_case code for a RagError: its ``code`` attribute or its class's name."""
    code = getattr(exc, "code", None)
    if isinstance(code, str):
        return code
    return next((_CODES[c] for c in type(exc).__mro__ if c in _CODES), "error")


def error_body(status: int, message: str, code: str | None, **extra: Any) -> dict[str, Any]:
    """The JSON problem OpenAI clients understand: ``{"error": {message, type, code}}``."""
    return {"error": {"message": message, "type": error_type(status), "code": code, **extra}}


class ErrorDetail(BaseModel):
    """OpenAI's error object: a user-safe message, a category and a specific code."""

    message: str
    type: str = Field(description="Category, as OpenAI names them (invalid_request_error, ...).")
    code: str | None = Field(None, description="Specific reason, e.g. not_found, invalid_api_key.")
    param: str | None = None
    details: list[dict[str, Any]] | None = Field(None, description="Validation errors, if any.")


class ErrorResponse(BaseModel):
    """Body of every non-2xx answer of the API."""

    error: ErrorDetail


_ERROR_DESCRIPTIONS = {
    400: "The request cannot be used as given (empty question, bad document...).",
    401: "A valid API key is required (only when RAG_API_KEYS is set).",
    404: "No such document or model.",
    413: "An uploaded file is over the size limit.",
    415: "An uploaded file has an unsupported type.",
    422: "The request does not match the schema.",
    500: "Unexpected server error (details are logged, never returned).",
    502: "The language model failed.",
    503: "The vector store cannot be reached.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries documenting the error statuses of a route."""
    return {s: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[s]} for s in statuses}


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

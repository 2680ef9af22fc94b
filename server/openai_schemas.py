"""Request and response models of the OpenAI-compatible routes (/v1), OpenAI's wire shapes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rag import Citation
from server.history_window import MAX_MESSAGES
from server.schemas import MAX_K, FiltersIn


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
    messages: list[ChatMessage] = Field(
        min_length=1,
        max_length=MAX_MESSAGES,
        description="The whole chat; the newest turns that fit are used (see history_turns).",
    )
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
    conversation_id: str | None = Field(
        None,
        max_length=64,
        description="Extension: continue this saved conversation (or send the "
        "X-Conversation-Id header); its history comes from the server, not `messages`.",
    )


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


class HistoryTurns(BaseModel):
    """A long chat is trimmed to its newest turns that fit; this says how far."""

    received: int
    used: int


class ChatCompletion(BaseModel):
    """OpenAI's ``chat.completion`` plus ``citations``, ``refused`` and ``notice``."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    system_fingerprint: str | None = None
    choices: list[Choice]
    usage: Usage
    citations: list[Citation]
    refused: bool
    notice: str | None = None
    answerer: str
    conversation_id: str | None = Field(None, description="The saved conversation continued.")
    history_turns: HistoryTurns | None = Field(
        None, description="How many earlier turns were sent, and how many the answer used."
    )


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

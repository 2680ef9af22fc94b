"""The one answer schema: ``Passage``, ``Citation`` and ``Answer`` (pydantic).

These models are what the chain returns and, unchanged, what every client
shows or stores: the JSON API's response bodies, the OpenAI ``citations``
extra, the chat exports and the eval rows all use ``model_dump()`` of them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

from index.filters import Filters
from index.models import StoredChunk

__all__ = ["Answer", "Citation", "Filters", "Passage"]


class Passage(BaseModel):
    """A retrieved chunk with its fused score and per-retriever scores."""

    model_config = ConfigDict(
        frozen=True, arbitrary_types_allowed=True, json_schema_serialization_defaults_required=True
    )

    chunk: StoredChunk = Field(exclude=True)
    score: float = Field(description="Fused retrieval score (reciprocal rank fusion).")
    dense_score: float | None = Field(None, exclude=True)  # cosine, when dense found it
    bm25_score: float | None = Field(None, exclude=True)

    @computed_field(description="Document id (path relative to the corpus root).")  # type: ignore[prop-decorator]
    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id

    @computed_field  # type: ignore[prop-decorator]
    @property
    def title(self) -> str:
        return self.chunk.title

    @computed_field(description="Article date, YYYY-MM-DD, when it states one.")  # type: ignore[prop-decorator]
    @property
    def date(self) -> str | None:
        return self.chunk.date

    @computed_field(description="Start offset of the chunk in the article text.")  # type: ignore[prop-decorator]
    @property
    def start(self) -> int:
        return self.chunk.start

    @computed_field(description="End offset of the chunk in the article text.")  # type: ignore[prop-decorator]
    @property
    def end(self) -> int:
        return self.chunk.end

    @computed_field(description="The chunk text: article_text[start:end].")  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        return self.chunk.text

    @field_serializer("score")
    def _round_score(self, value: float) -> float:
        return round(value, 6)


class Citation(BaseModel):
    """One ``[n]`` marker: the passage span that supports a sentence.

    ``quote == original_article_text[start:end]`` always holds; when the
    answer opens with a short answer taken from the quote, ``answer_start``
    and ``answer_end`` are its offsets (inside ``start..end``).
    """

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    number: int = Field(description="The n of the [n] marker in the answer text.")
    doc_id: str
    title: str
    date: str | None = Field(description="Article date (YYYY-MM-DD) or null.")
    quote: str = Field(description="Exact article text: article_text[start:end].")
    start: int
    end: int
    score: float = Field(description="Support score in [0, 1].")
    supported: bool = Field(description="False when the quote does not back the sentence.")
    sentence: str = Field("", description="The answer sentence this citation backs.")
    answer_start: int | None = Field(None, description="Offset of the short answer, if any.")
    answer_end: int | None = Field(None, description="End offset of the short answer, if any.")

    @property
    def label(self) -> str:
        """Short human label: '[1] Title (2026-03-05)'."""
        when = f" ({self.date})" if self.date else ""
        return f"[{self.number}] {self.title}{when}"


class Answer(BaseModel):
    """An answer whose every sentence carries ``[n]`` markers into ``citations``."""

    model_config = ConfigDict(
        arbitrary_types_allowed=True, json_schema_serialization_defaults_required=True
    )

    text: str
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    notice: str | None = None  # e.g. "The model failed; this is the offline answer."
    question: str = ""
    condensed_question: str = ""
    answerer: str = "extractive"
    passages: list[Passage] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)  # stage -> milliseconds
    conversation_id: str | None = Field(
        None, description="The saved conversation this answer continued, if any."
    )

    def __init__(self, text: str = "", citations: list[Citation] | None = None, /, **data: Any):
        # Positional text and citations, as the dataclass it replaced took them.
        if citations is not None:
            data["citations"] = citations
        super().__init__(text=data.pop("text", text), **data)

    def with_notice(self, notice: str) -> Answer:
        """A copy whose notice is ``notice``, after any notice it had."""
        joined = f"{self.notice} {notice}" if self.notice else notice
        return self.model_copy(update={"notice": joined})

    @field_serializer("timings")
    def _round_timings(self, value: dict[str, float]) -> dict[str, float]:
        return {k: round(v, 2) for k, v in value.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``model_dump(mode="json")``) used by every client."""
        return self.model_dump(mode="json")

"""Embeddings from OpenAI or any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from index.embedders import l2_normalize
from index.errors import ConfigError, ModelError
from index.openai_client import (
    TransientModelError,
    open_openai_client,
    retry_after,
    safe_endpoint,
)
from index.retry import Backoff
from index.tokens import get_encoding

#: OpenAI's per-input limit for its embedding models, in cl100k tokens.
MAX_INPUT_TOKENS = 8191
KNOWN_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}


class OpenAIEmbedder:
    """Batches texts by count and tokens into an OpenAI-compatible /embeddings API."""

    def __init__(
        self,
        *,
        model: str = "text-embedding-3-small",
        base_url: str | None = None,
        api_key: str | None = None,
        batch_size: int = 64,
        batch_tokens: int = 8000,
        timeout: float = 60.0,
        max_retries: int = 2,
        dimension: int | None = None,
        retry_backoff: float = 0.5,
    ) -> None:
        if batch_size < 1 or batch_tokens < 1:
            raise ConfigError("Embedding batch_size and batch_tokens must be at least 1.")
        self.model = model
        self.batch_size = batch_size
        # No single text may exceed a request's token budget either.
        self.input_tokens = min(MAX_INPUT_TOKENS, batch_tokens)
        self.batch_tokens = batch_tokens
        self._endpoint = safe_endpoint(base_url)
        self._client = open_openai_client(
            api_key=api_key, base_url=base_url, timeout=timeout, what="embeddings"
        )
        self._backoff = Backoff(retries=max_retries, first=retry_backoff)
        self._requested_dimension = dimension
        self._dimension = dimension or KNOWN_DIMENSIONS.get(model)
        self._lock = threading.Lock()
        slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-") or "model"
        # A shortened text-embedding-3 vector is a different space: keep its store apart.
        suffix = f"-{dimension}" if dimension and dimension != KNOWN_DIMENSIONS.get(model) else ""
        self.name = f"openai-{slug}{suffix}"

    @property
    def dimension(self) -> int:
        """Vector length: given, known for OpenAI's models, or asked of the endpoint once."""
        if self._dimension is None:
            self.embed(["dimension probe"])
        assert self._dimension is not None
        return self._dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors for ``texts``, in input order."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prepared = [self._truncate(t) for t in texts]
        rows: list[np.ndarray] = []
        for batch in self._batches(prepared):
            rows.extend(self._request([text for text, _ in batch]))
        return l2_normalize(np.stack(rows))

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of one text."""
        return self.embed([text])[0]

    def _truncate(self, text: str) -> tuple[str, int]:
        """(text cut to the per-input token limit, its token count)."""
        encoding = get_encoding()
        tokens = encoding.encode(text, disallowed_special=())
        limit = self.input_tokens
        while len(tokens) > self.input_tokens:
            # A cut inside a multi-byte character can re-encode longer: cut again.
            text = encoding.decode(tokens[:limit])
            tokens = encoding.encode(text, disallowed_special=())
            limit -= 1
        # OpenAI rejects an empty string as input; a space embeds as "nothing".
        return (text if text.strip() else " "), max(len(tokens), 1)

    def _batches(self, items: list[tuple[str, int]]) -> Iterator[list[tuple[str, int]]]:
        """Consecutive groups within both batch_size and batch_tokens."""
        batch: list[tuple[str, int]] = []
        used = 0
        for item in items:
            if batch and (len(batch) == self.batch_size or used + item[1] > self.batch_tokens):
                yield batch
                batch, used = [], 0
            batch.append(item)
            used += item[1]
        if batch:
            yield batch

    def _request(self, inputs: list[str]) -> list[np.ndarray]:
        """One embeddings call, retried on transient failures, as rows in input order."""
        return self._backoff.call(lambda: self._request_once(inputs), (TransientModelError,))

    def _request_once(self, inputs: list[str]) -> list[np.ndarray]:
        import httpx
        import openai

        extra: dict[str, Any] = {}
        if self._requested_dimension and self.model.startswith("text-embedding-3"):
            extra["dimensions"] = self._requested_dimension
        try:
            response = self._client.embeddings.create(
                model=self.model, input=inputs, encoding_format="float", **extra
            )
        except openai.APIError as exc:
            raise _describe(exc, self._endpoint) from exc
        except (ValueError, httpx.HTTPError) as exc:  # a body that is not JSON, a cut reply
            raise ModelError(
                f"The embedding endpoint {self._endpoint} sent a reply that could not be read."
            ) from exc
        return self._parse(response, len(inputs))

    def _parse(self, response: Any, expected: int) -> list[np.ndarray]:
        """Rows ordered by each item's ``index``, checked for count and length."""
        try:
            items = sorted(response.data, key=lambda item: int(item.index))
            rows = [np.asarray(item.embedding, dtype=np.float32) for item in items]
            indexes = [int(item.index) for item in items]
        except (AttributeError, TypeError, ValueError) as exc:
            raise ModelError(
                f"The embedding endpoint {self._endpoint} sent a malformed reply."
            ) from exc
        if indexes != list(range(expected)) or any(row.ndim != 1 for row in rows):
            raise ModelError(
                f"The embedding endpoint {self._endpoint} returned {len(rows)} vectors "
                f"for {expected} texts."
            )
        with self._lock:
            if self._dimension is None:
                self._dimension = len(rows[0])
        if any(len(row) != self._dimension for row in rows):
            raise ModelError(
                f"The embedding endpoint {self._endpoint} returned vectors of length "
                f"{len(rows[0])}, expected {self._dimension}."
            )
        return rows


def _describe(exc: Exception, endpoint: str) -> ModelError:
    """A one-sentence, key-free reason for a failed embeddings call (transient or not)."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return TransientModelError(f"The embedding endpoint {endpoint} did not answer in time.")
    if isinstance(exc, openai.APIConnectionError):
        return TransientModelError(f"The embedding endpoint {endpoint} could not be reached.")
    where = f"The embedding endpoint {endpoint}"
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return ModelError(f"{where} rejected the API key (HTTP {exc.status_code}).")
    if isinstance(exc, openai.RateLimitError):
        message = f"{where} is rate limiting requests (HTTP 429)."
        return TransientModelError(message, retry_after(exc))
    if isinstance(exc, openai.NotFoundError):
        return ModelError(
            f"{where} answered HTTP 404: check the base URL (usually ending in /v1) and the "
            "model name."
        )
    if isinstance(exc, openai.APIStatusError):
        message = f"{where} failed with HTTP {exc.status_code}."
        return TransientModelError(message) if exc.status_code >= 500 else ModelError(message)
    return ModelError(f"{where} sent a reply that could not be read.")

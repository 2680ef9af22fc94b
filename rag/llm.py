"""Chat models: any OpenAI-compatible endpoint, or llama.cpp in process.

Both speak OpenAI-style ``messages`` and return plain text (``complete``) or
text deltas (``stream``). Every failure leaves as a ``ModelError`` whose
message is one sentence naming the endpoint and the problem, never the key.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from index.openai_client import open_openai_client, retry_after
from index.retry import Backoff
from rag.errors import ConfigError, ModelError

if TYPE_CHECKING:
    import openai

    from rag.settings import Settings

log = logging.getLogger(__name__)


@runtime_checkable
class ChatLLM(Protocol):
    """What the answerer needs from a chat model."""

    name: str

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The whole reply to ``messages``."""
        ...

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The reply to ``messages`` as text deltas."""
        ...


class _Retryable(Exception):
    """A failure worth another attempt; its message is the sentence to raise at the end."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # seconds the server asked us to wait


class _StreamCut(_Retryable):
    """The stream ended without a finish reason."""


class OpenAIChatLLM:
    """OpenAI or any OpenAI-compatible server, with retries and readable errors."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        temperature: float = 0.0,
        max_tokens: int = 512,
        retry_backoff: float = 0.5,
    ) -> None:
        """``retry_backoff``: the first wait in seconds, doubled per retry (at most 8 s)."""
        import openai  # a core dependency, imported here to keep `import rag` light

        self.name = f"openai:{model}"
        self.model = model
        self.base_url = base_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.retry_backoff = retry_backoff
        self._openai = openai
        self._secret = api_key
        # Retries are ours (index.retry): the client cannot retry a stream that
        # breaks after its headers arrived, and one policy covers every path.
        self._client = open_openai_client(
            api_key=api_key, base_url=base_url, timeout=timeout, what="chat"
        )
        self._backoff = Backoff(retries=max_retries, first=retry_backoff)

    @property
    def endpoint(self) -> str:
        """How error sentences name the endpoint: its base URL, or 'OpenAI'."""
        return f"The LLM endpoint {self.base_url}" if self.base_url else "OpenAI"

    def ping(self, timeout: float = 3.0) -> None:
        """Raise ModelError unless the endpoint answers GET /models (health checks)."""
        try:
            with self._translated():
                self._client.with_options(timeout=timeout).models.list()
        except _Retryable as exc:
            raise self._fail(str(exc)) from None

    def close(self) -> None:
        """Close the pooled HTTP connections (a host app calls this on shutdown)."""
        self._client.close()

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The whole reply, retried on connection errors, timeouts, 429 and 5xx."""
        for attempt in range(self.max_retries + 1):
            try:
                with self._translated():
                    response = self._create(messages, stream=False)
                content = response.choices[0].message.content
            except (AttributeError, IndexError, TypeError) as exc:
                raise self._fail(f"{self.endpoint} sent a malformed response.") from exc
            except _Retryable as exc:
                self._wait_or_raise(attempt, exc)
                continue
            if not isinstance(content, str) or not content.strip():
                raise self._fail(f"{self.endpoint} returned an empty completion.")
            return content
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Text deltas; a stream that fails before its first delta is retried."""
        for attempt in range(self.max_retries + 1):
            started = False
            try:
                for delta in self._stream_once(messages):
                    started = True
                    yield delta
            except _Retryable as exc:
                if started:  # the caller already showed part of it: no silent restart
                    raise self._fail(
                        f"{self.endpoint} cut the answer stream off before it finished."
                    ) from exc
                self._wait_or_raise(attempt, exc)
                continue
            if not started:
                raise self._fail(f"{self.endpoint} returned an empty completion.")
            return

    # --- one attempt -----------------------------------------------------------
    def _stream_once(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """One streaming request; raises _StreamCut when it ends unfinished."""
        finished = False
        with self._translated():
            chunks = self._create(messages, stream=True)
            try:
                for chunk in chunks:
                    if not chunk.choices:
                        continue  # e.g. the usage chunk
                    choice = chunk.choices[0]
                    if choice.delta is not None and choice.delta.content:
                        yield choice.delta.content
                    finished = finished or choice.finish_reason is not None
            except (AttributeError, IndexError, TypeError) as exc:
                raise self._fail(f"{self.endpoint} sent a malformed stream chunk.") from exc
            finally:
                chunks.close()
        if not finished:
            raise _StreamCut(f"{self.endpoint} ended the stream without finishing it.")

    def _create(self, messages: list[dict[str, str]], *, stream: bool) -> Any:
        """Send one chat completion request."""
        return self._client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            stream=stream,
        )

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Map vendor and transport errors to _Retryable or ModelError."""
        import httpx  # openai's own transport, so installed with it

        openai = self._openai
        try:
            yield
        except (openai.APIConnectionError, httpx.TransportError) as exc:
            # openai wraps the httpx error (timeouts included) as __cause__;
            # a broken stream raises the httpx error itself.
            cause = exc.__cause__ or exc
            if isinstance(cause, httpx.TimeoutException):
                problem = f"timed out after {self.timeout:g} s"
            elif isinstance(cause, httpx.TransportError) and not isinstance(
                cause, httpx.ConnectError
            ):
                problem = "dropped the connection mid-response"
            else:
                problem = "is unreachable (could not connect)"
            raise _Retryable(f"{self.endpoint} {problem}.") from exc
        except openai.APIStatusError as exc:
            raise self._status_problem(exc) from exc
        except openai.APIResponseValidationError as exc:
            raise self._fail(f"{self.endpoint} sent a malformed response.") from exc
        except openai.APIError as exc:  # an error event inside a stream
            raise self._fail(f"{self.endpoint} reported an error: {_short(exc.message)}") from exc
        except json.JSONDecodeError as exc:  # the body is not JSON at all
            raise self._fail(f"{self.endpoint} sent a malformed response (not JSON).") from exc

    # --- error sentences -----------------------------------------------------------
    def _status_problem(self, exc: openai.APIStatusError) -> Exception:
        code = exc.status_code
        where = self.endpoint
        if code == 429:
            return _Retryable(f"{where} rate limited the request (HTTP 429).", retry_after(exc))
        if code >= 500:
            return _Retryable(f"{where} had a server error (HTTP {code}).")
        if code == 401:
            return self._fail(f"{where} answered HTTP 401: the API key was rejected.")
        if code == 403:
            return self._fail(f"{where} answered HTTP 403: the API key may not use '{self.model}'.")
        if code == 404:
            return self._fail(f"{where} answered HTTP 404: model '{self.model}' not found.")
        body = exc.body if isinstance(exc.body, dict) else {}
        detail = _short(str(body.get("message") or "no details"))
        return self._fail(f"{where} rejected the request (HTTP {code}): {detail}")

    def _fail(self, sentence: str) -> ModelError:
        """A ModelError whose message can never contain the API key."""
        if self._secret:
            sentence = sentence.replace(self._secret, "***")
        return ModelError(sentence)

    def _wait_or_raise(self, attempt: int, exc: _Retryable) -> None:
        """Sleep before the next attempt, or raise when none is left."""
        if attempt >= self.max_retries:
            tries = f"; gave up after {attempt + 1} attempts" if attempt else ""
            raise self._fail(str(exc).rstrip(".") + tries + ".") from exc.__cause__
        delay = self._backoff.delay(attempt, exc.retry_after)
        log.warning("%s Retrying in %.2f s.", self._fail(str(exc)), delay)
        time.sleep(delay)


def _short(text: str, limit: int = 160) -> str:
    """One line of at most ``limit`` characters, ending in a full stop."""
    line = " ".join(str(text).split())
    line = line if len(line) <= limit else line[: limit - 1] + "…"
    return line if line.endswith((".", "…")) else line + "."


def build_llm(settings: Settings) -> ChatLLM | None:
    """The chat model the settings ask for; None means the extractive answerer."""
    if settings.llm_mode == "extractive":
        return None
    if settings.llm_mode == "llamacpp":
        from rag.llamacpp import LlamaCppLLM

        return LlamaCppLLM(
            model_path=settings.llamacpp_model_path,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
        )
    api_key = settings.api_key_value()
    if not settings.openai_base_url and not api_key:
        raise ConfigError(
            "llm_mode=openai needs RAG_OPENAI_API_KEY (or OPENAI_API_KEY) for OpenAI, "
            "or RAG_OPENAI_BASE_URL for a local OpenAI-compatible server."
        )
    return OpenAIChatLLM(
        model=settings.llm_model,
        base_url=settings.openai_base_url,
        api_key=api_key,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
    )

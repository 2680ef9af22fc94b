"""Opening an OpenAI or OpenAI-compatible client, the same way for embeddings and chat.

One place decides where the key comes from (the setting, else
``OPENAI_API_KEY``), what a local server that ignores keys gets, how an
endpoint is named in messages (never with its credentials), and that the
client itself does not retry: ``index.retry.Backoff`` does, for every call.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from index.errors import ConfigError, ModelError

# Local servers (llama.cpp, vLLM, Ollama) ignore the key, but the client
# refuses to start without one.
PLACEHOLDER_KEY = "not-needed"


class TransientModelError(ModelError):
    """A failure worth another attempt (timeout, connection, 429, 5xx)."""

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # seconds the server asked us to wait


def resolve_api_key(api_key: str | None, base_url: str | None, what: str) -> str:
    """The key to send: given, from the environment, or the placeholder for a local server."""
    key = api_key or os.environ.get("OPENAI_API_KEY")
    if key:
        return key
    if base_url is not None:
        return PLACEHOLDER_KEY
    raise ConfigError(
        f"No API key for OpenAI {what}: set RAG_OPENAI_API_KEY or OPENAI_API_KEY, "
        "or point RAG_OPENAI_BASE_URL at a local server."
    )


def open_openai_client(
    *, api_key: str | None, base_url: str | None, timeout: float, what: str
) -> Any:
    """An ``openai.OpenAI`` client with retries off (ours apply, see module doc)."""
    import openai  # a core dependency, imported here to keep `import rag` light

    key = resolve_api_key(api_key, base_url, what)
    return openai.OpenAI(api_key=key, base_url=base_url, timeout=timeout, max_retries=0)


def safe_endpoint(base_url: str | None) -> str:
    """host[:port] of the endpoint: no path, user or password, for messages.

    >>> safe_endpoint("http://user:pw@127.0.0.1:8080/v1"), safe_endpoint(None)
    ('127.0.0.1:8080', 'api.openai.com')
    """
    if base_url is None:
        return "api.openai.com"
    parts = urlsplit(base_url)
    host = parts.hostname or base_url
    return f"{host}:{parts.port}" if parts.port else host


def retry_after(exc: Any) -> float:
    """Seconds from a Retry-After(-ms) header, 0 when absent or unparsable."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or {}
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        return float(headers.get("retry-after", 0))
    except ValueError:  # an HTTP date: rare, and the backoff covers it
        return 0.0

"""Errors whose messages are safe to show to a user.

Everything the project raises on purpose is a ``RagError``; the edges (CLI,
web UI, HTTP API) translate it into an exit message, a ``gr.Error`` or a JSON
problem. Anything else reaching an edge is a bug and is logged, not shown.
"""

from __future__ import annotations


class RagError(Exception):
    """Base class: ``str(error)`` is a complete sentence a user can read."""

    #: HTTP status the API answers with for this kind of error.
    http_status: int = 500


class ConfigError(RagError):
    """A setting is missing, malformed, or names something not installed."""

    http_status = 400


class InputError(RagError):
    """A document, upload or question cannot be used as given."""

    http_status = 400


class NotFoundError(RagError):
    """A document or resource that was asked for does not exist."""

    http_status = 404


class StoreError(RagError):
    """The vector store cannot be reached or refused an operation."""

    http_status = 503


class DiskFullError(StoreError):
    """The data directory is full or read-only: the engine must not be touched again.

    After such a failure Chroma's embedded engine can block on its next call
    while the disk is still full, so cleanup waits until the engine reopens.
    """


class ModelError(RagError):
    """The LLM or embedding endpoint failed after retries."""

    http_status = 502

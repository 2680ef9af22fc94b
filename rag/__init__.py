"""Cited question answering over news articles.

``from rag import Assistant`` is the public API. Heavy modules load lazily so
that ``import rag`` (and ``rag --help``) stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rag.errors import ConfigError, InputError, ModelError, NotFoundError, RagError, StoreError

if TYPE_CHECKING:
    from index.loaders import SUPPORTED_SUFFIXES
    from index.models import DocumentInfo, IngestReport
    from index.tokens import count_tokens
    from rag.assistant import Assistant
    from rag.models import Answer, Citation, Filters, Passage
    from rag.settings import Settings

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Answer",
    "Assistant",
    "Citation",
    "ConfigError",
    "DocumentInfo",
    "IngestReport",
    "Filters",
    "InputError",
    "ModelError",
    "NotFoundError",
    "Passage",
    "RagError",
    "Settings",
    "StoreError",
    "count_tokens",
]

_LAZY = {
    "Assistant": "rag.assistant",
    "DocumentInfo": "index.models",
    "IngestReport": "index.models",
    "SUPPORTED_SUFFIXES": "index.loaders",
    "count_tokens": "index.tokens",
    "Answer": "rag.models",
    "Citation": "rag.models",
    "Filters": "rag.models",
    "Passage": "rag.models",
    "Settings": "rag.settings",
}


def __getattr__(name: str) -> Any:
    """Import public classes on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")

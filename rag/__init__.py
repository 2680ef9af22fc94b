"""Cited question answering over news articles: the public surface of newsrag.

``from rag import Assistant`` is the Python API, and ``ui``, ``server`` and
``evals`` import only from here (plus ``rag.cli``, the CLI extension surface:
the typer ``app`` and ``user_errors``). Heavy modules load lazily, through
``_LAZY``, so that ``import rag`` (and ``rag --help``) stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rag.shadowing import check_not_shadowed

check_not_shadowed("index")  # before anything imports it: a local index.py gets a clear error

from rag.errors import (  # noqa: E402
    ConfigError,
    InputError,
    ModelError,
    NotFoundError,
    RagError,
    StoreError,
)

if TYPE_CHECKING:
    from index.loaders import SUPPORTED_SUFFIXES
    from index.models import DocumentInfo, IngestReport
    from index.names import clean_file_name
    from index.tokens import count_tokens
    from rag.assistant import Assistant
    from rag.conversation_export import conversation_json, conversation_markdown
    from rag.conversations import (
        LOCAL_OWNER,
        Conversation,
        ConversationStore,
        ConversationSummary,
        ConversationsUnavailable,
        StoredTurn,
        owner_for,
    )
    from rag.llm import ChatLLM
    from rag.markers import MARKER, REFUSAL, marker_numbers, split_marked, strip_markers
    from rag.models import Answer, Citation, Filters, Passage
    from rag.offline import configure_offline_environment
    from rag.questions import MAX_QUESTION_CHARS, clean_question
    from rag.settings import Settings, load_settings

__all__ = [
    "LOCAL_OWNER",
    "MARKER",
    "MAX_QUESTION_CHARS",
    "REFUSAL",
    "SUPPORTED_SUFFIXES",
    "Answer",
    "Assistant",
    "ChatLLM",
    "Citation",
    "ConfigError",
    "Conversation",
    "ConversationStore",
    "ConversationSummary",
    "ConversationsUnavailable",
    "DocumentInfo",
    "Filters",
    "IngestReport",
    "InputError",
    "ModelError",
    "NotFoundError",
    "Passage",
    "RagError",
    "Settings",
    "StoreError",
    "StoredTurn",
    "check_not_shadowed",
    "clean_file_name",
    "clean_question",
    "configure_offline_environment",
    "conversation_json",
    "conversation_markdown",
    "count_tokens",
    "load_settings",
    "marker_numbers",
    "owner_for",
    "split_marked",
    "strip_markers",
]

_LAZY = {
    "Assistant": "rag.assistant",
    "MAX_QUESTION_CHARS": "rag.questions",
    "clean_question": "rag.questions",
    "ChatLLM": "rag.llm",
    "LOCAL_OWNER": "rag.conversations",
    "Conversation": "rag.conversations",
    "ConversationStore": "rag.conversations",
    "ConversationSummary": "rag.conversations",
    "ConversationsUnavailable": "rag.conversations",
    "StoredTurn": "rag.conversations",
    "owner_for": "rag.conversations",
    "conversation_json": "rag.conversation_export",
    "conversation_markdown": "rag.conversation_export",
    "MARKER": "rag.markers",
    "REFUSAL": "rag.markers",
    "marker_numbers": "rag.markers",
    "split_marked": "rag.markers",
    "strip_markers": "rag.markers",
    "DocumentInfo": "index.models",
    "IngestReport": "index.models",
    "SUPPORTED_SUFFIXES": "index.loaders",
    "clean_file_name": "index.names",
    "count_tokens": "index.tokens",
    "Answer": "rag.models",
    "Citation": "rag.models",
    "Filters": "rag.models",
    "Passage": "rag.models",
    "configure_offline_environment": "rag.offline",
    "Settings": "rag.settings",
    "load_settings": "rag.settings",
}


def __getattr__(name: str) -> Any:
    """Import public classes on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rag' has no attribute {name!r}")

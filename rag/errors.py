"""The project's error hierarchy, re-exported from ``index.errors`` (its lowest layer).

``index`` raises these without importing anything above it; ``rag`` and its
clients import them from here (or from ``rag`` itself).
"""

from __future__ import annotations

from index.errors import (
    ConfigError,
    DiskFullError,
    InputError,
    ModelError,
    NotFoundError,
    RagError,
    StoreError,
)

__all__ = [
    "ConfigError",
    "DiskFullError",
    "InputError",
    "ModelError",
    "NotFoundError",
    "RagError",
    "StoreError",
]

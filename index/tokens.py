"""Offline access to the ``cl100k_base`` tokenizer used for chunking."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import tiktoken

ENCODING_NAME = "cl100k_base"
_CACHE_ENV = "TIKTOKEN_CACHE_DIR"


def _llama_index_cache_dir() -> Path | None:
    """Locate the tiktoken cache shipped inside llama-index-core, without importing it."""
    # find_spec only imports the namespace parent, so this stays cheap; importing
    # llama_index.core itself would pull in half the ecosystem.
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "_static" / "tiktoken_cache"
        if candidate.is_dir():
            return candidate
    return None


@functools.lru_cache(maxsize=1)
def get_encoding() -> tiktoken.Encoding:
    """Return the ``cl100k_base`` encoding, loaded from a local cache (no network)."""
    if not os.environ.get(_CACHE_ENV):
        cache_dir = _llama_index_cache_dir()
        if cache_dir is not None:
            # tiktoken would otherwise download the BPE file on first use.
            os.environ[_CACHE_ENV] = str(cache_dir)
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Number of ``cl100k_base`` tokens in ``text`` (special tokens count as text)."""
    return len(get_encoding().encode(text, disallowed_special=()))

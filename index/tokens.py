"""Offline access to the ``cl100k_base`` tokenizer used for chunking.

tiktoken would download the BPE file on first use. llama-index-core ships
that file in its tiktoken cache, so the encoding is built from it directly
(no environment variable set, nothing fetched).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from pathlib import Path

import tiktoken

from index.errors import ConfigError

ENCODING_NAME = "cl100k_base"
_BPE_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_BPE_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
# As in tiktoken_ext.openai_public.cl100k_base, which cannot be called offline.
_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


def _shipped_bpe_file() -> Path | None:
    """The cl100k BPE file in llama-index-core's tiktoken cache, without importing it."""
    # find_spec only imports the namespace parent, so this stays cheap; importing
    # llama_index.core itself would pull in half the ecosystem.
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    cache_name = hashlib.sha1(_BPE_URL.encode()).hexdigest()  # tiktoken's cache key
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "_static" / "tiktoken_cache" / cache_name
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=1)
def get_encoding() -> tiktoken.Encoding:
    """Return the ``cl100k_base`` encoding, loaded from the shipped file (no network)."""
    from tiktoken.load import load_tiktoken_bpe

    path = _shipped_bpe_file()
    if path is None:
        raise ConfigError(
            "The cl100k_base tokenizer file was not found in llama-index-core; "
            "reinstall the project (make run installs it)."
        )
    return tiktoken.Encoding(
        name=ENCODING_NAME,
        pat_str=_PATTERN,
        mergeable_ranks=load_tiktoken_bpe(str(path), expected_hash=_BPE_SHA256),
        special_tokens=_SPECIAL,
    )


def count_tokens(text: str) -> int:
    """Number of ``cl100k_base`` tokens in ``text`` (special tokens count as text)."""
    return len(get_encoding().encode(text, disallowed_special=()))

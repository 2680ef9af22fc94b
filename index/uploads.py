"""Making user-supplied file names safe to use as document ids."""

from __future__ import annotations

import re
import unicodedata

from index.errors import InputError
from index.loaders import SUPPORTED_SUFFIXES

MAX_NAME_CHARS = 120


def safe_doc_id(filename: str) -> str:
    """A flat, harmless document id from an upload's name.

    Directory parts ('../', absolute paths, Windows separators), NUL and other
    control characters are dropped; the name is NFC-normalised and shortened
    while keeping its suffix.

    >>> safe_doc_id("../../etc/passwd.txt")
    'passwd.txt'
    >>> safe_doc_id("C:\\\\Users\\\\me\\\\news.md")
    'news.md'
    """
    name = unicodedata.normalize("NFC", str(filename)).replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    name = re.sub(r"\s+", " ", name)
    if "." not in name:
        raise InputError(f"Upload {filename[:80]!r} has no file extension.")
    stem, suffix = name.rsplit(".", 1)
    suffix = "." + suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InputError(f"Upload {name[:80]!r}: unsupported file type {suffix} (use {allowed}).")
    stem = stem.strip() or "upload"
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix

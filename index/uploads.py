"""Making user-supplied file names safe to use as document ids."""

from __future__ import annotations

from index.errors import InputError
from index.loaders import SUPPORTED_SUFFIXES
from index.names import clean_file_name

MAX_NAME_CHARS = 120


def safe_doc_id(filename: str) -> str:
    """A flat, harmless document id from an upload's name.

    Directory parts ('../', absolute paths, Windows separators), control,
    bidi and zero-width characters are dropped (``clean_file_name``); the name
    is shortened while keeping its suffix.

    >>> safe_doc_id("../../etc/passwd.txt")
    'passwd.txt'
    >>> safe_doc_id("C:\\\\Users\\\\me\\\\news.md")
    'news.md'
    """
    name = clean_file_name(filename)
    if name.startswith(".") and name.count(".") > 1:
        name = name.lstrip(".")  # '.hidden.txt' -> 'hidden.txt'; '.txt' keeps its suffix
    if "." not in name:
        raise InputError(f"Upload {filename[:80]!r} has no file extension.")
    stem, suffix = name.rsplit(".", 1)
    suffix = "." + suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InputError(f"Upload {name[:80]!r}: unsupported file type {suffix} (use {allowed}).")
    stem = stem.strip() or "upload"
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix

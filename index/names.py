"""Cleaning user-supplied file names: what a person sees is what the document id holds."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_file_name(name: str) -> str:
    """The last path part of ``name``, NFC, without invisible characters, spaces trimmed.

    Control characters, bidi overrides and isolates, zero-width characters, the
    BOM and soft hyphens (Unicode categories Cc and Cf) are dropped: they make
    a name display differently from what it is ('news\\u202efdp.txt' shows as
    '...txt.pdf'). Runs of whitespace become one space, and spaces around the
    name and around its extension are trimmed ('a.txt ' is 'a.txt').

    >>> clean_file_name("C:\\\\dir\\\\news\\u202efdp.txt ")
    'newsfdp.txt'
    >>> clean_file_name("\\ufeffreport \\u200b.md")
    'report.md'
    """
    text = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    text = _SPACES.sub(" ", text).strip()
    if "." in text:
        stem, suffix = text.rsplit(".", 1)
        text = f"{stem.rstrip()}.{suffix.strip()}" if suffix.strip() else stem.rstrip()
    return text


def file_suffix(name: str) -> str:
    """The lower-cased extension of a cleaned name ('' when there is none)."""
    cleaned = clean_file_name(name)
    return "." + cleaned.rsplit(".", 1)[1].lower() if "." in cleaned else ""

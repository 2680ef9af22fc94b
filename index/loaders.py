"""Loading files and uploads into ``Article`` objects (text, news metadata, hash)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

from index.article_html import PageArticle, extract_page, text_hash
from index.errors import InputError
from index.models import Article
from index.news import parse_news

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
_MB = 1_000_000  # settings speak of decimal megabytes
_UTF8_BOM = b"\xef\xbb\xbf"
# Control bytes that never occur in text (tab, newlines, form feed and ESC do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_MAX_CONTROL_SHARE = 0.05
_SAMPLE_BYTES = 65_536
_STRAY = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8
_STRAY_RUN = re.compile("[\udc80-\udcff]+")
_HIDDEN_TAGS = frozenset(
    "script style noscript template nav footer header aside form iframe svg canvas button"
    " select head title".split()
)
_BLOCK_TAGS = frozenset(
    "address article blockquote caption dd details div dl dt figcaption figure h1 h2 h3 h4 h5 h6"
    " hr li main ol p pre section summary table td th tr ul".split()
)
# Private-use characters mark breaks while bs4 flattens the tree, so that the
# source's own newlines can be collapsed without losing paragraph structure.
_PARA, _LINE = "\ue000", "\ue001"


def load_article(path: Path, doc_id: str, *, max_bytes: int) -> Article:
    """Read and parse one file; every problem is an ``InputError`` naming the file."""
    data = read_file(path, max_bytes=max_bytes)
    return _article(data, doc_id, path.suffix.lower(), max_bytes=max_bytes, name=str(path))


def file_hash(path: Path, *, max_bytes: int) -> str:
    """sha256 of the file's bytes (what the ledger compares); same checks as loading."""
    data = read_file(path, max_bytes=max_bytes)
    _check_size(str(path), len(data), max_bytes)
    return hashlib.sha256(data).hexdigest()


def read_file(path: Path, *, max_bytes: int) -> bytes:
    """A supported file's bytes, refused early (before reading) when over the limit."""
    name = str(path)
    if not path.exists():
        raise InputError(f"File '{name}' does not exist.")
    if path.is_dir():
        raise InputError(f"'{name}' is a directory, not a file.")
    _check_suffix(name, path.suffix)
    try:
        size = path.stat().st_size
        _check_size(name, size, max_bytes)
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"File '{name}' cannot be read: permission denied.") from None
    except OSError as exc:
        raise InputError(f"File '{name}' cannot be read: {exc.strerror or exc}.") from None
    return data


def article_from_bytes(data: bytes, doc_id: str, suffix: str, *, max_bytes: int) -> Article:
    """Parse an upload's bytes as a file with the given suffix (e.g. '.html').

    An uploaded page is identified by its article text, not its bytes: the
    same article saved from another site (other menus, ads, comments) is then
    the same content, which the syncer reports as a duplicate.
    """
    _check_suffix(doc_id, suffix)
    article = _article(data, doc_id, suffix.lower(), max_bytes=max_bytes, name=doc_id)
    if suffix.lower() in (".html", ".htm"):
        article = dataclasses.replace(article, content_hash=article.text_hash)
    return article


def iter_corpus(paths: list[Path]) -> Iterator[tuple[Path, str]]:
    """Yield (file, doc_id) for files and, recursively, directories, in sorted order.

    Directory contents are filtered to supported, non-hidden files; a file named
    explicitly is always yielded so the loader can say why it cannot be used.
    """
    seen: set[Path] = set()
    for root in paths:
        if not root.is_dir():
            found = [(root, root.name)]
        else:
            found = [(f, f.relative_to(root).as_posix()) for f in _walk(root)]
        for file, doc_id in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file, doc_id


def _walk(root: Path) -> list[Path]:
    """Supported files under ``root``, skipping hidden files and directories."""
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for filename in names:
            if not filename.startswith(".") and Path(filename).suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(Path(folder, filename))
    return sorted(files, key=lambda f: f.relative_to(root).as_posix())


def _article(data: bytes, doc_id: str, suffix: str, *, max_bytes: int, name: str) -> Article:
    """Decode or extract the text of ``data`` and wrap it with its news metadata."""
    _check_size(name, len(data), max_bytes)
    if not data.strip():
        raise InputError(f"File '{name}' is empty.")
    known_title: str | None = None
    page: PageArticle | None = None
    if suffix == ".pdf":
        text = _pdf_text(data, name)
    else:
        text = _decode(data, name)
        if suffix in (".html", ".htm"):
            # The article as trafilatura finds it; all visible text when it finds none.
            page = extract_page(text)
            text, known_title = (page.text, page.title) if page else _html_text(text)
    if not text.strip():
        what = "no visible text" if suffix in (".html", ".htm") else "only whitespace"
        raise InputError(f"File '{name}' has {what}.")
    meta = parse_news(text, title=known_title)
    sources = [s for s in (page.byline if page else None, meta.source) if s]
    return Article(
        doc_id=doc_id,
        text=text,
        title=meta.title,
        date=(page.date if page else None) or meta.date,
        source="; ".join(sources) or None,
        dateline=meta.dateline,
        content_hash=hashlib.sha256(data).hexdigest(),
        body_spans=meta.body_spans,
        text_hash=text_hash(text),
    )


def _html_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML page (blank lines between blocks) and its title."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, PreformattedString, Tag

    soup = BeautifulSoup(markup.replace(_PARA, "").replace(_LINE, ""), "html.parser")
    title_tag = soup.find("title")
    page_title = title_tag.get_text(" ", strip=True) if title_tag else ""
    heading, parts = "", []
    # An explicit stack instead of recursion or bs4's insert_after(), which is
    # quadratic on deeply nested markup (a cheap way to stall an upload).
    stack: list[tuple[object, bool]] = [(soup, False)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctypes, CDATA
                parts.append(str(node))
        elif leaving:
            parts.append(_PARA)
        elif isinstance(node, Tag) and node.name not in _HIDDEN_TAGS:
            if node.name == "br":
                parts.append(_LINE)
            elif node.name in _BLOCK_TAGS:
                parts.append(_PARA)
                stack.append((node, True))
            if node.name == "h1" and not heading:
                heading = " ".join(node.get_text(" ").split())
            stack.extend((child, False) for child in reversed(node.contents))
    paragraphs = []
    for block in "".join(parts).split(_PARA):
        lines = (" ".join(line.split()) for line in block.split(_LINE))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs), (heading or page_title or None)


def _check_suffix(name: str, suffix: str) -> None:
    """Reject file types we cannot read."""
    if suffix.lower() not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
        shown = suffix or "(no extension)"
        raise InputError(f"File '{name}' has unsupported type {shown}; use one of {allowed}.")


def _check_size(name: str, size: int, max_bytes: int) -> None:
    """Reject files over the configured size limit."""
    if size > max_bytes:
        raise InputError(
            f"File '{name}' is {_megabytes(size)} MB, over the {_megabytes(max_bytes)} MB limit."
        )


def _megabytes(size: int) -> str:
    """Size in MB with enough digits that small limits do not read as 0.0."""
    return f"{size / _MB:.1f}" if size >= _MB else f"{size / _MB:.3g}"


def _decode(data: bytes, name: str) -> str:
    """Decode text bytes: UTF-8 (BOM stripped), UTF-16 with a BOM, else cp1252 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"File '{name}' is not valid UTF-16 text.") from None
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in data or _control_share(sample) > _MAX_CONTROL_SHARE:
        raise InputError(f"File '{name}' contains binary data, not text.")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Mostly UTF-8 with stray cp1252 bytes (pasted curly quotes): keep the
        # UTF-8 and read only the stray bytes as cp1252, instead of turning
        # every accented letter of the file into mojibake.
        mixed = _utf8_with_cp1252(data)
        if mixed is not None:
            return mixed
        # Legacy Windows files: cp1252 leaves five bytes undefined, so random
        # binary almost always fails here rather than decoding into mojibake.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"File '{name}' is not UTF-8 or Windows-1252 text.") from None


def _utf8_with_cp1252(data: bytes) -> str | None:
    """UTF-8 with its invalid bytes read as cp1252; None when the file looks all cp1252.

    Each invalid byte becomes a lone surrogate (surrogateescape), so the
    stray bytes are counted and re-read without any shared decoder state.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(_STRAY.findall(text))
    utf8_chars = sum(1 for ch in text if ord(ch) > 0x7F) - stray
    # A cp1252 file can hold a byte pair that happens to be valid UTF-8 ("ß“"),
    # but such pairs never outnumber its other accented letters.
    if utf8_chars <= stray:
        return None
    return _STRAY_RUN.sub(
        lambda run: run.group().encode("utf-8", "surrogateescape").decode("cp1252"), text
    )


def _control_share(sample: bytes) -> float:
    """Fraction of bytes that are control characters never found in text."""
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _pdf_text(data: bytes, name: str) -> str:
    """Extract the text of every page, pages separated by a blank line."""
    from pypdf import PdfReader

    # pypdf logs every repair it makes to a damaged file; one InputError is enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"File '{name}' is a password-protected PDF.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception:  # pypdf raises many exception types for damaged files
        raise InputError(f"File '{name}' is not a readable PDF (it may be damaged).") from None
    text = "\n\n".join(p for p in (page.replace("\x00", "").strip() for page in pages) if p)
    if not text:
        raise InputError(f"File '{name}' has no extractable text (it may be a scanned image).")
    return text

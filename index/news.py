"""News-aware parsing: title, date, dateline, source lines and the body's spans.

The title line (and any repeat of it) is kept out of ``body_spans``: the title
is stored as metadata on every chunk, so the body holds only article prose.
When there is no title line (the text opens with a ``date …`` header or with a
full sentence), the title is derived from the first sentence and that
sentence stays in the body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from index.sentences import split_sentences

_MONTH_NAMES = (
    "jan january|feb february|mar march|apr april|may|jun june|jul july|aug august"
    "|sep sept september|oct october|nov november|dec december"
)
_MONTHS = {n: i for i, names in enumerate(_MONTH_NAMES.split("|"), 1) for n in names.split()}
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), "ymd"),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.I), "dmy"),
)
_DATE_HEADER = re.compile(r"\s*date\s*:?\s*(\d{4}-\d{2}-\d{2})(?!\d)\s*", re.I)
_DATE_LABEL = re.compile(r"\s*(published|posted|dated?|updated|last updated)\b(?:\s+on)?", re.I)
_BYLINE = re.compile(r"\s*[Bb][Yy]\s+[A-Z]")
_NOT_A_DATE_WORD = re.compile(r"[^\W\d_]{3,}")
_DATE_FILLER = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"
    " am pm gmt utc est edt pst pdt cet cest bst local time".split()
)
_SOURCE_VALUE = re.compile(r"\s*(?:source(?:\s+url)?|sources|via)\s*:\s*(\S.*)", re.I)
_SOURCE_LINE = re.compile(r"\s*(?:translated|translation|adapted|edited)\s+by\s+\S", re.I)
_COMMENT_START = re.compile(
    r"\s*(leave a (reply|comment)|(post|add) a comment|your email address will not be)\b", re.I
)
_COMMENT_LINE = re.compile(
    r"\s*(required fields are marked|cancel reply|post comment|save my name, email|"
    r"(name|email|website|comment)\s*\*?\s*$|Δ\s*$|\d*\s*comments?\s*$)",
    re.I,
)
_DATELINE = re.compile(r"([^\W\d_][^\n—–]{0,60}?)\s+(?:—|–|-{1,2})\s+\S")
_SETEXT = re.compile(r"\s*(=+|-+)\s*$")
_HEADING = re.compile(r"\s*#{1,6}\s+")
_MAX_TITLE = 100


@dataclass(frozen=True)
class NewsMeta:
    """Metadata and body spans found in one article's text."""

    title: str
    date: str | None  # ISO YYYY-MM-DD, only when the text states a publication date
    dateline: str | None  # e.g. "CARACAS"
    source: str | None  # source/translation lines joined with "; "
    body_spans: tuple[tuple[int, int], ...]  # offsets into the original text


def find_date(text: str) -> str | None:
    """Return the first valid ISO or written-out date in ``text`` as YYYY-MM-DD."""
    found: list[tuple[int, str]] = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match.groups(), order)
            if iso:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def _to_iso(groups: tuple[str | None, ...], order: str) -> str | None:
    """Build an ISO date from regex groups, or None when it is not a real date."""
    parts = dict(zip(order, (g or "" for g in groups), strict=True))
    month = _MONTHS.get(parts["m"].lower()) if not parts["m"].isdigit() else int(parts["m"])
    try:
        return dt.date(int(parts["y"]), month or 0, int(parts["d"])).isoformat()
    except ValueError:
        return None


def _norm(line: str) -> str:
    """Comparable form of a title line: no heading marks, single spaces, casefolded."""
    return " ".join(_HEADING.sub("", line).strip().strip("#").split()).casefold()


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, newline excluded."""
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    return list(zip(starts, [s - 1 for s in starts[1:]] + [len(text)], strict=True))


def _is_title_line(line: str, following: str | None) -> bool:
    """A headline: short, not ending in a full stop, not continued in lower case."""
    if _HEADING.match(line):
        return True
    body = line.strip().rstrip("\"'”’»)")
    if not body or len(body) > 200 or body.endswith("."):
        return False
    return following is None or not following.lstrip()[:1].islower()


def _truncate(sentence: str, limit: int = _MAX_TITLE) -> str:
    """Printable single-spaced text cut to about ``limit`` characters at a word boundary."""
    words = " ".join("".join(c for c in sentence if c.isprintable() or c.isspace()).split())
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    return words[: cut if cut > limit // 2 else limit].rstrip(" ,;:—–-") + "…"


def parse_news(text: str, *, title: str | None = None) -> NewsMeta:
    """Parse a news article; ``title`` is a known title (e.g. from HTML) to de-duplicate."""
    return _Parse(text, title).result()


class _Parse:
    """One pass over an article's lines; collects exclusions, dates and sources."""

    def __init__(self, text: str, title: str | None) -> None:
        self.text, self.title = text, title
        self.lines = _line_spans(text)
        self.kept = [i for i, (s, e) in enumerate(self.lines) if text[s:e].strip()]
        self.excluded: set[int] = set()
        self.shift: dict[int, int] = {}  # line -> body start when a date header opens it
        self.dates: list[tuple[int, str]] = []  # (rank, iso): the lowest rank wins
        self.sources: list[tuple[int, str]] = []  # (line, value): kept in text order

    def line(self, i: int) -> str:
        """Text of line ``i``."""
        return self.text[self.lines[i][0] : self.lines[i][1]]

    def result(self) -> NewsMeta:
        """Run the scan and assemble the metadata."""
        if not self.kept:
            return NewsMeta(self.title or "", None, None, None, ())
        body = self.kept[self._scan_top() :]
        self._scan_tail(body)
        spans = self._spans(body)
        dateline = None
        if spans:
            dateline, date = _dateline(self.text[spans[0][0] : spans[0][0] + 120])
            self.dates += [(3, date)] if date else []
        title = self.title or (
            _derive_title(self.text, spans) if spans else _truncate(self.line(self.kept[0]))
        )
        source = "; ".join(value for _, value in sorted(self.sources)) or None
        date = min(self.dates)[1] if self.dates else None
        return NewsMeta(title, date, dateline, source, spans)

    def _scan_top(self) -> int:
        """Consume title, title repeats and header lines; return where the body starts."""
        for pos, i in enumerate(self.kept[:8]):
            raw = self.line(i)
            header = _DATE_HEADER.match(raw)
            if header:
                self.dates.append((0, header.group(1)))
                if raw[header.end() :].strip():
                    self.shift[i] = self.lines[i][0] + header.end()
                    return pos
            elif self.title is not None and _norm(raw) == _norm(self.title):
                pass  # the title again (seed 000 repeats it)
            elif self.title is not None and pos > 0 and _SETEXT.match(raw):
                pass  # a Markdown "=====" underline
            elif self._header_line(raw, i, near_top=self.lines[i][0] < 300):
                pass
            elif self.title is None and _is_title_line(raw, self._next_line(i)):
                self.title = _truncate(_HEADING.sub("", raw).strip().rstrip("#"), 200)
            else:
                return pos
            self.excluded.add(i)
        return min(len(self.kept), 8)

    def _next_line(self, i: int) -> str | None:
        """The line after ``i`` when it continues the same paragraph, else None."""
        nxt = self.line(i + 1) if i + 1 < len(self.lines) else ""
        return nxt if nxt.strip() else None

    def _header_line(self, raw: str, i: int, *, near_top: bool) -> bool:
        """Record a date/byline/source header line; True when it is one (not body)."""
        if len(raw.strip()) > 120:
            return False
        date = find_date(raw)
        label = _DATE_LABEL.match(raw)
        if label and date:
            self.dates.append((2 if label.group(1).lower().endswith("updated") else 1, date))
            return True
        if _BYLINE.match(raw) and len(raw.strip()) <= 100 and not raw.rstrip().endswith("."):
            self.dates += [(2, date)] if date else []
            return True
        if self._source(raw, i):
            return True
        if date and near_top and len(raw.strip()) <= 60 and _is_bare_date(raw):
            self.dates.append((2, date))  # a bare date line under the headline
            return True
        return False

    def _source(self, raw: str, i: int) -> bool:
        """Record a 'Source: …' / 'Translated by …' line; True when it is one."""
        value = _SOURCE_VALUE.match(raw)
        if len(raw.strip()) > 200 or not (value or _SOURCE_LINE.match(raw)):
            return False
        self.sources.append((i, " ".join((value.group(1) if value else raw).split())))
        return True

    def _scan_tail(self, body: list[int]) -> None:
        """Exclude comment forms (near the end: all after them) and trailing source lines."""
        cut, in_form = len(body), False
        for n, i in enumerate(body):
            if _is_comment_start(self.line(i)) and self.lines[i][0] >= 0.75 * len(self.text):
                cut = n  # the page ends in a comment section: nothing after it is article
                break
            # Earlier forms (pasted pages) lose only their own lines.
            in_form = _is_comment_start(self.line(i)) or (in_form and self._form_line(i))
            if in_form:
                self.excluded.add(i)
        for i in body[cut:]:
            self._source(self.line(i), i)  # sources may sit after the form
            self.excluded.add(i)
        for i in reversed(body[:cut][-12:]):
            if not (self._source(self.line(i), i) or self._form_line(i)):
                break
            self.excluded.add(i)

    def _form_line(self, i: int) -> bool:
        """A short line of a comment form ('Name *', 'Post Comment', …)."""
        raw = self.line(i)
        return _is_comment_start(raw) or (
            len(raw.strip()) <= 100 and bool(_COMMENT_LINE.match(raw))
        )

    def _spans(self, body: list[int]) -> tuple[tuple[int, int], ...]:
        """Join consecutive kept lines into paragraph spans trimmed of whitespace."""
        spans: list[tuple[int, int]] = []
        previous = -2
        for i in (i for i in body if i not in self.excluded):
            start, end = self.shift.get(i, self.lines[i][0]), self.lines[i][1]
            if i == previous + 1 and spans:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
            previous = i
        trimmed = (_trim(self.text, start, end) for start, end in spans)
        return tuple((start, end) for start, end in trimmed if start < end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``(start, end)`` so that the slice has no surrounding whitespace."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())


def _is_bare_date(raw: str) -> bool:
    """True for a line that is only a date, weekday and time, not a sentence."""
    rest = raw
    for pattern, _ in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return all(w.lower() in _DATE_FILLER for w in _NOT_A_DATE_WORD.findall(rest))


def _is_comment_start(raw: str) -> bool:
    """A short line that opens a blog comment form ('Leave a Reply', …)."""
    return len(raw.strip()) <= 100 and _COMMENT_START.match(raw) is not None


def _dateline(opening: str) -> tuple[str | None, str | None]:
    """The ALL-CAPS place (and any date) before the dash that opens the body."""
    match = _DATELINE.match(opening)
    if not match:
        return None, None
    prefix = match.group(1)
    place = prefix.split(",")[0].split("(")[0].strip()
    if not (place.isupper() and 2 <= len(place) <= 40 and place[0].isalpha()):
        return None, None
    return place, find_date(prefix)


def _derive_title(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """A title from the first sentence of the body, without its dateline."""
    start, end = spans[0]
    sentences = split_sentences(text, start, end)
    first = text[slice(*sentences[0])] if sentences else text[start:end]
    match = _DATELINE.match(first)
    if match and _dateline(first)[0]:
        first = first[match.end() - 1 :]
    return _truncate(first)

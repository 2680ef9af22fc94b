"""Fast regex sentence splitter that returns character spans into the original text.

nltk's punkt data is not available offline, so this is a small rule-based
splitter tuned for news prose: abbreviations and initialisms (``U.S.``,
``Mr.``, ``Jan.``, ``e.g.``), closing quotes after the full stop, paragraph
breaks, and headline-like lines without a full stop.
"""

from __future__ import annotations

import re

# Blank line (possibly holding spaces or '\r'): always a sentence boundary.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_BULLET = re.compile(r"[^\S\n]*(?:[-*•]|\d{1,3}[.)])\s")
_NEXT_CHAR = re.compile(r"\s*(\S)")
_NEXT_WORD = re.compile(r"\s*(\S+)")
# Terminal punctuation plus any closing quotes/brackets, followed by whitespace
# or the end of the block; CJK full stops need no following space.
_TERMINATOR = re.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s|$)|[。！？]+[」』”’)\]]*",
)
_WORD_BEFORE_DOT = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")

# Titles that are always followed by a name, never by a new sentence.
_TITLES = frozenset(
    "mr mrs ms dr prof sr jr st gen gov sen rep col lt sgt capt cmdr adm rev hon pres"
    " messrs mme mlle sra srta".split()
)
# Abbreviations that usually continue the sentence but may end one.
_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs"
    " fri sat sun inc ltd co corp bros vs etc no nos vol fig approx dept est mt ft ave"
    " blvd rd univ assn intl govt al cf ca".split()
)
# Words that start a new sentence after an abbreviation or initialism; after
# "U.S." a capitalised word is far more often a name ("U.S. Embassy").
_SENTENCE_STARTERS = frozenset(
    "the a an he she it they we i you his her its their our this that these those"
    " there but and in on at for if when while since after as so yet however meanwhile"
    " also still then according".split()
)
_CLOSERS = "\"'”’»)]"


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return stripped, ordered, non-overlapping sentence spans of ``text[start:end]``."""
    stop = len(text) if end is None else min(end, len(text))
    begin = max(0, start)
    spans: list[tuple[int, int]] = []
    if begin >= stop:
        return spans
    cursor = begin
    for brk in _PARAGRAPH_BREAK.finditer(text, begin, stop):
        _split_paragraph(text, cursor, brk.start(), spans)
        cursor = brk.end()
    _split_paragraph(text, cursor, stop, spans)
    return spans


def _split_paragraph(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Split one paragraph at headline line ends and list items, then at full stops."""
    cursor = line_start = start
    newline = text.find("\n", start, end)
    while newline != -1:
        # Only a block's first line can be a headline: later short lines are
        # more likely hard-wrapped prose (PDF text) than titles.
        heading = line_start == cursor and _is_heading_line(text, line_start, newline, end)
        if heading or _BULLET.match(text, newline + 1, end):
            _split_block(text, cursor, newline, out)
            cursor = newline + 1
        line_start = newline + 1
        newline = text.find("\n", line_start, end)
    _split_block(text, cursor, end, out)


def _is_heading_line(text: str, line_start: int, newline: int, end: int) -> bool:
    """True when the line before ``newline`` reads as a headline, not wrapped prose."""
    line = text[line_start:newline].strip()
    following = _NEXT_CHAR.match(text, newline + 1, end)
    if not line or following is None:
        return False
    return len(line) <= 80 and line[-1] not in ",;:-–—(" and not following.group(1).islower()


def _split_block(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Split a block with no hard breaks at sentence-final punctuation."""
    cursor = start
    for match in _TERMINATOR.finditer(text, start, end):
        if _is_boundary(text, match.start(), match.end(), end):
            _append_trimmed(text, cursor, match.end(), out)
            cursor = match.end()
    _append_trimmed(text, cursor, end, out)


def _is_boundary(text: str, punct_start: int, punct_end: int, end: int) -> bool:
    """Decide whether the terminator at ``punct_start`` really ends a sentence."""
    nxt = _next_word(text, punct_end, end)
    if not nxt:
        return True
    first = nxt[0]
    if first.islower():
        # "e.g. this", "“Stop!” she said": a lower-case word continues the sentence.
        return False
    marks = text[punct_start:punct_end].rstrip(_CLOSERS)
    if marks != "." or punct_end != punct_start + 1:
        return True
    word = _WORD_BEFORE_DOT.search(text, max(0, punct_start - 40), punct_start + 1)
    if word is None:
        return True
    token = word.group(1)
    key = token.lower()
    if key in _TITLES:
        return False
    is_initialism = len(token) == 1 or all(len(part) == 1 for part in token.split("."))
    if not (is_initialism or key in _ABBREVIATIONS):
        return True
    if not first.isalpha():
        return first.isdigit() and key not in _ABBREVIATIONS
    return nxt.lower().rstrip(",") in _SENTENCE_STARTERS


def _next_word(text: str, pos: int, end: int) -> str:
    """The next whitespace-delimited word after ``pos``, without opening quotes."""
    match = _NEXT_WORD.match(text, pos, end)
    if match is None:
        return ""
    return match.group(1).lstrip("\"'“‘«([") or match.group(1)


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append ``text[start:end]`` minus surrounding whitespace, if anything is left."""
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        out.append((start + lead, start + lead + len(stripped)))

"""The one owner of ``[n]`` citation markers and of the refusal text.

Every part of the project that writes, reads, strips or counts markers (the
answerers, the citation builder, the UI chips, the eval metrics) uses this
module, so "a sentence and its markers" means the same thing everywhere.
"""

from __future__ import annotations

import re

from index.sentences import split_sentences

REFUSAL = "The articles do not say."
#: One marker group: ``[1]`` or ``[1, 3]``; group 1 holds the numbers.
MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_SPACED_MARKER = re.compile(r"\s*" + MARKER.pattern)
_LEADING_MARKERS = re.compile(r"(?:\s*" + MARKER.pattern + r")+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_REFUSAL_PHRASES = (
    "do not say",
    "does not say",
    "don't say",
    "doesn't say",
    "do not contain",
    "does not contain",
    "don't contain",
    "doesn't contain",
    "do not mention",
    "does not mention",
    "don't mention",
    "doesn't mention",
    "do not specify",
    "does not specify",
    "do not provide",
    "does not provide",
    "no information",
    "no mention",
    "no relevant",
    "not mentioned",
    "not stated",
    "not specified",
    "not provided",
    "not enough information",
    "insufficient information",
    "cannot answer",
    "can't answer",
    "unable to answer",
    "cannot be determined",
    "i don't know",
    "i do not know",
)


def marker(number: int) -> str:
    """The marker text for one citation number.

    >>> marker(2)
    '[2]'
    """
    return f"[{number}]"


def marker_numbers(text: str) -> list[int]:
    """All marker numbers in text, in order.

    >>> marker_numbers("A [1, 3] and B [2].")
    [1, 3, 2]
    """
    return [int(n) for group in MARKER.findall(text) for n in re.split(r"\s*,\s*", group)]


def strip_markers(text: str) -> str:
    """Text without its citation markers.

    >>> strip_markers("It reopened. [1] It closed in 2019. [2, 3]")
    'It reopened. It closed in 2019.'
    """
    return " ".join(_SPACED_MARKER.sub("", text).split())


def split_marked(text: str) -> list[tuple[str, list[int]]]:
    """Split answer text into (sentence without markers, its marker numbers).

    Markers that open a sentence belong to the one before ("claim. [1] Next").

    >>> split_marked("It reopened. [1] [2] It closed in 2019. [3] No source here.")
    [('It reopened.', [1, 2]), ('It closed in 2019.', [3]), ('No source here.', [])]
    """
    pieces: list[tuple[str, list[int]]] = []
    for start, end in split_sentences(text):
        raw = text[start:end]
        lead = _LEADING_MARKERS.match(raw)
        if lead and pieces:
            pieces[-1][1].extend(marker_numbers(lead.group()))
            raw = raw[lead.end() :]
        numbers = marker_numbers(raw)
        sentence = _SPACED_MARKER.sub("", raw).strip()
        if sentence:
            pieces.append((sentence, numbers))
        elif numbers and pieces:  # markers standing alone belong to the sentence before
            pieces[-1][1].extend(numbers)
    return pieces


def article_markers_as_text(text: str) -> str:
    """An article's own "[2]" shown as "(2)", so it never reads as our citation.

    >>> article_markers_as_text("Smith said [2] so.")
    'Smith said (2) so.'
    """
    return re.sub(r"\[(\d+)\]", r"(\1)", text)


def unsupported_part(what: str) -> str:
    """The sentence that says which part of a question the articles do not cover.

    >>> unsupported_part("what her job was before")
    'The articles do not say what her job was before.'
    """
    return f"{REFUSAL[:-1]} {what.strip().rstrip('?.')}."


def is_refusal(text: str) -> bool:
    """True when the reply's substance is 'the articles do not contain this'.

    That is: its opening sentence says so and it cites no passage. A reply
    that answers part of the question with a citation is not a refusal.

    >>> is_refusal("The articles do not say.")
    True
    >>> is_refusal("The passages contain no information about the budget.")
    True
    >>> is_refusal("Turnout was 40% [1]. The articles do not say who won.")
    False
    """
    normal = " ".join(text.replace("\u2019", "'").lower().split())
    if not normal:
        return False
    if normal.rstrip(".") == REFUSAL.lower().rstrip("."):
        return True
    if MARKER.search(normal):
        return False
    first = _SENTENCE_END.split(normal, maxsplit=1)[0]
    return any(phrase in first for phrase in _REFUSAL_PHRASES)

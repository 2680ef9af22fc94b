"""Compound questions: 'Who ..., and on what date?' asks two things, the second about the
first part's event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from index.annotate import ChunkAnnotation

# 'and who', 'but when', and a preposition before the wh-word: 'and on what date'.
_SPLIT = re.compile(
    r"(?:,\s*|\s+)(?:and|but)\s+(?=(?:(?:on|in|at|from|for|by|to|with|since|until|during)\s+)?"
    r"(?:who|whom|whose|what|which|when|where|why|how)\b)",
    re.I,
)
_PRONOUN_REF = re.compile(r"\b(her|his|their|its|she|he|they|it|him|them)\b", re.I)
_VERBS = frozenset({"VERB", "AUX"})
_SUBJECT_WH = frozenset({"who", "what", "which"})


class Annotates(Protocol):
    """What splitting and question analysis need from an annotator."""

    def annotate_one(self, text: str) -> ChunkAnnotation: ...


@dataclass(frozen=True)
class Piece:
    """One part of a question: the text to analyse, the words the user asked it in
    ('on what date'), and whether it means the earlier part's answer."""

    text: str
    shown: str
    refers_back: bool


def pieces(question: str, annotator: Annotates) -> list[Piece]:
    """The parts of a compound question, each a whole question; one piece otherwise.

    >>> [p.text for p in pieces("Who won?", None)]  # type: ignore[arg-type]
    ['Who won?']
    """
    raw = [p.strip(" ,") for p in _SPLIT.split(question.strip()) if p.strip(" ,?")]
    if len(raw) < 2:
        return [Piece(question, question, False)]
    out = [Piece(raw[0], raw[0], False)]
    for p in raw[1:]:
        clause = _clause_after_wh(raw[0], annotator) if _verbless(p, annotator) else None
        if clause is None:
            out.append(Piece(p, p, bool(_PRONOUN_REF.search(p))))
            continue
        # 'and on what date?' asks when the first part's event happened: 'on what date was
        # appointed mediator ...'; after a subject 'who', the first answer is its doer.
        rest, subject_asked = clause
        out.append(Piece(f"{p.rstrip(' ?')} {rest}", p, subject_asked))
    return out


def _verbless(text: str, annotator: Annotates) -> bool:
    return not any(t.pos in _VERBS for t in annotator.annotate_one(text).tokens)


def _clause_after_wh(text: str, annotator: Annotates) -> tuple[str, bool] | None:
    """The first part from its first verb on ('was appointed mediator in the port
    strike'), and whether the wh-word before it was the verb's subject."""
    ann = annotator.annotate_one(text)
    first = next((i for i, t in enumerate(ann.tokens) if t.pos in _VERBS), None)
    if not first:
        return None
    start = ann.tokens[first].start
    subject = first == 1 and ann.text[: ann.tokens[0].end].lower() in _SUBJECT_WH
    return text[start:].rstrip(" ?"), subject

"""A level or a change: 'lowered its main interest rate by a quarter of a percentage
point to 3.75%' sets the rate at 3.75%; the quarter point is how far it moved. A question
that asks for the rate ('What rate did the bank set in December?', 'What is the main
rate now?') is answered by the level the sentence gives the asked noun, never by the
change; one that asks 'by how much' is left to the rest of the reader."""

from __future__ import annotations

import re

from rag.lexical import fold
from rag.reader.candidates import Candidate
from rag.reader.question import QuestionAnalysis
from rag.reader.spans import CHANGING, phrase_roots
from rag.reader.types import AMOUNT_TYPES

_LEVEL_NOUNS = frozenset({"rate", "level"})
_SETTING = CHANGING | {"set", "keep", "hold", "leave", "fix", "put", "stand"}
_ASKS_CHANGE = re.compile(
    r"\bby how much\b|\bhow (?:much|far) did\b|\bhow many (?:percentage|basis)"
)
_FUTURE = re.compile(r"\bwill\b|\bgoing to\b")
_NOT_KINDS = frozenset("what which the its his her their s a an this that".split())
_POINTS = re.compile(r"\b(?:percentage|basis) points?$")


def asked_level(q: QuestionAnalysis) -> tuple[str, ...] | None:
    """The noun whose level the question asks, after the words that say which one:
    ('rate',) for 'What rate did the bank set?', ('inflation', 'rate') for 'What was
    Estmark's inflation rate?'."""
    if q.focus not in _LEVEL_NOUNS or _ASKS_CHANGE.search(fold(q.text)):
        return None
    if _FUTURE.search(fold(q.text)):
        return None  # 'What will the rate be at the end of 2026?': a forecast, no level set
    before = re.search(rf"(\w+)\s+{q.focus}\b", fold(q.text))
    kind = before.group(1) if before and before.group(1) not in _NOT_KINDS else None
    return (kind, q.focus) if kind else (q.focus,)


def level_of(asked: tuple[str, ...], c: Candidate) -> bool:
    """The value is the level a verb sets the asked noun at: '(lowered its main interest
    rate) to 3.75%', '(kept the rate) at 4.25%'; the inflation rate asked is not the
    interest rate set."""
    verb = _verb_of(c, ("to", "at"))
    if verb is None:
        return False
    s = c.sentence
    *kind, noun = asked
    for j in s.tokens:
        if s.token(j).head != verb or s.token(j).dep not in ("dobj", "nsubj", "nsubjpass"):
            continue
        said = {s.lemma(k) for k in s.tokens if s.token(k).head == j} | {s.lemma(j)}
        if s.lemma(j) == noun and set(kind) <= said:
            return True
    return False


def change_of(c: Candidate) -> bool:
    """The value is how far something moved: '(lowered ...) by a quarter of a percentage
    point', 'two percentage points'."""
    if c.ctype not in AMOUNT_TYPES:
        return False
    return _verb_of(c, ("by",)) is not None or bool(_POINTS.search(fold(c.text)))


def _verb_of(c: Candidate, preps: tuple[str, ...]) -> int | None:
    """The setting or changing verb the value is the object of, through one of ``preps``."""
    if c.ctype not in AMOUNT_TYPES or not c.tokens:
        return None
    s = c.sentence
    roots = phrase_roots(s, c.tokens)
    if len(roots) != 1 or s.token(roots[0]).dep != "pobj":
        return None
    prep = s.token(roots[0]).head
    verb = s.token(prep).head
    if s.word(prep) not in preps or s.lemma(verb) not in _SETTING:
        return None
    return verb

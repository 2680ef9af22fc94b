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
# 'edged up to 2.9% from 2.8%', 'was revised to 61 from 58'
_MOVING = CHANGING | {"edge", "slip", "ease", "tick", "soar", "plunge", "slide", "go"}
_BEFORE = re.compile(
    r"\b(?:before|previous(?:ly)?|earlier|original(?:ly)?|initial(?:ly)?|first|old|prior|from)\b"
)
_DATED = re.compile(
    r"\s+(?:in|on|at the end of|for)\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+|\d{4})\b"
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


def earlier_value(q: QuestionAnalysis, c: Candidate) -> bool:
    """The value a change started from: the 2.8% of 'Core inflation edged up to 2.9% from
    2.8%' is no answer to what inflation was, unless the question asks what came before."""
    if _BEFORE.search(fold(q.text)):
        return False
    verb = _verb_of(c, ("from",), _MOVING)
    s = c.sentence
    if verb is None or _DATED.match(s.ann.text[c.end : c.end + 20]):
        return False  # 'fell to 2.6% in November from 2.8% in October': October's rate
    # 'rose from 2.8% to 2.9%', 'edged up to 2.9% from 2.8%' (where 'to' may hang on 2.9%)
    return any(
        s.word(j) == "to" and (s.token(j).head == verb or verb < j < verb + 5) for j in s.tokens
    )


def _verb_of(c: Candidate, preps: tuple[str, ...], verbs: frozenset[str] = _SETTING) -> int | None:
    """The setting or changing verb the value is the object of, through one of ``preps``."""
    if c.ctype not in AMOUNT_TYPES or not c.tokens:
        return None
    s = c.sentence
    roots = phrase_roots(s, c.tokens)
    if len(roots) != 1 or s.token(roots[0]).dep != "pobj":
        return None
    prep = s.token(roots[0]).head
    verb = s.token(prep).head
    if s.word(prep) not in preps or s.lemma(verb) not in verbs:
        return None
    return verb

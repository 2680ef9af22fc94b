"""Constraint checks between a question and a sentence: years, ordinals, other things."""

from __future__ import annotations

import re

from rag.lexical import STOPWORDS, fold, stem
from rag.reader.candidates import Candidate
from rag.reader.passages import YEAR, Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.text import tree_distance, words
from rag.reader.types import FOCUS_TYPES

_ORDINALS = {
    w: i
    for i, w in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh"
        " twelfth".split()
    )
}


def _ordinal_value(text: str) -> int | None:
    """'tenth' -> 10, '92nd' -> 92, '4' -> 4."""
    t = fold(text).strip()
    if t in _ORDINALS:
        return _ORDINALS[t]
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", t)
    return int(m.group(1)) if m else None


def number_conflict(q: QuestionAnalysis, s: Sentence) -> bool:
    """The question asks about the 4th season or 92nd ceremony; the sentence about another."""
    asked = {_ordinal_value(n) for n in q.numbers} - {None}
    if not asked:
        return False
    text = s.ann.text
    seen = {_ordinal_value(text[e.start : e.end]) for e in s.entities if e.label == "ORDINAL"}
    seen |= {int(m) for m in re.findall(r"\bseason (\d+)", fold(s.text))}
    seen -= {None}
    return bool(seen) and not (seen & asked)


def other_thing(
    q: QuestionAnalysis, s: Sentence, focus_tokens: set[int], own: set[int], q_stems: set[str]
) -> bool:
    """A different role or thing: 'Raiders president' for 'president of the NFL',
    'LEGO Foundation' for 'Lego'."""
    role = FOCUS_TYPES.get(q.focus or "", ("",))[0] == "person"
    end = max(own) if own else -1
    comma = next((i for i in s.tokens if i > end and s.word(i) == ","), None)
    linked = [
        f
        for f in focus_tokens
        if tree_distance(s, sorted(own), {f}, limit=2) <= 2
        and not (comma == end + 1 and f > comma)  # an appositive: another role, same person
    ]
    for f in linked if role else ():
        for i in s.tokens:
            t = s.token(i)
            if t.head == f and i not in own and t.dep in ("compound", "amod", "nmod"):
                if stem(s.word(i)) not in q_stems and t.pos in ("PROPN", "NOUN"):
                    return True
    entity_words = {w for e in q.entities for w in words(e) if w not in STOPWORDS}
    for e in s.entities:
        if e.label not in ("ORG", "EVENT", "PRODUCT", "FAC", "WORK_OF_ART"):
            continue
        ws = words(s.ann.text[e.start : e.end])
        hits = [k for k, w in enumerate(ws) if w in entity_words]
        if hits:
            # Named words after the question's: 'LEGO Foundation', 'NFL Players Association'.
            extra = [w for w in ws[hits[-1] + 1 :] if stem(w) not in q_stems and w not in _SUFFIXES]
            if extra:
                return True
    return False


_SUFFIXES = frozenset("inc inc. corp co ltd llc plc group the s".split())


def conflicts_with_year(q: QuestionAnalysis, c: Candidate) -> bool:
    """True when the sentence dates itself to other years than the question asks about."""
    if not q.years:
        return False
    sent_years = set(YEAR.findall(c.sentence.text)) - set(YEAR.findall(c.text))
    if sent_years:
        return not (sent_years & set(q.years))
    year = c.sentence.year
    chunk_years = set(YEAR.findall(c.sentence.ann.text))
    return bool(year and year not in q.years and not (chunk_years & set(q.years)) and chunk_years)

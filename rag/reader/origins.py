"""Where a person is from: 'Sofia Lindahl of Sweden', 'Italy's Dario Conti'.

A country named as a person's origin answers 'Which country does Lindahl represent?'
and nothing else: it is never where an event took place ('Where does the Calden Open
take place?' is not 'Sweden')."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from rag.lexical import fold
from rag.reader.candidates import Candidate
from rag.reader.question import QuestionAnalysis
from rag.reader.text import words

_ORIGIN_NOUNS = frozenset("country nation nationality".split())
_ORIGIN_VERBS = frozenset("represent come hail".split())
_FROM = re.compile(r"(?i)\bfrom\s*\?*$")
ORIGIN_SCORE = 0.8  # 'Sofia Lindahl of Sweden' for the asked Sofia Lindahl: a sure answer


def asks_origin(q: QuestionAnalysis) -> bool:
    """'Which country does Lindahl represent?', 'Which country is Ferro from?', 'Where is
    Katarzyna Wrona from?'."""
    verb = q.predicate is None or q.predicate in _ORIGIN_VERBS
    where_from = q.qtype == "where" and bool(_FROM.search(q.text))
    return (q.focus in _ORIGIN_NOUNS or where_from) and verb and bool(q.entities)


def origin_of(c: Candidate, names: Collection[str] = ()) -> str | None:
    """The person a place says the origin of: 'Lindahl of Sweden', 'Italy's Dario Conti'.
    A person is a PERSON entity, or a proper noun among ``names`` (the question's own
    names: spaCy leaves 'Amara Osei' of 'Amara Osei of Ghana' unlabelled)."""
    s = c.sentence
    for i in c.tokens:
        t = s.token(i)
        if t.dep == "pobj" and s.word(t.head) == "of":
            owner = s.token(t.head).head
        elif t.dep == "poss":
            owner = t.head
        else:
            continue
        for e in s.entities:
            if e.label == "PERSON" and e.start <= s.token(owner).start < e.end:
                return s.ann.text[e.start : e.end]
        if s.token(owner).pos == "PROPN" and s.word(owner) in names:
            return s.ann.text[s.token(owner).start : s.token(owner).end]
    return None


def wrong_origin(q: QuestionAnalysis, c: Candidate, origin: bool) -> bool:
    """A person's origin answers only an origin question, and only about that person."""
    asked = {w for e in q.entities for w in words(e)}
    who = origin_of(c, asked if origin else ())
    if not origin:
        return who is not None and q.focus not in _ORIGIN_NOUNS and not _FROM.search(q.text)
    if who is None:
        return not _after_from(c)  # 'arrived from a zoo in Tarsany' says where from
    return not set(words(who)) & asked


def _heads_above(c: Candidate, hops: int) -> Iterator[int]:
    """The tokens above the candidate, nearest first, at most ``hops`` of them."""
    s = c.sentence
    node = next((i for i in c.tokens if s.token(i).head not in c.tokens), None)
    for _ in range(hops):
        if node is None or s.token(node).head == node:
            return
        node = s.token(node).head
        yield node


def _after_from(c: Candidate) -> bool:
    """The candidate is, or is within, what 'from' governs after a verb of coming:
    'arrived from a zoo in Tarsany' (not 'withdrew from the Calden Open')."""
    s = c.sentence
    # Tarsany -> in -> zoo -> from
    word_from = next((i for i in _heads_above(c, 4) if s.word(i) == "from"), None)
    return word_from is not None and s.lemma(s.token(word_from).head) in _COMING


# 'Where did they march to?' is not answered by where they marched from.
_OTHER_WAY = {"to": "from", "into": "from", "towards": "from", "from": "to"}


def wrong_direction(q: QuestionAnalysis, c: Candidate) -> bool:
    """The place is the other end of the asked movement: 'marched from Calden General
    Hospital to Parliament Square' for 'Where did the nurses march to?'."""
    if not q.predicate or c.ctype != "place" or not c.tokens:
        return False
    asked = re.search(rf"\b{re.escape(q.predicate)}\w*\s+(to|into|towards|from)\b", fold(q.text))
    if not asked:
        return False
    s = c.sentence
    # Square -> to, or Hospital -> from: the nearest preposition above
    prep = next((i for i in _heads_above(c, 3) if s.token(i).pos == "ADP"), None)
    return prep is not None and s.word(prep) == _OTHER_WAY[asked.group(1)]


_COMING = frozenset("come arrive move transfer emigrate relocate originate return travel".split())


_RELATIVE_PLACE = re.compile(r"(?i)\b(?:in relation to|relative to)\b")


def asks_relative(q: QuestionAnalysis) -> bool:
    """'Where is the dam in relation to Kessby?': a distance and direction answers."""
    return bool(_RELATIVE_PLACE.search(q.text))

"""What a number counts: 'How many polling stations were affected?' is answered by the
'43' of '43 polling stations', not the 'thousands' of 'thousands of voters'."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.lexical import fold, stem
from rag.reader.candidates import Candidate
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.spans import phrase_roots
from rag.reader.synonyms import WORD_SYNONYMS
from rag.reader.text import count_subject

# The counted noun ends before an auxiliary or a past-tense verb ('supporters marched').
_HOW_MANY = re.compile(
    r"(?i)\bhow many ((?:[a-z-]+ ){0,2}?[a-z-]+)"
    r"(?= (?:were|was|are|is|did|do|does|have|has|had|will|would|[a-z]+ed|went|took|came"
    r"|left|fled|lost|won|got|made|gave|ran|fell|rose|kept|held|paid|sold|bought|became)\b"
    r"|\?|$)"
)
_COUNTED = ("number", "percent")
_RATE = re.compile(r"(?i) (?:a|per|each) (?:year|month|week|day)$")  # 'passengers a year'


# 'What was the number / count of ships waiting ...?' counts ships as 'how many' does.
_NUMBER_OF = re.compile(
    r"(?i)\b(?:number|count|total) of ((?:[a-z-]+ ){0,2}?[a-z-]+?)"
    r"(?=\b(?: [a-z]+ing\b| who| that| in| at| on|\?|$))"
)


def asked_noun(q: QuestionAnalysis) -> str | None:
    """The stem of the noun a how-many question counts ('station'), if it names one."""
    m = _HOW_MANY.search(q.text) or _NUMBER_OF.search(q.text)
    return stem(_RATE.sub("", m.group(1)).split()[-1]) if m else None


def asked_nouns(q: QuestionAnalysis) -> frozenset[str]:
    """The asked noun's stem and its usual words' ('times': 'on 14 occasions'); none when
    the question counts no noun."""
    asked = asked_noun(q)
    if asked is None:
        return frozenset()
    usual = next((ws for w, ws in WORD_SYNONYMS.items() if stem(w) == asked), frozenset())
    return frozenset({asked, *(stem(w) for w in usual)})


def counts_asked_noun(q: QuestionAnalysis, s: Sentence) -> bool:
    """The sentence gives a number of what a how-many question counts: 'including eight
    fires' for 'how many fires had been linked to ...', whatever verb it uses."""
    asked = asked_nouns(q) if q.qtype == "how_many" else frozenset()
    return any(
        stem(s.lemma(s.token(i).head)) in asked and s.token(i).dep == "nummod" for i in s.tokens
    )


def counted_noun(c: Candidate) -> str | None:
    """The stem of the noun a number candidate counts: '43 polling stations' -> 'station',
    'thousands of voters' -> 'voter'; None when it counts no noun ('rose to 43')."""
    i = _counted_token(c)
    return None if i is None else stem(c.sentence.lemma(i))


def with_counted_noun(c: Candidate) -> int:
    """Where a number's answer ends when it counts the noun right after it: '39 witnesses',
    '94 polling stations', 'Twenty-three miners' answer 'How many' in full; a number that
    counts no noun ends where it ends."""
    i = _counted_token(c)
    s = c.sentence
    if i is None or not c.tokens or i < c.tokens[-1]:
        return c.end
    between = range(c.tokens[-1] + 1, i)
    if any(s.token(j).dep not in ("compound", "amod") or s.token(j).head != i for j in between):
        return c.end  # not '43 of the stations', nor a clause in between
    return s.token(i).end


def _counted_token(c: Candidate) -> int | None:
    """The index of the noun a number candidate counts."""
    if not c.tokens:
        return None
    s = c.sentence
    last = c.tokens[-1]
    t = s.token(last)
    if t.dep == "nummod" and s.token(t.head).pos == "NOUN" and t.head not in c.tokens:
        return t.head
    # '43 of the stations'; 'the number of homes ... was revised to 61': what the
    # number-noun the count stands for counts
    for owner in (last, *count_subject(s, c.tokens)):
        for i in s.tokens:
            if s.token(i).head == owner and s.word(i) == "of":
                objects = [j for j in s.tokens if s.token(j).head == i and s.token(j).dep == "pobj"]
                if objects and s.token(objects[0]).pos == "NOUN":
                    return objects[0]
    return None


def counts_verb_argument(c: Candidate, verbs: frozenset[str]) -> bool:
    """The counted noun is the subject or object of one of the verbs: '6,000 supporters
    marched' for 'How many supporters marched ...?'."""
    i = _counted_token(c)
    if i is None:
        return False
    s = c.sentence
    t = s.token(i)
    if t.dep in _ARGUMENTS and fold(s.lemma(t.head)) in verbs:
        return True
    if t.dep == "pobj" and fold(s.lemma(s.token(t.head).head)) in verbs:
        return True  # 'the court heard from 39 witnesses'
    # A dateline can garble the parse ('CALDEN, ... - About 6,000 supporters marched'):
    # the noun's own verb right after it says the same.
    after = [j for j in s.tokens if j > i and s.token(j).pos != "AUX"][:1]
    return bool(after) and after[0] <= i + 3 and fold(s.lemma(after[0])) in verbs


_ARGUMENTS = frozenset("nsubj nsubjpass dobj".split())


def measured_noun(c: Candidate) -> str | None:
    """The stem of the noun a figure measures: 'a premium of 27%', 'a 27% premium',
    'Final turnout was 58.9%', 'inflation rose to 2.9%' -> 'premium', 'turnout', ..."""
    if not c.tokens:
        return None
    s = c.sentence
    roots = phrase_roots(s, c.tokens)
    if len(roots) != 1:
        return None
    t = s.token(roots[0])
    if t.dep in ("nummod", "compound", "amod") and s.token(t.head).pos == "NOUN":
        return stem(s.lemma(t.head))  # 'a 27% premium'
    if t.dep == "pobj" and s.word(t.head) == "of" and s.token(s.token(t.head).head).pos == "NOUN":
        return stem(s.lemma(s.token(t.head).head))  # 'a premium of 27%'
    verb = s.token(t.head).head if t.dep == "pobj" and s.word(t.head) in ("to", "at") else t.head
    if t.dep in ("attr", "pobj"):  # 'Turnout was 58.9%', 'inflation rose to 2.9%'
        subjects = [j for j in s.tokens if s.token(j).head == verb and s.token(j).dep == "nsubj"]
        if subjects and s.token(subjects[0]).pos == "NOUN":
            return stem(s.lemma(subjects[0]))
    return None


def counting_the_asked(q: QuestionAnalysis, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates, without numbers of other things when some number counts the
    asked one."""
    nouns = asked_nouns(q)
    counts = {id(c): counted_noun(c) for c in candidates if c.ctype in _COUNTED}
    if not nouns & set(counts.values()):
        return list(candidates)
    # '94 container ships were waiting, up from 21': a bare number beside the sentence's
    # own count of the asked noun is the figure it compares with, not the answer.
    counting = {id(c.sentence) for c in candidates if counts.get(id(c)) in nouns}
    return [
        c
        for c in candidates
        if id(c) not in counts
        or counts[id(c)] in nouns
        or counts[id(c)] is None
        and id(c.sentence) not in counting
    ]

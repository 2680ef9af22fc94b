"""Which measure? 'What was core inflation?' is not answered by a sentence about
inflation that does not say core, nor 'the total prize money' by the winner's prize money,
when another passage reports the qualified measure itself."""

from __future__ import annotations

from collections.abc import Sequence

from rag.lexical import YEAR, stem
from rag.reader.candidates import Candidate
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.question_terms import MONTHS
from rag.reader.spans import phrase_roots
from rag.reader.text import words
from rag.reader.types import AMOUNT_TYPES

# Words that date or rank the asked measure rather than name another one.
_TIME_WORDS = frozenset("first new latest current original main last next previous".split())


def qualifiers(q: QuestionAnalysis) -> list[str]:
    """Stems of the words before the focus noun in its phrase when a measure is asked:
    'core' of 'core inflation', 'total' and 'prize' of 'total prize money'."""
    if not q.focus or q.answer_types[0] not in AMOUNT_TYPES:
        return []
    for phrase in q.phrases:
        ws = phrase.split()
        if q.focus in ws[1:]:  # 'core inflation last month': the words before the noun
            before = ws[: ws.index(q.focus)]
            keep = [w for w in before if w not in _TIME_WORDS | MONTHS and not YEAR.fullmatch(w)]
            return [stem(w) for w in keep]
    return []


def _said(s: Sentence) -> set[str]:
    return {stem(w) for w in words(s.text)} | {stem(s.lemma(i)) for i in s.tokens}


def reported_qualifiers(q: QuestionAnalysis, sentences: Sequence[Sentence]) -> list[str]:
    """The asked measure's qualifiers that some passage uses to name the measure itself,
    as a modifier of its noun ('core inflation', 'total prize money'); a topic word
    ('flood' of 'flood death toll', where passages say 'the death toll from the floods')
    names no other measure, and no sentence is ruled out for lacking it."""
    wanted = qualifiers(q)
    if not wanted:
        return []
    focus = stem(q.focus or "")
    named: set[str] = set()
    for s in sentences:
        for i in s.tokens:
            if stem(s.lemma(i)) == focus:
                named |= {stem(s.word(j)) for j in _modifiers(s, i)}
    return [w for w in wanted if w in named]


def _modifiers(s: Sentence, noun: int) -> list[int]:
    """The words that modify a noun in front of it, their own modifiers included."""
    out = [j for j in s.tokens if s.token(j).head == noun and j < noun]
    out = [j for j in out if s.token(j).dep in ("compound", "amod", "nmod", "npadvmod")]
    return out + [k for j in out for k in _modifiers(s, j)]


def unqualified(q: QuestionAnalysis, s: Sentence, wanted: Sequence[str]) -> bool:
    """The sentence names the asked noun without a word of ``wanted`` (the qualifiers
    ``reported_qualifiers`` found) with it."""
    if not wanted:
        return False
    said = _said(s)
    return stem(q.focus or "") in said and not all(w in said for w in wanted)


def amount_in(c: Candidate, noun: str) -> bool:
    """The amount is counted in the asked noun: '$180 million in annual cost savings',
    '€45 million in extra funding'."""
    s = c.sentence
    toks = s.ann.tokens
    roots = phrase_roots(s, c.tokens)
    if len(roots) != 1:
        return False
    preps = [j for j in s.tokens if toks[j].head == roots[0] and s.word(j) == "in"]
    return any(
        toks[k].head in preps and toks[k].dep == "pobj" and stem(s.lemma(k)) == stem(noun)
        for k in s.tokens
    )

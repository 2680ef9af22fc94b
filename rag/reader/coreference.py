"""A pronoun names what the sentences before it named: 'The Spaniard said he had injured
his left wrist in practice in Madrid', after 'Joaquin Ferro of Spain has withdrawn',
speaks of Joaquin Ferro."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.annotate import Token
from rag.lexical import STOPWORDS
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.roles import SUBJECTS
from rag.reader.text import words

_PERSONAL = frozenset("he she his her him".split())
_NEUTER = frozenset({"it", "its"})
# 'The data analytics firm swung to a net loss': the business named before.
_BODIES = frozenset(
    "firm company group business maker operator carrier retailer insurer bank club".split()
)
_NOT_PEOPLE = frozenset({"GPE", "LOC"})  # the recogniser often calls a surname an ORG


def referred_words(q: QuestionAnalysis, s: Sentence) -> set[str]:
    """The words of a question's named thing that a pronoun of the sentence stands for:
    the subject of the sentence before (what the next one goes on about) is that thing's
    name, and the sentence does not name it. 'It' is no person, 'he' no place."""
    if not q.entities:
        return set()
    toks = s.ann.tokens
    said = {s.word(i) for i in s.tokens}
    # The pronoun is a subject, or the subject's owner ('his lawyer said'): 'the board
    # named its finance director' goes on about the board.
    told = {
        s.word(i)
        for i in s.tokens
        if _subject(toks, i) or toks[i].dep == "poss" and _subject(toks, toks[i].head)
    }
    body = any(_subject(toks, i) and s.lemma(i) in _BODIES for i in s.tokens)
    neuter, personal = bool(told & _NEUTER) or body, bool(told & _PERSONAL)
    if not neuter and not personal:
        return set()
    subject = _last_subject(s)
    if subject is None or toks[subject].pos != "PROPN":
        return set()  # 'The company said it ...': not a name the question gives
    label = next((e.label for e in s.ann.entities if e.start <= toks[subject].start < e.end), "")
    thing = (body or neuter) and label != "PERSON"  # the recogniser misses many firms
    if not (thing or personal and label not in _NOT_PEOPLE):
        return set()
    name = {s.word(subject)} | {
        s.word(i) for i in range(subject) if toks[i].dep == "compound" and toks[i].head == subject
    }  # 'Lumora Analytics'
    out: set[str] = set()
    for e in q.entities:
        if re.search(rf"{re.escape(e)}['’]", q.text):
            continue  # 'Brackenridge's chief executive' asks about the executive
        ws = {w for w in words(e) if w not in STOPWORDS}
        if name & ws and not ws & said:
            out |= ws
    return out


def _last_subject(s: Sentence) -> int | None:
    """The subject of the main verb of the last sentence before ``s`` in its passage that
    has one, past pronouns ('she said ...' goes on about the one named before)."""
    toks = s.ann.tokens
    roots = [i for i, t in enumerate(toks) if t.end <= s.start and t.dep == "ROOT"]
    for root in reversed(roots[-3:]):
        subject = next(
            (j for j, t in enumerate(toks) if t.head == root and t.dep in SUBJECTS), None
        )
        if subject is not None and toks[subject].pos != "PRON":
            return subject
    return None


def _subject(toks: Sequence[Token], i: int) -> bool:
    return toks[i].dep in SUBJECTS

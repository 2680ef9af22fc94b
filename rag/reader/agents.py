"""Whose fact is it? 'What share did Petrova take in the first round?' is not answered by
'Helga Sorn, who came third with 14.1%': the candidate's clause tells of another person."""

from __future__ import annotations

from collections.abc import Sequence

from rag.reader.candidates import Candidate
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.roles import AGENT, RELATIVE_PRONOUNS
from rag.reader.text import words

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def person_words(sentences: Sequence[Sentence]) -> frozenset[str]:
    """Words of the names labelled PERSON anywhere in the passages: 'Petrova' is a
    person in the passage where spaCy read her as a place, since 'Ana Petrova' was one."""
    anns = {id(s.ann): s.ann for s in sentences}.values()
    return frozenset(
        w
        for ann in anns
        for e in ann.entities
        if e.label == "PERSON"
        for w in words(ann.text[e.start : e.end])
    )


def other_person(q: QuestionAnalysis, c: Candidate, people: frozenset[str]) -> bool:
    """True when the question's doer is a person (``people``: the passages' person
    names; 'did Petrova take'), the wh-word asks something of theirs, and the
    candidate's clause has another person as its subject."""
    if q.role == AGENT or not q.doer:
        return False
    asked = set(words(q.doer))
    if not asked & people:
        return False
    s = c.sentence
    subject = _clause_subject(s, c)
    if subject is None or subject in c.tokens or s.token(subject).pos != "PROPN":
        return False
    word = s.word(subject)
    return word in people and word not in asked


def _clause_subject(s: Sentence, c: Candidate) -> int | None:
    """The subject token of the nearest clause above the candidate that has one; a
    relative pronoun stands for the noun its clause modifies ('Sorn, who came third with
    14.1%')."""
    if not c.tokens:
        return None
    toks = s.ann.tokens
    i = c.tokens[0]
    for _ in range(8):
        if toks[i].pos in ("VERB", "AUX"):
            subjects = [j for j in s.tokens if toks[j].head == i and toks[j].dep in _SUBJECTS]
            if subjects:
                j = subjects[0]
                if s.word(j) in RELATIVE_PRONOUNS and toks[i].dep == "relcl":
                    return toks[i].head
                return j
        if toks[i].head == i:
            return None
        i = toks[i].head
    return None

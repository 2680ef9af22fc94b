"""Whose fact is it? 'What share did Petrova take in the first round?' is not answered by
'Helga Sorn, who came third with 14.1%': the candidate's clause tells of another person."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.lexical import fold
from rag.reader.candidates import Candidate
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.roles import AGENT, RELATIVE_PRONOUNS, SUBJECTS
from rag.reader.spans import subtree
from rag.reader.text import words


def person_names(sentences: Sequence[Sentence]) -> list[list[str]]:
    """The words of every name labelled PERSON in the passages, once per chunk."""
    anns = {id(s.ann): s.ann for s in sentences}.values()
    return [words(a.text[e.start : e.end]) for a in anns for e in a.entities if e.label == "PERSON"]


def person_words(sentences: Sequence[Sentence]) -> frozenset[str]:
    """Words of the names labelled PERSON anywhere in the passages: 'Petrova' is a
    person in the passage where spaCy read her as a place, since 'Ana Petrova' was one."""
    return frozenset(w for name in person_names(sentences) for w in name)


def full_names(sentences: Sequence[Sentence]) -> frozenset[str]:
    """Surnames of the people the passages name in full ('Ana Petrova'): a single word
    labelled PERSON is often a company ('Mercato', 'Lumora')."""
    names = person_names(sentences)
    return frozenset(name[-1] for name in names if len(name) == 2 and name[0] not in _NOT_FIRST)


_NOT_FIRST = frozenset({"the", "a", "an"})


def mistyped_person(c: Candidate, surnames: frozenset[str]) -> bool:
    """A place candidate that is a person's surname the small model read as a place
    ('Petrova did best in ...' with 'Petrova' a place, where 'Ana Petrova' is a person)."""
    named = words(c.text)
    return c.ctype == "place" and len(named) == 1 and named[0] in surnames


def other_person(q: QuestionAnalysis, c: Candidate, people: frozenset[str]) -> bool:
    """True when the question is about one named person (``people``: the passages'
    person names; 'did Petrova take', 'was Tomas Reyland born'), the wh-word asks
    something of theirs, and the candidate's clause is about another named person:

    - the question's doer does the asked act, and another person is the clause's subject
      ('Sorn, who came third with 14.1%'), or is the very candidate ('Reyland' for the
      name of the law Petrova promised);
    - or the sentence never names the asked person and another person is its clause's
      subject ('Portvale, where she (Petrova) was born' for Reyland's birthplace).
    """
    if q.role == AGENT:
        return False
    named = q.doer or _only_person(q, people)
    asked = set(words(named or ""))
    if not asked & people:
        return False
    s = c.sentence
    subject, path = _clause_subject(s, c)
    if subject is None or s.token(subject).pos != "PROPN":
        return False
    if asked & {s.word(i) for i in path}:
        return False  # 'Katarzyna Wrona of Poland': the candidate hangs on the asked name
    if s.token(subject).dep == "nsubjpass" and asked & _agent_words(s, s.token(subject).head):
        return False  # 'Bluefin Live ... was fined 850,000 crowns by Sollen City Council'
    word = s.word(subject)
    if asked & _names_at(s, subject) or not (word in people or _unlabelled(s, subject)):
        return False  # 'The Venezuelan President, Nicolás Maduro, ...' is Maduro
    if subject in c.tokens:
        names_only = all(s.token(i).pos == "PROPN" for i in c.tokens)
        return q.doer is not None and names_only and c.ctype != "person"
    return q.doer is not None or not asked & set(words(s.text))


def _agent_words(s: Sentence, verb: int) -> set[str]:
    """Words of the passive clause's 'by' phrases: who did it (the small model may hang
    'by Sollen City Council' on the object, not the verb)."""
    by = [j for j in subtree(s, verb) if s.word(j) == "by"]
    return {s.word(i) for j in by for i in subtree(s, j)}


def _names_at(s: Sentence, head: int) -> set[str]:
    """Words of the proper nouns in the subject's own phrase, its apposition included."""
    return {s.word(i) for i in subtree(s, head) if s.token(i).pos == "PROPN"}


def _only_person(q: QuestionAnalysis, people: frozenset[str]) -> str | None:
    """The one named person the question is about, when it names exactly one."""
    named = [e for e in q.entities if set(words(e)) & people]
    return named[0] if len(named) == 1 else None


def _unlabelled(s: Sentence, i: int) -> bool:
    """A proper noun no entity covers: a surname the small model missed ('Osei receives
    €480,000'), where an organisation or place would mostly carry its label."""
    t = s.token(i)
    return not any(e.start <= t.start and t.end <= e.end for e in s.entities)


def _clause_subject(s: Sentence, c: Candidate) -> tuple[int | None, list[int]]:
    """The subject token of the nearest clause above the candidate that has one, and the
    tokens passed on the way up; a relative pronoun stands for the noun its clause
    modifies ('Sorn, who came third with 14.1%')."""
    if not c.tokens:
        return None, []
    toks = s.ann.tokens
    i = c.tokens[0]
    path = []
    for _ in range(8):
        path.append(i)
        if toks[i].pos in ("VERB", "AUX"):
            subjects = [j for j in s.tokens if toks[j].head == i and toks[j].dep in SUBJECTS]
            # 'ASTREL, May 19 (Astrel Herald) - ... Herrold was sentenced': the small model
            # makes the dateline a second subject; it names no one.
            subjects = [j for j in subjects if toks[j].start >= s.header_end] or subjects
            if subjects:
                j = subjects[0]
                if s.word(j) in RELATIVE_PRONOUNS and toks[i].dep == "relcl":
                    return toks[i].head, path
                return j, path
        if toks[i].head == i:
            return None, path
        i = toks[i].head
    return None, path


def with_antecedent(part: QuestionAnalysis, antecedent: str) -> QuestionAnalysis:
    """A later part of a compound question whose pronoun means the earlier answer; a
    subject pronoun ('what share did he get') makes the answer the part's doer."""
    doer = fold(antecedent) if _SUBJECT_PRONOUN.search(part.text) else part.doer
    return replace(
        part,
        entities=(*part.entities, antecedent),
        subject=part.subject or antecedent,
        doer=part.doer or doer,
    )


_SUBJECT_PRONOUN = re.compile(r"(?i)\b(?:did|does|do|will|would|has|have|had)\s+(?:he|she)\b")

"""How well a sentence matches a question: idf-weighted term coverage over the passages.

Terms that every retrieved passage shares (the story's place, its main actor) say little;
a term no passage has ('doubles' when every article is about the singles) is what makes
a question a near miss, so each question term weighs by its rarity among the passages.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rag.lexical import fold, stem
from rag.reader.agents import person_names
from rag.reader.coreference import referred_words
from rag.reader.date_constraints import date_match, day_numbers
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.question_terms import LIGHT_VERBS, MONTHS
from rag.reader.synonyms import RELATION_SYNONYMS, WORD_SYNONYMS
from rag.reader.text import words
from rag.reader.types import FOCUS_TYPES, SCAFFOLD_TERMS, is_measure


@dataclass(frozen=True)
class Match:
    """A sentence's match to the question's terms (each in [0, 1])."""

    sentence: float  # idf share of the question terms the sentence has
    passage: float  # idf share the sentence's passage (and title) has
    missing: float  # idf share of the terms no retrieved passage has at all


def _stems(s: Sentence, whole_passage: bool) -> set[str]:
    idx = range(len(s.ann.tokens)) if whole_passage else s.tokens
    out = {stem(s.word(i)) for i in idx} | {stem(s.lemma(i)) for i in idx}
    if whole_passage:
        out |= {stem(w) for w in words(s.title)}
    return out


def date_terms(q: QuestionAnalysis) -> set[str]:
    """The question terms that name its asked date ('september', '16')."""
    if not q.dates:
        return set()
    named = MONTHS | day_numbers(q.text)
    return {t for t in q.terms if t in named}


def dated_stems(q: QuestionAnalysis, s: Sentence, have: set[str]) -> set[str]:
    """A sentence's terms, plus the asked date's words when its article is of that date:
    '71 ships were waiting on Tuesday' in the September 16 paper says 'September 16'."""
    extra = date_terms(q)
    if extra and date_match(q.dates, s) == 1.0:
        return have | {stem(t) for t in extra}
    return have


def is_kind(term: str, focus: str | None) -> bool:
    """The focus noun of 'which city' names the answer's kind, no evidence; a measure
    ('revenue', 'capacity': ``is_measure``) is a word the answer's sentence says."""
    return term == focus and term in FOCUS_TYPES and not is_measure(term)


def term_alternatives(q: QuestionAnalysis) -> dict[str, set[str]]:
    """Each question term's stems, with its relation synonyms."""
    out: dict[str, set[str]] = {}
    for t in q.terms:
        if t in LIGHT_VERBS or t in SCAFFOLD_TERMS or is_kind(t, q.focus):
            continue  # 'going to', 'actually': no evidence; 'which city': the answer is the city
        alts = {stem(t), *(stem(w) for w in words(t))}
        # Any term may be said in other words ('brought in' a mediator: 'appointed').
        said = RELATION_SYNONYMS.get(t, frozenset()) | WORD_SYNONYMS.get(t, frozenset())
        alts |= {stem(w) for w in said}
        out[t] = alts
    return out


class Evidence:
    """Per-question term weights from the retrieved passages, and sentence matches."""

    def __init__(self, q: QuestionAnalysis, sentences: Sequence[Sentence]) -> None:
        self.q = q
        self.alternatives = term_alternatives(q)
        passages: dict[int, set[str]] = {}
        for s in sentences:
            if s.passage not in passages:
                passages[s.passage] = dated_stems(q, s, _stems(s, whole_passage=True))
        n = len(passages)
        self.weights: dict[str, float] = {}
        self.absent: set[str] = set()
        for t, alts in self.alternatives.items():
            df = sum(1 for have in passages.values() if _meets(alts, have))
            if not df:
                self.absent.add(t)
            self.weights[t] = math.log((n + 1) / (df + 0.5)) + 0.1
        self.total = sum(self.weights.values())
        self._cache: dict[tuple[int, int], Match] = {}
        self._given = _given_names(q, sentences)

    def match(self, s: Sentence) -> Match:
        """Sentence-level and passage-level idf coverage, and the weight of absent terms."""
        key = (s.passage, s.start)
        if key not in self._cache:
            self._cache[key] = Match(
                self._share(self._named(s, _stems(s, whole_passage=False), False)),
                self._share(self._named(s, _stems(s, whole_passage=True), True)),
                sum(self.weights[t] for t in self.absent) / self.total if self.total else 0.0,
            )
        return self._cache[key]

    def _named(self, s: Sentence, have: set[str], whole_passage: bool) -> set[str]:
        """The stems the text says, a person's given name among them where the surname
        stands alone ('Tallow's final report is due'), not inside another name ('A
        Fantastic Woman')."""
        have = dated_stems(self.q, s, have)
        if not whole_passage:  # 'he had injured his wrist': Ferro's
            have |= {stem(w) for w in referred_words(self.q, s)}
        if self._given:
            toks = s.ann.tokens
            idx = range(len(toks)) if whole_passage else s.tokens
            alone = {
                s.word(i)
                for i in idx
                if toks[i].pos == "PROPN" and not (i and toks[i - 1].pos == "PROPN")
            }
            have |= {stem(given) for given, surname in self._given if surname in alone}
        return have

    def _share(self, have: set[str]) -> float:
        if not self.total:
            return 0.0
        hit = sum(w for t, w in self.weights.items() if _meets(self.alternatives[t], have))
        return hit / self.total


def _given_names(q: QuestionAnalysis, sentences: Sequence[Sentence]) -> list[tuple[str, str]]:
    """(given name, surname) of each person the question names in full, as the passages'
    entities tell persons."""
    persons = {" ".join(name) for name in person_names(sentences)}
    out = []
    for entity in q.entities:
        names = words(entity)
        if len(names) >= 2 and " ".join(names) in persons:
            out += [(w, names[-1]) for w in names[:-1]]
    return out


def _relation_words(q: QuestionAnalysis) -> set[str]:
    return set(q.relation) | ({q.predicate} if q.predicate else set())


_AGENT_TYPES = frozenset({"person", "organisation", "team"})


def says_all_but_relation(q: QuestionAnalysis, s: Sentence) -> bool:
    """True when the sentence says every question term but the relation's own words,
    three of them at least and two besides the names: the relation is then only put in
    other words ('counted' for 'find', 'would fund' for 'promised'). Names alone ('the US
    and Venezuela') say too little, and for a question about who the relation is the
    role ('leads', 'advised'), never to be guessed."""
    if q.answer_types[0] in _AGENT_TYPES:
        return False
    relation = _relation_words(q)
    rest = {t: alts for t, alts in term_alternatives(q).items() if t not in relation}
    named = {w for e in q.entities for w in words(e)}
    if len(rest) < 3 or len(set(rest) - named) < 2:
        return False
    have = dated_stems(q, s, _stems(s, whole_passage=False))
    return all(_meets(alts, have) for alts in rest.values())


def _meets(alternatives: set[str], have: set[str]) -> bool:
    """A shared stem, or one stem of 5+ letters opening the other ('recogn', 'recognit')."""
    if alternatives & have:
        return True
    long = [a for a in alternatives if len(a) >= 5]
    return any(h.startswith(a) or (len(h) >= 5 and a.startswith(h)) for a in long for h in have)


def names_entities(entity_words: list[list[str]], have: set[str]) -> bool:
    """True when the words of the sentence's article (its retrieved passages and its
    title) name one of the question's entities: half its words at least."""
    named = [ws for ws in entity_words if ws]
    return not named or any(sum(w in have for w in ws) * 2 >= len(ws) for ws in named)


def article_words(sentences: Sequence[Sentence]) -> dict[str, set[str]]:
    """Words of each article's retrieved passages and title: a passage about 'the
    hospitals' of an article whose dateline says 'CALDEN' is about Calden's."""
    out: dict[str, set[str]] = defaultdict(set)
    for ann, title in {id(s.ann): (s.ann, s.title) for s in sentences}.values():
        out[title] |= set(words(ann.text)) | set(words(title))
    return out


def says_relation(relation_stems: set[str], s: Sentence, *, whole_passage: bool = False) -> bool:
    """True when a word of the sentence (or of its whole passage) shares a stem, or a
    4+ letter stem prefix ('lead' in 'leader'), with a relation word."""
    for i in range(len(s.ann.tokens)) if whole_passage else s.tokens:
        for w in (stem(s.word(i)), stem(s.lemma(i))):
            if w in relation_stems or w[:2] == "re" and w[2:] in relation_stems:
                return True  # 'reopen' says 'open'; 'resume' no 'sum'
            if len(w) >= 4 and any(
                len(r) >= 4 and (w.startswith(r) or r.startswith(w)) for r in relation_stems
            ):
                return True
    return False


def place_names(sentences: Sequence[Sentence]) -> frozenset[str]:
    """Folded names the passages tag a place anywhere ('CALDEN' in a dateline)."""
    return frozenset(
        fold(s.ann.text[e.start : e.end]) for s in sentences for e in s.entities if e.label == "GPE"
    )

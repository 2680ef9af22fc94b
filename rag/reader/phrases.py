"""Scores for answers that are phrases, not entities: definitions, roles, reasons, statements.

The learned scorer is fitted on entity answers (names, dates, numbers); development
data holds too few phrase answers to fit one, so these are hand-set rules over the
same features, checked on the seed articles and the news development questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.lexical import STOPWORDS, fold, stem
from rag.reader.candidates import Candidate
from rag.reader.features import FEATURE_INDEX as _F
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.spans import age_of
from rag.reader.text import only_supposed, said_polarity, words
from rag.reader.types import PHRASE_TYPES

# Phrase and duration answers are scored by these rules, not the fitted scorer, and
# have their own refusal threshold (set on the news development questions).
RULED_TYPES = PHRASE_TYPES | {"duration", "age", "score"}
RULE_THRESHOLD = 0.5
_CAUSAL = re.compile(
    r"\b(?:because|due to|as a result|in response to|citing|so that|in order to|after|amid"
    r"|since|saying|said(?! *(?:on \w+|in a statement)? *[.,]? *$)"  # not 'Conti said.'
    r"|to protest|over(?! (?:the )?(?:\d|two|three|four|five|six|a |the "
    r"(?:next|past|last|same|weekend|summer|winter|years?|months?|weeks?|days?)\b))"
    r"|out of (?:respect|fear|concern|solidarity)"
    r"|arguing|argued|on the grounds)\b"
)
_EARLIER_ROUND = re.compile(r"\b(?:semi|quarter)[- ]?finals?\b")
_SAY = frozenset("say said says tell told warn warned claim claimed".split())
_BEFORE = re.compile(r"\b(?:before|previously|formerly|earlier|used to)\b")
_FORMER_CUE = re.compile(r"\b(?:former|formerly|previously|ex-|once|until)\b")


def _gives_cause(q: QuestionAnalysis, s: Sentence) -> bool:
    """A causal word in the sentence that is not just 'after' the question's own
    subject: 'reopened after a four-year renovation' tells when the renovation was, not
    why it went over budget."""
    return any(
        m.group() != "after" or not _after_asked(q, s, s.start + m.start())
        for m in _CAUSAL.finditer(s.text.lower())
    )


def _after_asked(q: QuestionAnalysis, s: Sentence, at: int) -> bool:
    """'after' at chunk offset ``at`` governs a noun the question asks about."""
    after = next((i for i in s.tokens if s.token(i).start == at), None)
    asked = {stem(t) for t in q.terms}
    return after is not None and any(
        s.token(j).head == after and s.token(j).dep == "pobj" and stem(s.lemma(j)) in asked
        for j in s.tokens
    )


def unnamed(q: QuestionAnalysis, s: Sentence) -> bool:
    """True when a capitalised word of the question (not its first) is nowhere in the
    sentence's passage or title: 'Did ENA members approve the deal?' is not answered by a
    league board's vote, whether or not the entity recogniser saw 'ENA'.

    >>> from types import SimpleNamespace as NS
    >>> q = NS(text="Did ENA members approve the pay deal?")
    >>> unnamed(q, NS(ann=NS(text="The league's board voted to approve it."), title=""))
    True
    >>> unnamed(q, NS(ann=NS(text="ENA members voted to approve it."), title=""))
    False
    """
    found = re.findall(r"(?<=\s)[A-Z][\w-]*", q.text)  # 'Norrvik' of "Norrvik's"
    capitalised = {w for m in found for w in words(m)}
    have = set(words(s.ann.text)) | set(words(s.title))
    return bool(capitalised - have)


def phrase_score(q: QuestionAnalysis, c: Candidate, features: Sequence[float]) -> float:
    """Probability-like score in [0, 1] of a phrase candidate."""

    def f(name: str) -> float:
        return float(features[_F[name]])

    s = c.sentence
    entities_here = any(
        c.start <= e.start and e.end <= c.end and e.label in ("PERSON", "ORG", "GPE", "NORP")
        for e in s.entities
    )
    if c.ctype == "definition":
        return min(1.0, 0.55 + 0.25 * f("entity_sent") + 0.1 * float(entities_here))
    if c.ctype == "role":
        if _BEFORE.search(q.text.lower()) and not _FORMER_CUE.search(c.text.lower()):
            # 'What was her job before?': not the title she holds now ('Acting President
            # Delcy Rodríguez'); a post she worked in before being elected still answers.
            if any(e.label == "PERSON" and 0 <= e.start - c.end <= 2 for e in s.entities):
                return 0.1
        return min(1.0, 0.25 + 0.45 * f("entity_sent") + 0.2 * f("predicate"))
    if c.ctype == "reason" and not c.exact and not _gives_cause(q, s):
        return 0.0  # a sentence with no cause in it does not say why
    if c.ctype in ("thing", "manner", "yes_no") or (c.ctype == "reason" and not c.exact):
        # A clause or sentence answers when it says the question's rarer terms.
        score = (
            0.05
            + 0.55 * f("idf_sent")
            + 0.15 * f("idf_passage")
            + 0.15 * f("predicate")
            + 0.1 * f("entity_sent")
            + 0.05 * float(c.exact)
        )
        if c.ctype == "yes_no" and (
            only_supposed(s, q.predicate or "")
            or q.predicate
            and said_polarity(s, q.predicate) is None
            or unnamed(q, s)
        ):
            score *= 0.3  # 'if the deal is blocked', no word of the asked act, or of its doer
        return max(0.0, min(1.0, score - 0.8 * f("idf_missing")))
    if c.ctype == "reason":
        relation = {stem(r) for r in q.relation}
        restated = any(stem(w) in relation for w in words(c.text))
        restated = restated or fold(c.text).startswith("after ") and _after_asked(q, s, c.start)
        score = 0.15 + 0.35 * f("idf_sent") + 0.2 * f("predicate") + 0.15 * float(entities_here)
        score += 0.1 * f("length") - 0.3 * float(restated) - 0.8 * f("idf_missing")
        return max(0.0, min(1.0, score))
    if c.ctype == "statement":
        entity_words = {w for e in q.entities for w in words(e)}
        topic = [
            w
            for w in words(q.text)
            if w not in STOPWORDS and w not in entity_words and w not in _SAY and len(w) > 2
        ]
        sentence_stems = {stem(w) for w in words(s.text)}
        hit = sum(stem(w) in sentence_stems for w in topic) / len(topic) if topic else 1.0
        return min(1.0, 0.15 + 0.35 * f("entity_sent") + 0.45 * hit)
    if c.ctype == "age":
        # 'Obi, 68,' answers 'How old is Clara Obi?'; an age of someone else does not.
        asked = {w for e in q.entities for w in words(e)}
        whose = age_of(s, c.start)
        if whose:
            return 0.8 if set(words(whose)) & asked else 0.1
        return 0.3 + 0.4 * f("entity_sent")
    if c.ctype == "score":
        # '6-4, 6-7 (5), 6-3' answers when its sentence tells of the asked match or vote,
        # not of an earlier round ('beat Rocha 7-5, 6-4 in the other semi-final').
        if _EARLIER_ROUND.search(s.text.lower()) and not _EARLIER_ROUND.search(q.text.lower()):
            return 0.0
        rule = 0.1 + 0.6 * f("idf_sent") + 0.1 * f("entity_sent") + 0.1 * f("year_passage")
        return max(0.0, min(1.0, rule + 0.1 * f("near_term") - 0.8 * f("idf_missing")))
    if c.ctype == "duration":
        # Few durations in the development data: a rule, not the fitted scorer.
        rule = 0.2 + 0.4 * f("coverage") + 0.3 * f("predicate") + 0.1 * f("near_predicate")
        return max(0.0, min(1.0, rule - 0.5 * f("negative_cue")))
    return max(0.0, min(1.0, 0.1 + 0.4 * f("coverage") + 0.2 * f("predicate")))

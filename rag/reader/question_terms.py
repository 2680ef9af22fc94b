"""The words of a question an answer must match: years, predicate, relation words, phrases."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.annotate import ChunkAnnotation, Token
from rag.lexical import STOPWORDS, YEAR, fold
from rag.reader.date_constraints import quarters_in
from rag.reader.idioms import (
    LEADING_INTO,
    PHRASAL_VERBS,
    idiom_predicate,
    idiom_words,
    phrasal_verb,
)
from rag.reader.synonyms import OPPOSITES, RELATION_SYNONYMS

WH_WORDS = frozenset("who whom whose what which when where why how".split())
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
# Predicates too generic to constrain an answer ('accord': 'According to the report').
LIGHT_VERBS = frozenset(
    "be have do get make go come name call put report accord suppose".split()
)  # 'was supposed to be held': the act is holding, which a sentence says as 'due to'

AUXILIARIES = frozenset("do does did is are was were has have had will would".split())


def question_years(ann: ChunkAnnotation) -> tuple[str, ...]:
    """Years that constrain the answer; not the '1984' of 'Wonder Woman 1984'."""
    out: list[str] = []
    toks = ann.tokens
    for i, t in enumerate(toks):
        word = ann.text[t.start : t.end]
        before = ann.text[toks[i - 1].start : toks[i - 1].end] if i > 0 else ""
        in_title = (
            toks[i - 1].pos == "PROPN"
            and not quarters_in(before)  # 'Q1 2025' is a quarter, not a title
            and fold(before) not in MONTHS  # 'January 2025' is a date, not a title
            if i
            else False
        )
        if YEAR.fullmatch(word) and not in_title:
            out.append(word)
    return tuple(dict.fromkeys(out))


def relation_words(
    ann: ChunkAnnotation,
    lemmas: list[str],
    predicate: str | None,
    focus: str | None,
    *,
    either_way: bool = False,
) -> tuple[str, ...]:
    """Predicate, focus noun, the focus's modifiers ('release' date) and their synonyms;
    ``either_way`` (a yes/no question): the predicate's opposites too."""
    out: list[str] = sorted(OPPOSITES.get(predicate or "", ())) if either_way else []
    verbs = [
        lemmas[i]
        for i, t in enumerate(ann.tokens)
        if t.pos == "VERB" and lemmas[i] not in LIGHT_VERBS and not _dating_verb(ann, i)
    ]
    idiom = idiom_words(predicate, lemmas, fold(ann.text))
    verbs = [v for v in verbs if v not in idiom]  # 'take place' means held, not won
    for word in (predicate, focus, *verbs):
        if word and word not in ("date", "name", "day", "time", "year"):
            out.append(word)
            out.extend(sorted(RELATION_SYNONYMS.get(word, ())))
    for i, t in enumerate(ann.tokens):
        head = ann.tokens[t.head]
        if t.dep in ("compound", "amod") and focus and fold(head.lemma) == focus:
            if lemmas[i] not in STOPWORDS:
                out.append(lemmas[i])
                out.extend(sorted(RELATION_SYNONYMS.get(lemmas[i], ())))
    return tuple(dict.fromkeys(out))


def phrases(ann: ChunkAnnotation, words: list[str]) -> tuple[str, ...]:
    """Runs of two or more adjacent content words: 'best animated film', 'world cup'."""
    out: list[str] = []
    run: list[str] = []
    for t, w in [*zip(ann.tokens, words, strict=True), (None, "")]:
        keep = (
            t is not None
            and t.pos in ("NOUN", "PROPN", "ADJ", "NUM")
            and w not in STOPWORDS
            and w not in WH_WORDS
        )
        if keep:
            run.append(w)
            continue
        if len(run) >= 2:
            out.append(" ".join(run))
        run = []
    return tuple(out)


_IN_CHARGE = re.compile(r"\b(?:in charge|at the helm)\b")


_TIME_MARKS = frozenset("after before when while since until once".split())


def _dating_verb(ann: ChunkAnnotation, i: int) -> bool:
    """A verb that dates the asked fact rather than asking it: an adjective ('the
    announced deal') or a clause opened by 'when' or 'after' ('... when the deal was
    announced', 'After the regulator opened its probe, when did ...?')."""
    toks = ann.tokens
    if toks[i].dep == "amod":
        return True
    return any(
        t.head == i
        and t.dep in ("mark", "advmod")
        and fold(ann.text[t.start : t.end]) in _TIME_MARKS
        and not _asks(ann, j)
        for j, t in enumerate(toks)
    )


def _costs(ann: ChunkAnnotation, lemmas: list[str]) -> bool:
    """'How much did the new line cost to build?': 'cost' right after the subject is the
    verb, though the small model tags it a noun there."""
    toks = ann.tokens
    said = [fold(ann.text[t.start : t.end]) for t in toks]
    return any(
        lemmas[i] == "cost"
        and toks[i - 1].pos in ("NOUN", "PROPN")
        and said[i + 1 : i + 2] != ["of"]  # 'the repair cost of the bridge': a noun
        and AUXILIARIES & set(said[:i])
        for i in range(1, len(toks))
    )


_PARTICLES = frozenset({"prt", "advmod", "prep"})  # 'voted against' hangs a preposition


def _phrasal(ann: ChunkAnnotation, lemmas: list[str], verb: int) -> str | None:
    """The one verb the phrasal verb at ``verb`` stands for: 'step down' -> 'resign'."""
    kids = [j for j, t in enumerate(ann.tokens) if t.head == verb and t.dep in _PARTICLES]
    return phrasal_verb(lemmas, verb, kids)


def other_phrasals(
    ann: ChunkAnnotation, lemmas: list[str], predicate: str | None
) -> list[tuple[str, str, str]]:
    """The question's phrasal verbs besides the asked one, with the verb each stands for:
    'when it comes back in 2027' is ('come', 'back', 'return')."""
    out = []
    for i, t in enumerate(ann.tokens):
        one = _phrasal(ann, lemmas, i) if t.pos == "VERB" else None
        if one and one != predicate:
            kids = [j for j, k in enumerate(ann.tokens) if k.head == i and k.dep in _PARTICLES]
            particle = next(lemmas[j] for j in kids if (lemmas[i], lemmas[j]) in PHRASAL_VERBS)
            out.append((lemmas[i], particle, one))
    return out


def _asks(ann: ChunkAnnotation, j: int) -> bool:
    """Token j is the question word: 'when' before 'did', not 'when the deal was'."""
    toks = ann.tokens
    word = fold(ann.text[toks[j].start : toks[j].end])
    return word in WH_WORDS and j + 1 < len(toks) and toks[j + 1].pos == "AUX"


def _asked_verb(ann: ChunkAnnotation, i: int) -> bool:
    return any(t.head == i and _asks(ann, j) for j, t in enumerate(ann.tokens))


def predicate_of(ann: ChunkAnnotation, lemmas: list[str]) -> str | None:
    """Main verb lemma; in 'Who is the CEO' there is none worth matching."""
    folded = fold(ann.text)
    idiom = idiom_predicate(folded)
    if idiom:
        return idiom
    if _costs(ann, lemmas):
        return "cost"
    into = LEADING_INTO.search(folded)
    if into:
        said = [fold(ann.text[t.start : t.end]) for t in ann.tokens]
        verb = into.group(1) or into.group(2)
        if verb in said:
            return lemmas[said.index(verb)]
    # A verb of a 'when'/'after' clause ('... when the floods hit') is not what is asked,
    # unless the question word asks it ('After X, when did B expect ...?'); nor, while
    # the question has another, a verb of a relative clause ('each family that lost its
    # home receive').
    verbs = [
        i
        for i, t in enumerate(ann.tokens)
        if t.pos == "VERB"
        and (lemmas[i] not in LIGHT_VERBS or _phrasal(ann, lemmas, i))
        and not _dating_verb(ann, i)
        and (t.dep != "advcl" or _asked_verb(ann, i))
    ]
    main = [i for i in verbs if ann.tokens[i].dep not in ("relcl", "acl")]
    if main or verbs:
        verb = (main or verbs)[0]
        return _phrasal(ann, lemmas, verb) or lemmas[verb]
    if _IN_CHARGE.search(folded):
        return "run"  # 'Who was in charge of X?' (no verb of its own) asks who ran it
    for i, t in enumerate(ann.tokens):  # a mis-tagged verb: 'Why did Venezuela break ...'
        if (
            t.dep == "ROOT"
            and t.pos not in ("AUX", "ADP")
            and lemmas[i] not in LIGHT_VERBS | WH_WORDS
        ):
            return lemmas[i]
    # 'How much did the museum's renovation cost?': after 'did' the last noun is the verb,
    # unless it is a preposition's object ('did Reyland get in the runoff').
    if "do" in lemmas:
        last = [i for i, t in enumerate(ann.tokens) if t.pos != "PUNCT"][-1:]
        if (
            last
            and ann.tokens[last[0]].pos == "NOUN"
            and ann.tokens[last[0]].dep != "pobj"
            and lemmas[last[0]] not in LIGHT_VERBS
        ):
            return lemmas[last[0]]
    return None


def name_of(ann: ChunkAnnotation) -> str | None:
    """The lemma of what 'the name of X' names ('the climate law', 'the cubs' mother')."""
    toks = ann.tokens
    for t in toks:
        if t.dep == "pobj" and toks[t.head].lemma == "of":
            if fold(toks[toks[t.head].head].lemma) == "name":
                return fold(t.lemma)
    return None


def whole_name(toks: Sequence[Token], start: int, end: int) -> tuple[int, int]:
    """An entity widened to the run of proper nouns it sits in: the small model tags
    only 'Clara' in 'How old is Clara Obi?'."""
    inside = [i for i, t in enumerate(toks) if start <= t.start < end]
    if not inside or toks[inside[0]].pos != "PROPN" or toks[inside[-1]].pos != "PROPN":
        return start, end
    first, last = inside[0], inside[-1]
    while first > 0 and toks[first - 1].pos == "PROPN":
        first -= 1
    while last + 1 < len(toks) and toks[last + 1].pos == "PROPN":
        last += 1
    return toks[first].start, toks[last].end

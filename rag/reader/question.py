"""Question analysis: type, expected answer types, constraints and compound parts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from index.annotate import ChunkAnnotation
from rag.lexical import STOPWORDS, fold
from rag.reader.compound import Annotates as Annotates  # what analysis needs, too
from rag.reader.compound import pieces
from rag.reader.copulas import (
    DEFINING_VERBS,
    asks_a_kind,
    asks_what_someone_does,
    definition_subject,
    names_only,
)
from rag.reader.date_constraints import (
    asked_dates,
    day_numbers,
    quarters_in,
    since_dates,
    year_bound,
)
from rag.reader.idioms import idiom_words, said_phrasally
from rag.reader.question_roles import actor_of, doer_of, object_of
from rag.reader.question_terms import (
    WH_WORDS,
    YEAR,
    name_of,
    other_phrasals,
    phrases,
    predicate_of,
    question_years,
    relation_words,
    whole_name,
)
from rag.reader.roles import question_role
from rag.reader.types import DURATION_UNITS, FOCUS_TYPES, HEDGES, asks_money, persons_name

_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_NUMBER = re.compile(r"(?<![\w-])\d+(?:st|nd|rd|th)?\b")  # not the 1 of "Lyra-1"
_SAY_VERBS = frozenset("say said says tell told warn warned claim claimed argue argued".split())
# 'What forced / prompted / caused X to ...' asks why.
_CAUSE_VERBS = frozenset("force prompt cause trigger lead drive push spark".split())


@dataclass(frozen=True)
class QuestionAnalysis:
    """What a question asks for and what an answer must satisfy."""

    text: str
    qtype: str  # who/what/when/where/how_many/how_much/how_long/how_old/why/how/yes_no/definition
    answer_types: tuple[str, ...]
    focus: str | None = None  # the noun asked about: "city", "director", "job"
    predicate: str | None = None  # main verb lemma: "win", "acquire"
    terms: tuple[str, ...] = ()  # folded content lemmas
    phrases: tuple[str, ...] = ()  # folded multi-word phrases that must match whole
    entities: tuple[str, ...] = ()  # named things in the question (no dates)
    years: tuple[str, ...] = ()
    quarters: tuple[str, ...] = ()  # "q1"
    numbers: tuple[str, ...] = ()  # other numbers and ordinals: "4", "90th"
    dates: tuple[str, ...] = ()  # asked days and months: "09-16", "12"
    since: tuple[str, ...] = ()  # months a date answer is measured from: "07"
    role: str | None = None  # what the wh-word is to the verb: "agent" or "patient"
    doer: str | None = None  # the named active subject: "petrova" in "did Petrova take"
    actor: str | None = None  # the head of the asked verb's subject: "line" in "did the line cost"
    asked_object: str | None = None  # its object's, the wh-phrase its subject: "put the cost"
    relation: tuple[str, ...] = ()  # lemmas that express the asked relation in a sentence
    subject: str | None = None  # for definition questions: the thing to define
    refers_back: bool = False  # a later part whose pronoun means the previous answer
    shown: str = ""  # a part as the user asked it ('on what date'), where text adds to it
    parts: tuple[QuestionAnalysis, ...] = field(default_factory=tuple)


def analyse(question: str, annotator: Annotates) -> QuestionAnalysis:
    """Analyse a question; a compound one gets one analysis per part in ``parts``."""
    split = pieces(question, annotator)
    if len(split) > 1:
        parts = tuple(
            replace(_analyse_one(p.text, annotator, refers_back=p.refers_back), shown=p.shown)
            for p in split
        )
        first = parts[0]
        return QuestionAnalysis(
            text=question,
            qtype=first.qtype,
            answer_types=first.answer_types,
            focus=first.focus,
            predicate=first.predicate,
            terms=tuple(dict.fromkeys(t for p in parts for t in p.terms)),
            phrases=tuple(dict.fromkeys(t for p in parts for t in p.phrases)),
            entities=tuple(dict.fromkeys(t for p in parts for t in p.entities)),
            years=tuple(dict.fromkeys(t for p in parts for t in p.years)),
            dates=tuple(dict.fromkeys(t for p in parts for t in p.dates)),
            role=first.role,
            parts=parts,
        )
    return _analyse_one(question, annotator)


def _analyse_one(text: str, annotator: Annotates, *, refers_back: bool = False) -> QuestionAnalysis:
    ann = annotator.annotate_one(text)
    toks = ann.tokens
    words = [fold(text[t.start : t.end]) for t in toks]
    lemmas = [fold(t.lemma) for t in toks]
    if "found" in words and any(w in ("did", "does", "do") for w in words):  # verb 'found'
        lemmas = ["found" if w == "found" else lem for w, lem in zip(words, lemmas, strict=True)]
    wh = next((i for i, w in enumerate(words) if w in WH_WORDS), None)
    if wh == 0 and words[0] == "when" and "," in words:  # 'When the trial opened, how many'
        wh = next((i for i, w in enumerate(words) if w in WH_WORDS and i > words.index(",")), 0)
    focus = _focus(ann, words, lemmas, wh)
    qtype, types = _types(words, lemmas, wh, focus, wh is not None and names_only(ann, wh))
    if types == ("thing",) and asks_what_someone_does(ann, lemmas):
        types = ("role",)  # 'What does Tomas Reyland do now?': his post
    if focus == "name" and not persons_name(name_of(ann)):  # the climate law's: no person's
        types = ("name",)
    kind = qtype in ("what", "definition") and asks_a_kind(ann, words, wh)  # no role: a thing
    subject = None
    if qtype == "definition" or kind:
        qtype, subject = "definition", definition_subject(ann, words, wh)
        types = ("definition",) if kind else ("definition", "role")
    entities = tuple(
        dict.fromkeys(
            # 'Miriam Tallow's final report' names Miriam Tallow
            re.sub(r"^(?:the|a|an)\s+|['’]s?$", "", text[a:b], flags=re.I)
            for e in ann.entities
            if e.label not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT")
            for a, b in [whole_name(toks, e.start, e.end)]
        )
    )
    bound = year_bound(text) if "date" in types else None  # 'When ... before its 2025 ...'
    years = tuple(y for y in question_years(ann) if int(y) != bound)
    quarters = quarters_in(text)
    days = day_numbers(text)  # '16' of 'September 16' is a date, not a number to match
    numbers = tuple(n for n in _NUMBER.findall(fold(text)) if n not in years and n not in days)
    numbers += tuple(str(_ORDINAL_WORDS[w]) for w in words if w in _ORDINAL_WORDS)
    # 'How big', 'how much': the wh-phrase's own word says nothing an answer must match.
    how_word = wh + 1 if wh is not None and words[wh] == "how" and wh + 1 < len(words) else -1
    terms = tuple(
        dict.fromkeys(
            lem
            for i, (w, lem, t) in enumerate(zip(words, lemmas, toks, strict=True))
            if i != how_word
            and t.pos not in ("PUNCT", "SYM", "DET", "ADP", "AUX", "CCONJ", "PRON", "PART")
            and w not in STOPWORDS
            and w not in WH_WORDS
            and lem not in STOPWORDS | HEDGES
            and not YEAR.fullmatch(w)
        )
    )
    predicate = predicate_of(ann, lemmas)
    idiom = idiom_words(predicate, lemmas, fold(text))  # 'in charge of', 'ended up': unsaid
    terms = tuple(t for t in terms if t not in idiom)
    if predicate and said_phrasally(predicate, lemmas):  # 'step down': resigned, quit
        terms = (*terms, predicate)
    relation = relation_words(ann, lemmas, predicate, focus, either_way=qtype == "yes_no")
    for verb, particle, one in other_phrasals(ann, lemmas, predicate):  # 'when it comes back'
        terms = (*(t for t in terms if t not in (verb, particle)), one)
        relation = (*relation, one) if verb in relation else relation  # 'say he handed over'
    if qtype == "how_long" and predicate == "take":  # 'How long was the trial to take?'
        relation = (*relation, "last")
    if qtype == "definition":  # 'What does ENA stand for?' asks no act
        predicate = None if predicate in DEFINING_VERBS else predicate
        terms = tuple(t for t in terms if t not in DEFINING_VERBS)
        relation = tuple(r for r in relation if r not in DEFINING_VERBS)
    return QuestionAnalysis(
        text=text,
        qtype=qtype,
        answer_types=types,
        focus=focus,
        predicate=predicate,
        relation=relation,
        terms=terms,
        phrases=phrases(ann, words),
        entities=entities,
        years=years,
        quarters=quarters,
        numbers=numbers,
        dates=asked_dates(text, "date" in types),
        since=since_dates(text, "date" in types),
        role=question_role(toks, wh),
        doer=doer_of(ann),
        actor=actor_of(ann, lemmas, predicate),
        asked_object=object_of(ann, lemmas, predicate),
        subject=subject,
        refers_back=refers_back,
    )


def _focus(ann: ChunkAnnotation, words: list[str], lemmas: list[str], wh: int | None) -> str | None:
    """The noun the wh-word asks about: 'which city', 'what is the release date'."""
    if wh is None:
        return None
    toks = ann.tokens
    w = words[wh]
    if w in ("which", "what", "whose") and toks[wh].dep == "det":
        return lemmas[toks[wh].head]
    if w in ("which", "what"):  # 'Which eliminated candidate', 'Which Arlen Foods executive'
        nxt = wh + 1
        while nxt < min(len(toks), wh + 4) and (
            toks[nxt].pos in ("ADJ", "PROPN") or toks[nxt].dep == "amod"
        ):  # a verb only as a modifier: not the 'angered' of 'What angered residents?'
            nxt += 1
        while nxt + 1 < len(toks) and toks[nxt].dep == "compound" and toks[nxt].head > nxt:
            nxt = toks[nxt].head  # 'Which former Grevik finance chief': the chief
        if nxt < len(toks) and toks[nxt].pos == "NOUN":
            return lemmas[nxt]
        if wh + 1 < len(toks) and toks[wh + 1].pos in ("NOUN", "PROPN"):
            return lemmas[wh + 1]
    if w in ("what", "which", "who"):
        # "What is the release date of X": the copula's other nominal argument.
        for i, t in enumerate(toks):
            common = t.pos == "NOUN" or (t.pos == "PROPN" and words[i] in FOCUS_TYPES)
            if i != wh and common and t.dep in ("nsubj", "attr", "nsubjpass"):
                if toks[t.head].lemma == "be":
                    if words[i] == "up" and i > 0 and words[i - 1] in ("runner", "-"):
                        return "runner-up"
                    return lemmas[i]
    return None


_AUXILIARIES = frozenset("did does do will would".split())
_COST_VERB = frozenset("cost costs costing".split())  # after an auxiliary, the verb


def _types(
    words: list[str], lemmas: list[str], wh: int | None, focus: str | None, names_alone: bool
) -> tuple[str, tuple[str, ...]]:
    """Question type and expected answer types."""
    if wh is None:
        return "yes_no", ("yes_no",)
    w = words[wh]
    nxt = words[wh + 1] if wh + 1 < len(words) else ""
    if w == "how":
        if nxt == "many":
            unit = words[wh + 2] if wh + 2 < len(words) else ""
            if unit in DURATION_UNITS:
                return "how_many", ("duration", "number")
            return "how_many", ("number", "percent")
        if nxt == "much":
            money = asks_money(words, wh)
            if any(x in words for x in ("rate", "rates", "inflation", "percentage")):
                return "how_much", ("percent", "number")  # 'By how much did it cut rates?'
            return "how_much", ("money", "number") if money else ("number", "money")
        if nxt in ("long", "soon"):
            return "how_long", ("duration",)
        if nxt in ("old",):
            return "how_old", ("age",)
        if "split" in words:  # 'How did the committee split?': a vote count, '6-1'
            return "how_many", ("score",)
        if nxt in ("big", "large", "high", "far", "tall", "deep", "fast", "heavy", "low"):
            return "how_much", ("money", "number", "percent")
        return "how", ("manner",)
    if w == "when":
        return "when", ("date", "time")
    if w == "where":
        if any(x in words for x in ("stock", "shares", "share")):
            return "how_much", ("money", "number")  # 'Where did its stock close?': a price
        return "where", ("place", "organisation")
    if w == "why":
        return "why", ("reason",)
    focus_types = FOCUS_TYPES.get(focus or "")
    if w in ("who", "whom", "whose"):
        after = words[wh + 1 : wh + 3]
        if after[:1] in (["is"], ["was"], ["are"]) and not focus and names_alone:
            return "definition", ("definition",)
        if focus_types:
            return "who", focus_types
        return "who", ("person", "organisation")
    if w in ("what", "which"):
        if focus_types and focus_types[0] == "person":  # 'Which spokesman said ...?'
            return "who", focus_types
        if w == "what" and lemmas[wh + 1 : wh + 2] and lemmas[wh + 1] in _CAUSE_VERBS:
            return "why", ("reason",)  # 'What forced the carmaker to halt production?'
        if any(x in _SAY_VERBS for x in words[wh + 1 : wh + 6]):
            return "what", ("statement",)
        if focus_types:
            return "what", focus_types
        if w == "what" and "called" in words[-2:]:  # 'What is their mother called?'
            return "what", ("name", "person")
        if focus is None and words[wh + 1 : wh + 2] in (["is"], ["are"], ["was"]):
            return "definition", ("definition",)
        if w == "what" and nxt in _AUXILIARIES and _COST_VERB & set(words[wh + 2 :]):
            return "how_much", ("money", "number")  # 'What did a weekend pass cost?'
        return "what", ("thing",)  # 'What did they decide to restore?': a clause answers
    return "what", ("name",)

"""The asked slot filled in so many words: 'The 240-kilometre line ... cost €6.8 billion'
for 'How much did the high-speed line cost?'. The candidate is an argument of the very
verb the question asks about, and that verb's subject is the question's subject; no
fitted feature says so much at once, so it earns a floor (``floors.py``)."""

from __future__ import annotations

from rag.lexical import stem
from rag.reader.candidates import Candidate
from rag.reader.idioms import IDIOM_VERBS
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.roles import SUBJECTS
from rag.reader.spans import phrase_roots, subtree
from rag.reader.synonyms import WORD_SYNONYMS
from rag.reader.text import verb_tokens

_ARGUMENTS = frozenset({"dobj", "pobj", "attr", "npadvmod", "oprd"})


def fills_asked_slot(q: QuestionAnalysis, c: Candidate) -> bool:
    """Whether the candidate is an argument of the asked verb whose subject is the
    question's (``q.actor``), or the subject of the asked verb whose object is the
    question's (``q.asked_object``: 'Petra Lindqvist put the cost at ...')."""
    if not q.predicate or not c.tokens or not (q.actor or q.asked_object):
        return False
    s = c.sentence
    toks = s.ann.tokens
    roots = phrase_roots(s, c.tokens)
    if len(roots) != 1:
        return False
    root = roots[0]
    if q.predicate == "host" and c.ctype == "place":
        return _held_in(q, s, root)
    if q.predicate in _BUYING and toks[root].dep == "pobj" and s.word(toks[root].head) == "to":
        return _sold_to(q, s, toks[root].head)
    if q.actor and toks[root].dep != "compound":  # not 'Calden' of 'Calden mayor X'
        if _reciprocal(q.predicate, q.actor, s, set(c.tokens)):
            return True
    if toks[root].dep == "appos":  # 'the carmaker's finance chief, Petra Lindqvist, put'
        root = toks[root].head
    if toks[root].dep == "pobj" and s.word(toks[root].head) == "of":
        noun = toks[toks[root].head].head  # 'will receive an immediate payment of €15,000'
        if q.actor and s.lemma(noun) == q.predicate and _cost_of(q.actor, s, noun):
            return True
        if toks[noun].pos == "NOUN" and toks[noun].dep in _ARGUMENTS:
            root = noun
    verb = toks[root].head
    if toks[root].dep == "pobj":  # 'born on June 30': through the preposition
        verb = toks[verb].head
    if c.ctype in ("date", "time") and toks[root].dep == "pobj":
        if _event_happened(q.predicate, s, verb) or _since_start(q, s, root):
            return True
    # 'will reopen on September 5': opens again; 'the walkout began on September 8'
    asked = (q.predicate, f"re{q.predicate}", *_SAME_VERB.get(q.predicate, ()))
    said = s.lemma(verb) in asked or _says_idiom(q.predicate, s, verb)
    if not said or toks[verb].pos not in ("VERB", "AUX"):
        return False
    if q.actor and toks[root].dep in _ARGUMENTS:
        return bool(_actor_stems(q.actor) & {stem(w) for w in _subject_words(s, verb)})
    if q.asked_object and toks[root].dep == "nsubj" and root < verb:
        # the object after the verb: a garbled parse ('Dahl, 44, replaces Tomas Rehn' read
        # with Rehn the subject) keeps English word order all the same
        return stem(q.asked_object) in {stem(w) for w in _argument_words(s, verb, after=True)}
    if q.asked_object and toks[toks[root].head].dep == "agent":  # 'The inquiry will be led by X'
        return stem(q.asked_object) in {stem(s.lemma(j)) for j in _done_to(s, verb)}
    return False


def _says_idiom(predicate: str, s: Sentence, verb: int) -> bool:
    """The verb says the asked predicate as an idiom: 'took place' is held."""
    if predicate not in IDIOM_VERBS:
        return False
    said, obj = IDIOM_VERBS[predicate]
    toks = s.ann.tokens
    kids = (j for j in s.tokens if toks[j].head == verb and toks[j].dep == "dobj")
    return s.lemma(verb) == said and any(s.lemma(j) == obj for j in kids)


def _cost_of(actor: str, s: Sentence, noun: int) -> bool:
    """The asked verb said as the noun the value is 'of', in a clause about the asked
    subject: 'a retractable roof ..., built at a cost of €38 million' for 'How much did the
    new roof cost?'."""
    toks = s.ann.tokens
    if toks[noun].dep != "pobj":
        return False
    verb = toks[toks[noun].head].head
    if toks[verb].dep in ("acl", "relcl"):
        return stem(s.lemma(toks[verb].head)) == stem(actor)
    said = _subject_words(s, verb)
    if toks[verb].dep == "advcl":  # ', built at a cost of' hung on the clause before
        said |= _argument_words(s, toks[verb].head)
    return stem(actor) in {stem(w) for w in said}


_SAME_VERB = {"start": ("begin",), "begin": ("start",), "end": ("finish",)}
_STARTS = frozenset({"start", "begin"})


def _actor_stems(actor: str) -> set[str]:
    """The asked subject and the words an article says it with: 'strike', 'walkout'."""
    return {stem(actor)} | {stem(w) for w in WORD_SYNONYMS.get(actor, ())}


def _since_start(q: QuestionAnalysis, s: Sentence, root: int) -> bool:
    """'on strike since September 8' tells when the strike started (``root``: the date,
    the object of a preposition)."""
    toks = s.ann.tokens
    if q.predicate not in _STARTS or not q.actor or s.word(toks[root].head) != "since":
        return False
    verb = toks[toks[root].head].head  # the subject at most two arcs below its verb
    near = {j for j in s.tokens if toks[j].head == verb or toks[toks[j].head].head == verb}
    return bool(_actor_stems(q.actor) & {stem(s.lemma(j)) for j in near})


_HAPPENING = frozenset({"happen", "occur"})


def _event_happened(predicate: str, s: Sentence, verb: int) -> bool:
    """The asked act, said as a noun, happened at the time: 'The collapse happened at
    about 3:40 a.m.' for 'At what time did the roof give way?' (asked: collapse)."""
    if s.lemma(verb) not in _HAPPENING and not _says_idiom("hold", s, verb):
        return False
    toks = s.ann.tokens
    subjects = [j for j in s.tokens if toks[j].head == verb and toks[j].dep == "nsubj"]
    return any(stem(s.lemma(j))[:5] == stem(predicate)[:5] for j in subjects)


def _done_to(s: Sentence, verb: int) -> set[int]:
    """Who or what a passive verb is done to: its subject ('The inquiry will be led by
    X'), or the noun it modifies ('a team of 23 students led by X'), with the noun the
    'of' hangs from."""
    toks = s.ann.tokens
    out = {j for j in s.tokens if toks[j].head == verb and toks[j].dep == "nsubjpass"}
    if toks[verb].dep == "acl":
        noun = toks[verb].head
        out.add(noun)
        if toks[noun].dep == "pobj" and s.word(toks[noun].head) == "of":
            out.add(toks[toks[noun].head].head)
    return out


def _argument_words(s: Sentence, verb: int, *, after: bool = False) -> set[str]:
    """Lemmas of the verb's dependents and of its prepositions' objects ('won the
    Academy Award ... at the 2021 Oscars'); ``after``: only those after the verb."""
    toks = s.ann.tokens
    near = {j for j in s.tokens if toks[j].head == verb and j != verb}
    near |= {j for j in s.tokens if toks[j].head in near and toks[toks[j].head].dep == "prep"}
    # the object's own name: 'won the Calden Open women's title' names the Open
    for _ in range(2):
        near |= {j for j in s.tokens if toks[j].head in near and toks[j].dep in _NAMES_IT}
    return {s.lemma(j) for j in near if j > verb or not after}


def _subject_words(s: Sentence, verb: int) -> set[str]:
    """Lemmas of the verb's subject heads; a conjoined, controlled or participle verb
    shares the one above it ('The line took seven years to build and cost €6.8 billion',
    'Quell worked ... before being elected ... in 2019')."""
    toks = s.ann.tokens
    for _ in range(4):
        subjects = [j for j in s.tokens if toks[j].head == verb and toks[j].dep in SUBJECTS]
        heads = {s.lemma(j) for j in subjects} | _members(s, subjects)
        if heads or toks[verb].dep not in ("conj", "xcomp", "advcl", "pcomp"):
            return heads
        verb = toks[verb].head
        if toks[verb].pos == "ADP":  # 'before being elected': through the preposition
            verb = toks[verb].head
    return set()


# 'the library's collection of 1.8 million books had been stored': the books were.
_COLLECTIVES = frozenset("collection team group number crowd fleet batch pair set".split())


def _members(s: Sentence, subjects: list[int]) -> set[str]:
    """Lemmas of what a collective subject is made of ('a team of 23 students')."""
    toks = s.ann.tokens
    of = {j for j in s.tokens if toks[j].head in subjects and s.word(j) == "of"}
    collective = {j for j in of if s.lemma(toks[j].head) in _COLLECTIVES}
    return {s.lemma(k) for k in s.tokens if toks[k].head in collective and toks[k].dep == "pobj"}


_NAMING = frozenset({"compound", "amod", "nmod", "nummod"})
_NAMES_IT = _NAMING | {"poss"}


def _held_in(q: QuestionAnalysis, s: Sentence, root: int) -> bool:
    """Where a thing is held is who hosts it: 'Athens 2004 Olympic Games, athletic
    festival held in Athens' for 'Which city hosted the olympic games in 2004?'."""
    toks = s.ann.tokens
    prep = toks[root].head
    verb = toks[prep].head
    if toks[root].dep != "pobj" or s.word(prep) != "in" or s.lemma(verb) != "hold":
        return False
    if toks[verb].dep == "acl":  # 'the festival held in Athens'
        things = {toks[verb].head}
    else:  # 'The 2004 Summer Olympics were held in Athens'
        things = {j for j in s.tokens if toks[j].head == verb and toks[j].dep == "nsubjpass"}
    things |= {toks[t].head for t in things if toks[t].dep == "appos"}
    named = things | {j for j in s.tokens if toks[j].head in things and toks[j].dep in _NAMING}
    said = {stem(s.lemma(j)) for j in named}
    asked = {stem(t) for t in q.terms} - {stem(q.predicate or ""), stem(q.focus or "")}
    return bool(said & asked)


def _reciprocal(predicate: str, actor: str, s: Sentence, own: set[int]) -> bool:
    """The actor's partner in a pair that does the asked act to each other: 'Ana Petrova
    and Calden mayor Tomas Reyland will face each other' for 'Who did Petrova face?'."""
    toks = s.ann.tokens
    for verb in verb_tokens(s, {predicate}):
        kids = [j for j in s.tokens if toks[j].head == verb]
        if not any(s.word(j) == "other" and toks[j].dep in ("dobj", "pobj") for j in kids):
            continue  # 'each other', 'one another' is the verb's own object
        for subject in (j for j in kids if toks[j].dep == "nsubj"):
            pair = set(subtree(s, subject))
            rest = {stem(s.word(i)) for i in pair - own}
            if own <= pair and stem(actor) in rest and "and" in rest:
                return True
    return False


_BUYING = frozenset({"buy", "acquire", "purchase"})


def _sold_to(q: QuestionAnalysis, s: Sentence, to: int) -> bool:
    """Whom the asked thing is sold to is its buyer: 'Brightwell would sell Lumora Retail
    Insights ... to Corvane Partners', 'The sale of Lumora Retail Insights to Corvane'."""
    toks = s.ann.tokens
    head = toks[to].head
    if s.lemma(head) not in ("sell", "sale"):
        return False
    if s.lemma(head) == "sell":
        things = [j for j in s.tokens if toks[j].head == head and toks[j].dep == "dobj"]
    else:
        of = [j for j in s.tokens if toks[j].head == head and s.word(j) == "of"]
        things = [j for j in s.tokens if toks[j].head in of and toks[j].dep == "pobj"]
    sold = {stem(s.word(i)) for j in things for i in subtree(s, j)}
    return bool(sold & ({stem(t) for t in q.terms} - {stem(q.predicate or "")}))

"""Who does the asked act and to what: the named doer ('did Petrova take'), the head of
the asked verb's subject ('did the line cost': line) and its object where the wh-phrase
is the subject ('Which executive put the cost ...': cost)."""

from __future__ import annotations

from index.annotate import ChunkAnnotation
from rag.lexical import fold
from rag.reader.idioms import IDIOM_VERBS
from rag.reader.question_terms import AUXILIARIES, whole_name


def doer_of(ann: ChunkAnnotation) -> str | None:
    """The name that is the active subject of the question's verb ('did Petrova take'),
    folded; None when the question names no doer ('Where were X arraigned?')."""
    toks = ann.tokens
    for t in toks:
        if t.dep == "nsubj" and t.pos == "PROPN" and toks[t.head].pos in ("VERB", "AUX"):
            if _passive(ann, t.head):
                return None  # 'Where were Maduro and his wife arraigned?': done to them
            return fold(ann.text[slice(*whole_name(toks, t.start, t.end))])
    # The small model garbles some ('did Elias Marr earn' with 'earn' a noun): a name
    # right after 'did' is its doer all the same.
    for i, t in enumerate(toks[:-2]):
        if fold(ann.text[t.start : t.end]) in _DOER_AUX and toks[i + 1].pos == "PROPN":
            start, end = whole_name(toks, toks[i + 1].start, toks[i + 1].end)
            after = next((u for u in toks if u.start >= end), None)
            if after is not None and after.pos != "PART":  # not "X's"
                return fold(ann.text[start:end])
    return None


_DOER_AUX = frozenset("did does do will would can could".split())


def _passive(ann: ChunkAnnotation, verb: int) -> bool:
    """'were ... arraigned': a form of 'be' with a verb not in -ing, however parsed."""
    toks = ann.tokens
    word = fold(ann.text[toks[verb].start : toks[verb].end])
    return (
        toks[verb].pos == "VERB"
        and not word.endswith("ing")
        and any(t.head == verb and (t.dep == "auxpass" or t.lemma.lower() == "be") for t in toks)
    )


def actor_of(ann: ChunkAnnotation, lemmas: list[str], predicate: str | None) -> str | None:
    """The head of the asked verb's subject: the last noun between the auxiliary and the
    verb ('did the Calden-Portvale high-speed line cost' -> 'line'); None when the
    wh-word is the subject ('Who beat Petrova?'). An idiom's own verb stands for its
    predicate: 'did the handovers take place' -> 'handover'."""
    said = predicate if predicate in lemmas else IDIOM_VERBS.get(predicate or "", ("",))[0]
    if not said or said not in lemmas:
        return None
    verb = lemmas.index(said)
    toks = ann.tokens
    aux = [i for i in range(verb) if fold(ann.text[toks[i].start : toks[i].end]) in AUXILIARIES]
    if not aux:
        return None
    span = range(aux[-1] + 1, verb)
    # not a noun of its prepositional phrase: 'did a weekend pass for this year's festival'
    cut = next((i for i in span if toks[i].pos == "ADP"), verb)
    nouns = [i for i in span if toks[i].pos in ("NOUN", "PROPN") and i < cut] or [
        i for i in span if toks[i].pos in ("NOUN", "PROPN")
    ]
    # the parse's own subject first: 'each family that lost its home ... receive'
    heads = [i for i in nouns if toks[i].head == verb and toks[i].dep in ("nsubj", "nsubjpass")]
    return lemmas[(heads or nouns)[-1]] if nouns else None


def object_of(ann: ChunkAnnotation, lemmas: list[str], predicate: str | None) -> str | None:
    """The head of the asked verb's object when the wh-phrase is its subject ('Which
    executive put the cost ...' -> 'cost'); None otherwise."""
    if not predicate or predicate not in lemmas:
        return None
    verb, toks = lemmas.index(predicate), ann.tokens
    subject = next((i for i, t in enumerate(toks) if t.head == verb and t.dep == "nsubj"), None)
    if subject is None or not {subject, toks[subject].head} & _wh_phrase(ann, lemmas):
        return None
    obj = next((i for i, t in enumerate(toks) if t.head == verb and t.dep == "dobj"), None)
    return lemmas[obj] if obj is not None else None


def _wh_phrase(ann: ChunkAnnotation, lemmas: list[str]) -> set[int]:
    """The wh-word and the noun it determines ('which executive')."""
    out = set()
    for i, t in enumerate(ann.tokens):
        if lemmas[i] in ("who", "which", "what"):
            out |= {i, t.head} if t.dep == "det" else {i}
    return out

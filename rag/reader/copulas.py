"""What a copular or 'do' question asks of its subject: 'Who is Maduro?' and 'What is
thermal runaway?' ask what the thing is (a definition); 'What does Tomas Reyland do?' asks
his post."""

from __future__ import annotations

from index.annotate import ChunkAnnotation, Token
from rag.lexical import fold

DEFINING_VERBS = frozenset({"mean", "stand"})  # 'What does ENA stand for?' asks no act


def asks_what_someone_does(ann: ChunkAnnotation, lemmas: list[str]) -> bool:
    """'What does Tomas Reyland do (now)?': the verb is 'do' and its subject a name."""
    root = next((i for i, t in enumerate(ann.tokens) if t.dep == "ROOT"), None)
    if root is None or lemmas[root] != "do":
        return False
    subjects = [t for t in ann.tokens if t.head == root and t.dep == "nsubj"]
    return bool(subjects) and all(t.pos == "PROPN" for t in subjects)


def names_only(ann: ChunkAnnotation, wh: int) -> bool:
    """True when a 'who is X' question's X is a name: 'Who is Maduro?'."""
    rest = [t for t in ann.tokens[wh + 2 :] if t.pos not in ("PUNCT", "DET", "PART")]
    return bool(rest) and all(t.pos == "PROPN" for t in rest)


def asks_a_kind(ann: ChunkAnnotation, words: list[str], wh: int | None) -> bool:
    """'What is thermal runaway?', 'What is a runoff?', 'What does ENA stand for?': a
    copula and a bare or indefinite noun, or 'mean' / 'stand for', ask what the thing is;
    'What is the capacity of the ground?' asks an attribute and 'What is Kestrel's
    revenue?' one of a named thing."""
    if wh is None or words[wh] != "what":
        return False
    if words[wh + 1 : wh + 2] in (["does"], ["do"]):  # 'What does ENA stand for?'
        rest = words[wh + 2 :]
        return "mean" in rest or any(
            a == "stand" and b == "for" for a, b in zip(rest, rest[1:], strict=False)
        )
    if words[wh + 1 : wh + 2] not in (["is"], ["are"]):
        return False
    phrase = _subject_phrase(ann, wh + 2)
    if not phrase or words[wh + 2] in ("the", "this", "that", "these", "those"):
        return False
    if any(t.dep in ("poss", "case") or t.pos in ("VERB", "AUX", "NUM") for t in phrase):
        return False
    after = wh + 2 + len(phrase)
    return any(t.pos == "NOUN" for t in phrase) and words[after : after + 1] != ["of"]


def _subject_phrase(ann: ChunkAnnotation, start: int) -> tuple[Token, ...]:
    """The noun phrase opening at ``start``, up to a preposition, clause or comma: 'thermal
    runaway' of 'thermal runaway in a battery', 'on-premises software' of 'on-premises
    software, as described ...'."""
    toks = tuple(ann.tokens[start:])
    cut = next(
        (
            k
            for k, t in enumerate(toks)
            if k
            and (t.pos in ("ADP", "PUNCT", "SCONJ", "VERB") or fold(t.lemma) in DEFINING_VERBS)
            and ann.text[t.start : t.end] != "-"
        ),
        len(toks),
    )
    return toks[:cut]


def definition_subject(ann: ChunkAnnotation, words: list[str], wh: int | None) -> str | None:
    """'Who is Maduro?' -> 'Maduro'; 'What is thermal runaway in a battery?' -> 'thermal
    runaway': the noun phrase, not the setting after it."""
    if wh is None:
        return None
    toks = _subject_phrase(ann, wh + 2)
    kept = [t for t in toks if t.pos not in ("PUNCT",) and fold(t.lemma) not in ("the", "a", "an")]
    if not kept:
        return None
    return ann.text[kept[0].start : kept[-1].end]

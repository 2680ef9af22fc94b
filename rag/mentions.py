"""Earlier mentions a follow-up's pronouns may stand for, with salience and agreement.

Which names are persons, and their gender, comes from ``rag.person_names``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from rag.person_names import (
    GENDER_OF,
    PERSON_NOUNS,
    People,
    clean,
    name_key,
    named_mentions,
)

_PERSONAL = frozenset({"person"})
_NEUTER = frozenset({"org", "place", "thing"})
_PLURAL = frozenset({"org", "group", "things", "people"})
PRONOUNS: dict[str, tuple[frozenset[str], str | None]] = {
    **{word: (_PERSONAL, gender) for word, gender in GENDER_OF.items()},
    **dict.fromkeys(["it", "its"], (_NEUTER, None)),
    **dict.fromkeys(["they", "them", "their", "theirs"], (_PLURAL, None)),
    "there": (frozenset({"place"}), None),
    **dict.fromkeys(["those", "these"], (frozenset({"things", "people"}), None)),  # 'of those'
}
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}
KINDS |= dict.fromkeys(["PRODUCT", "EVENT", "WORK_OF_ART", "LAW"], "thing") | {"NORP": "group"}
# Collective nouns are organisations: "the government ... they", "the ministry ... it".
ORG_NOUNS = frozenset(
    "government ministry administration department company council party army office "
    "opposition embassy agency court congress parliament assembly commission bank union"
    " authority".split()
)
WH = frozenset("what when where why who whom whose which how".split())


Rank = tuple[int, int, int, int]  # (turn age, salience tier, answer 0 / question 1, token)
FILLER_TIER = -1  # the mention that fills what the previous question asked for ranks first


class AskedSlot(Protocol):
    """What the previous question asked for (``rag.answer_slot.Slot``)."""

    @property
    def person(self) -> bool: ...
    @property
    def thing(self) -> bool: ...
    @property
    def gender(self) -> str | None: ...

    def fills(self, tok: Any, kind: str) -> bool: ...


@dataclass(frozen=True)
class Candidate:
    """An earlier mention a pronoun may stand for, with its salience rank (lower is better)."""

    text: str
    kind: str
    gender: str | None
    rank: Rank
    named: bool = False  # a named entity, not a noun phrase


def is_subject(tok: Any) -> bool:
    """Whether ``tok`` heads the subject (or the asked-about attribute of "Who is X?")."""
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return True
    return tok.dep_ == "attr" and any(c.lower_ in WH for c in tok.head.children)


def verb_of(tok: Any) -> Any:
    """The verb governing ``tok``: clause-mates share it."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def predicate(question: Any) -> str | None:
    """The lemma of a question's main verb ("moved"), none for a copula ("Who is X?")."""
    root = next((t for t in question if t.dep_ == "ROOT"), None)
    return root.lemma_ if root is not None and root.pos_ == "VERB" else None


def candidates(
    doc: Any,
    source: int,
    age: int,
    people: People,
    asked: str | None = None,
    slot: AskedSlot | None = None,
) -> list[Candidate]:
    """Entities and head noun phrases of one earlier text, ranked by salience.

    In an answer, a mention governed by the question's verb (``asked``) answers it and ranks
    with the answer's subject ("moved to Colombia" for "Where was the staff moved?"); the
    mention in the very slot the question asked about (``slot``) ranks before both.
    """
    out: list[Candidate] = []
    mentions = named_mentions(doc)
    covered = {i for ent, _ in mentions for i in range(ent.start, ent.end)}
    first_sent = next(iter(doc.sents)).end if len(doc) else 0
    for ent, label in mentions:
        key = name_key(ent.text)
        kind = "person" if key in people.names else KINDS.get(label)
        if kind is None:
            continue
        text = people.names.get(key, clean(ent.text)) if kind == "person" else clean(ent.text)
        gender = people.gender.get(key) if kind == "person" else None
        first = not out or (asked is not None and verb_of(ent.root).lemma_ == asked)
        rank = _rank(ent.root, source, age, first, first_sent)
        if slot is not None and slot.fills(ent.root, "person" if slot.person else kind):
            rank = (age, FILLER_TIER, source, ent.root.i)
            # The small model calls a lone surname a place: "Petrova", never "Halvard Terminals".
            mistyped = (kind == "place" and len(ent) == 1) or " of " in ent.text or slot.gender
            if slot.person and kind != "person" and mistyped:  # "Amara Osei of Ghana won."
                kind, text = "person", clean(ent.text).split(" of ")[0]
                gender = slot.gender or people.gender.get(key)
            elif slot.thing and kind == "person":  # "Which unit?" "Lumora Retail Insights"
                kind, text, gender = "thing", clean(ent.text), None
        out.append(Candidate(text, kind, gender, rank, named=True))
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.i in covered or root.pos_ != "NOUN":
            continue
        if root.lemma_ in PERSON_NOUNS:
            kind = "people" if root.tag_ == "NNS" else "person"
        else:
            kind = (
                "org" if root.lemma_ in ORG_NOUNS else "things" if root.tag_ == "NNS" else "thing"
            )
        rank = _rank(root, source, age, False, first_sent)
        if slot is not None and slot.fills(root, kind):
            rank = (age, FILLER_TIER, source, root.i)
        if chunk[0].lower_ in WH:  # "Which cabinet member visited Caracas?" with no answer
            if chunk[0].lower_ in ("which", "what") and len(chunk) > 1 and is_subject(root):
                clause = doc[chunk.end : root.head.right_edge.i + 1].text.rstrip("?.! ")
                text = f"the {doc[chunk.start + 1 : chunk.end].text} "
                text += f"{'who' if kind == 'person' else 'that'} {clause}"
                out.append(Candidate(text, kind, None, _demote(rank, 3)))
            continue
        end = max([chunk.end] + [c.right_edge.i + 1 for c in root.rights if c.lower_ == "of"])
        text = clean(doc[chunk.start : end].text)
        if chunk.start == chunk.sent.start and chunk[0].pos_ != "PROPN":
            text = text[:1].lower() + text[1:]  # 'Inflation rose ...': not a name
        out.append(Candidate(text, kind, None, _demote(rank, 2)))
    for cand, root in _groups(doc):
        out.append(replace(cand, rank=_rank(root, source, age, False, first_sent)))
    return out


def _rank(root: Any, source: int, age: int, first: bool, first_sent: int) -> Rank:
    """Answer subject/first entity (0) > question subject (1) > others (2) > modifiers (3);
    a possessor ranks below the noun phrase it is part of (5): 'it' after 'voted against
    the Bank of Estmark's September rate cut' is the cut, not the bank."""
    if root.dep_ in ("poss", "nmod") and root.head.i > root.i:
        tier = 5
    elif root.dep_ == "compound":
        tier = 3
    elif source == 0 and (first or (is_subject(root) and root.i < first_sent)):
        tier = 0
    else:
        tier = 1 if source == 1 and is_subject(root) else 2
    return (age, tier, source, root.i)


def _demote(rank: Rank, by: int) -> Rank:
    return (rank[0], rank[1] + by, rank[2], rank[3])


def _groups(doc: Any) -> Iterable[tuple[Candidate, Any]]:
    """Coordinated mentions ("the United States and Venezuela") as one plural candidate."""
    for tok in doc:
        conjs = [c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")]
        if tok.pos_ in ("PROPN", "NOUN") and conjs and tok.dep_ != "conj":
            start = min(t.i for t in tok.subtree if t.dep_ != "prep" and t.i <= tok.i)
            people = tok.ent_type_ == "PERSON"
            text = doc[start : conjs[-1].right_edge.i + 1].text
            yield Candidate(text, "people" if people else "group", None, (0, 0, 0, 0)), tok


def answer_links(answer: Any, question: list[Candidate], age: int) -> list[Candidate]:
    """An answer opening with "She ..." speaks of the question's subject: rank it first."""
    for tok in next(iter(answer.sents)):
        if tok.ent_type_ == "PERSON":
            return []  # the answer names its own person first
        if tok.lower_ not in ("he", "she", "they"):
            continue
        best = best_fit(tok.lower_, question)
        if best is None or not is_subject(tok):
            return []
        return [replace(best, rank=(age, 0, 0, -1), gender=PRONOUNS[tok.lower_][1])]
    return []


def best_fit(pronoun: str, pool: Iterable[Candidate]) -> Candidate | None:
    """The most salient candidate that agrees with ``pronoun``; a told gender beats unknown."""
    kinds, gender = PRONOUNS[pronoun]
    fits = [
        c for c in pool if (c.kind in kinds or _lone_name(c, kinds)) and c.gender in (None, gender)
    ]
    if not fits:
        return None
    # 'they' is a plural noun phrase before a named organisation of the same turn: 'What
    # is their mother called?' after 'Two snow leopard cubs were born at Calden Zoo'.
    plural = kinds is _PLURAL
    return min(
        fits,
        key=lambda c: (
            c.rank[0],
            plural and c.named and c.kind == "org" and c.rank[1] != FILLER_TIER,
            gender is not None and c.gender is None,
            c.rank,
        ),
    )


def _lone_name(c: Candidate, kinds: frozenset[str]) -> bool:
    """A one-word name the small model called a person, no he or she ever said of it, may be
    what 'it' stands for: 'Kestrel' in 'How much did Kestrel lose?' is the company."""
    return (
        kinds is _NEUTER
        and c.kind == "person"
        and c.named
        and c.gender is None
        and (" " not in c.text)
    )


def kind_of(ent: Any, people: People) -> str | None:
    """The candidate kind of a named entity, persons known from the conversation first."""
    return "person" if name_key(ent.text) in people.names else KINDS.get(ent.label_)

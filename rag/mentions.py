"""Earlier mentions a follow-up's pronouns may stand for, with salience and agreement.

The small spaCy model misses or mislabels many names (a lone "Machado" is a place to it), so
person-hood and gender come from cues in the conversation: titles, a few given names, and the
he/she that takes a name up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from rag.lexical import fold

_PERSONAL = frozenset({"person"})
_NEUTER = frozenset({"org", "place", "thing"})
_PLURAL = frozenset({"org", "group", "things", "people"})
PRONOUNS: dict[str, tuple[frozenset[str], str | None]] = {
    **dict.fromkeys(["he", "him", "his"], (_PERSONAL, "m")),
    **dict.fromkeys(["she", "her", "hers"], (_PERSONAL, "f")),
    **dict.fromkeys(["it", "its"], (_NEUTER, None)),
    **dict.fromkeys(["they", "them", "their", "theirs"], (_PLURAL, None)),
    "there": (frozenset({"place"}), None),
}
KINDS = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place"}
KINDS |= dict.fromkeys(["PRODUCT", "EVENT", "WORK_OF_ART", "LAW"], "thing") | {"NORP": "group"}
_TITLES = {"mr": "m", "mr.": "m", "sr": "m", "sr.": "m", "señor": "m", "king": "m", "prince": "m"}
_TITLES |= dict.fromkeys(
    ["mrs", "mrs.", "ms", "ms.", "miss", "madam", "madame", "sra", "sra."], "f"
)
_TITLES |= dict.fromkeys(["señora", "presidenta", "queen", "princess", "lady"], "f")
# A few given names, so that "she" can skip "Donald Trump" without other evidence.
_GIVEN = dict.fromkeys(
    "maría maria delcy ana carmen rosa laura lucía isabel elena marta sofía claudia susan mary "
    "sarah anna emma kamala hillary nancy angela ursula kristi tulsi karoline pam".split(),
    "f",
) | dict.fromkeys(
    "donald nicolás nicolas doug douglas juan diosdado jorge marco joe john james michael david "
    "carlos luis josé jose pedro vladimir edmundo leopoldo gustavo javier lula elon".split(),
    "m",
)
# Collective nouns are organisations: "the government ... they", "the ministry ... it".
ORG_NOUNS = frozenset(
    "government ministry administration department company council party army office "
    "opposition embassy agency court congress parliament assembly commission".split()
)
PERSON_NOUNS = frozenset(
    "president minister secretary leader member official spokesman spokeswoman ambassador "
    "diplomat senator governor envoy chief head wife husband son daughter candidate predecessor "
    "successor".split()
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


@dataclass
class People:
    """What the conversation tells about person names: who is a person, gender, full name."""

    gender: dict[str, str | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def learn(self, doc: Any) -> None:
        """Record the person names of ``doc`` with any title, given-name or pronoun cue."""
        for ent, label in _mentions(doc):
            key = name_key(ent)
            cue = _gender_cue(doc, ent)
            owner = (  # "Maduro's wife" with Maduro an ORG; never "The Bank of Estmark's governor"
                label == "ORG"
                and ent.root.dep_ == "poss"
                and ent.root.head.lemma_ in PERSON_NOUNS
                and not any(t.pos_ in ("ADP", "DET") for t in ent)
            )
            if not (label == "PERSON" or cue or key in self.names or owner):
                continue
            if len(clean(ent.text)) > len(self.names.get(key, "")):
                self.names[key] = clean(ent.text)
            cue = cue or _pronoun_cue(doc, ent)
            if cue:
                known = self.gender.get(key, cue)
                self.gender[key] = cue if known == cue else None  # conflicting cues: unknown


def _mentions(doc: Any) -> list[tuple[Any, str]]:
    """Named entities, plus runs of proper nouns the small model misses that a cue marks as
    persons ("María Corina Machado"), plus a surname that is "said" to be "she"/"he"."""
    found = [_from_given_name(widened(ent), ent.label_) for ent in doc.ents]
    covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    for tok in doc:
        if tok.pos_ == "PROPN" and tok.i not in covered and tok.dep_ != "compound":
            names = [t.i for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
            span = doc[min(names, default=tok.i) : tok.i + 1]
            if len(span) > 1 and _gender_cue(doc, span) and span[0].pos_ == "PROPN":
                found.append((span, "PERSON"))
    for i, (ent, label) in enumerate(found):
        # "Machado said she ...", "Torres heads the ministry; she ...": a subject the small
        # model calls a place or an organisation is a person when a he/she takes it up.
        if ent.root.dep_ == "nsubj" and (label == "ORG" or (label == "GPE" and len(ent) == 1)):
            clauses = [c for c in ent.root.head.children if c.dep_ == "ccomp"]
            nearby = _pronoun_cue(doc, ent, subject=True)
            if nearby or any(t.lower_ in ("he", "she") for c in clauses for t in c.lefts):
                found[i] = (ent, "PERSON")
    return found


def widened(ent: Any) -> Any:
    """An entity with the proper nouns before it that name it too: the small model tags
    "Petrova" alone in "Ana Petrova won"."""
    start = ent.start
    while start and ent.doc[start - 1].pos_ == "PROPN" and ent.doc[start - 1].dep_ == "compound":
        if (
            ent.doc[start - 1].lower_ in _TITLES
            or ent.doc[start - 1].lemma_.lower() in PERSON_NOUNS
        ):
            break  # "Ms. Carvajal", "Senator Faro": a title is a cue, not part of the name
        start -= 1
    return ent.doc[start : ent.end] if start < ent.start else ent


def _from_given_name(ent: Any, label: str) -> tuple[Any, str]:
    """A span cut to start at its given name: "[Nobel Peace Prize] María Corina Machado";
    a span opening with a given name is a person ("Ana Petrova", tagged a place)."""
    given = [t.i for t in ent[1:] if fold(t.text) in _GIVEN]
    if given:
        return ent.doc[given[0] : ent.end], "PERSON"
    return ent, "PERSON" if len(ent) > 1 and fold(ent[0].text) in _GIVEN else label


def _gender_cue(doc: Any, span: Any) -> str | None:
    """ "m"/"f" from a title before the name ("Ms.", "Mr") or a known given name."""
    first = fold(span[0].text)
    before = doc[span.start - 1].lower_ if span.start else ""
    return _TITLES.get(before) or _TITLES.get(first) or _GIVEN.get(first)


def name_key(ent: Any) -> str:
    """The folded last word of a name: "Maduro" and "Nicolás Maduro" are one person."""
    return fold(clean(ent.text).split()[-1])


def clean(text: str) -> str:
    """A mention without its possessive ending ("Maduro’s" -> "Maduro")."""
    return re.sub(r"['’]s$", "", text.strip())


def _pronoun_cue(doc: Any, ent: Any, subject: bool = False) -> str | None:
    """Gender of the first he/she pronoun after ``ent``, before another person is named."""
    limit = doc[ent.end - 1].sent.end
    for tok in doc[ent.end : min(len(doc), limit + 12)]:
        if tok.ent_type_ == "PERSON":
            return None
        if tok.lower_ in ("he", "him", "his", "she", "her", "hers") and (
            not subject or tok.dep_ == "nsubj"
        ):
            return PRONOUNS[tok.lower_][1]
    return None


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
    mentions = _mentions(doc)
    covered = {i for ent, _ in mentions for i in range(ent.start, ent.end)}
    first_sent = next(iter(doc.sents)).end if len(doc) else 0
    for ent, label in mentions:
        key = name_key(ent)
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
        out.append(Candidate(text, kind, gender, rank))
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
        out.append(Candidate(clean(doc[chunk.start : end].text), kind, None, _demote(rank, 2)))
    for cand, root in _groups(doc):
        out.append(replace(cand, rank=_rank(root, source, age, False, first_sent)))
    return out


def _rank(root: Any, source: int, age: int, first: bool, first_sent: int) -> Rank:
    """Answer subject/first entity (0) > question subject (1) > others (2) > modifiers (3)."""
    if root.dep_ == "compound":
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
    fits = [c for c in pool if c.kind in kinds and (c.gender in (None, gender))]
    if not fits:
        return None
    return min(fits, key=lambda c: (c.rank[0], gender is not None and c.gender is None, c.rank))


def kind_of(ent: Any, people: People) -> str | None:
    """The candidate kind of a named entity, persons known from the conversation first."""
    return "person" if name_key(ent) in people.names else KINDS.get(ent.label_)

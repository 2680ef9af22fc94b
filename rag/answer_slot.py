"""The slot a question's wh-phrase fills, and the mention of an answer that fills it.

"Which part of Lumora did Brightwell offer to sell?" asks for the thing sold; in the answer
"Brightwell offered to sell Lumora Retail Insights, ..." the mention in that slot (the object
of "sell") is what the conversation is now about, and a follow-up's "it" most likely means
it, not the answer's subject. A slot is the asked verb's lemma and the wh-phrase's role
under it (agent, patient, or the preposition that introduces it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rag.mentions import WH, verb_of
from rag.person_names import PERSON_NOUNS

_AGENT = frozenset({"nsubj", "agent", "csubj"})
_PATIENT = frozenset({"dobj", "nsubjpass", "obj", "dative"})
_NOUN_INNER = frozenset({"compound", "flat", "appos", "conj", "nmod"})
_GENDERED = {"woman": "f", "women": "f", "man": "m", "men": "m"}


@dataclass(frozen=True)
class Slot:
    """What the previous question asked for: under which verb, in which role, of what kind."""

    verb: str
    role: str
    person: bool = False  # "who ...", "which woman", "which minister": the filler is a person
    gender: str | None = None  # "which woman": f
    continued: frozenset[str] = frozenset()  # kinds the question took up by a pronoun
    thing: bool = False  # "which part", "which agency": the filler is no person

    def fills(self, tok: Any, kind: str) -> bool:
        """Whether the answer's mention headed by ``tok``, of ``kind``, fills this slot and
        so becomes what the talk is about. Not when the question took up a ``kind`` by a
        pronoun: "Whom did she endorse?" keeps "she" the topic, not the one endorsed."""
        return kind not in self.continued and role_of(tok) == (self.verb, self.role)


def role_of(tok: Any) -> tuple[str, str] | None:
    """(verb lemma, role) of the noun phrase ``tok`` heads; None outside a verb's arguments
    (a possessor, a modifier, a relative clause are not the slot)."""
    verb = verb_of(tok)
    if verb.i == tok.i or verb.pos_ not in ("VERB", "AUX"):
        return None
    node, prep = tok, None
    while node.head.i != verb.i:
        if node.dep_ in ("prep", "agent"):
            prep = prep or ("by-agent" if node.dep_ == "agent" else node.lower_)
        elif node.dep_ != "pobj" and node.dep_ not in _NOUN_INNER:
            return None
        if node.head.i == node.i:
            return None
        node = node.head
    if prep not in (None, "by-agent") and node.dep_ in _AGENT | _PATIENT:
        return None  # "Ruth Oyelaran of Kenya won": Kenya only qualifies the subject
    if node.dep_ in _AGENT or prep == "by-agent":
        return verb.lemma_, "agent"
    if node.dep_ in _PATIENT and prep is None:
        return verb.lemma_, "patient"
    if node.dep_ == "prep" or prep:
        return verb.lemma_, f"prep:{prep or node.lower_}"
    return (verb.lemma_, "attr") if node.dep_ in ("attr", "acomp") else None


_INVERTED = frozenset("did does do will would can could should has have had".split())


_PHRASE_POS = frozenset({"NOUN", "PROPN", "ADP", "DET", "ADJ", "NUM", "PART"})


def _inverted(question: Any, after: int) -> bool:
    """Whether an auxiliary then a subject follow the wh-phrase ("Which part of Lumora did
    Brightwell sell"): the wh-phrase is then no subject, however the model attached it."""
    i = after
    while i < len(question) and question[i].lower_ not in _INVERTED:
        if question[i].pos_ not in _PHRASE_POS:
            return False
        i += 1
    if i + 1 >= len(question):
        return False
    return question[i + 1].pos_ not in ("VERB", "AUX", "ADV", "PART")


def asked_slot(question: Any, continued: frozenset[str] = frozenset()) -> Slot | None:
    """The slot of a parsed question's wh-phrase ("Which agency ... put her in charge of?");
    ``continued``: the kinds the question as asked took up by a pronoun."""
    wh = next((t for t in question if t.lower_ in WH), None)
    if wh is None or wh.lower_ in ("when", "where", "why", "how"):
        return None
    head = wh.head if wh.dep_ == "det" and wh.head.i > wh.i else wh
    verbs = [t for t in question if t.pos_ == "VERB"]
    stranded = [t for t in question if t.dep_ == "prep" and not any(t.children)]
    found: tuple[str, str] | None
    if stranded:  # "Which agency did she put him in charge of?": the slot is after "of"
        found = (verb_of(stranded[-1]).lemma_, f"prep:{stranded[-1].lower_}")
    elif _inverted(question, max(head.i, wh.i) + 1) and verbs:
        verb = verbs[0]
        while any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in verb.children):
            verb = next(c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB")
        found = (verb.lemma_, "patient")  # "Whom did she endorse?", "... offer to sell?"
    else:
        found = role_of(head)
    if found is None or found[1] == "attr":
        return None  # "Who is X?": the answer restates X, its subject is the topic already
    noun = head.lower_ if head.i != wh.i else ""
    person = wh.lower_ in ("who", "whom") or noun in _GENDERED or head.lemma_ in PERSON_NOUNS
    thing = bool(noun) and not person  # "Which part ...": never a person, whatever the label
    return Slot(found[0], found[1], person, _GENDERED.get(noun), continued, thing)

"""Person names in a conversation: who is a person, their gender and their full name.

The small spaCy model misses or mislabels many names (a lone "Machado" is a place to it), so
person-hood and gender come from cues in the conversation: titles, a few given names, and the
he/she that takes a name up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rag.lexical import fold

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
PERSON_NOUNS = frozenset(
    "president minister secretary leader member official spokesman spokeswoman ambassador "
    "diplomat senator governor envoy chief head wife husband son daughter candidate predecessor "
    "successor".split()
)
GENDER_OF = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


@dataclass
class People:
    """What the conversation tells about person names: who is a person, gender, full name."""

    gender: dict[str, str | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def learn(self, doc: Any) -> None:
        """Record the person names of ``doc`` with any title, given-name or pronoun cue."""
        for ent, label in named_mentions(doc):
            key = name_key(ent.text)
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


def named_mentions(doc: Any) -> list[tuple[Any, str]]:
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


def name_key(name: str) -> str:
    """The folded last word of a name: "Maduro" and "Nicolás Maduro" are one person. A
    name with "of" in it is an institution's whole name: "The Bank of Estmark" is not
    the "Estmark" the small model may have called a person."""
    words = clean(name).split()
    if "of" in words[1:-1]:
        return fold(" ".join(w for w in words if w.lower() != "the"))
    return fold(words[-1])


def clean(text: str) -> str:
    """A mention without its possessive ending ("Maduro’s" -> "Maduro")."""
    return re.sub(r"['’]s?$", "", text.strip())  # "Maduro's", "Halvard Terminals'"


def _pronoun_cue(doc: Any, ent: Any, subject: bool = False) -> str | None:
    """Gender of the first he/she pronoun after ``ent``, before another person is named."""
    limit = doc[ent.end - 1].sent.end
    for tok in doc[ent.end : min(len(doc), limit + 12)]:
        if tok.ent_type_ == "PERSON":
            return None
        if tok.lower_ in GENDER_OF and (not subject or tok.dep_ == "nsubj"):
            return GENDER_OF[tok.lower_]
    return None

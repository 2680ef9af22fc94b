"""What an antecedent must be for the pronoun's verb or noun: one leads a body, votes
against a decision, owns shares; 'that firm' is a business named before, and what costs
is a thing, never the team that built it."""

from __future__ import annotations

import re
from typing import Any

from rag.mentions import ORG_NOUNS, Candidate, verb_of
from rag.person_names import clean

# What a verb's object can be: one leads an organisation, and votes against a decision.
_LED = frozenset("lead run head chair join found manage leave quit".split())
_PRICED = frozenset({"cost"})  # what costs is a thing, never the team that built it
_CREWS = frozenset("team crew group students workers staff members people".split())
_DECIDED = frozenset("vote oppose support back approve reject block endorse".split())
# What only a company or other body has: 'its shares' is never the revenue's.
_A_BODY_HAS = frozenset(
    "share stock revenue profit sale shareholder investor employee staff workforce"
    " headquarters board chairman ceo founder spokesman spokeswoman spokesperson".split()
)


def _names_a_body(text: str) -> bool:
    """'the Portvale Dockworkers' Union', 'Halvard's parent company': an organisation noun."""
    last = re.findall(r"[a-z]+", text.lower())[-1:]
    return bool(last) and last[0] in ORG_NOUNS


def _crew(text: str) -> bool:
    """'the team', 'a team of 23 students at the University of Astrel': people."""
    said = text.lower().split()
    return bool(set(said[:3] + said[-1:]) & _CREWS)


def fitting(tok: Any, pool: list[Candidate]) -> list[Candidate]:
    """The antecedents the pronoun's verb or noun allows: one leads a body ('the Portvale
    Dockworkers' Union' where one was named; no terminal or place), votes against a
    decision (no bank or person), only a named body has shares, and what costs is a
    thing."""
    if tok.dep_ == "poss" and tok.head.lemma_ in _A_BODY_HAS:  # 'its shares': a company's
        named = [c for c in pool if c.named and c.kind not in ("place", "thing", "things")]
        return named or pool
    if tok.dep_ == "nsubj" and verb_of(tok).lemma_ in _PRICED:  # 'What did it cost?': a thing
        things = [c for c in pool if c.kind in ("thing", "things")]
        return [c for c in things if not _crew(c.text)] or pool
    if tok.dep_ not in ("dobj", "pobj"):
        return pool
    verb = verb_of(tok).lemma_
    if verb in _LED:
        fit = [c for c in pool if c.kind not in ("place", "thing", "things")]
        return [c for c in fit if _names_a_body(c.text)] or fit
    if verb in _DECIDED:
        return [c for c in pool if c.kind not in ("org", "group", "person", "people", "place")]
    return pool


# Nouns a demonstrative points back at a named body with: 'that firm', 'this company'.
_BODY_NOUNS = frozenset("firm company consultancy business group organisation agency".split())


def demonstrated_body(tok: Any, pool: list[Candidate]) -> Candidate | None:
    """The named organisation 'that firm' or 'this company' points back at: the most
    salient one earlier turns named ('Norrow Advisory, a consulting firm'); None for any
    other word, or where none was named."""
    if tok.lower_ not in ("that", "this") or tok.dep_ != "det" or tok.head.i != tok.i + 1:
        return None
    if tok.head.lemma_ not in _BODY_NOUNS:
        return None
    named = [c for c in pool if c.named and (c.kind == "org" or _business_name(c.text))]
    return min(named, key=lambda c: c.rank) if named else None


# Last words of a business's name, whatever the entity recogniser called it ('Norrow
# Advisory' was tagged a person).
_BUSINESS_ENDS = frozenset(
    "advisory construction holdings group partners capital consulting systems terminals"
    " mobility analytics ltd inc plc corp limited".split()
)


def _business_name(text: str) -> bool:
    """'Norrow Advisory', 'Grevik Construction': a name that ends like a business's."""
    return text.split()[-1].lower().strip(".,") in _BUSINESS_ENDS if text.split() else False


_OWNED = re.compile(r"(?i)\b(?:his|her|their|its) ([a-z]+)\b")


def owned_body(question: str, earlier: list[Any]) -> str:
    """'What rate did his bank set?' after 'The Bank of Estmark's governor is Rafael
    Moreau': the named body whose name holds the noun ('the Bank of Estmark'), most recent
    mention first; the question as asked when none does."""
    for m in _OWNED.finditer(question):
        noun = m.group(1).lower()
        for doc in earlier:
            body = next(
                (e for e in doc.ents if e.label_ == "ORG" and noun in e.text.lower().split()), None
            )
            if body is not None:
                name = re.sub(r"^the ", "", clean(body.text), flags=re.I)
                return question[: m.start()] + f"the {name}" + question[m.end() :]
    return question

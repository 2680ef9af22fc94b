"""Idioms whose predicate is not their verb: 'take place' is held, 'turn down' rejects,
'hold the job' is being in it."""

from __future__ import annotations

import re

_POST_WORDS = ("job", "post", "office", "position", "role")  # 'held the job': been in it
_POSTS = "|".join(_POST_WORDS)

# The predicate an idiom stands for, and its words no passage repeats.
_IDIOM_WORDS = {
    "run": frozenset({"charge", "helm"}),
    "hold": frozenset({"take", "place"}),
    "reject": frozenset({"turn", "down"}),
    "collapse": frozenset({"give", "way"}),
    "prove": frozenset({"turn", "out"}),
    "be": frozenset({"hold", *_POST_WORDS}),
}


# 'did the court end up hearing', 'went on to win': the verb after them is asked.
LEADING_INTO = re.compile(r"\b(?:end|ends|ended|ending) up (\w+ing)\b|\bwent on to (\w+)\b")


def idiom_words(predicate: str | None, lemmas: list[str], folded: str) -> frozenset[str]:
    """The words of the idiom the predicate was read from ('in charge of' -> run, 'take
    place' -> hold), when the question does not say the predicate itself; 'end' of 'ended
    up testifying', which no passage says either."""
    leading = frozenset({"end"}) if LEADING_INTO.search(folded) else frozenset()
    if predicate in _IDIOM_WORDS and predicate not in lemmas:
        return _IDIOM_WORDS[predicate] | leading
    return leading


# Idioms whose predicate is not their verb, read before any verb of the question.
_IDIOMS = (
    (re.compile(r"\bunder ?way\b"), "start"),  # 'When did the tournament get under way?'
    # 'Where does the Calden Open take place?': held, not taken
    (re.compile(r"\b(?:take|takes|took|taken|taking) place\b"), "hold"),
    # 'At what time did the roof give way?': it collapsed
    (re.compile(r"\b(?:give|gives|gave|given|giving) way\b"), "collapse"),
    # 'Why did the union turn down the offer?': rejected it
    (re.compile(r"\b(?:turn|turns|turned|turning) down\b"), "reject"),
    # 'How many turned out to be valid?': were found to be
    (re.compile(r"\b(?:turn|turns|turned|turning) out to be\b"), "prove"),
    # 'Since when had he held the job?': been mayor, not hosted anything
    (re.compile(rf"\b(?:hold|holds|held|holding) (?:\w+ )?(?:{_POSTS})\b(?!-)"), "be"),
)


def idiom_predicate(folded: str) -> str | None:
    """The predicate an idiom in the (folded) question stands for, if any."""
    for idiom, predicate in _IDIOMS:
        if idiom.search(folded):
            return predicate
    return None


__all__ = ["LEADING_INTO", "idiom_predicate", "idiom_words"]

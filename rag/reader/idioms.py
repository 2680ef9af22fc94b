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
    "overrun": frozenset({"go", "over"}),
    "be": frozenset({"hold", *_POST_WORDS}),
}
# Phrasal verbs a question says where articles use one word: 'when it comes back' is when
# it returns, 'called off' is cancelled. Read only where the particle hangs on the verb.
PHRASAL_VERBS = {
    ("step", "down"): "resign",
    ("call", "off"): "cancel",
    ("come", "back"): "return",
    ("bring", "back"): "return",
    ("pay", "back"): "repay",
    ("go", "up"): "rise",
    ("put", "up"): "raise",
    ("put", "off"): "postpone",
    ("shut", "down"): "close",
    ("break", "out"): "start",
    ("walk", "out"): "strike",
    ("come", "down"): "collapse",
    ("put", "out"): "extinguish",
    ("take", "out"): "borrow",
    ("vote", "against"): "oppose",  # 'the dissenting voice', 'opposed the cut'
    ("hand", "over"): "deliver",  # 'delivered envelopes of cash', 'the handovers'
}

# The verb a sentence says the idiom with, and the object that makes it the idiom:
# 'the handovers took place in a car park' is where they were held.
IDIOM_VERBS = {"hold": ("take", "place"), "collapse": ("give", "way")}


# 'did the court end up hearing', 'went on to win': the verb after them is asked.
LEADING_INTO = re.compile(r"\b(?:end|ends|ended|ending) up (\w+ing)\b|\bwent on to (\w+)\b")


def idiom_words(predicate: str | None, lemmas: list[str], folded: str) -> frozenset[str]:
    """The words of the idiom the predicate was read from ('in charge of' -> run, 'take
    place' -> hold), when the question does not say the predicate itself; 'end' of 'ended
    up testifying', which no passage says either."""
    leading = frozenset({"end"}) if LEADING_INTO.search(folded) else frozenset()
    if predicate in lemmas:
        return leading
    idiom = _IDIOM_WORDS.get(predicate or "", frozenset())
    phrasal = frozenset(w for pair in said_phrasally(predicate, lemmas) for w in pair)
    return leading | idiom | phrasal


def said_phrasally(predicate: str | None, lemmas: list[str]) -> list[tuple[str, str]]:
    """The phrasal verbs of the question that stand for its predicate: ('step', 'down')."""
    pairs = (pair for pair, one in PHRASAL_VERBS.items() if one == predicate)
    return [pair for pair in pairs if set(pair) <= set(lemmas)]


def phrasal_verb(lemmas: list[str], verb: int, particles: list[int]) -> str | None:
    """The one verb a phrasal verb stands for ('come back' -> 'return'), given the
    indices of the words that hang on the verb as particles."""
    for j in particles:
        one = PHRASAL_VERBS.get((lemmas[verb], lemmas[j]))
        if one:
            return one
    return None


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
    # 'Why did the renovation go over budget?': it overran ('more than planned')
    (re.compile(r"\b(?:go|goes|went|gone|going) over (?:\w+ ){0,2}budget\b"), "overrun"),
    # 'Since when had he held the job?': been mayor, not hosted anything
    (re.compile(rf"\b(?:hold|holds|held|holding) (?:\w+ )?(?:{_POSTS})\b(?!-)"), "be"),
)


def idiom_predicate(folded: str) -> str | None:
    """The predicate an idiom in the (folded) question stands for, if any."""
    for idiom, predicate in _IDIOMS:
        if idiom.search(folded):
            return predicate
    return None


__all__ = [
    "IDIOM_VERBS",
    "LEADING_INTO",
    "PHRASAL_VERBS",
    "idiom_predicate",
    "idiom_words",
    "phrasal_verb",
    "said_phrasally",
]

"""Small text helpers shared by the reader's modules: folded words, dependency distance."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection, Sequence

from rag.lexical import fold
from rag.reader.passages import Sentence
from rag.reader.synonyms import OPPOSITES, RELATION_SYNONYMS

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Folded words of a text."""
    return _WORD.findall(fold(text))


def tree_distance(s: Sentence, sources: Sequence[int], targets: set[int], limit: int = 6) -> int:
    """Fewest dependency arcs from any source token to any target token (limit+1 if none)."""
    if not sources or not targets:
        return limit + 1
    toks = s.ann.tokens
    inside = set(s.tokens)
    adj: dict[int, list[int]] = {i: [] for i in inside}
    for i in inside:
        h = toks[i].head
        if h != i and h in inside:
            adj[i].append(h)
            adj[h].append(i)
    seen = set(sources)
    frontier = deque((i, 0) for i in sources)
    while frontier:
        node, d = frontier.popleft()
        if node in targets:
            return d
        if d >= limit:
            continue
        for nxt in adj.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, d + 1))
    return limit + 1


# 'The number of people killed has risen to 31', 'the toll reached 31': the count hangs off
# a verb of change whose subject names what is counted.
_CHANGE_VERBS = frozenset(
    "rise climb reach increase grow jump fall drop decline stand total hit top edge revise"
    " raise lower put".split()
)
_COUNT_NOUNS = frozenset("number toll total count figure tally".split())


def count_subject(s: Sentence, tokens: Sequence[int]) -> list[int]:
    """The 'number'/'toll' subject a count candidate stands for, when it is the object or
    'to'-phrase of a verb of change ('... has risen to 31'); else nothing."""
    if not tokens:
        return []
    toks = s.ann.tokens
    head = toks[tokens[-1]].head
    if toks[head].pos == "ADP" and fold(s.ann.text[toks[head].start : toks[head].end]) == "to":
        head = toks[head].head
    if head in tokens or fold(toks[head].lemma) not in _CHANGE_VERBS:
        return []
    return [
        i
        for i in s.tokens
        if toks[i].head == head
        and toks[i].dep in ("nsubj", "nsubjpass")
        and fold(toks[i].lemma) in _COUNT_NOUNS
    ]


_DENYING = frozenset("decline refuse fail reject deny".split())
_ESCAPING = frozenset("escape avoid".split())


def verb_tokens(s: Sentence, lemmas: Collection[str]) -> set[int]:
    """The sentence's tokens that are one of these verbs (by folded lemma)."""
    return {i for i in s.tokens if s.lemma(i) in lemmas and s.token(i).pos == "VERB"}


def denies(s: Sentence, predicate: str) -> bool:
    """Whether the sentence says its asked verb only as not done: 'has declined to
    appoint', 'did not appoint', 'refused to sell', 'neither won' (and says it no other
    way)."""
    toks = s.ann.tokens
    said = verb_tokens(s, {predicate})
    if not said:
        return False
    for i in said:
        # 'did not win', and 'neither won a majority': a subject that names no one
        kids = [j for j in s.tokens if toks[j].head == i]
        subjects = [j for j in kids if toks[j].dep == "nsubj"]
        negated = any(
            toks[j].dep == "neg" or toks[j].dep in ("nsubj", "preconj") and s.word(j) in _NO_ONE
            for j in kids
        ) or any(  # 'no candidate won', 'neither candidate won'
            toks[d].head in subjects and toks[d].dep == "det" and s.word(d) in ("no", "neither")
            for d in s.tokens
        )
        head = toks[i].head
        denied = toks[i].dep == "xcomp" and fold(toks[head].lemma) in _DENYING
        if not (negated or denied):
            return False
    return True


_NO_ONE = frozenset({"neither", "none", "nobody", "nothing", "noone"})


def said_polarity(s: Sentence, predicate: str) -> str | None:
    """'Yes' or 'No' as the sentence says the asked verb (or its like) done or not
    done, 'No' when it says the opposite ('rejected' for 'Did they accept?'); None
    when it says neither."""
    lemmas = {predicate, *RELATION_SYNONYMS.get(predicate, ())}
    toks = s.ann.tokens
    # the verb, or its noun ('had no plans to bring in replacement workers')
    asked = {i for i in s.tokens if s.lemma(i) in lemmas and toks[i].pos in ("VERB", "NOUN")}
    if asked:
        negated = {toks[j].head for j in s.tokens if toks[j].dep == "neg" or s.word(j) == "no"}
        # 'refused to sell', 'escaped serious damage'
        refused = {
            i
            for i in asked
            if toks[i].dep in ("xcomp", "dobj") and s.lemma(toks[i].head) in _DENYING | _ESCAPING
        }
        return "No" if asked <= negated | refused else "Yes"
    return "No" if verb_tokens(s, OPPOSITES.get(predicate, ())) else None


_CONDITIONS = frozenset({"if", "unless", "whether"})
_MODALS = frozenset("must should could may might".split())  # not the reported "would"


def only_supposed(s: Sentence, predicate: str) -> bool:
    """Whether the sentence says its asked verb only inside a condition, an open
    question or a modal: 'a fee it would owe if the deal is blocked', 'declined to say
    whether', 'the deal must still be approved by members'."""
    toks = s.ann.tokens
    said = verb_tokens(s, {predicate})
    if not said:
        return False
    return all(
        any(
            toks[j].head == i
            and (
                toks[j].dep == "mark"
                and s.word(j) in _CONDITIONS
                or toks[j].dep == "aux"
                and s.word(j) in _MODALS
            )
            for j in s.tokens
        )
        for i in said
    )


_FUTURE = frozenset("will next coming 'll shall".split())


def tells_ahead(s: Sentence, tokens: Sequence[int]) -> bool:
    """The sentence tells of a time to come: 'will', 'next', or the present tense of the
    verb the span hangs on ('The runoff takes place on Sunday', in a Tuesday paper)."""
    if any(s.word(i) in _FUTURE for i in s.tokens):
        return True
    toks = s.ann.tokens
    at = tokens[0] if tokens else None
    for _ in range(4):  # up through the preposition to its verb
        if at is None or toks[at].head == at:
            return False
        at = toks[at].head
        if toks[at].pos in ("VERB", "AUX"):
            word = s.word(at)  # 'takes', not 'was' or 'has' (been held)
            present = word.endswith("s") and word not in ("was", "has") and word != s.lemma(at)
            return word in ("is", "are") or present
    return False

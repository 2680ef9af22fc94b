"""Who takes a post: 'Chief financial officer Jonas Pell, 44, will take over as interim
chief executive' answers 'Who is taking over as Kestrel's interim boss?', and 'The board
named its finance director, Gerrit Hale, as interim chief executive' answers 'Who was put
in temporary charge of Brackenridge?'. The person is the one who takes the post ('take
over as', 'succeed') or is given it ('named ... as'); the post is said with the 'as'.
No fitted feature says so much, so such a person earns a floor (``floors.py``), where the
post the sentence gives is the one asked, in the same standing (not an acting director
for a permanent one)."""

from __future__ import annotations

import re

from rag.lexical import fold, stem
from rag.reader.candidates import Candidate
from rag.reader.holders import POSTS
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.spans import phrase_roots, subtree
from rag.reader.synonyms import RELATION_SYNONYMS

_ASKS = re.compile(
    r"\b(?:tak(?:e|es|ing|en)|took) over\b|\bsucceed|\breplac|\bin (?:temporary )?charge\b"
    r"|\b(?:put|named|appointed) (?:as |to )?(?:the )?(?:new |interim |acting )"
)
_TAKING = frozenset({"succeed", "replace", "become"})
_GIVING = frozenset({"name", "appoint", "pick", "choose", "promote", "install", "put"})
_ACTING = frozenset({"interim", "acting", "temporary", "caretaker"})
_STANDING = _ACTING | {"permanent"}
_ANY_NAMED = frozenset({"ceo", "executive", "chair", "head"})  # posts the question may name
_POST_WORDS = POSTS | {"officer", "mayor", "minister", "coach", "editor", "captain"}
_CHARGE = frozenset({"charge", "boss", "head", "chief", "leader"})  # 'in charge of' any post


def asks_successor(q: QuestionAnalysis) -> bool:
    """Whether the question asks who takes a post ('Who is taking over as ...?')."""
    return "person" in q.answer_types and bool(_ASKS.search(fold(q.text)))


def takes_asked_post(q: QuestionAnalysis, c: Candidate) -> bool:
    """The person takes or is given a post the question asks for, in its standing."""
    if c.ctype != "person" or not c.tokens:
        return False
    s = c.sentence
    roots = phrase_roots(s, c.tokens)
    if len(roots) != 1:
        return False
    node = roots[0]
    if s.token(node).dep == "appos":  # 'named its finance director, Gerrit Hale, as ...'
        node = s.token(node).head
    verb = s.token(node).head
    taking = s.token(node).dep == "nsubj" and (
        s.lemma(verb) in _TAKING or s.lemma(verb) == "take" and _has(s, verb, "prt", "over")
    )
    giving = s.token(node).dep in ("dobj", "nsubjpass") and s.lemma(verb) in _GIVING
    if not (taking or giving):
        return False
    post = [j for j in s.tokens if s.token(j).head == verb and s.word(j) == "as"]
    said = {fold(s.word(k)) for j in post for k in subtree(s, j)} - {"as"}
    return _same_post(fold(q.text), said)


def _same_post(question: str, said: set[str]) -> bool:
    """The post said ('interim chief executive') is the one asked ('interim boss')."""
    asked = set(re.findall(r"[a-z]+", question))
    if asked & _STANDING and said & _STANDING and _acting(asked) != _acting(said):
        return False  # a permanent director asked, an acting one named
    said -= _STANDING
    if not said & _POST_WORDS:
        return False  # 'named by his family as one of the dead' gives no post
    if asked & _CHARGE or not asked & (_POST_WORDS | _ANY_NAMED):
        return True  # 'in charge', 'boss', or no post asked ('taking over from her'): any
    posts = {w for a in asked - _STANDING for w in (a, *RELATION_SYNONYMS.get(a, ()))}
    return bool({stem(w) for w in said} & {stem(w) for w in posts})


def _acting(words: set[str]) -> bool:
    return bool(words & _ACTING)


def _has(s: Sentence, verb: int, dep: str, word: str) -> bool:
    """The verb has a child of the dependency and word ('take' with its 'over')."""
    return any(
        s.token(j).head == verb and s.token(j).dep == dep and s.word(j) == word for j in s.tokens
    )

"""Grammatical roles: does a candidate fill the slot of the asked relation that the
question's wh-word fills ('Who visited X?' asks for the one who visits, not the one a
nearby clause deposed)?"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from index.annotate import Token
from rag.lexical import STOPWORDS
from rag.reader.spans import subtree
from rag.reader.synonyms import RELATION_SYNONYMS
from rag.reader.text import verb_tokens, words

if TYPE_CHECKING:  # question.py imports this module for question_role
    from rag.reader.candidates import Candidate
    from rag.reader.question import QuestionAnalysis

AGENT, PATIENT = "agent", "patient"
# A name inside a longer noun phrase: 'Interior Secretary Doug Burgum', 'Burgum, the
# secretary', 'Obi and Banerjee' all take the role of the phrase's head.
_CLIMB = frozenset({"appos", "compound", "flat", "conj"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
SUBJECTS = frozenset({"nsubj", "nsubjpass"})  # the dependency labels of a clause subject


def role_of(toks: Sequence[Token], i: int, is_predicate: Callable[[int], bool]) -> str | None:
    """AGENT or PATIENT when token ``i`` is that argument of a predicate token."""
    t = toks[i]
    if t.dep == "nsubj" and is_predicate(t.head):
        # 'Dahl, 44, replaces Tomas Rehn' parsed with two subjects: the one after the
        # verb is its object.
        before = t.head < i and any(
            u.dep == "nsubj" and u.head == t.head for u in toks[max(0, t.head - 12) : t.head]
        )
        return PATIENT if before else AGENT
    if t.dep in ("dobj", "nsubjpass") and is_predicate(t.head):
        return PATIENT
    by = toks[t.head]
    if t.dep == "pobj" and by.dep == "agent" and is_predicate(by.head):
        return AGENT  # 'was appointed by the minister'
    return None


def question_role(toks: Sequence[Token], wh: int | None) -> str | None:
    """The role the wh-word (or the noun it determines: 'which cabinet member') fills
    for the question's verb."""
    if wh is None:
        return None
    i = toks[wh].head if toks[wh].dep == "det" else wh
    role = role_of(toks, i, lambda h: toks[h].pos == "VERB")
    verb = toks[i].head
    subjects = [j for j, t in enumerate(toks) if t.dep == "nsubj" and t.head == verb]
    # 'Whom did Lindahl beat?' parsed with two subjects: the do-support says the wh-word is
    # the object; 'Who runs Brightwell Systems?' (also two subjects) has none.
    do_support = any(
        toks[j].lemma.lower() == "do" and toks[j].pos == "AUX" for j in range(wh, verb)
    )
    if role == AGENT and len(subjects) > 1 and do_support:
        return PATIENT
    return role


def candidate_role(
    toks: Sequence[Token],
    span: Collection[int],
    sentence_tokens: Collection[int],
    predicates: Collection[int],
    words: Callable[[int], str],
) -> str | None:
    """The role the candidate fills for one of the sentence's predicate tokens."""
    own = set(span)
    if not own or not predicates:
        return None
    node = next((i for i in sorted(own) if toks[i].head not in own or toks[i].head == i), None)
    for _ in range(4):
        if node is None:
            return None
        role = role_of(toks, node, lambda h: h in predicates)
        if role:
            return role
        for j in sentence_tokens:  # 'officials who visited', 'the man Petrova beat'
            if toks[j].head == node and toks[j].dep == "relcl" and j in predicates:
                children = [k for k in sentence_tokens if toks[k].head == j]
                own_subject = any(
                    toks[k].dep == "nsubj" and words(k) not in RELATIVE_PRONOUNS for k in children
                )
                # 'Tomas Rehn, who was dismissed': a passive clause says what befell him.
                passive = any(toks[k].dep == "nsubjpass" for k in children)
                return PATIENT if own_subject or passive else AGENT
            if toks[j].head == node and toks[j].dep == "acl" and j in predicates:
                return PATIENT  # 'the mediator appointed on Tuesday'
        if toks[node].dep in _CLIMB and toks[node].head != node:
            node = toks[node].head
            continue
        return None
    return None


def opposite_role(q: QuestionAnalysis, c: Candidate) -> bool:
    """True when the candidate fills the other role of the question's own verb: the
    patient of 'appoint' when the question asks who appointed; the winner when it asks
    for the runner-up ('France ... after defeating Croatia')."""
    if q.focus == "runner-up" and c.ctype not in _VALUES:
        s = c.sentence
        won = verb_tokens(s, _CONTESTS)
        return candidate_role(s.ann.tokens, c.tokens, s.tokens, won, s.word) == AGENT
    if q.role is None or q.predicate is None or c.ctype in _VALUES:
        return False  # 'paid by October 5': a date or an amount plays no part in the act
    s = c.sentence
    # 'to lead Lumora' says the other role of 'run' too
    verbs = verb_tokens(s, {q.predicate, *RELATION_SYNONYMS.get(q.predicate, ())})
    converse = verb_tokens(s, _CONVERSES.get(q.predicate, frozenset()))
    role = candidate_role(s.ann.tokens, c.tokens, s.tokens, verbs - converse, s.word)
    if role is None and converse:  # 'Brightwell would sell the unit': the seller, no buyer
        flipped = candidate_role(s.ann.tokens, c.tokens, s.tokens, converse, s.word)
        return flipped is not None and flipped == q.role
    if role is None and q.role == AGENT and q.predicate in _CONTESTS:
        return _opponent(s.ann.tokens, c.tokens, s.word)
    return role is not None and role != q.role


_VALUES = frozenset("date time number money percent duration age rank score".split())
# Verbs that say the same deal from the other side: who sells is not who buys.
_CONVERSES = {
    "buy": frozenset({"sell"}),
    "acquire": frozenset({"sell"}),
    "purchase": frozenset({"sell"}),
    "sell": frozenset({"buy", "acquire", "purchase"}),
}
# 'Who won the runoff?': 'winning ... in Sunday's runoff against Tomas Reyland' names
# the loser; 'her victory over Reyland' too.
_CONTESTS = frozenset("win beat defeat".split())
_VICTORY = frozenset("win victory triumph".split())


def _phrase_head(toks: Sequence[Token], span: Collection[int]) -> int | None:
    """The head of the noun phrase the span names: its own root, climbed through
    compounds, appositions and conjuncts ('Calden mayor Tomas Reyland' -> 'Reyland')."""
    own = set(span)
    node = next((i for i in sorted(own) if toks[i].head not in own or toks[i].head == i), None)
    while node is not None and toks[node].dep in _CLIMB and toks[node].head != node:
        node = toks[node].head
    return node


def _opponent(toks: Sequence[Token], span: Collection[int], words: Callable[[int], str]) -> bool:
    """True when the candidate is the object of 'against', or of 'over' after a win."""
    node = _phrase_head(toks, span)
    if node is None or toks[node].dep != "pobj":
        return False
    prep = toks[node].head
    if words(prep) == "against":
        return True
    return words(prep) == "over" and toks[toks[prep].head].lemma.lower() in _VICTORY


_FINAL = frozenset({"final", "finalist"})
_RUNNER_UP = re.compile(r"(?i)\brunners?[- ]up\W*$")


def beaten_in_final(c: Candidate) -> bool:
    """The side that lost a final: beaten in a sentence about the final ('defeating
    Croatia 4-2 in the 2018 final', 'winner against Argentina in the ... final'), or
    named right after 'runners-up' in a results line ('Runners-up Argentina')."""
    if not c.tokens or c.ctype in _VALUES:
        return False
    s = c.sentence
    if _RUNNER_UP.search(s.ann.text[max(s.start, c.start - 16) : c.start]):
        return True
    if not {s.lemma(i) for i in s.tokens} & _FINAL:
        return False
    beaten = verb_tokens(s, _CONTESTS - {"win"})
    toks = s.ann.tokens
    role = candidate_role(toks, c.tokens, s.tokens, beaten, s.word)
    return role == PATIENT or _opponent(toks, c.tokens, s.word)


_REPORTING = frozenset(
    "say tell warn claim argue add state believe think insist deny suggest note write"
    " recall admit acknowledge explain predict comment".split()
)
_ACTORS = frozenset({"person", "organisation", "team"})


_ANY_POST = frozenset({"head", "leader", "boss", "chief"})  # a post any title may fill


def only_reports(q: QuestionAnalysis, c: Candidate) -> bool:
    """The candidate only reports what is asked, in a clause it says or believes: in
    'Tomas Reyland said Ana Petrova won the runoff' Reyland did not win. A title the
    question asks about keeps the speaker ('Director Stanley Kubrick believed that The
    Godfather ...' may be its director, as far as the words go)."""
    if c.ctype not in _ACTORS or not c.tokens or (q.predicate or "") in _REPORTING:
        return False
    s = c.sentence
    toks = s.ann.tokens
    own = set(c.tokens)
    node = _phrase_head(toks, c.tokens)
    if node is None or toks[node].dep != "nsubj" or s.lemma(toks[node].head) not in _REPORTING:
        return False
    verb = toks[node].head
    inside = {
        i
        for j in s.tokens
        if toks[j].head == verb and toks[j].dep == "ccomp"
        for i in subtree(s, j)
    }
    named = {w for e in q.entities for w in words(e) if w not in STOPWORDS}
    posts = RELATION_SYNONYMS.get(q.focus or "", ()) if q.focus in _ANY_POST else ()
    titles = {q.predicate, q.focus, *posts}  # 'the deputy head': 'Deputy general secretary'
    asked = {
        i for i in s.tokens if i not in own and (s.word(i) in named or s.lemma(i) in titles)
    }  # the focus too: 'Governor Rafael Moreau said ... that the bank would' is its governor
    return bool(inside) and bool(asked) and asked <= inside

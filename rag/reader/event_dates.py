"""Whose date a date is: the asked event's, or another verb's in the same sentence
('Pell, who stepped aside in March, resigned on Thursday'; 'officials said on Monday')."""

from __future__ import annotations

from rag.reader.candidates import Candidate
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.spans import phrase_roots
from rag.reader.text import verb_tokens


def date_of_other_verb(q: QuestionAnalysis, c: Candidate) -> bool:
    """True when a date belongs to another verb of a sentence that also says the asked
    one: 'March' of 'Pell, who stepped aside in March, resigned on Thursday' does not
    say when he resigned."""
    if c.ctype not in ("date", "time") or not q.predicate:
        return False
    s = c.sentence  # the asked verb itself: a synonym ('step' for 'resign') may be another
    asked = verb_tokens(s, {q.predicate})
    node = next(iter(phrase_roots(s, c.tokens)), None)
    if node is not None and q.predicate not in _SPEECH and _verb_of(s, node) in _SPEECH:
        return True  # 'officials said on Monday': the day of the report, not of the event
    if not asked or node is None:
        return False
    verb = None
    for _ in range(8):
        tok = s.token(node)
        if tok.head == node or tok.head not in s.tokens:
            return False
        if verb is not None and tok.dep not in _CLAUSE_LINKS:
            break  # a relative clause ('who stepped aside in March') is another event
        node = tok.head
        if node in asked:
            return False  # 'expects to clear the backlog by mid-November': the asked verb's
        if s.token(node).pos == "VERB":
            if s.lemma(node) == "do":
                return False  # 'did so in 1998' stands for the asked verb
            verb = node
    return verb is not None


_CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "conj", "advcl"})
_SPEECH = frozenset("say tell announce report add state confirm".split())


def _verb_of(s: Sentence, node: int) -> str:
    """The lemma of the verb a date phrase hangs on ('said on Monday' -> 'say')."""
    for _ in range(3):
        head = s.token(node).head
        if head == node or head not in s.tokens:
            return ""
        node = head
        if s.token(node).pos in ("VERB", "AUX"):
            return s.lemma(node)
    return ""

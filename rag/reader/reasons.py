"""Reason clauses: the spans of a sentence that can answer a why-question.

A marker word opens each one ('because', 'due to', 'after'). Some markers are as often
no reason at all: 'a bridge over the river', 'sold for €180 million', 'its first cut
since the pandemic'. Those count only where the parse says they give a cause.
"""

from __future__ import annotations

import re

from rag.reader.dates import MONTH_NAMES
from rag.reader.passages import Sentence
from rag.reader.types import REASON_MARKERS

# 'since 2019', 'after Tuesday', 'for the last time', 'over the weekend', 'over two years':
# a time, no reason.
_TIME_AFTER = re.compile(
    r"\s+(?:(?:the|a|an|this|last|next)\s+)?(?:\d|(?:first|last|second)\s+time\b|(?:"
    + "|".join(m.lower() for m in MONTH_NAMES)
    + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week"
    r"|month|year|decade|years|months|weeks|days|hours)\b"
    r"|(?:two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+"
    r"(?:years|months|weeks|days|hours|decades)\b)"
)
# 'resigned over the scandal', 'a row over pay': the words 'over' gives a cause to.
_OVER_HEADS = frozenset(
    "resign quit step protest strike sue criticise criticize clash row dispute concern"
    " concerns fear fears anger outrage tension tensions worry worries fine arrest charge"
    " investigate probe split argue quarrel fight battle complain complaint boycott walk"
    " storm uproar backlash furore criticism lawsuit standoff stand-off suspend dismiss"
    " sack fire apologise apologize".split()
)
# 'fined for breaching', 'jailed for fraud': the verbs whose 'for' gives the cause.
_FOR_HEADS = frozenset(
    "fine arrest charge convict jail sentence sue blame criticise criticize praise"
    " apologise apologize thank punish penalise penalize investigate reward honour honor"
    " dismiss sack fire prosecute condemn fault reprimand suspend ban".split()
)

# 'for budget reasons', 'for fear of', 'for lack of': the object says it is a cause.
_FOR_CAUSES = frozenset("reason fear lack concern failure breach violation".split())


def reason_spans(s: Sentence) -> list[tuple[int, int]]:
    """Chunk offsets of the clauses a reason marker opens: 'in response to the US
    recognition of X'."""
    out = []
    low = s.text.lower()
    for marker in REASON_MARKERS:
        for m in re.finditer(rf"\b{re.escape(marker)}\b", low):
            tail = s.text[m.start() :]
            stop = re.search(r"[;.](?:\s|$)|, (?:and|but|which|while)\b", tail[len(marker) :])
            end = m.start() + len(marker) + (stop.start() if stop else len(tail) - len(marker))
            if end - m.start() <= len(marker) + 8 or _TIME_AFTER.match(low, m.end()):
                continue
            if not _gives_cause(s, s.start + m.start(), marker):
                continue
            out.append((s.start + m.start(), s.start + end))
    return out


def has_reason_clause(s: Sentence) -> bool:
    """Whether the sentence gives a reason clause of its own ('because of the floods')."""
    return bool(reason_spans(s))


def _gives_cause(s: Sentence, start: int, marker: str) -> bool:
    """Whether an ambiguous marker at chunk offset ``start`` opens a cause: 'over' and
    'for' after a word that takes one ('resigned over', 'fined for'), 'for' before a
    verb ('for breaching') or a cause ('for budget reasons'), 'since' joining a clause."""
    if marker not in ("over", "for", "since"):
        return True
    i = next((j for j in s.tokens if s.token(j).start == start), None)
    if i is None:
        return False
    t = s.token(i)
    if marker == "since":
        return t.dep == "mark"
    head = s.lemma(t.head)
    if marker == "over":
        return head in _OVER_HEADS
    if head in ("return", "exchange"):
        return False  # 'in return for steering a contract': what was given, no cause
    kids = [j for j in s.tokens if s.token(j).head == i]
    gerund = any(s.token(j).dep == "pcomp" and s.word(j).endswith("ing") for j in kids)
    causal = any(s.token(j).dep == "pobj" and s.lemma(j) in _FOR_CAUSES for j in kids)
    return head in _FOR_HEADS or gerund or causal

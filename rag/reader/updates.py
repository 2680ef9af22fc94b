"""The latest of several reported values, for a question that asks for it.

'According to the latest estimate, how much was the strike costing each day?': the
first report said 'about €40 million a day'; a later one 'raised its estimate ... to
€55 million a day, from €40 million last week'. The older figure often reads better
(its sentence repeats the question), so without this the reader answers with what the
articles say was replaced. A value a sentence names as the old one ('from X', 'not the
X') or tells as earlier ('Earlier the service had counted 38') gives way, and the value
that replaced it takes its place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.lexical import fold
from rag.reader.dates import iso_date
from rag.reader.question import QuestionAnalysis
from rag.reader.scored import Scored
from rag.reader.text import words
from rag.reader.types import AMOUNT_TYPES

# 'the latest estimate', 'the final (death) toll', 'in the end', 'ended up', 'so far', 'the
# revised agreement', 'the corrected turnout', 'currently'; not 'the 2025 final' (a match).
_LATEST = re.compile(
    r"\b(?:latest|most recent|in the end|so far|end(?:ed|s)? up|revised|updated|corrected"
    r"|current(?:ly)?|final(?= (?:\w+ )?(?:count|total|toll|figure|tally|number|estimate|price"
    r"|result|cost|bill)))\b"
)
_VALUE = r"[$€£]?\s?\d[\d,.]*(?:\s(?:million|billion|bn|m|per cent|%))?"
_OLD_VALUE = re.compile(
    rf"\b(?:(?:up|down) )?from (?:the )?(?:about |around |roughly |some |an estimated )?({_VALUE})"
    rf"|\bnot the ({_VALUE})"
)
_EARLIER = frozenset("earlier initially originally previously".split())
_BEFORE = re.compile(
    r"\b(?:before|previous(?:ly)?|original(?:ly)?|initial(?:ly)?|first|earlier|old|at first)\b"
)
_GIVE_WAY = 0.3  # share of its probability a replaced value keeps
# 'originally demand', 'the original budget', 'initially', 'at first', 'when the deal was first
# announced': the first value told.
_ORIGINAL = re.compile(
    r"\b(?:original(?:ly)?|initial(?:ly)?|at first"
    r"|first (?:announced|reported|unveiled|proposed|launched))\b"  # 'when it was first announced'
)
_FIRST_TOLD = AMOUNT_TYPES | {"date", "duration"}
_CLOSE = 0.6  # a value this near the best one in score may be the first one told


def asks_latest(q: QuestionAnalysis) -> bool:
    """Whether the question asks for the latest of changing values."""
    return bool(_LATEST.search(fold(q.text))) and not q.dates


def value_key(text: str) -> str:
    """'about €40 million' -> '40million', '45,000' -> '45000': a value, however said."""
    folded = fold(text).replace(",", "")
    number = re.search(r"\d[\d.]*", folded)
    scale = re.search(r"\b(million|billion|bn)\b", folded)
    return (number.group(0).rstrip(".") if number else "") + (scale.group(1) if scale else "")


def asks_earlier(q: QuestionAnalysis) -> bool:
    """Whether the question asks for a value before a change ('the original offer')."""
    return bool(_BEFORE.search(fold(q.text)))


def asks_original(q: QuestionAnalysis) -> bool:
    """Whether the question asks for the first of changing values ('originally')."""
    return bool(_ORIGINAL.search(fold(q.text))) and not q.dates


def earliest_values(scored: Sequence[Scored]) -> list[Scored]:
    """The value first told leads: 'What pay rise did the union originally demand?' is
    the 15% of the strike's first report, not the 13% it later lowered it to, though the
    later report often reads closer to the question."""
    return _told(scored, last=False)


def last_told(scored: Sequence[Scored]) -> list[Scored]:
    """The value last told leads: 'What is the final death toll?' is the 34 of the March
    report, not the 23 of February's, which repeats the question's words more."""
    return _told(scored, last=True)


def _told(scored: Sequence[Scored], *, last: bool) -> list[Scored]:
    """The value of the first (``last``: the latest) article leads. Only values of the
    best one's type near it in score compete, so a stray number does not."""
    out = list(scored)
    values = [i for i, s in enumerate(out) if s.candidate.ctype in _FIRST_TOLD]
    if not values:
        return out
    top = max(out[i].probability for i in values)
    ctype = next(out[i].candidate.ctype for i in values if out[i].probability == top)
    close = [
        i
        for i in values
        if out[i].candidate.ctype == ctype
        and out[i].probability >= _CLOSE * top
        and iso_date(out[i].candidate.sentence.date)
    ]
    if len(close) < 2:
        return out
    sign = -1 if last else 1
    lead = min(
        close,
        key=lambda i: (
            sign * _day(iso_date(out[i].candidate.sentence.date) or ""),
            -out[i].probability,
        ),
    )
    lead_date = iso_date(out[lead].candidate.sentence.date)
    for i in close:
        if i == lead:
            out[i] = replace(out[i], probability=top)
        elif iso_date(out[i].candidate.sentence.date) != lead_date:
            out[i] = replace(out[i], probability=out[i].probability * _GIVE_WAY)
    return out


def _day(iso: str) -> int:
    """'2026-02-27' -> 20260227, '2026-02' -> 20260200: to order dates either way."""
    return int((iso.replace("-", "") + "00000000")[:8])


def latest_values(scored: Sequence[Scored], *, same_sentence: bool = False) -> list[Scored]:
    """The scored candidates with each replaced value giving way to its replacement;
    ``same_sentence``: only where one sentence tells both ('8,750 hectares had burned,
    up from about 5,400'), which any question not asking for the earlier value takes."""
    out = list(scored)
    for k, new in enumerate(out):
        s = new.candidate.sentence
        old = {value_key(a or b) for a, b in _OLD_VALUE.findall(s.text)}
        key = value_key(new.candidate.text)
        if not old or not key or key in old:
            continue
        when = iso_date(s.date) or ""
        for j, was in enumerate(out):
            older = (iso_date(was.candidate.sentence.date) or "") <= when
            # 'from 2019 to 2023' is a span of time, no replaced value
            same = was.candidate.sentence is s and was.candidate.ctype in AMOUNT_TYPES
            if (
                j != k
                and older
                and value_key(was.candidate.text) in old
                and (same or not same_sentence)
            ):
                if was.probability > out[k].probability:
                    out[k] = replace(out[k], probability=was.probability, vouched=was.vouched)
                out[j] = replace(was, probability=was.probability * _GIVE_WAY)
    for j, was in enumerate(out):
        if not same_sentence and _EARLIER & set(words(was.candidate.sentence.text)):
            out[j] = replace(was, probability=was.probability * _GIVE_WAY)
    return out


def values_in_time(q: QuestionAnalysis, scored: Sequence[Scored]) -> list[Scored]:
    """Values changed over time put in the order the question asks: the latest, the
    first told, or (asking neither) not the one a sentence says was replaced."""
    latest = asks_latest(q)
    if latest:  # 'the final toll': the last told, and no value a sentence says was replaced
        return last_told(latest_values(scored))
    if not (asks_earlier(q) or q.dates):  # '8,750, up from about 5,400'
        return latest_values(scored, same_sentence=True)
    if asks_original(q):
        return earliest_values(scored)
    return list(scored)

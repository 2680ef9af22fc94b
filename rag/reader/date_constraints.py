"""Calendar constraints of a question ('on September 16', 'the December rate cut') and
whether a sentence satisfies them, by what it says or by its article's date."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from rag.reader.dates import MONTH_NAMES, iso_date
from rag.reader.passages import Sentence
from rag.reader.text import tree_distance

_MONTH_DAY = re.compile(rf"\b({'|'.join(MONTH_NAMES)})(?:\s+(\d{{1,2}})(?!\d))?")
# The day an article reports on may be the day before its date ('71 ships were waiting
# on Monday' in Tuesday's paper).
_REPORT_LAG_DAYS = 1


def question_dates(text: str) -> tuple[str, ...]:
    """'MM-DD' for each month and day the question names, 'MM' for a bare month.

    >>> question_dates("How many ships were waiting on September 16?")
    ('09-16',)
    >>> question_dates("Who voted against the December 2025 cut?")
    ('12',)
    """
    out = []
    for m in _MONTH_DAY.finditer(text):
        month = MONTH_NAMES.index(m.group(1)) + 1
        day = m.group(2)
        out.append(f"{month:02d}-{int(day):02d}" if day and int(day) <= 31 else f"{month:02d}")
    return tuple(dict.fromkeys(out))


# 'After the July decision, when is the committee next due to meet?': a time the
# answer is measured from, not one it must be in.
_REFERENCE_TIME = re.compile(r"(?i)\b(after|following|since|before|until)\b[^,?]*")


def asked_dates(text: str, asks_date: bool) -> tuple[str, ...]:
    """The question's dates an answer must fall on; a question that asks for a date
    does not ask it to fall on a date it is measured from.

    >>> asked_dates("After the July decision, when is the committee next due to meet?", True)
    ()
    >>> asked_dates("Who voted against the cut after the July meeting?", False)
    ('07',)
    """
    return question_dates(_REFERENCE_TIME.sub(" ", text) if asks_date else text)


def since_dates(text: str, asks_date: bool) -> tuple[str, ...]:
    """The months a date-asking question measures its answer from ('after the July
    decision'): an answer told before them is of an earlier round.

    >>> since_dates("After the July decision, when is the committee next due to meet?", True)
    ('07',)
    """
    if not asks_date:
        return ()
    found = _REFERENCE_TIME.finditer(text)
    after = [m.group(0) for m in found if m.group(1).lower() in ("after", "following", "since")]
    return tuple(dict.fromkeys(d[:2] for phrase in after for d in question_dates(phrase)))


def told_since(months: tuple[str, ...], s: Sentence) -> bool:
    """True when the sentence's article is dated in or after the months (same year), or
    its passage names them: 'next due to meet' after the July decision is not May 28 of
    an April article."""
    iso = iso_date(s.date)
    if not months or iso is None:
        return True
    if any(_satisfies(m, n) for m in months for n in question_dates(s.ann.text)):
        return True
    return int(iso[5:7]) >= min(int(m) for m in months)


def day_numbers(text: str) -> set[str]:
    """The day numbers of month-day dates ('16' of 'September 16'): not answer numbers."""
    return {m.group(2) for m in _MONTH_DAY.finditer(text) if m.group(2)}


def date_match(asked: tuple[str, ...], s: Sentence) -> float:
    """1.0 when the sentence names an asked date or its article is dated to it; 0.5 when
    only its passage names the date; else 0.0. 1.0 when the question asks for no date
    (a constraint not set counts as satisfied)."""
    if not asked:
        return 1.0
    if any(_satisfies(a, n) for a in asked for n in question_dates(s.text)):
        return 1.0
    if any(_article_on(a, s.date) for a in asked):
        return 1.0
    if any(_satisfies(a, n) for a in asked for n in question_dates(s.ann.text)):
        return 0.5
    return 0.0


def other_month_near(asked: tuple[str, ...], s: Sentence, span: Sequence[int]) -> bool:
    """True when a month the question does not ask about is within four dependency arcs
    of the candidate ('Reinholt, who voted against the September cut' for December)."""
    if not asked or any(_satisfies(a, n) for a in asked for n in question_dates(s.text)):
        return False
    months = {int(a[:2]) for a in asked}
    surface = {i: s.ann.text[s.token(i).start : s.token(i).end] for i in s.tokens}
    other = {
        i for i, w in surface.items() if w in MONTH_NAMES and MONTH_NAMES.index(w) + 1 not in months
    }
    return bool(other) and tree_distance(s, span, other, limit=4) <= 4


def _satisfies(asked: str, named: str) -> bool:
    """'09' is satisfied by '09-16'; '09-16' only by '09-16' (or a bare '09')."""
    return named == asked or named.startswith(asked + "-") or asked.startswith(named + "-")


def _article_on(asked: str, article_date: str | None) -> bool:
    iso = iso_date(article_date)
    if iso is None:
        return False
    y, m, d = (int(p) for p in iso.split("-"))
    if "-" not in asked:
        return int(asked) == m
    published = date(y, m, d)
    days = [published - timedelta(days=k) for k in range(_REPORT_LAG_DAYS + 1)]
    return any(f"{x.month:02d}-{x.day:02d}" == asked for x in days)


_QUARTER = re.compile(
    r"\b(?:q([1-4])|(first|second|third|fourth)[- ]quarter|(january|april|july|october)\s*[-–]\s*"
    r"(?:march|june|september|december)(?: \d{4})? quarter)\b",
    re.I,
)
_QUARTER_NUMBER = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_QUARTER_START = {"january": 1, "april": 2, "july": 3, "october": 4}


def quarters_in(text: str) -> tuple[str, ...]:
    """Quarters a text names: 'Q3', 'the third quarter', 'third-quarter revenue', 'the
    April-June quarter' ('q2').

    >>> quarters_in("What did Lumora lose in the April-June 2025 quarter?")
    ('q2',)
    >>> quarters_in("It reported third-quarter revenue of $1.31 billion.")
    ('q3',)
    """
    out = []
    for m in _QUARTER.finditer(text):
        n = m.group(1) or _QUARTER_NUMBER.get((m.group(2) or "").lower())
        n = n or _QUARTER_START.get((m.group(3) or "").lower())
        out.append(f"q{n}")
    return tuple(dict.fromkeys(out))


def quarter_conflict(quarters: Sequence[str], s: Sentence, candidate: str) -> bool:
    """The question asks about the third quarter; the sentence tells only of another
    ('a net loss of $31 million for the April-June quarter')."""
    if not quarters:
        return False
    said = set(quarters_in(s.text.replace(candidate, " ")))
    return bool(said) and not said & set(quarters)


# 'When was the bridge last closed before its 2025 repairs?': a bound, not the year asked.
_BEFORE_YEAR = re.compile(r"(?i)\b(?:before|until|prior to)\b[^,?]*?\b((?:19|20)\d\d)\b")


def year_bound(question: str) -> int | None:
    """The year a question asks before ('before its 2025 repairs'), if any.

    >>> year_bound("When was it last closed before its 2025 repairs?"), year_bound("When?")
    (2025, None)
    """
    bound = _BEFORE_YEAR.search(question)
    return int(bound[1]) if bound else None


def not_before(bound: int | None, years: set[str]) -> bool:
    """True when a date's years are not earlier than the year the question asks before
    (``year_bound``).

    >>> bound = year_bound("When was it last closed before its 2025 repairs?")
    >>> not_before(bound, {"2025"}), not_before(bound, {"2019"})
    (True, False)
    """
    return bound is not None and bool(years) and min(int(y) for y in years) >= bound

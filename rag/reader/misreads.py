"""Entities spaCy reads as something else: a film or a place labelled a person, a
number that is one side of a score."""

from __future__ import annotations

import re

# 'Toy Story 4' read as a person: no person's name ends in a number, a sequel's does.
_SEQUEL = re.compile(r"^[A-Z]\w*(?: [A-Z]\w*)* \d{1,2}$")
# 'Marrowfield Racecourse' read as a person: a name ending in a place noun is a place.
_PLACE_NAME = re.compile(
    r"^[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)* (?:Park|Stadium|Arena|Racecourse|Square|Street|Road"
    r"|Avenue|Bridge|Airport|Station|Harbour|Harbor|Quay|Pier|Market|Hall|Centre|Center"
    r"|Theatre|Theater|Cathedral|Palace|Castle|Gardens|Field|Ground|Circuit|Racetrack)$"
)


def misread(ctype: str, label: str, text: str) -> bool:
    """A name spaCy labels as a person or an organisation that is a film or a place."""
    if label not in ("PERSON", "ORG"):
        return False
    if ctype == "work":
        return _SEQUEL.search(text) is not None
    return ctype == "place" and _PLACE_NAME.search(text) is not None


def in_score(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is one side of a score or tally ('6' of '6-4, 6-7 (5)').

    >>> text = "beating Conti 6-4, 6-3 before 10,000 fans"
    >>> in_score(text, 14, 15), in_score(text, 31, 37)
    (True, False)
    """
    before = text[max(0, start - 8) : start]  # '6-7 (5)': the tie-break too
    return bool(re.search(r"\d-$|\d-\d{1,2} \($", before)) or bool(
        re.match(r"-\d", text[end : end + 2])
    )

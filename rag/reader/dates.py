"""Dates as written in articles and snippet headers, normalised for comparison."""

from __future__ import annotations

import re

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ),
        start=1,
    )
    for m in names.split()
}
_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_WRITTEN = re.compile(r"^([A-Za-z]+)\.? (\d{1,2}), (\d{4})$")


def iso_date(text: str | None) -> str | None:
    """'Oct 10, 2019' or '2019-10-10' -> '2019-10-10'; None when unreadable.

    >>> iso_date("Oct. 9, 2019"), iso_date("2026-03-05"), iso_date("last year")
    ('2019-10-09', '2026-03-05', None)
    """
    if not text:
        return None
    t = text.strip()
    m = _ISO.match(t)
    if m:
        return m.group(0)
    m = _WRITTEN.match(t)
    if m and m.group(1).lower() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    return None

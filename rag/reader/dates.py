"""Dates as written in articles and snippet headers, normalised for comparison."""

from __future__ import annotations

import re
from datetime import date, timedelta

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
_WRITTEN = re.compile(r"^([A-Za-z]+)\.? (\d{1,2})(?:, (\d{4}))?$")  # the year may be left out


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
    if m and m.group(3) and m.group(1).lower() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    return None


_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def weekday_date(text: str, article_date: str | None, *, future: bool = False) -> str | None:
    """'Tuesday' in an article dated 2026-01-20 -> 'January 20, 2026': news says the
    weekday for a day of the past week (or, ``future``, the coming one).

    >>> weekday_date("Tuesday", "2026-01-22"), weekday_date("on Friday", "2026-01-20", future=True)
    ('January 20, 2026', 'January 23, 2026')
    """
    day = fold_weekday(text)
    iso = iso_date(article_date)
    if day is None or iso is None:
        return None
    y, m, d = (int(p) for p in iso.split("-"))
    published = date(y, m, d)
    shift = (day - published.weekday()) % 7 if future else -((published.weekday() - day) % 7)
    when = published + timedelta(days=shift)
    return f"{MONTH_NAMES[when.month - 1]} {when.day}, {when.year}"


_DAY_OF_MONTH = re.compile(r"^(?:on\s+)?(?:([A-Za-z]+)\.? (\d{1,2})|(\d{1,2}) ([A-Za-z]+))$")


def with_year(text: str, article_date: str | None) -> str | None:
    """A day written without its year, with the year nearest the article's date:
    'Nov 15' in an article dated 2020-11-13 -> 'Nov 15, 2020'.

    >>> with_year("Nov 15", "2020-11-13"), with_year("January 5", "2025-12-20")
    ('Nov 15, 2020', 'January 5, 2026')
    >>> with_year("15 November", "2020-11-13"), with_year("November 15, 2020", "2020-11-13")
    ('15 November 2020', None)
    """
    m, iso = _DAY_OF_MONTH.match(text.strip()), iso_date(article_date)
    if not m or not iso:
        return None
    name, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    if name.lower() not in _MONTHS:
        return None
    y, mo, d = (int(p) for p in iso.split("-"))
    published, options = date(y, mo, d), []
    for year in (y - 1, y, y + 1):
        try:
            options.append(date(year, _MONTHS[name.lower()], int(day)))
        except ValueError:
            continue
    if not options:
        return None
    when = min(options, key=lambda o: abs((o - published).days))
    return f"{text.strip()}{',' if m.group(1) else ''} {when.year}"


def fold_weekday(text: str) -> int | None:
    """The weekday (0 = Monday) a short date span names, alone or after 'on'/'last'."""
    ws = re.findall(r"[a-z]+", text.lower())
    ws = [w for w in ws if w not in ("on", "last", "this", "early", "late")]
    return _WEEKDAYS.index(ws[0]) if len(ws) == 1 and ws[0] in _WEEKDAYS else None


_RELATIVE = re.compile(
    r"^(?:a|an|one|two|three|four|five|six|seven|\d{1,2}|the) (day|week|month|year)s? (later"
    r"|after|earlier|before)$",
    re.I,
)
_PREVIOUS = re.compile(r"^the (previous|next|following) (day|week|month|year)$", re.I)
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)(?: (\d{4}))?$")
_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "the": 1,  # 'the month before'
}


def shifted(base: str, relative: str) -> str | None:
    """The date a relative span means from a written one, as the base is written.

    >>> shifted("March 3", "a week later"), shifted("March 3, 2026", "two days earlier")
    ('March 10', 'March 1, 2026')
    >>> shifted("February 2026", "the month before"), shifted("December", "the next month")
    ('January 2026', 'January')
    >>> shifted("last year", "a week later") is None
    True
    """
    relative = _PREVIOUS.sub(
        lambda p: f"a {p.group(2)} {'earlier' if p.group(1).lower() == 'previous' else 'later'}",
        relative.strip(),
    )
    m, r = _WRITTEN.match(base.strip()), _RELATIVE.match(relative)
    if not r:
        return None
    word = relative.split()[0].lower()
    n = int(word) if word.isdigit() else _COUNTS[word]
    unit, sign = r.group(1).lower(), 1 if r.group(2).lower() in ("later", "after") else -1
    months = sign * n * (12 if unit == "year" else 1)  # for a month or year unit
    if not m:
        return _shifted_month(base.strip(), months) if unit in ("month", "year") else None
    if m.group(1).lower() not in _MONTHS:
        return None
    year = int(m.group(3)) if m.group(3) else 2001  # any non-leap year places the day
    try:
        start = date(year, _MONTHS[m.group(1).lower()], int(m.group(2)))
    except ValueError:
        return None
    if unit in ("month", "year"):
        index = start.month - 1 + months
        try:
            when = start.replace(year=start.year + index // 12, month=index % 12 + 1)
        except ValueError:  # 'March 31' a month earlier: no such day
            return None
    else:
        when = start + timedelta(days=sign * n * (7 if unit == "week" else 1))
    text = f"{MONTH_NAMES[when.month - 1]} {when.day}"
    return f"{text}, {when.year}" if m.group(3) else text


def _shifted_month(base: str, months: int) -> str | None:
    """'February 2026' a month earlier: 'January 2026'; a bare month keeps no year."""
    m = _MONTH_YEAR.match(base)
    if not m or m.group(1).lower() not in _MONTHS:
        return None
    index = _MONTHS[m.group(1).lower()] - 1 + months
    month = MONTH_NAMES[index % 12]
    return f"{month} {int(m.group(2)) + index // 12}" if m.group(2) else month

"""The short answer as the question asks it, where the candidate's own span says less:
the place a name locates for 'where' ('a sports hall in Brekke'), a count with what it
counts for 'how many' ('39 witnesses'), the people named together for 'who' ('Priya Anand
and chief technology officer Marcus Feld'), an amount with its rate ('€60 a day')."""

from __future__ import annotations

from rag.reader.candidates import PER_PERIOD, Candidate
from rag.reader.counts import with_counted_noun
from rag.reader.question import QuestionAnalysis
from rag.reader.spans import coordinated_names, located_phrase
from rag.reader.text import words
from rag.reader.types import TYPE_LABELS


def short_span(q: QuestionAnalysis, c: Candidate) -> tuple[int, int]:
    """Chunk offsets of the short answer for candidate ``c``."""
    if c.ctype == "place" and q.qtype == "where":
        return located_phrase(c.sentence, c.start, c.end)
    if c.ctype == "number" and q.qtype == "how_many":
        return c.start, with_counted_noun(c)
    if c.ctype == "person" and q.qtype == "who":
        asked = words(q.text)
        return coordinated_names(c.sentence, c.start, c.end, TYPE_LABELS["person"], asked)
    if c.ctype == "money":  # asked 'per day', the candidate is '€60'; it reads '€60 a day'
        rate = PER_PERIOD.match(c.sentence.ann.text, c.end)
        return c.start, rate.end() if rate else c.end
    return c.start, c.end

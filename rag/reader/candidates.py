"""Answer candidates: the spans of a sentence that could fill the question's answer type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.lexical import fold, stem
from rag.reader.misreads import in_score, misread
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.reasons import reason_spans
from rag.reader.spans import (
    ages,
    changed_value,
    locative_phrases,
    subtree,
    swallowed_names,
    with_place_noun,
)
from rag.reader.titles import posts, title_spans, without_names
from rag.reader.types import CLAUSE_TYPES, DURATION_UNITS, NAME_TYPES, TYPE_LABELS

_FULL_DATE = re.compile(r"\b\d{1,2}\b.*\b\d{4}\b|\b\d{4}\b.*\b\d{1,2}\b")
_MONTH_DAY = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\s+\d{1,2}\b"
)
_QUOTED = re.compile(r"[\"“]([^\"”]{2,60})[\"”]")
_FORMER = re.compile(
    r"\b(?:formerly|previously|former|ex-|once)\s+((?:the\s+)?[^,.;:()“”\"]{3,80})"
)
_DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty"
    r"|forty|sixty|ninety|a|an)[\s-]+(?:" + "|".join(sorted(DURATION_UNITS)) + r")\b"
    r"(?![\s-]old\b)(?!,?\s+(?:I|you|he|she|we|they)\b)",  # an age; 'one day I will'
    re.I,
)
_CURRENCY = frozenset("$€£¥")
_NOT_RATE = r"(?! (?:earlier|ago|later|before|after)\b)"  # '€173 million a year earlier'
PER_PERIOD = re.compile(rf" (?:a|per|each) (day|week|month|year|share)\b{_NOT_RATE}")
_CURRENCY_WORD = re.compile(
    r"\s+(?:crowns?|kronor|kroner|krona|euros?|dollars?|pounds?|francs?|yen|yuan|rupees?"
    r"|pesos?|rand|lira|zloty|forints?|dinars?|dirhams?|riyals?|shekels?|baht|ringgit)\b",
    re.I,
)
# A rate moved 'by two percentage points', '25 basis points', 'a quarter of a point'.
_POINTS = re.compile(r" (?:percentage|basis) points?\b")
_POINT_FRACTION = re.compile(
    r"\b(?:a|one|three) (?:quarter|half|third)s? of a (?:percentage )?point\b", re.I
)
# 'about 20 kilometres upstream of Kessby': where a place is, from another.
DISTANCE_FROM = re.compile(
    r"\b(?:(?:about|some|roughly|around|nearly|almost) )?\d[\d,.]* ?(?:kilometres|kilometers"
    r"|km|miles|metres|meters) (?:(?:north|south|east|west)(?:-?(?:east|west))?|upstream"
    r"|downstream|inland|outside|from|up the coast|down the coast)(?: of)? [A-Z][\w-]+"
)
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")  # 'a career-high 22nd', left unlabelled
# 'about a third of Estmark's vegetables': a share said as a fraction.
_FRACTION = re.compile(
    r"\b(?:(?:about|roughly|around|nearly|almost|more than|less than|over) )?"
    r"(?:(?:a|one|two|three) (?:third|quarter|fifth)s?|half|two-thirds|three-quarters)"
    r"(?= of\b)(?! of a (?:percentage )?point)",
    re.I,
)
_AGE_TAIL = re.compile(r"\s+to\s+\S+-year-old$")
# A scoreline or vote tally: '6-4, 6-7 (5), 6-3', '6-1'.
_SCORE = re.compile(
    r"(?<![\w-])\d{1,2}-\d{1,2}(?: \(\d{1,2}\))?(?:, \d{1,2}-\d{1,2}(?: \(\d{1,2}\))?)*(?![\w-])"
)
# 'Croatia 4-2': a score the entity recogniser ran into a name.
_TRAILING_SCORE = re.compile(r"(?<=[A-Za-z])\s+\d+(?:\s*[-–]\s*\d+)+$")


@dataclass(frozen=True)
class Candidate:
    """A span of a sentence that may be the answer."""

    sentence: Sentence
    start: int  # chunk-text offsets
    end: int
    ctype: str  # the answer type it fills
    exact: bool  # its entity label (or pattern) is the type's own, not a fallback
    tokens: tuple[int, ...]  # chunk token indices inside the span

    @property
    def text(self) -> str:
        """The candidate's surface text."""
        return self.sentence.ann.text[self.start : self.end]

    @property
    def key(self) -> str:
        """Normalised text: two mentions of one answer share it."""
        words = re.findall(r"\w+", fold(self.text))
        if words[:1] == ["the"]:
            words = words[1:]
        return " ".join(words)


def extract(question: QuestionAnalysis, sentence: Sentence) -> list[Candidate]:
    """Candidates of the question's expected types in one sentence."""
    if sentence.kind != "body":
        return []
    out: list[Candidate] = []
    for ctype in question.answer_types:
        out.extend(_of_type(question, sentence, ctype))
    seen: set[tuple[int, int]] = set()
    unique = []
    for c in out:
        if (c.start, c.end) not in seen and c.text.strip():
            seen.add((c.start, c.end))
            unique.append(c)
    return unique


def _pattern_spans(s: Sentence, pattern: re.Pattern[str], ctype: str) -> list[Candidate]:
    """Every match of a pattern in the sentence, as an exact candidate of the type."""
    return [
        _span(s, s.start + m.start(), s.start + m.end(), ctype, True)
        for m in pattern.finditer(s.text)
    ]


def _span(sentence: Sentence, start: int, end: int, ctype: str, exact: bool) -> Candidate:
    toks = tuple(i for i in sentence.tokens if start <= sentence.token(i).start < end)
    return Candidate(sentence, start, end, ctype, exact, toks)


def _of_type(q: QuestionAnalysis, s: Sentence, ctype: str) -> list[Candidate]:
    labels = TYPE_LABELS.get(ctype, frozenset())
    out = []
    for e in s.entities:
        if ctype == "money" and e.label == "CARDINAL":
            unit = _CURRENCY_WORD.match(s.ann.text, e.end)  # '850,000 crowns': no MONEY label
            if unit:
                out.append(_span(s, e.start, unit.end(), ctype, True))
            continue
        text = s.ann.text[e.start : e.end]
        if e.label not in labels and not misread(ctype, e.label, text):
            continue
        if ctype in ("number", "percent") and in_score(s.ann.text, e.start, e.end):
            continue  # '6' of '6-4': a score is no count
        if ctype == "duration" and not _DURATION.search(s.ann.text, e.start, e.end + 6):
            continue
        if ctype == "date" and _DURATION.search(text) and not _FULL_DATE.search(text):
            day = _MONTH_DAY.search(text)  # 'November 3 for eight months': the date in it
            if day:
                a = e.start + day.start()
                out.append(_span(s, a, a + len(day.group(0)), ctype, True))
            continue
        start, end = e.start, e.end
        if ctype == "money" and start > 0 and s.ann.text[start - 1] in _CURRENCY:
            start -= 1  # '€' left outside the entity: '540,000' is '€540,000'
        rate = PER_PERIOD.match(s.ann.text, e.end) if ctype == "money" else None
        if rate and rate.group(1) not in fold(q.text):  # asked 'per day': '€60' is the answer
            end = rate.end()  # '€55 million a day': the rate is part of the amount
        score = _TRAILING_SCORE.search(text) if ctype in NAME_TYPES else None
        if score:
            end = e.start + score.start()
        tail = _AGE_TAIL.search(text) if ctype == "date" else None
        if tail:  # 'June 30 to nine-year-old (mother Tasha)': the date ends at 'to'
            end = e.start + tail.start()
        if ctype == "place":
            end = with_place_noun(s, end)
        start, end = changed_value(s, start, end) or (start, end)
        if ctype in ("number", "percent"):  # 'two' of 'two percentage points' is no answer
            unit = _POINTS.match(s.ann.text, end)
            end = unit.end() if unit else end
        out.append(_span(s, start, end, ctype, True))
    if ctype in ("number", "percent"):  # 'a quarter of a percentage point': no entity
        out.extend(_pattern_spans(s, _POINT_FRACTION, ctype))
    if ctype == "percent":
        out.extend(_pattern_spans(s, _FRACTION, ctype))
    if ctype == "rank":
        out.extend(_pattern_spans(s, _ORDINAL, ctype))
    if ctype == "duration":
        out.extend(_pattern_spans(s, _DURATION, ctype))
    if ctype in NAME_TYPES:
        out.extend(_proper_runs(s, ctype))
    if ctype == "person":
        out.extend(_span(s, a, b, ctype, False) for a, b in swallowed_names(s))
    if ctype == "score":  # '6-4, 6-7 (5), 6-3', 'voted 6-1': no entity label says it
        out.extend(_pattern_spans(s, _SCORE, ctype))
    if ctype == "age":
        out.extend(_span(s, a, b, ctype, True) for a, b in ages(s))
    if ctype == "place":  # 'about 20 kilometres upstream of Kessby'
        out.extend(_pattern_spans(s, DISTANCE_FROM, ctype))
    if ctype == "place" and q.qtype == "where":  # the asked verb's own place phrase
        out.extend(_span(s, a, b, ctype, on) for a, b, on in locative_phrases(s, q.relation))
    if ctype == "work":
        for m in _QUOTED.finditer(s.text):
            out.append(_span(s, s.start + m.start(1), s.start + m.end(1), ctype, True))
    if ctype == "role":
        for m in _FORMER.finditer(s.text):
            a, b = s.start + m.start(), s.start + m.end(1)
            b = len(s.ann.text[: without_names(s, a, b)].rstrip())
            out.append(_span(s, a, b, ctype, True))
        out.extend(_span(s, a, b, ctype, True) for a, b in posts(q.entities, s))
    if ctype == "definition" and q.subject:
        spans = title_spans(q.subject, s, unlabelled=True, titles="role" in q.answer_types)
        out.extend(_span(s, a, b, "definition", True) for a, b in spans)
    if ctype == "reason":
        out.extend(_span(s, a, b, "reason", True) for a, b in reason_spans(s))
    if ctype == "statement":
        out.extend(_statements(s))
    if ctype in CLAUSE_TYPES:
        out.extend(_clauses(q, s, ctype))
    return out


def _clauses(q: QuestionAnalysis, s: Sentence, ctype: str) -> list[Candidate]:
    """What a descriptive question's predicate governs in the sentence ('diplomatic and
    consular ties' after 'restore'), and the sentence itself (its date header left out)."""
    start = max(s.start, s.header_end)
    out = [_span(s, start, s.end, ctype, False)]
    if ctype == "reason":
        return out  # what a verb governs is no reason; the markers find those
    relation = {stem(r) for r in (q.predicate, *q.relation) if r and r != q.focus}
    for i in s.tokens:  # 'What crimes': the noun phrase the focus heads, 'arms and drug crimes'
        if q.focus and s.lemma(i) == q.focus and s.token(i).pos == "NOUN":
            left = [j for j in subtree(s, i) if j <= i and s.token(j).pos != "PUNCT"]
            if len(left) >= 2:
                a, b = s.token(left[0]), s.token(i)
                out.append(_span(s, a.start, b.end, ctype, True))
            return out
    for i in reversed(s.tokens):  # the innermost verb: 'changed its law to allow [X]'
        if stem(s.lemma(i)) not in relation or s.token(i).pos != "VERB":
            continue
        right = [j for j in subtree(s, i) if j > i and s.token(j).pos != "PUNCT"]
        if len(right) >= 2:
            a, b = s.token(right[0]), s.token(right[-1])
            out.append(_span(s, a.start, b.end, ctype, True))
        break
    return out


def _proper_runs(s: Sentence, ctype: str) -> list[Candidate]:
    """Runs of capitalised proper nouns spaCy left unlabelled: a fallback name."""
    out = []
    run: list[int] = []
    for i in [*s.tokens, -1]:
        if i >= 0 and s.token(i).ent_iob == "O":
            # 'Toy Story 4': a number right after a name is part of it.
            if s.token(i).pos == "PROPN" or (run and s.token(i).pos == "NUM"):
                run.append(i)
                continue
        if run:
            a, b = s.token(run[0]), s.token(run[-1])
            out.append(_span(s, a.start, b.end, ctype, False))
        run = []
    # 'a quokka named Biscuit': the name after 'named', whatever label spaCy gave it.
    for i in s.tokens:
        if s.word(i) not in _NAMING:
            continue
        name = []
        for j in range(i + 1, min(i + 5, max(s.tokens) + 1)):
            if j not in s.tokens or s.token(j).pos != "PROPN":
                break
            name.append(j)
        if name:
            out.append(_span(s, s.token(name[0]).start, s.token(name[-1]).end, ctype, True))
    return out


_NAMING = frozenset("named called dubbed nicknamed".split())


_SAY = frozenset("say tell warn claim argue add state".split())


def _statements(s: Sentence) -> list[Candidate]:
    """What someone said: the clause a verb of saying governs, or a quotation."""
    out = []
    for i in s.tokens:
        if s.lemma(i) not in _SAY:
            continue
        kids = [j for j in s.tokens if s.token(j).head == i and s.token(j).dep == "ccomp"]
        for k in kids:
            span = subtree(s, k)
            a, b = s.token(span[0]), s.token(span[-1])
            out.append(_span(s, a.start, b.end, "statement", True))
    for m in _QUOTED.finditer(s.text):
        out.append(_span(s, s.start + m.start(), s.start + m.end(), "statement", False))
    return out

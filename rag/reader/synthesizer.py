"""The offline answerer: reads the passages and answers with the short answer span first."""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from typing import Protocol

from rag.lexical import fold
from rag.markers import REFUSAL, article_markers_as_text
from rag.models import Answer, Citation, Passage
from rag.reader.agents import with_antecedent
from rag.reader.candidates import Candidate
from rag.reader.dates import iso_date, weekday_date, with_year
from rag.reader.features import LogisticScorer
from rag.reader.passages import Annotates as PassageAnnotator
from rag.reader.passages import Sentence, read_passages
from rag.reader.phrases import RULE_THRESHOLD, RULED_TYPES
from rag.reader.question import Annotates as QuestionAnnotator
from rag.reader.question import QuestionAnalysis, analyse
from rag.reader.reading import Group, read
from rag.reader.scored import Scored
from rag.reader.short_answers import short_span
from rag.reader.text import said_polarity, tells_ahead
from rag.synthesis import History, stream_sentences

# Ends at a clause break, never inside a number ('Clara Obi, the roughly 3,400 members').
_APPOSITIVE = re.compile(
    r",\s*((?:formerly|former|previously|the|a|an)\b[^,;()]{3,70}?)(?=,\s|\.(?:\s|$)|;)"
)
_CONFLICT_TYPES = frozenset(
    "person organisation team place number money percent date duration work product".split()
)


class Annotator(PassageAnnotator, QuestionAnnotator, Protocol):
    """Parses questions and passages that carry no stored annotation."""


class ReadingSynthesizer:
    """Answers from annotated passages: typed candidates, constraints, calibrated refusal."""

    name = "reader"
    min_passages = 10  # weights.json was fitted on the top 10

    def __init__(
        self,
        annotator: Annotator,
        *,
        scorer: LogisticScorer | None = None,
        threshold: float | None = None,
        conflict_ratio: float = 0.8,
        evidence: bool = True,
    ) -> None:
        self.annotator = annotator
        self.scorer = scorer or LogisticScorer.load()
        self.threshold = self.scorer.threshold if threshold is None else threshold
        self.conflict_ratio = conflict_ratio
        self.evidence = evidence  # quote the answer's sentence after the short answer

    def analyse(self, question: str) -> QuestionAnalysis:
        """Question analysis (type, answer types, constraints, parts)."""
        return analyse(question, self.annotator)

    def answer(self, question: str, passages: Sequence[Passage]) -> Answer:
        """The answer, opening with the cited short answer; a refusal when nothing fits."""
        q = self.analyse(question)
        sentences = read_passages(passages, self.annotator)
        parts = q.parts or (q,)
        writer = _Writer(passages)
        answered = 0
        previous: Group | None = None
        for part in parts:
            if part.refers_back and previous is not None:
                part = with_antecedent(part, previous.best.candidate.text)
            groups = read(part, sentences, self.scorer)
            if groups and groups[0].probability >= self._threshold_for(groups[0]):
                answered += 1
                previous = groups[0]
                writer.answer(
                    part, groups[0], self._conflicts(groups), solo=len(parts) == 1 and self.evidence
                )
            else:
                writer.unsupported((part.shown or part.text) if len(parts) > 1 else "")
        if not answered:
            return Answer(text=REFUSAL, refused=True, answerer=self.name)
        return Answer(text=writer.text(), citations=writer.citations, answerer=self.name)

    def stream(
        self, question: str, standalone: str, history: History, passages: Sequence[Passage]
    ) -> Generator[str, None, Answer]:
        """The ``Synthesizer`` protocol: the answer to the standalone question, by sentence."""
        return (yield from stream_sentences(self.answer(standalone, passages)))

    def _threshold_for(self, g: Group) -> float:
        """The fitted threshold for scored answers; the rules' own for phrase answers."""
        return RULE_THRESHOLD if g.best.candidate.ctype in RULED_TYPES else self.threshold

    def _conflicts(self, groups: list[Group]) -> list[Group]:
        """Other answers of the same type from articles of other dates, close in score."""
        best = groups[0]
        b = best.best.candidate
        if b.ctype not in _CONFLICT_TYPES or not iso_date(b.sentence.date):
            return []
        out = []
        for g in groups[1:4]:
            c = g.best.candidate
            other = iso_date(c.sentence.date)
            if (
                c.ctype == b.ctype
                and other
                and other != iso_date(b.sentence.date)
                and g.probability >= self.conflict_ratio * best.probability
                and not _named_together(b, c)
                and not (best.best.vouched and not g.best.vouched)  # a rule's answer stands
            ):
                out.append(g)
        return out[:1]


def _named_together(best: Candidate, other: Candidate) -> bool:
    """True when the best answer's sentence names the other answer too: a report that
    names it and still gives its own ('certified Petrova as the winner, 54.1% to 45.9%
    for Reyland') is told against it, not in conflict with an earlier one."""
    return fold(other.text) in fold(best.sentence.text)


class _Writer:
    """Builds the answer text and its citations, numbering sentences by first use."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = passages
        self.parts: list[str] = []
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int], int] = {}
        self._said: list[tuple[str, int, int]] = []

    def cite(self, m: Scored, span: tuple[int, int], sentence: str) -> int:
        s = m.candidate.sentence
        chunk = self.passages[s.passage].chunk
        key = (chunk.doc_id, s.doc_start)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
            self.citations.append(
                Citation(
                    number=self._numbers[key],
                    doc_id=chunk.doc_id,
                    title=chunk.title,
                    date=chunk.date,
                    quote=s.text,
                    start=s.doc_start,
                    end=s.doc_end,
                    score=round(m.probability, 4),
                    supported=True,
                    sentence=sentence,
                    answer_start=chunk.start + span[0],
                    answer_end=chunk.start + span[1],
                )
            )
        return self._numbers[key]

    def answer(self, q: QuestionAnalysis, g: Group, conflicts: list[Group], *, solo: bool) -> None:
        m = _with_appositive(g)
        c = m.candidate
        s = c.sentence
        start, end = _display_span(*short_span(q, c), s.ann.text, s.end)
        doc = self.passages[s.passage].chunk.doc_id
        if any(d == doc and a <= start and end <= b for d, a, b in self._said):
            return  # already said inside an earlier part's answer
        self._said.append((doc, start, end))
        short = _dated(c) if (start, end) == (c.start, c.end) else _shown(s.ann.text[start:end])
        if conflicts:
            dated = sorted(
                [g, *conflicts],
                key=lambda x: iso_date(x.best.candidate.sentence.date) or "",
                reverse=True,
            )
            pieces = []
            for i, x in enumerate(dated):
                xc = x.best.candidate
                n = self.cite(x.best, (xc.start, xc.end), xc.text)
                when = xc.sentence.date
                lead = "according to the latest report" if i == 0 else "an earlier report said"
                pieces.append(f"{_dated(xc)} ({lead}, dated {when}) [{n}]")
            self.parts.append("; ".join(pieces) + ".")
            return
        if c.ctype == "yes_no":
            n = self.cite(m, (s.start, s.end), s.text)
            self.parts.append(f"{_polarity(s, q)} [{n}]. {_shown(s.text)} [{n}]")
            return
        n = self.cite(m, (start, end), short)
        self.parts.append(f"{short} [{n}].")
        if solo and len(short) < 0.6 * len(s.text):
            self.parts.append(f"{_shown(s.text)} [{n}]")

    def unsupported(self, part: str) -> None:
        self.parts.append(f"The articles do not say {_indirect(part)}." if part else REFUSAL)

    def text(self) -> str:
        return " ".join(self.parts)


_DENIALS = frozenset(
    "no not n't never neither nor deny denied denies refuse refused rule escaped avoided".split()
)


def _polarity(s: Sentence, q: QuestionAnalysis) -> str:
    """'No' when the evidence sentence negates the asked verb or says its opposite;
    without the verb, when it negates what it says ('would not challenge')."""
    said = said_polarity(s, q.predicate or "")
    negated = any(s.token(i).dep == "neg" or s.word(i) in _DENIALS for i in s.tokens)
    return said or ("No" if negated else "Yes")


_UNIT_ADJECTIVE = re.compile(r"(\d+|[A-Za-z]+)-(minute|hour|day|week|month|year)", re.I)


def _dated(c: Candidate) -> str:
    """A candidate as shown; a bare weekday, or a day without its year, gets the date it
    means in its article ('Tuesday (January 20, 2026)', 'Nov 15, 2020');
    a duration used as an adjective reads as one ('19-day' -> '19 days')."""
    shown = _shown(c.text)
    unit = _UNIT_ADJECTIVE.fullmatch(shown)
    if c.ctype == "duration" and unit:  # '19-day' (strike) -> '19 days'
        return f"{unit.group(1)} {unit.group(2)}s"
    if c.ctype not in ("date", "time"):
        return shown
    s = c.sentence
    when = weekday_date(c.text, s.date, future=tells_ahead(s, c.tokens))
    return f"{shown} ({when})" if when else with_year(shown, s.date) or shown


def _with_appositive(g: Group) -> Scored:
    """The group's best mention, or a nearly as good one that says more about it
    ('Delcy Rodríguez, formerly Maduro's vice president'), or names it in full ('Rafael
    Moreau' where the best says 'Moreau')."""
    best = g.best
    fuller = [
        m
        for m in g.mentions
        if m.probability >= 0.5 * best.probability
        and len(m.candidate.text) > len(best.candidate.text)
        and best.candidate.text in m.candidate.text
        and best.candidate.ctype == "person"
    ]
    if fuller:
        best = max(fuller, key=lambda m: m.probability)
    for m in g.mentions:
        c = m.candidate
        if m.probability >= 0.5 * g.best.probability:
            if _display_span(c.start, c.end, c.sentence.ann.text, c.sentence.end)[1] > c.end:
                return m
    return best


def _display_span(start: int, end: int, text: str, limit: int) -> tuple[int, int]:
    """Extend a name with its appositive: 'Delcy Rodríguez, formerly Maduro's vice president'."""
    m = _APPOSITIVE.match(text, end, limit)
    if m and len(m.group(1).split()) <= 8:
        return start, m.end(1)
    return start, end


def _shown(text: str) -> str:
    """Article text as shown in the answer: its own '[2]' would read as our marker;
    an answer span opens with a capital ('Formerly Maduro's vice president')."""
    shown = article_markers_as_text(text.strip().rstrip(".,;:"))
    return shown[:1].upper() + shown[1:]


_PARTICIPLE = re.compile(r"(?i)\w+(?:ed|en)\b")
_MODAL_FIRST = re.compile(
    r"(?i)^((?:\w+ )?(?:what|who|when|where|why|how \w+|which \w+))\s+(will|would|can|could"
    r"|should|has|have|had)\s+(\w+(?: \w+){0,2})\s+((?:be|have|been)\b.*)$"
)


def _indirect(part: str) -> str:
    """'what was her job before?' -> 'what her job was before'; a passive subject
    question keeps its order ('who was appointed mediator')."""
    p = part.strip().rstrip("?").strip()
    m = re.match(r"(?i)^(what|who|when|where|why|how \w+|which \w+)\s+(is|was|are|were)\s+(.+)$", p)
    passive = m and m[1].lower() in ("who", "what") and _PARTICIPLE.match(m[3])
    if m and not passive:
        return f"{m.group(1).lower()} {m.group(3)} {m.group(2)}"  # 'who her successor is'
    m = re.match(r"(?i)^(what|who|when|where|why|how \w+|which \w+)\s+(?:did|does|do)\s+(.+)$", p)
    if m:
        return f"{m.group(1).lower()} {m.group(2)}"
    m = _MODAL_FIRST.match(p)  # 'from where will staff be' -> 'from where staff will be'
    if m:
        return f"{m[1][:1].lower()}{m[1][1:]} {m[3]} {m[2]} {m[4]}"
    return p[:1].lower() + p[1:]

"""Constraint checks between a question and a sentence: years, ordinals, other things."""

from __future__ import annotations

import re

from rag.lexical import STOPWORDS, fold, stem
from rag.reader.candidates import Candidate
from rag.reader.dates import MONTH_NAMES
from rag.reader.passages import YEAR, Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.spans import as_complement, phrase_roots
from rag.reader.text import tree_distance, words
from rag.reader.types import FOCUS_TYPES

_ORDINALS = {
    w: i
    for i, w in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh"
        " twelfth".split()
    )
}


def _ordinal_value(text: str) -> int | None:
    """'tenth' -> 10, '92nd' -> 92, '4' -> 4."""
    t = fold(text).strip()
    if t in _ORDINALS:
        return _ORDINALS[t]
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", t)
    return int(m.group(1)) if m else None


_NAMED_NUMBER = re.compile(r"\b([A-Z][a-z]+) (\d{1,3})\b")


def _named_number_conflict(q: QuestionAnalysis, s: Sentence) -> bool:
    """'Terminal 2' asked, the sentence is about 'Terminal 3' (and not Terminal 2)."""
    said = fold(s.text)
    for name, number in _NAMED_NUMBER.findall(q.text):
        if name in MONTH_NAMES:
            continue  # 'September 16' is a date
        seen = set(re.findall(rf"\b{re.escape(fold(name))} (\d{{1,3}})\b", said))
        if seen and number not in seen:
            return True
    return False


def number_conflict(q: QuestionAnalysis, s: Sentence) -> bool:
    """The question asks about the 4th season, 92nd ceremony or Terminal 2; the sentence
    about another."""
    if _named_number_conflict(q, s):
        return True
    asked = {_ordinal_value(n) for n in q.numbers} - {None}
    if not asked:
        return False
    text = s.ann.text
    seen = {_ordinal_value(text[e.start : e.end]) for e in s.entities if e.label == "ORDINAL"}
    seen |= {int(m) for m in re.findall(r"\bseason (\d+)", fold(s.text))}
    seen -= {None}
    return bool(seen) and not (seen & asked)


_PLACING = re.compile(
    r"\b(?:came|come|comes|finished|finish|finishes|placed|place|ranked|rank|ended|end)"
    r" (first|second|third|fourth|fifth|last|runner-up)\b"
)


def placing_missing(q: QuestionAnalysis, s: Sentence) -> bool:
    """'Which candidate came third?' asks for the one placed third: a sentence that does
    not say 'third' (or '3rd') names someone, not the third."""
    m = _PLACING.search(fold(q.text))
    if not m:
        return False
    number = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th"}
    said = [m.group(1), number.get(m.group(1), m.group(1))]
    return not any(re.search(rf"\b{re.escape(w)}\b", fold(s.text)) for w in said)


_GENDERED = re.compile(r"\b(men|women)['’]s\b")
_GENDER_FOCUS = {"woman": "women", "man": "men"}  # 'Which woman won ...?'


def other_draw(q: QuestionAnalysis, s: Sentence) -> bool:
    """'the 2025 men's final' is not told by a sentence about the women's title (one
    that names the women's event and not the men's)."""
    asked = set(_GENDERED.findall(fold(q.text))) | {_GENDER_FOCUS.get(q.focus or "", "")} - {""}
    said = set(_GENDERED.findall(fold(s.text)))
    return len(asked) == 1 and bool(said) and not (said & asked)


def other_thing(
    q: QuestionAnalysis, s: Sentence, focus_tokens: set[int], own: set[int], q_stems: set[str]
) -> bool:
    """A different role or thing: 'Raiders president' for 'president of the NFL',
    'LEGO Foundation' for 'Lego'."""
    role = FOCUS_TYPES.get(q.focus or "", ("",))[0] == "person" and not _any_of_kind(q)
    end = max(own) if own else -1
    comma = next((i for i in s.tokens if i > end and s.word(i) == ","), None)
    near = [
        f
        for f in focus_tokens
        if tree_distance(s, sorted(own), {f}, limit=2) <= 2 or as_complement(s, own, f)
    ]
    if role and any(_of_another(s, f, q_stems) for f in near):
        return True  # 'president of an NFL team', 'a director of music videos'
    # Its compounds count only outside an appositive: there, another role, same person.
    linked = [f for f in near if not (comma == end + 1 and f > comma)]
    for f in linked if role else ():
        for i in s.tokens:
            t = s.token(i)
            if t.head == f and i not in own and t.dep in ("compound", "amod", "nmod"):
                if stem(s.word(i)) not in q_stems and t.pos in ("PROPN", "NOUN"):
                    return True
    # What a definition asks about is its subject: 'in the Calden hospital dispute' sets
    # the scene, and the 'Calden Hospitals Board' beside the answer is no offshoot of it.
    asked = (q.subject or "",) if q.qtype == "definition" else q.entities
    named = [set(ws) for e in asked if (ws := [w for w in words(e) if w not in _SKIP])]
    for e in s.entities:
        if e.label not in ("ORG", "EVENT", "PRODUCT", "FAC", "WORK_OF_ART"):
            continue
        ws = words(s.ann.text[e.start : e.end])
        for entity_words in named:
            if not entity_words <= set(ws):
                continue  # 'Calden Tennis Academy' is not a longer name of 'Calden Open'
            hits = [k for k, w in enumerate(ws) if w in entity_words]
            tail = ws[hits[-1] + 1 :]
            if tail[:1] == ["of"]:
                continue  # 'National Museum of Estmark': the same thing, its owner named
            # A part or offshoot named after the question's thing: 'LEGO Foundation', 'NFL
            # Players Association' (not 'Brightwell Systems', the same company's full name).
            if [w for w in tail if stem(w) not in q_stems and w in _OFFSHOOTS]:
                return True
    return False


def _of_another(s: Sentence, title: int, q_stems: set[str]) -> bool:
    """The title's 'of' names another thing than the asked one: a class ('of music
    videos') or a part of the asked thing ('of an NFL team'); 'of the film' may be it."""
    of = next((i for i in s.tokens if s.token(i).head == title and s.word(i) == "of"), None)
    obj = next((j for j in s.tokens if of is not None and s.token(j).head == of), None)
    if obj is None or s.token(obj).pos != "NOUN" or stem(s.lemma(obj)) in q_stems:
        return False
    plural = s.word(obj) != s.lemma(obj)
    part = any(
        s.token(i).head == obj
        and s.token(i).dep in ("compound", "amod")
        and stem(s.word(i)) in q_stems
        for i in s.tokens
    )
    return plural or part


def _any_of_kind(q: QuestionAnalysis) -> bool:
    """'Which professor led ...?' names no field or office, so 'physics professor' or
    'Justice Minister' is one; 'Which NFL president', 'the president of X' or 'Which
    actor won Best Actor' (the focus named twice) does."""
    focus = re.escape(q.focus or "")
    if len(re.findall(rf"(?i)\b{focus}s?\b", q.text)) != 1:
        return False
    return bool(re.search(rf"(?i)\b(?:which|what) {focus}s?\b(?! (?:of|at|for|in)\b)", q.text))


_SUFFIXES = frozenset("inc inc. corp co ltd llc plc group the s".split())
_SKIP = _SUFFIXES | STOPWORDS
_OFFSHOOTS = frozenset(
    "foundation association players union federation institute trust academy museum council"
    " league club committee board school university hospital team unit division subsidiary"
    " charity fund society party network studios records".split()
)


def conflicts_with_year(q: QuestionAnalysis, c: Candidate) -> bool:
    """True when the sentence dates itself to other years than the question asks about."""
    if not q.years:
        return False
    year = c.sentence.year
    # 'up from €2.9 million in 2024' dates the earlier figure, not '€480,000' after it.
    at = c.start - c.sentence.start
    dating = _COMPARED_YEAR.sub(
        lambda m: m[0] if m.start() <= at < m.end() else " ", c.sentence.text
    )
    # 'the first Estmark man to lift the trophy since 1998' does not date the final
    # (unless the question asks 'since 1998' too).
    dating = _SINCE_YEAR.sub(lambda m: m[0] if m[1] in q.years else " ", dating)
    sent_years = set(YEAR.findall(dating)) - set(YEAR.findall(c.text))
    if sent_years:  # 'this year's prize money, up from €2.9 million in 2024' names 2025 too
        sent_years |= _relative_years(c.sentence.text, year, possessive=True)
        return not (sent_years & set(q.years))
    month = month_match(q.text, c.sentence)
    if month is not None:
        return not month
    # An undated sentence tells of its article's year ('won the title on Saturday'), or
    # maybe of the last year its paragraph named before it ('In 2024 she ... She beat');
    # a year named elsewhere in the passage ('in the 2025 final') dates other sentences.
    if not year:
        return False
    context = _paragraph_before(c.sentence)
    named = YEAR.findall(context)[-1:] or sorted(_relative_years(context, year))
    told = {year, *named} | _relative_years(c.sentence.text, year)
    if _DEFENDING.search(fold(c.sentence.ann.text[c.sentence.start : c.start])):
        told.add(str(int(year) - 1))
    return not (told & set(q.years))


def _paragraph_before(s: Sentence) -> str:
    """The text of the sentence's paragraph before it (the chunk text from the last line
    break)."""
    before = s.ann.text[: s.start]
    return before[before.rfind("\n") + 1 :]


_COMPARED_YEAR = re.compile(
    r"\b(?:up|down|rising|falling|compared)\s+(?:from|with)\s+[^,;]{0,40}?\bin\s+(?:1[89]|20)\d\d\b"
)
_SINCE_YEAR = re.compile(r"\bsince (?:\w+ )?(1[89]\d\d|20[0-4]\d)\b")
_RELATIVE = {"last year": -1, "this year": 0, "next year": 1}
# 'Defending men's champion Joaquin Ferro' in a 2025 article won in 2024.
_DEFENDING = re.compile(
    r"\b(?:(?:defending|reigning) (?:\w+['’]s )?(?:champion|title holder)|title holder,?) $"
)


def _relative_years(text: str, year: str | None, *, possessive: bool = False) -> set[str]:
    """'last year' in an article of 2025 is 2024; 'last year's final' dates the final,
    not what the sentence tells ('won ..., in a rematch of last year's final'), unless
    ``possessive``."""
    if not year:
        return set()
    low = fold(text)
    tail = r"\b" if possessive else r"\b(?!['’]s)"
    return {
        str(int(year) + d)
        for phrase, d in _RELATIVE.items()
        if re.search(rf"\b{phrase}{tail}", low)
    }


_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_YEAR = re.compile(rf"\b({'|'.join(_MONTHS)})\s+(\d{{4}})\b")
_MONTH_MENTION = re.compile(rf"\b({'|'.join(_MONTHS)})\b(?:\s+\d{{1,2}})?(?:,?\s+(\d{{4}}))?")


def month_match(question: str, s: Sentence) -> bool | None:
    """True when the sentence names the month and year the question asks about ('January
    2025'), False when it names that month of another year, None when it does not say.
    A month without a year is the article's latest such month: January in a March 2026
    article is January 2026."""
    asked = set(_MONTH_YEAR.findall(fold(question)))
    mentions = _MONTH_MENTION.findall(fold(s.text))
    if not asked or not {m for m, _ in mentions} & {m for m, _ in asked}:
        return None
    date = s.date if s.date and re.match(r"\d{4}-\d\d", s.date) else None
    for m, y in mentions:
        if not y and date:
            month = _MONTHS.index(m) + 1
            y = str(int(date[:4]) - (1 if month > int(date[5:7]) else 0))
        if (m, y) in asked:
            return True
    return False


def month_conflict(question: str, s: Sentence) -> bool:
    """The question's month and year are not the sentence's (see ``month_match``)."""
    return month_match(question, s) is False


_ASKS_FACT = re.compile(r"\b(?:did|was|were|had)\b")
_ASKS_PLAN = re.compile(
    r"\b(?:will|would|expect\w*|plan\w*|due|forecast\w*|schedul\w*|should|going to|project\w*"
    r"|aim\w*|hope\w*|promis\w*|pledg\w*|intend\w*|predict\w*|target\w*|suppos\w*)\b"
)
_PLAN_VERBS = frozenset("expect plan forecast project aim hope intend predict schedule".split())


def only_expected(q: QuestionAnalysis, c: Candidate) -> bool:
    """True when the question asks what happened and the candidate is only what someone
    expected or planned: 'Halvard expects the backlog to be cleared by mid-November'
    does not say when it was cleared."""
    text = q.text.lower()
    if not _ASKS_FACT.search(text) or _ASKS_PLAN.search(text):
        return False
    s = c.sentence
    roots = phrase_roots(s, c.tokens)
    if not roots:
        return False
    node = roots[0]
    for _ in range(6):
        tok = s.token(node)
        if s.lemma(node) in _PLAN_VERBS and tok.pos == "VERB":
            return True
        if tok.head == node or tok.head not in s.tokens:
            return False
        node = tok.head
    return False

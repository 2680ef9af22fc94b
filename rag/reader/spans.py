"""Answer spans the entity recogniser misses or cuts wrong, as chunk-text offsets:
a person's name inside a longer entity, a place with the noun it names, an age."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from rag.reader.passages import Sentence

# 'Obi, 68, served ...': an age in commas right after a name; '68-year-old'; 'aged 68'.
_AGE = re.compile(
    r"(?<=[^\W\d_]), (\d{1,3}),"
    r"|\b(\d{1,3})-year-old\b"
    r"|\baged (\d{1,3})\b"
    r"|\b(\d{1,3}) years old\b"
)


def with_place_noun(s: Sentence, end: int) -> int:
    """'arraign them in Manhattan court': a place name that modifies the noun after it
    answers 'where' with that noun, which is what the verb's phrase is about."""
    last = next((i for i in s.tokens if s.token(i).end == end), None)
    if last is None or s.token(last).dep != "compound" or s.token(last).head != last + 1:
        return end
    head = s.token(last + 1)
    return head.end if head.pos == "NOUN" and head.end <= s.end else end


_WITHIN = frozenset("in on at near outside inside".split())


def _tokens_within(s: Sentence, start: int, end: int) -> list[int]:
    """The sentence's tokens inside chunk offsets start..end."""
    return [i for i in s.tokens if start <= s.token(i).start and s.token(i).end <= end]


def _one_root(s: Sentence, own: Sequence[int]) -> int | None:
    """The root of the phrase ``own`` (token indices), when it is one phrase."""
    roots = phrase_roots(s, own) if own else []
    return roots[0] if len(roots) == 1 else None


def located_phrase(s: Sentence, start: int, end: int) -> tuple[int, int]:
    """The place a place name locates, where the verb's action happens: 'spent the night
    in a sports hall in Brekke', 'broke out in a fourth-floor flat on Quay Street', 'came
    from a zoo in Tarsany'. 'Brekke' alone answers a 'where' question less than asked.
    The name's own span where it locates nothing."""
    root = _one_root(s, _tokens_within(s, start, end))
    if root is None or s.token(root).dep != "pobj":
        return start, end
    prep = s.token(root).head
    noun = s.token(prep).head
    outer = s.token(noun).head
    located = s.word(prep) in _WITHIN and s.token(prep).dep == "prep"
    if not located or s.token(noun).pos == "PROPN" or s.token(noun).dep != "pobj":
        return start, end
    if s.word(outer) not in _LOCATIVE or s.token(s.token(outer).head).pos not in ("VERB", "AUX"):
        return start, end
    span = subtree(s, noun)
    clauses = [subtree(s, j)[0] for j in span if s.token(j).dep in ("relcl", "acl")]
    cut = min([j for j in span if s.word(j) in ",;("] + clauses, default=None)
    span = [j for j in span if cut is None or j < cut]
    return min(start, s.token(span[0]).start), max(end, s.token(span[-1]).end)


def coordinated_names(
    s: Sentence, start: int, end: int, labels: Collection[str], asked: Collection[str]
) -> tuple[int, int]:
    """The names a name is coordinated with, as one answer: 'founded ... by chief executive
    Priya Anand and chief technology officer Marcus Feld' answers 'Who founded Lumora?'
    with both. Not when the question names one of them ('Who will face Petrova?'), nor
    where the parse coordinates something other than names of the same kind."""
    own = _tokens_within(s, start, end)
    head = _one_root(s, own)
    if head is None:
        return start, end
    while s.token(head).dep == "conj" and s.token(head).head != head:
        head = s.token(head).head
    members = [head]
    for j in s.tokens:  # the chain in order: each conjunct hangs on an earlier one
        if s.token(j).dep == "conj" and s.token(j).head in members:
            members.append(j)
    spans = []
    for m in members:
        if s.token(m).pos == "NOUN":  # '... and chief technology officer, Marcus Feld'
            m = next((j for j in s.tokens if s.token(j).head == m and s.token(j).dep == "appos"), m)
        name = next((e for e in s.entities if e.start <= s.token(m).start < e.end), None)
        if name is None or name.label not in labels or s.token(m).pos != "PROPN":
            return start, end
        if m not in own and set(s.ann.text[name.start : name.end].lower().split()) & set(asked):
            return start, end
        spans.append((name.start, name.end))
    if len(spans) < 2:
        return start, end
    return min(a for a, _ in spans), max(b for _, b in spans)


def phrase_roots(s: Sentence, tokens: Sequence[int]) -> list[int]:
    """The tokens of a span whose head lies outside it: one for a whole phrase."""
    inside = set(tokens)
    return [i for i in tokens if s.token(i).head not in inside or s.token(i).head == i]


def swallowed_names(s: Sentence) -> list[tuple[int, int]]:
    """A person's name inside a longer entity that spans two phrases: spaCy reads 'US
    Secretary of the Interior Doug Burgum told' as the organisation 'the Interior Doug
    Burgum', but 'Doug Burgum' heads a phrase of its own (the subject of 'told')."""
    out = []
    for e in s.entities:
        if e.label == "PERSON":
            continue
        inside = [i for i in s.tokens if e.start <= s.token(i).start < e.end]
        roots = phrase_roots(s, inside)
        for r in roots[1:]:
            run = [r]
            while run[0] - 1 in inside and s.token(run[0] - 1).dep == "compound":
                run.insert(0, run[0] - 1)
            if len(run) >= 2 and all(s.token(i).pos == "PROPN" for i in run):
                out.append((s.token(run[0]).start, s.token(r).end))
    return out


def ages(s: Sentence) -> list[tuple[int, int]]:
    """Ages a sentence states: the number of 'Obi, 68,', '68-year-old', 'aged 68'."""
    out = []
    for m in _AGE.finditer(s.text):
        group = next(g for g in range(1, 5) if m.group(g))
        out.append((s.start + m.start(group), s.start + m.end(group)))
    return out


def age_of(s: Sentence, start: int) -> str | None:
    """The words right before an appositive age ('Obi' of 'Obi, 68,'): whose age it is."""
    before = s.ann.text[s.start : start]
    m = re.search(r"([^\W\d_][\w'’-]*), $", before)
    return m.group(1) if m else None


_LOCATIVE = frozenset(
    "at in into to near outside inside from toward towards upstream downstream".split()
)


def locative_phrases(s: Sentence, asked: Collection[str]) -> list[tuple[int, int, bool]]:
    """Where a verb's action happens or goes, as the sentence says it: 'diverting cargo to
    the port of Grenholm', 'told reporters at the gates of Terminal 1'. The object of a
    place preposition on a verb, when it holds a name, or on an ``asked`` verb when it is
    no time ('were found alive in a flooded tunnel'); cut at a comma. With whether the
    verb is an asked one."""
    out = []
    for i in s.tokens:
        t = s.token(i)
        if t.dep != "prep" or s.word(i) not in _LOCATIVE or s.token(t.head).pos != "VERB":
            continue
        obj = next((j for j in s.tokens if s.token(j).head == i and s.token(j).dep == "pobj"), None)
        if obj is None:
            continue
        span = subtree(s, obj)
        comma = next((j for j in span if s.word(j) in ",;" or j > obj and _timed(s, j)), None)
        span = [j for j in span if comma is None or j < comma]
        while span and s.token(span[-1]).pos in ("ADV", "ADP", "CCONJ"):
            span.pop()  # 'a side tunnel early (on Thursday)'
        named = any(s.token(j).pos == "PROPN" for j in span)
        on_asked = s.lemma(t.head) in asked
        unnamed_place = s.word(i) in _WITHIN and _no_time(s, obj)  # not 'heard from witnesses'
        if span and (named or on_asked and unnamed_place):
            out.append((s.token(span[0]).start, s.token(span[-1]).end, on_asked))
    return out


_TIME_NOUNS = frozenset("time moment day night morning evening week month year hour".split())


def _no_time(s: Sentence, noun: int) -> bool:
    """A common noun that names no time: 'a flooded tunnel', not 'the night'."""
    return s.token(noun).pos == "NOUN" and s.lemma(noun) not in _TIME_NOUNS and not _timed(s, noun)


def _timed(s: Sentence, i: int) -> bool:
    """The token is part of a date or time: 'the next day', 'on Thursday'."""
    start = s.token(i).start
    return any(e.label in ("DATE", "TIME") and e.start <= start < e.end for e in s.entities)


def subtree(s: Sentence, root: int) -> list[int]:
    """Token indices under ``root`` (inclusive) within the sentence, in order."""
    inside = set(s.tokens)
    keep = {root}
    changed = True
    while changed:
        changed = False
        for i in inside - keep:
            if s.token(i).head in keep and s.token(i).head != i:
                keep.add(i)
                changed = True
    return sorted(keep)


# 'raising the total from €1.2 million to €1.65 million': one entity for two values.
_CHANGE = re.compile(r"(.+?)\s+to\s+(.+)")
CHANGING = frozenset(
    "raise lift increase rise grow climb jump widen extend cut lower reduce fall drop"
    " shrink revise correct change move shift postpone delay reschedule bring push".split()
)


def changed_value(s: Sentence, start: int, end: int) -> tuple[int, int] | None:
    """The new value of an entity that tells a change, '(raised) from X to Y': the span
    of Y. A period ('served from 2019 to 2023') or a range without 'from' stays whole;
    the old value answers nothing on its own (what was changed is the news)."""
    m = _CHANGE.fullmatch(s.ann.text, start, end)
    before = next((i for i in s.tokens if s.token(i).end == start - 1), None)
    if m is None or before is None or s.word(before) != "from":
        return None
    heads, i = [], before
    for _ in range(3):  # 'raising the total bribes alleged from': 'from' hangs on 'alleged'
        i = s.token(i).head
        heads.append(s.lemma(i))
    return (m.start(2), m.end(2)) if CHANGING.intersection(heads) else None


def as_complement(s: Sentence, own: Collection[int], noun: int) -> bool:
    """The noun is the post an 'as' gives the candidate: 'hired Sandra Douglass Morgan as
    their new team president', 'was named as chief executive'."""
    t = s.token(noun)
    if t.dep != "pobj" or s.word(t.head) != "as":
        return False
    verb = s.token(t.head).head
    return any(s.token(i).head == verb and s.token(i).dep in ("dobj", "nsubjpass") for i in own)

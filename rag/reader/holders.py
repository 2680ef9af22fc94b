"""Who holds the asked post: 'Who runs Bluewater Lines?' is answered by 'Bluewater chief
executive Annika Sorel', 'Lars Dunmore, chair of the Supporters' Trust' and 'Northlight
... is led by Victor Amsel'. The post and the body it heads sit right by the name, so
the sentence need not repeat the question's verb; no fitted feature says as much, so a
holder of the asked post earns a floor (``floors.py``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.lexical import STOPWORDS, fold, stem
from rag.reader.candidates import Candidate
from rag.reader.passages import Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.scored import Scored
from rag.reader.spans import subtree
from rag.reader.text import words
from rag.reader.types import NEGATIVE_CUES, TYPE_LABELS

# Verbs that ask for the holder of a post, and the posts that answer them.
LEADING = frozenset("head lead run chair manage direct helm".split())
POSTS = frozenset(
    "head leader chief executive ceo chair chairman chairwoman chairperson president"
    " director boss manager secretary general governor commissioner".split()
)
# What a group's own person is called in a title: 'Green Harbour candidate Amira Castell'.
_MEMBERS = frozenset(
    "candidate member leader lawmaker politician mp mep senator deputy councillor activist"
    " spokesman spokeswoman chairman chair player striker captain coach nominee".split()
)
_SECOND = re.compile(r"(?i)\b(?:deputy|vice|assistant|associate)\b")
_ANY_POST = frozenset("head leader boss".split())
_THEIR_POST = re.compile(rf"(?i)\b(?:its|his|her|their)\s+(?:\w+\s+)?({'|'.join(POSTS)})\b")
_POST_STEMS = frozenset(stem(w) for w in POSTS | LEADING)
_NAME_RUN = frozenset("PROPN NOUN ADJ PART PUNCT".split())
# What news calls the same kind of body: 'the investor group' is 'an investment consortium'.
_BODIES = tuple(
    frozenset(stem(w) for w in same.split()) for same in ("group consortium", "investor investment")
)
_BELOW_HOLDER = 0.9  # a person with no post of the asked body ranks this far below its holder


def held_words(q: QuestionAnalysis) -> frozenset[str]:
    """Stems of the body whose head a question asks for ('Bluewater Lines', 'the fans'
    trust'); empty when the question asks for no post holder."""
    if "person" not in q.answer_types:
        return frozenset()
    # 'Who is the CEO of X?' the fitted scorer knows; 'Who is the head of X?' names no post.
    if q.predicate not in LEADING and not (q.predicate is None and q.focus in _ANY_POST):
        return frozenset()
    if _SECOND.search(q.text):
        return frozenset()  # 'the deputy head': not whoever holds the top post
    skip = LEADING | POSTS | {q.predicate, q.focus}
    held = {stem(t) for t in q.terms if t not in skip and t not in STOPWORDS}
    return frozenset(held | _acronyms(q)) if held else frozenset()


def named_body(q: QuestionAnalysis) -> frozenset[str]:
    """Stems of the names among the held words: 'Bluewater', not 'trust'."""
    names = {stem(w) for e in q.entities for w in words(e)} | _acronyms(q)
    return frozenset(names) & held_words(q)


def _acronyms(q: QuestionAnalysis) -> set[str]:
    """The initials of the question's names of three words or more, as a title writes
    them: 'PDU general secretary Marta Quell' heads the Portvale Dockworkers' Union.

    >>> from types import SimpleNamespace as Q
    >>> sorted(_acronyms(Q(entities=("the Portvale Dockworkers' Union", "Ana Petrova"))))
    ['pdu']
    """
    out = set()
    for entity in q.entities:
        capitals = [w for w in entity.split() if w[:1].isupper()]
        if len(capitals) >= 3:
            out.add("".join(w[0] for w in capitals).lower())
    return out


def post_words(held: frozenset[str], c: Candidate) -> frozenset[str]:
    """The held words the person candidate's own post names beside a post word: in a
    title before the name, an appositive around it, or the subject of 'led by'."""
    if c.ctype != "person" or not c.tokens or not held:
        return frozenset()
    s = c.sentence
    out: set[str] = set()
    for segment in _standing_posts(s, c.tokens):
        stems = {stem(fold(s.word(i))) for i in segment} | {stem(s.lemma(i)) for i in segment}
        if stems & _POST_STEMS:
            stems |= {w for same in _BODIES if stems & same for w in same}
            if {"its", "their"} & {s.word(i) for i in segment}:
                stems |= _previous_subject(s)  # 'Its director, Ingrid Mahler,'
            out |= stems & held
    return frozenset(out)


def _previous_subject(s: Sentence) -> set[str]:
    """Stems of the previous sentence's subject, which a post's 'its' names: 'The Consumer
    Safety Authority has ordered Kestrel to stop ... Its director, Ingrid Mahler, said'."""
    before = [(a, b) for a, b in s.ann.sentences if b <= s.start]
    if not before:
        return set()
    a, b = before[-1]
    toks = s.ann.tokens
    inside = [i for i, t in enumerate(toks) if a <= t.start < b]
    subject = next(
        (i for i in inside if toks[i].dep == "nsubj" and toks[toks[i].head].dep == "ROOT"), None
    )
    if subject is None:
        return set()
    words_of = [
        i for i in inside if i == subject or toks[i].head == subject and toks[i].dep == "compound"
    ]
    return {stem(s.lemma(i)) for i in words_of} | {stem(fold(s.word(i))) for i in words_of}


def holders_first(q: QuestionAnalysis, scored: Sequence[Scored], threshold: float) -> list[Scored]:
    """Where someone's post names the asked body ('Commission chair Margit Olsen' for
    'Who is the head of Brenholm's election commission?'), a person whose sentence names
    no post of it ranks below that holder: one with no post ('Dahlmann ... 33.1%'), the
    post of another body ('Elin Brandt, the club's chairwoman' for the investor group's
    head) or a post of no body ('chairwoman Elin Brandt'). The holder must be an answer
    itself (``threshold``), not a 'chief economist at Nordhavn Bank' the question's 'bank'
    brought in."""
    held = held_words(q)
    if not held:
        return list(scored)
    posts = [post_words(held, x.candidate) for x in scored]
    pairs = list(zip(scored, posts, strict=True))
    holders = [x.probability for x, post in pairs if post and x.probability >= threshold]
    if not holders:
        return list(scored)
    below = max(holders) * _BELOW_HOLDER
    return [
        replace(x, probability=min(x.probability, below))
        if x.candidate.ctype == "person" and not post
        else x
        for x, post in pairs
    ]


def titled_as(kind: str | None, c: Candidate, modifiers: frozenset[str] = frozenset()) -> bool:
    """The person's own title or appositive names the asked kind of person: 'Justice
    Minister Carla Wendt' for 'Which minister ...?', 'physics professor Helena Ravik';
    with ``modifiers`` (stems), the same title says them too: 'Fire chief Rolf Hagen' for
    'Which fire chief ...?'."""
    if not kind or c.ctype != "person" or not c.tokens:
        return False
    s = c.sentence
    return any(
        {stem(kind), *modifiers}
        <= {stem(s.lemma(i)) for i in segment} | {stem(fold(s.word(i))) for i in segment}
        for segment in _standing_posts(s, c.tokens)
    )


def other_post_holder(q: QuestionAnalysis, c: Candidate) -> bool:
    """The person is the holder of a post the question names as someone else: 'Gunnar
    Pell, the authority's director' for 'Who ran the authority while its director
    stepped aside?'."""
    if q.qtype != "who" or c.ctype != "person" or not c.tokens:
        return False
    named = {m.group(1).lower() for m in _THEIR_POST.finditer(q.text)}  # 'its director'
    if not named:
        return False
    s = c.sentence
    return any(named & {s.lemma(i) for i in segment} for segment in _posts_by_name(s, c.tokens))


def _standing_posts(s: Sentence, name: Sequence[int]) -> list[list[int]]:
    """The runs that may give the person's post, without those of a post left ('former
    CEO of Google')."""
    return [
        segment
        for segment in _posts_by_name(s, name)
        if not {fold(s.word(i)) for i in segment} & NEGATIVE_CUES
    ]


def _posts_by_name(s: Sentence, name: Sequence[int]) -> list[list[int]]:
    """Token runs that may give the named person's post."""
    toks = s.ann.tokens
    first, last = name[0], name[-1]
    out = []
    before: list[int] = []  # 'Bluewater chief executive Annika Sorel'
    for i in range(first - 1, max(first - 8, -1), -1):
        if i not in s.tokens or toks[i].pos not in _NAME_RUN or s.word(i) in ",-":
            break
        before.insert(0, i)
    out.append(before)
    after = [i for i in s.tokens if i > last][:14]  # 'Lars Dunmore, chair of the Trust,'
    while after and s.word(after[0]) == ",":
        segment = []
        for i in after[1:]:
            if s.word(i) in (",", ".", ";", "("):
                break
            segment.append(i)
        if not all(toks[i].pos == "NUM" for i in segment):  # 'Elin Brandt, 69, the ...'
            out.append(segment)
            break
        after = after[len(segment) + 1 :]
    root = next((i for i in name if toks[i].head not in name or toks[i].head == i), last)
    head = toks[root].head
    if toks[root].dep == "appos" and head < first:  # 'The trust's chair, Lars Dunmore'
        out.append([i for i in subtree(s, head) if i < first])
    if toks[root].dep == "pobj" and s.word(head) == "by":  # 'is led by Victor Amsel'
        verb = toks[head].head
        if fold(s.lemma(verb)) in LEADING:
            done_to = [j for j in s.tokens if toks[j].head == verb and toks[j].dep == "nsubjpass"]
            out.extend([[*_name_of(s, j), head, verb] for j in done_to])
    return out


def _name_of(s: Sentence, head: int) -> list[int]:
    """A noun with its compounds and its appositive's ('Northlight Sports Partners, a
    ... investment consortium that ...'), not the clauses that describe it."""
    toks = s.ann.tokens
    heads = [head, *(j for j in s.tokens if toks[j].head == head and toks[j].dep == "appos")]
    return [
        j
        for j in s.tokens
        for h in heads
        if j == h or toks[j].head == h and toks[j].dep == "compound"
    ]


def affiliated(surnames: frozenset[str], c: Candidate) -> bool:
    """The candidate names the group of a person the question names, in the title
    before the name ('Green Harbour candidate Amira Castell') or after 'of' ('Amira
    Castell of Green Harbour')."""
    own = set(c.tokens)
    if not own or not surnames:
        return False
    s = c.sentence
    places = TYPE_LABELS["place"]
    if any(e.label in places and e.start < c.end and c.start < e.end for e in s.entities):
        return False  # 'Calden mayor Tomas Reyland', 'Sofia Lindahl of Sweden'
    for i in s.tokens:
        if s.word(i) not in surnames or i in own:
            continue
        first = i
        while first - 1 in s.tokens and s.token(first - 1).pos == "PROPN" and first - 1 not in own:
            first -= 1
        title = _posts_by_name(s, [first, i])[0]
        if own <= set(title) and title[-1] > max(own) and s.lemma(max(own) + 1) in _MEMBERS:
            return True
        after = [j for j in s.tokens if j > i][:2]
        if after and s.word(after[0]) == "of" and min(own) in {j + 1 for j in after}:
            return True
    return False

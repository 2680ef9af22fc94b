"""Titles and posts around a person's name, as chunk-text spans: 'former President
Nicolás Maduro', 'Oskar Halme, a former deputy governor of the bank', 'Helga Sorn ...
becomes minister for climate and energy'."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.annotate import Entity
from rag.lexical import fold
from rag.reader.passages import Sentence
from rag.reader.spans import subtree
from rag.reader.text import words

# Used with match(text, pos): no '^', which would only match at the text's very start.
_APPOSITIVE = re.compile(r"\s*,\s*((?:the|a|an|who|formerly|former)\b[^,;()]{3,150}?)(?=,|\.|;|$)")
_TITLE_RUN = frozenset("PROPN NOUN ADJ NUM ADP DET CCONJ".split())
TITLE_WORDS = frozenset(
    "president vice acting interim former prime minister secretary ceo chief executive leader"
    " chairman director governor senator general king queen foreign opposition deputy winner"
    " mayor founder head justice judge professional".split()
)
# 'X becomes / was named / was appointed / will serve as / worked as <post>'.
_BECOME = frozenset("become name appoint elect serve work".split())


def title_spans(
    subject: str,
    s: Sentence,
    *,
    appositives: bool = True,
    unlabelled: bool = False,
    titles: bool = True,
) -> list[tuple[int, int]]:
    """'Acting President Delcy Rodríguez, formerly Maduro's vice president': the
    appositive after a mention of the subject, and its title words with the name.
    ``unlabelled``: the subject's own words count as a mention where the entity
    recogniser saw none ('The Osmeran Mines Inspectorate, the state body that ...').
    ``titles=False``: a thing has no title ('the winner of the presidential runoff' does
    not say what a runoff is)."""
    out = []
    text = s.ann.text
    key = fold(subject).split()[-1] if subject.split() else ""
    first_word = fold(subject).split()[0] if subject.split() else ""
    said = _unlabelled(subject, s) if unlabelled else []
    if unlabelled:
        out.extend(expansions(subject, s))
    for e in [*s.entities, *said]:
        mention = fold(text[e.start : e.end])
        if key not in mention.split():
            continue
        start = e.start
        if e.label not in ("PERSON", "ORG"):
            # A name swallowed by a longer entity: 'Nobel Peace Prize María Corina Machado'.
            inside = [i for i in s.tokens if e.start <= s.token(i).start < e.end]
            name = next((i for i in inside if s.word(i) == first_word), None)
            if name is None or s.token(name).pos != "PROPN":
                continue
            start = s.token(name).start
        m = _APPOSITIVE.match(text, e.end, s.end) if appositives else None
        # The parser often hangs an appositive after a common noun on the wrong noun
        # ('lead to thermal runaway, a chain reaction in which ...'): right after the
        # words themselves, any appositive does.
        if m and _describes(s, m.start(1), m.end(1), (start, e.end), anywhere=e in said):
            out.append((m.start(1), m.end(1)))
        # Title words right before the name: "former President Nicolás Maduro", "top
        # opposition leader and winner of the 2025 Nobel Peace Prize María Corina Machado".
        before = [i for i in s.tokens if s.token(i).end <= start]
        run: list[int] = []
        for i in reversed(before):
            if s.token(i).pos not in _TITLE_RUN or len(run) >= 14:
                break
            run.insert(0, i)
        first = next((k for k, i in enumerate(run) if s.lemma(i) in TITLE_WORDS), None)
        title = run[first:] if first is not None else []
        while first and s.token(run[first - 1]).pos in ("ADJ", "NOUN"):
            first -= 1  # 'top opposition leader'
            title = run[first:]
        if title and titles:
            out.append((s.token(title[0]).start, e.end))
    return out


def expansions(acronym: str, s: Sentence) -> list[tuple[int, int]]:
    """The name an acronym stands for where the sentence spells it out before it."""
    return [(s.start + a, s.start + b) for a, b in spelled_out(acronym, s.text)]


def spelled_out(acronym: str, text: str) -> list[tuple[int, int]]:
    """Spans of the name an acronym stands for, written before it in brackets.

    >>> text = "Talks with the Estmark Nurses' Association (ENA) resumed."
    >>> [text[a:b] for a, b in spelled_out("ENA", text)]
    ["Estmark Nurses' Association"]
    >>> spelled_out("ECA", text)
    []
    """
    if not re.fullmatch(r"[A-Z]{2,6}", acronym):
        return []
    name = r"((?:[A-Z][\w'’-]*\s+(?:of\s+|for\s+|and\s+)?)+)"
    out = []
    for m in re.finditer(rf"{name}\(\s*{acronym}\s*\)", text):
        capitals = list(re.finditer(r"[A-Z][\w'’-]*", m.group(1)))[-len(acronym) :]
        if "".join(c.group()[0] for c in capitals) == acronym:
            out.append((m.start(1) + capitals[0].start(), m.start(1) + capitals[-1].end()))
    return out


def _unlabelled(subject: str, s: Sentence) -> list[Entity]:
    """The subject said word for word where no entity covers it, as an organisation."""
    found = re.finditer(rf"(?<!\w){re.escape(subject)}(?!\w)", s.text, re.I) if subject else ()
    spans = [(s.start + m.start(), s.start + m.end()) for m in found]
    return [
        Entity(a, b, "ORG")
        for a, b in spans
        if not any(e.start < b and a < e.end for e in s.entities)
    ]


def _describes(
    s: Sentence, a: int, b: int, name: tuple[int, int], *, anywhere: bool = False
) -> bool:
    """The phrase at a..b hangs on the name as an appositive or a relative clause
    ('Maduro, the US has signed ...' opens a new clause instead); ``anywhere``: an
    appositive hung on any word will do."""
    inside = [i for i in s.tokens if a <= s.token(i).start < b]
    heads = [s.token(i) for i in inside if s.token(i).head not in inside]
    return any(
        t.dep in ("appos", "relcl", "acl")
        and (name[0] <= s.token(t.head).start < name[1] or anywhere and t.dep == "appos")
        for t in heads
    )


def posts(entities: Sequence[str], s: Sentence) -> list[tuple[int, int]]:
    """The posts a sentence gives a named person, without the name: the title before it
    ('Calden mayor'), the appositive after it, or what the person becomes or is named."""
    out = []
    for entity in entities:
        become = _become_posts(entity, s)
        out.extend(become)
        # 'Lena Vik, the party leader ..., becomes minister': what she becomes, not was
        for start, end in title_spans(entity, s, appositives=not become):
            name = next((e for e in s.entities if start < e.start < end == e.end), None)
            if name:  # the title nearest the name: not 'Former finance minister Ana Petrova
                # and' of '... and Calden mayor Tomas Reyland'
                before = [
                    *(
                        e.end
                        for e in s.entities
                        if e.label == "PERSON" and start <= e.start and e.end <= name.start
                    ),
                    *(
                        s.token(i).end
                        for i in s.tokens
                        if start <= s.token(i).start < name.start and s.word(i) in ("and", ",")
                    ),
                ]
                start = max([start, *before])
            post = s.ann.text[start : name.start if name else end].strip(" ,")
            start = s.ann.text.index(post, start) if post else start
            if post and not fold(post).startswith("who "):
                out.append((start, start + len(post)))
    return out


def _become_posts(entity: str, s: Sentence) -> list[tuple[int, int]]:
    """What the named person becomes, is named, appointed or elected, serves as."""
    out = []
    key = words(entity)[-1:]
    for i in s.tokens if key else ():
        if s.lemma(i) not in _BECOME:
            continue
        subjects = [j for j in s.tokens if s.token(j).head == i and "subj" in s.token(j).dep]
        if not any(key[0] in {s.word(k) for k in subtree(s, j)} for j in subjects):
            continue
        for j in s.tokens:
            if s.token(j).head == i and s.word(j) == "as":  # 'worked as a crane operator'
                j = next((k for k in s.tokens if s.token(k).head == j), j)
            elif s.token(j).head != i or s.token(j).dep not in ("attr", "oprd", "dobj"):
                continue
            if s.word(j) == "as":
                continue
            phrase = subtree(s, j)
            cut = next((k for k in phrase if s.word(k) in ",;"), None)
            phrase = [k for k in phrase if cut is None or k < cut]
            out.append((s.token(phrase[0]).start, s.token(phrase[-1]).end))
    return out


def without_names(s: Sentence, start: int, end: int) -> int:
    """The end of a post cut before a name that ends it: 'former chief justice' of
    'former chief justice Miriam Tallow' (not 'formerly Maduro's vice president')."""
    last = [e.start for e in s.entities if e.label == "PERSON" and start < e.start < e.end == end]
    return min(last, default=end)

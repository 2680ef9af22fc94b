"""Passages as annotated sentences: tokens, entities, dates, and what never answers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from index.annotate import ChunkAnnotation, Entity, Token
from index.datelines import DATELINE_BODY, MONTH
from index.sentences import split_sentences
from rag.lexical import STOPWORDS, YEAR, fold
from rag.models import Passage
from rag.reader.people import consistent_people

# "Oct 10, 2019 ... text": a search snippet's date header.
HEADER_DATE = re.compile(rf"^\s*(?:date\s+)?({MONTH} \d{{1,2}}, (\d{{4}}))\s*(?:\.\.\.|—|–|-)")
_ISO = re.compile(r"^\s*(?:date\s+)?(\d{4})-\d\d-\d\d\b")
# "PORTVALE, October 20 (Harbour Times) - ": a wire dateline names no answer but a date.
DATELINE = re.compile(rf"^\s*{DATELINE_BODY}")
# The same dateline opening any sentence of a longer text (an answer quoting the article).
DATELINE_IN_TEXT = re.compile(rf"(?:^|(?<=[.!?] )){DATELINE_BODY}")
_MENU_SEPARATORS = re.compile(r"\s[|•»›·]\s|\s/\s")
_WORD = re.compile(r"\w+")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty hundred"
    " thousand million billion half third quarter fifth".split()
)


class Annotates(Protocol):
    """What reading needs from an annotator."""

    def annotate(self, texts: Sequence[str]) -> list[ChunkAnnotation]: ...


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage, with the chunk annotation it lives in."""

    passage: int  # index into the passages
    rank: int  # retrieval rank of the passage (0 = best)
    start: int  # offsets into the chunk text
    end: int
    doc_start: int  # offsets into the article text
    doc_end: int
    text: str
    tokens: tuple[int, ...]  # indices into ann.tokens
    ann: ChunkAnnotation
    date: str | None  # the event date: the article's, else a snippet date header
    year: str | None
    kind: str  # "body", "heading", "menu" or "question"
    header_end: int = 0  # chunk offset where a snippet's date header ends (0: none)
    title: str = ""  # the article's title

    @property
    def entities(self) -> list[Entity]:
        """Entities inside the sentence."""
        return [e for e in self.ann.entities if self.start <= e.start and e.end <= self.end]

    def token(self, i: int) -> Token:
        """Token ``i`` of the chunk annotation."""
        return self.ann.tokens[i]

    def word(self, i: int) -> str:
        """Folded surface text of token ``i``."""
        t = self.ann.tokens[i]
        return fold(self.ann.text[t.start : t.end])

    def lemma(self, i: int) -> str:
        """Folded lemma of token ``i``."""
        return fold(self.ann.tokens[i].lemma)


def stored_annotation(passage: Passage) -> ChunkAnnotation | None:
    """The chunk's stored annotation; None when it has none (or an unreadable one)."""
    payload = getattr(passage.chunk, "annotation", None)
    if not payload:
        return None
    try:
        return ChunkAnnotation.from_json(payload, passage.chunk.text)
    except (ValueError, KeyError, IndexError, TypeError):
        return None  # an old or damaged annotation: parse again


def read_passages(passages: Sequence[Passage], annotator: Annotates) -> list[Sentence]:
    """Every sentence of every passage, annotated; passages without annotation are parsed."""
    anns: list[ChunkAnnotation | None] = []
    missing: list[int] = []
    for i, p in enumerate(passages):
        ann = stored_annotation(p)
        if ann is None:
            missing.append(i)
        anns.append(ann)
    if missing:
        parsed = annotator.annotate([passages[i].chunk.text for i in missing])
        for i, ann in zip(missing, parsed, strict=True):
            anns[i] = ann
    known = consistent_people([ann for ann in anns if ann is not None])
    out: list[Sentence] = []
    for rank, (p, ann) in enumerate(zip(passages, known, strict=True)):
        out.extend(_sentences(rank, p, ann))
    return out


def _sentences(rank: int, passage: Passage, ann: ChunkAnnotation) -> list[Sentence]:
    chunk = passage.chunk
    text = chunk.text
    date, year = _event_date(chunk.date, text)
    header = HEADER_DATE.match(text) or DATELINE.match(text)
    header_end = header.end() if header else 0
    spans = split_sentences(text)
    out = []
    tok_i = 0
    toks = ann.tokens
    for s, e in spans:
        while tok_i < len(toks) and toks[tok_i].start < s:
            tok_i += 1
        first = tok_i
        while tok_i < len(toks) and toks[tok_i].start < e:
            tok_i += 1
        idx = tuple(range(first, tok_i))
        sent_text = text[s:e]
        out.append(
            Sentence(
                passage=rank,
                rank=rank,
                start=s,
                end=e,
                doc_start=chunk.start + s,
                doc_end=chunk.start + e,
                text=sent_text,
                tokens=idx,
                ann=ann,
                date=date,
                year=year,
                kind=_kind(sent_text, [toks[i] for i in idx], text, e),
                header_end=header_end,
                title=chunk.title,
            )
        )
    return out


def _event_date(article_date: str | None, text: str) -> tuple[str | None, str | None]:
    """The article date, else the snippet's date header (treated as the event date)."""
    if article_date:
        return article_date, article_date[:4]
    m = HEADER_DATE.match(text)
    if m:
        return m.group(1), m.group(2)
    iso = _ISO.match(text)
    if iso:
        return None, iso.group(1)
    return None, None


def _kind(sentence: str, toks: list[Token], chunk_text: str, end: int) -> str:
    """'question', 'menu', 'heading' (all never answer) or 'body'."""
    stripped = sentence.rstrip("\"'”’»)] ")
    if stripped.endswith("?"):
        return "question"
    if len(_MENU_SEPARATORS.findall(sentence)) >= 2:
        return "menu"
    has_verb = any(t.pos in ("VERB", "AUX") for t in toks)
    words = _WORD.findall(sentence)
    if not has_verb and stripped[-1:] not in ".!…" and len(words) <= 12:
        line_end = end >= len(chunk_text) or chunk_text[end : end + 1] == "\n"
        if line_end:
            return "heading"
    if not has_verb and len(words) >= 5:
        caps = sum(1 for w in words if w[:1].isupper())
        if caps / len(words) >= 0.8 and not stripped.endswith("..."):
            return "menu"
    return "body"


def restates(sentence: Sentence, question_terms: set[str]) -> bool:
    """True when the sentence says nothing beyond the question's own words."""
    own = {
        sentence.lemma(i)
        for i in sentence.tokens
        if sentence.token(i).pos not in ("PUNCT", "SYM", "DET", "ADP", "AUX", "CCONJ", "PART")
        and sentence.word(i) not in STOPWORDS
    }
    extra = own - question_terms
    # 'Nine people are still missing.' says the number asked for: not a restatement.
    if any(w[:1].isdigit() and not YEAR.fullmatch(w) or w in _NUMBER_WORDS for w in extra):
        return False
    return bool(own) and len(extra) <= 1 and len(own) <= len(question_terms) + 1

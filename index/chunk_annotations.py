"""Annotations of an article's chunks, with each overlapping sentence parsed once.

Each chunk repeats the last sentences of the one before it (the chunker's
overlap), so the chunk texts add up to about 1.16x the body text. Parsing them
one by one parsed that overlap twice. Instead, the chunk boundaries cut the
article into disjoint pieces, each a run of whole chunker units lying inside
every chunk that touches it; each piece is parsed once, and a chunk's
annotation is its pieces' annotations laid end to end (docs/BENCHMARKS.md).

Dependency arcs and entities never cross a piece boundary, as they never
crossed a chunk boundary before; the pieces are sentence runs, so they
rarely would.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from index.annotate import ChunkAnnotation, Entity, Token
from index.models import Chunk

Owner = TypeVar("Owner")


class ParsesTexts(Protocol):
    """Anything that annotates texts in one batch (``SpacyAnnotator`` does)."""

    def annotate(self, texts: Sequence[str]) -> list[ChunkAnnotation]:
        """One annotation per text."""
        ...


def article_runs(pairs: Iterable[tuple[Owner, Chunk]]) -> list[tuple[Owner, list[Chunk]]]:
    """Consecutive (owner, chunk) pairs with the same owner object, as one run each.

    An embedding call's chunks come article after article; ``annotate_chunks``
    takes them as runs of one article.
    """
    runs: list[tuple[Owner, list[Chunk]]] = []
    for owner, chunk in pairs:
        if runs and runs[-1][0] is owner:
            runs[-1][1].append(chunk)
        else:
            runs.append((owner, [chunk]))
    return runs


def disjoint_pieces(text: str, chunks: Sequence[Chunk]) -> list[tuple[int, int]]:
    """Spans of ``text`` between consecutive chunk boundaries that some chunk covers.

    The spans are trimmed of surrounding whitespace; whitespace between
    sentences carries nothing the reader uses.
    """
    events: dict[int, int] = {}
    for chunk in chunks:
        events[chunk.start] = events.get(chunk.start, 0) + 1
        events[chunk.end] = events.get(chunk.end, 0) - 1
    bounds = sorted(events)
    pieces: list[tuple[int, int]] = []
    covering = 0
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering += events[start]
        if covering > 0:
            piece = text[start:end]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            if lead + trail < len(piece):
                pieces.append((start + lead, end - trail))
    return pieces


def join_pieces(
    chunk: Chunk, pieces: Sequence[tuple[int, int]], notes: Sequence[ChunkAnnotation]
) -> ChunkAnnotation:
    """The chunk's annotation from the annotations of the pieces it contains."""
    first = bisect.bisect_left(pieces, (chunk.start, -1))
    sentences: list[tuple[int, int]] = []
    tokens: list[Token] = []
    entities: list[Entity] = []
    for (start, end), note in zip(pieces[first:], notes[first:], strict=False):
        if end > chunk.end:
            break
        shift, base = start - chunk.start, len(tokens)
        sentences.extend((s + shift, e + shift) for s, e in note.sentences)
        tokens.extend(
            Token(
                start=t.start + shift,
                length=t.length,
                lemma=t.lemma,
                pos=t.pos,
                dep=t.dep,
                head=t.head + base,
                ent_iob=t.ent_iob,
            )
            for t in note.tokens
        )
        entities.extend(Entity(e.start + shift, e.end + shift, e.label) for e in note.entities)
    return ChunkAnnotation(
        text=chunk.text, sentences=tuple(sentences), tokens=tuple(tokens), entities=tuple(entities)
    )


def annotate_chunks(
    annotator: ParsesTexts, runs: Sequence[tuple[str, Sequence[Chunk]]]
) -> list[ChunkAnnotation]:
    """One annotation per chunk, for runs of (article text, its chunks in order).

    The pieces of all runs go to the annotator in one call, so short articles
    share its batches as their chunks did.
    """
    layouts = [disjoint_pieces(text, chunks) for text, chunks in runs]
    texts = [text[s:e] for (text, _), pieces in zip(runs, layouts, strict=True) for s, e in pieces]
    parsed = annotator.annotate(texts)
    notes: list[ChunkAnnotation] = []
    offset = 0
    for (_, chunks), pieces in zip(runs, layouts, strict=True):
        mine = parsed[offset : offset + len(pieces)]
        offset += len(pieces)
        notes.extend(join_pieces(chunk, pieces, mine) for chunk in chunks)
    return notes

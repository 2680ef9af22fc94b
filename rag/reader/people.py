"""One name, one label: a person spaCy recognised in one passage is a person in all.

The small English model labels a name differently from sentence to sentence: 'Ana
Petrova' is a PERSON in one passage and, in another, 'Ana' goes unlabelled and
'Petrova' becomes a place. The reader would then offer 'Ana' as the answer to 'Who won
the runoff?'. Full names read as people more often than as anything else in the
retrieved passages are relabelled wherever they occur as proper nouns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from index.annotate import ChunkAnnotation, Entity, Token


def known_people(anns: Sequence[ChunkAnnotation]) -> list[str]:
    """Full names (two words or more) labelled PERSON in the passages at least as often
    as they are labelled something else, longest first."""
    person: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for ann in anns:
        for e in ann.entities:
            name = ann.text[e.start : e.end]
            if len(name.split()) >= 2:
                (person if e.label == "PERSON" else other)[name] += 1
    return sorted((n for n in person if person[n] >= other[n]), key=len, reverse=True)


def relabel_people(ann: ChunkAnnotation, people: Sequence[str]) -> ChunkAnnotation:
    """The annotation with each occurrence of a known person's name, all proper nouns,
    labelled PERSON, replacing the entities it overlapped."""
    starts = {t.start: i for i, t in enumerate(ann.tokens)}
    ends = {t.end: i for i, t in enumerate(ann.tokens)}
    entities = list(ann.entities)
    changed = False
    for name in people:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", ann.text):
            first, last = starts.get(m.start()), ends.get(m.end())
            if first is None or last is None:
                continue
            if any(ann.tokens[i].pos != "PROPN" for i in range(first, last + 1)):
                continue
            inside = [e for e in entities if e.start <= m.start() and m.end() <= e.end]
            if any(e.label == "PERSON" for e in inside):
                continue  # already a person, or inside a longer person's name
            entities = [e for e in entities if e.end <= m.start() or e.start >= m.end()]
            entities.append(Entity(m.start(), m.end(), "PERSON"))
            changed = True
    if not changed:
        return ann
    entities.sort(key=lambda e: e.start)
    return replace(ann, entities=tuple(entities), tokens=_with_iob(ann, entities))


def _with_iob(ann: ChunkAnnotation, entities: Sequence[Entity]) -> tuple[Token, ...]:
    """Tokens whose B/I/O marks follow the entities (unlabelled name runs are read from
    them: 'Ana' must not stay an unlabelled name of its own)."""
    iob = ["O"] * len(ann.tokens)
    for e in entities:
        inside = [i for i, t in enumerate(ann.tokens) if e.start <= t.start < e.end]
        for k, i in enumerate(inside):
            iob[i] = "I" if k else "B"
    return tuple(
        t if t.ent_iob == mark else replace(t, ent_iob=mark)
        for t, mark in zip(ann.tokens, iob, strict=True)
    )


def consistent_people(anns: Sequence[ChunkAnnotation]) -> list[ChunkAnnotation]:
    """Each annotation with the passages' known people relabelled."""
    people = known_people(anns)
    return [relabel_people(ann, people) for ann in anns] if people else list(anns)

"""A faster match step for spaCy's attribute ruler, with the same result.

The small English pipeline's attribute ruler maps tags to coarse POS and
fixes a few words with 179 Matcher patterns. 158 of them test one token for an
exact tag and/or lower-cased form, which a dictionary answers per token; the
Matcher walking every pattern over every token was a fifth of the whole parse
(docs/BENCHMARKS.md). The remaining patterns (dependency labels, sets, regexes, two
tokens) stay with a Matcher of their own. Matches come out in the ruler's own
order, sorted by rule number so later rules win, so the ruler sets exactly the
attributes it would have (tests/index/test_annotate.py compares the two).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

_Match = tuple[int, int, int, int]  # (rule number, match id, start, end), as the ruler sorts


def speed_up_attribute_ruler(nlp: Any) -> None:
    """Give the pipeline's attribute ruler (if any) the dictionary match step."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.match = _LookupMatch(ruler)  # an instance attribute shadows the method


def _simple_key(pattern: list[dict[str, Any]]) -> tuple[str | None, str | None] | None:
    """(tag, lower) a one-token pattern tests exactly, or None for any other pattern."""
    if len(pattern) != 1 or not pattern[0] or set(pattern[0]) - {"TAG", "LOWER"}:
        return None
    tag, lower = pattern[0].get("TAG"), pattern[0].get("LOWER")
    if not all(v is None or isinstance(v, str) for v in (tag, lower)):
        return None
    return tag, lower


class _LookupMatch:
    """Callable with the signature of ``AttributeRuler.match``."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        strings = ruler.vocab.strings
        self._strings = strings
        self._by_key: dict[tuple[str | None, str | None], list[int]] = defaultdict(list)
        self._ids: list[int] = []
        self._rest = Matcher(ruler.vocab)
        for rule, spec in enumerate(ruler.patterns):
            match_id = strings[str(rule)]
            self._ids.append(match_id)
            rest = []
            for pattern in spec["patterns"]:
                key = _simple_key(pattern)
                if key is None or spec["index"] not in (0, -1):
                    rest.append(pattern)
                else:
                    self._by_key[key].append(rule)
            if rest:
                self._rest.add(match_id, rest)

    def __call__(self, doc: Any) -> list[_Match]:
        found: list[_Match] = [
            (int(self._strings[m_id]), m_id, start, end)
            for m_id, start, end in self._rest(doc, allow_missing=True, as_spans=False)
        ]
        by_key, ids = self._by_key, self._ids
        for i, token in enumerate(doc):
            tag, lower = token.tag_, token.lower_
            for key in ((tag, lower), (tag, None), (None, lower)):
                for rule in by_key.get(key, ()):
                    found.append((rule, ids[rule], i, i + 1))
        found.sort()
        return found

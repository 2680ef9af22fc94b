"""Eval metrics as pure functions: retrieval, citations, answers, refusals, latency.

Every metric returns ``None`` when it cannot be measured on an item (no
reference sources, no citations, ...): an unmeasurable item must not count as
a failure, so aggregates are means over the items where a metric is defined.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from rag import split_marked, strip_markers

__all__ = ["strip_markers"]  # re-exported: the metrics' callers strip markers too

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation) | set("“”‘’—–«»…")


def dedupe(ids: Iterable[str]) -> list[str]:
    """Ids in first-occurrence order, repeats dropped.

    >>> dedupe(["a", "b", "a", "c", "b"])
    ['a', 'b', 'c']
    """
    return list(dict.fromkeys(ids))


def hit_rate(
    retrieved: Sequence[str], relevant: Iterable[str], k: int | None = None
) -> float | None:
    """1.0 when any relevant doc is among the first k retrieved (deduplicated).

    >>> hit_rate(["x", "a"], {"a"}), hit_rate(["x", "a"], {"a"}, k=1), hit_rate(["x"], set())
    (1.0, 0.0, None)
    """
    wanted = set(relevant)
    if not wanted:
        return None
    return 1.0 if wanted & set(dedupe(retrieved)[:k]) else 0.0


def mrr(retrieved: Sequence[str], relevant: Iterable[str], k: int | None = None) -> float | None:
    """Reciprocal rank of the first relevant doc, ranks counted after deduplication.

    >>> mrr(["x", "x", "a"], {"a"})  # the repeated 'x' takes one rank, not two
    0.5
    >>> mrr(["x"], {"a"})
    0.0
    """
    wanted = set(relevant)
    if not wanted:
        return None
    for rank, doc_id in enumerate(dedupe(retrieved)[:k], start=1):
        if doc_id in wanted:
            return 1.0 / rank
    return 0.0


def ndcg(retrieved: Sequence[str], relevant: Iterable[str], k: int | None = None) -> float | None:
    """Binary-relevance NDCG@k; the ideal ranks min(|relevant|, k) relevant docs first.

    >>> round(ndcg(["x", "a"], {"a"}), 4)  # 1/log2(3)
    0.6309
    >>> ndcg(["a", "b"], {"a", "b", "c"}, k=2)  # only 2 slots: ideal is 2 hits, not 3
    1.0
    """
    wanted = set(relevant)
    if not wanted:
        return None
    ranked = dedupe(retrieved)[:k]
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked) if d in wanted)
    slots = len(wanted) if k is None else min(len(wanted), k)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(slots))
    return dcg / ideal if ideal else None


def context_recall(retrieved: Sequence[str], relevant: Iterable[str]) -> float | None:
    """Share of the reference sources found among the retrieved docs.

    >>> context_recall(["a", "x"], {"a", "b"})
    0.5
    """
    wanted = set(relevant)
    if not wanted:
        return None
    return len(wanted & set(retrieved)) / len(wanted)


def citation_precision(cited: Sequence[str], relevant: Iterable[str]) -> float | None:
    """Share of citations (one per citation, repeats count) pointing at a reference source.

    >>> citation_precision(["a", "a", "x"], {"a"})
    0.6666666666666666
    >>> citation_precision([], {"a"}) is None  # no citations: nothing to be precise about
    True
    """
    wanted = set(relevant)
    if not cited or not wanted:
        return None
    return sum(1 for d in cited if d in wanted) / len(cited)


def citation_recall(cited: Sequence[str], relevant: Iterable[str]) -> float | None:
    """Share of the reference sources cited at least once.

    >>> citation_recall(["a", "x"], {"a", "b"}), citation_recall([], {"a"})
    (0.5, 0.0)
    """
    wanted = set(relevant)
    if not wanted:
        return None
    return len(wanted & set(cited)) / len(wanted)


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lowercase, drop punctuation and articles, squeeze spaces.

    >>> normalize_answer("The U.S. Embassy, in  Caracas!")
    'us embassy in caracas'
    """
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def answer_f1(prediction: str, reference: str | None) -> float | None:
    """SQuAD token F1 between an answer (markers stripped) and the reference.

    >>> answer_f1("Closed in 2019. [1]", "in 2019")  # P=2/3, R=2/2
    0.8
    >>> answer_f1("anything", None) is None
    True
    """
    if reference is None:
        return None
    pred = normalize_answer(strip_markers(prediction)).split()
    ref = normalize_answer(reference).split()
    if not pred or not ref:
        return 1.0 if pred == ref else 0.0
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def cosine(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Cosine similarity of two vectors; None when either is all zeros.

    >>> cosine([1.0, 0.0], [1.0, 1.0])
    0.7071067811865475
    """
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else None


def sentence_markers(text: str) -> list[list[int]]:
    """Marker numbers of each answer sentence (``rag.markers.split_marked``'s reading).

    >>> sentence_markers("It reopened. [1] [2] It closed in 2019. [3] No source here.")
    [[1, 2], [3], []]
    """
    return [numbers for _, numbers in split_marked(text)]


def faithfulness(text: str, supported: Mapping[int, bool]) -> float | None:
    """Share of answer sentences with at least one citation marked supported.

    ``supported`` maps citation number -> ``Citation.supported``.

    >>> faithfulness("A. [1] B. [2] C.", {1: True, 2: False})
    0.3333333333333333
    >>> faithfulness("", {}) is None
    True
    """
    sentences = sentence_markers(text)
    if not sentences:
        return None
    backed = sum(1 for numbers in sentences if any(supported.get(n, False) for n in numbers))
    return backed / len(sentences)


def refusal_correct(answerable: bool, refused: bool) -> float:
    """1.0 when an unanswerable question was refused or an answerable one answered.

    >>> refusal_correct(False, True), refusal_correct(True, True)
    (1.0, 0.0)
    """
    return 1.0 if refused != answerable else 0.0


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation, like numpy's default.

    >>> percentile([10.0, 20.0, 30.0, 40.0], 50), percentile([1.0, 2.0, 3.0], 95)
    (25.0, 2.9)
    >>> percentile([], 50) is None
    True
    """
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def mean_defined(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None; None when there are none.

    >>> mean_defined([1.0, None, 0.0]), mean_defined([None])
    (0.5, None)
    """
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None

"""Fit the offline reader's candidate scorer and refusal threshold on development data.

    python scripts/reader_cache.py --rgb ../shared/devsets/rgb_dev.jsonl --out rgb.json
    python scripts/train_reader.py --cache rgb.json news.json [--folds 2] [--write]

Caches come from scripts/reader_cache.py (RGB) or hold evals/news dev questions in
their own format (``user_input``, ``reference``, ``answerable``). Fitting is a
logistic regression on candidate features (label: the candidate holds the gold
answer, or most of it); the refusal threshold is the one with the best accuracy
among those refusing at least 80% of the unanswerable development questions.
Held-out figures fit on some template clusters and score the others. With
``--write`` the fit on all given data goes to rag/reader/weights.json, with its
report. Never fit on a test set (a cache's "test" split is skipped).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reader_cache import passages_from_rows  # noqa: E402

from index.annotate import SpacyAnnotator  # noqa: E402
from rag.lexical import fold  # noqa: E402
from rag.reader.evidence import Evidence  # noqa: E402
from rag.reader.features import FEATURES, WEIGHTS_PATH, LogisticScorer  # noqa: E402
from rag.reader.passages import read_passages  # noqa: E402
from rag.reader.phrases import RULED_TYPES  # noqa: E402
from rag.reader.question import analyse  # noqa: E402
from rag.reader.reading import candidates_for, score_candidates  # noqa: E402


def golds(answer: Any) -> list[list[str]]:
    """RGB answers: a string, or a list of lists of alternative spellings."""
    if isinstance(answer, str):
        return [[answer]]
    return [a if isinstance(a, list) else [a] for a in answer]


def contains_gold(text: str, answer: Any) -> bool:
    """True when every required answer appears (in one of its spellings) in text."""
    t = fold(text)
    return all(any(fold(alt) in t for alt in alts) for alts in golds(answer))


def label(candidate: str, answer: Any) -> bool:
    """A candidate is right when it holds one required answer, or is most of one."""
    cand = fold(candidate)
    cw = cand.split()
    for alts in golds(answer):
        for alt in alts:
            ref = fold(alt)
            if ref in cand:
                return True
            if cand in ref and cw and (len(cw) * 2 >= len(ref.split()) or re.search(r"\d", cand)):
                return True
    return False


def news_answer(reference: str | None) -> list[list[str]] | None:
    """evals/news references: 'Clara Obi; September 16' -> two required answers."""
    if not reference:
        return None
    return [[part.strip()] for part in reference.split(";") if part.strip()]


def cluster(query: str) -> str:
    """A template cluster: the question with names, numbers and years removed."""
    words = re.findall(r"[A-Za-z]+", query)
    return " ".join(w.lower() for w in words[:4] if w.islower() or w in ("Who", "What", "When"))


def load_examples(cache: Path) -> list[dict[str, Any]]:
    """Per question and setting: candidate features, labels and the gold."""
    data = json.loads(cache.read_text(encoding="utf-8"))
    annotator = SpacyAnnotator()
    scorer = LogisticScorer.load()
    out = []
    for setting, questions in data.items():
        if setting == "test":
            continue  # reported by the eval suite, never fitted on
        for q in questions:
            if "user_input" in q:  # evals/news format
                q = {
                    **q,
                    "query": q["user_input"],
                    "answer": news_answer(q.get("reference")) if q.get("answerable") else None,
                }
                setting = "noise" if q["answer"] else "rejection"
                for p in q["passages"]:
                    p["label"] = "pos" if p["doc_id"] in q.get("reference_sources", ()) else "neg"
                q["cluster"] = "news:" + q["id"].split("-")[0]
            passages = passages_from_rows(q["passages"])
            analysis = analyse(q["query"], annotator)
            sentences = read_passages(passages, annotator)
            candidates = candidates_for(analysis, sentences)
            scored = score_candidates(analysis, candidates, scorer, Evidence(analysis, sentences))
            # Phrase and duration answers are scored by rules (rag/reader/phrases.py).
            scored = [s for s in scored if s.candidate.ctype not in RULED_TYPES]
            out.append(
                {
                    "id": q["id"],
                    "setting": setting,
                    "cluster": q.get("cluster") or cluster(q["query"]),
                    "dataset": "news" if "user_input" in q else "rgb",
                    "x": np.array([s.features for s in scored]).reshape(-1, len(FEATURES)),
                    "y": np.array(
                        [bool(q["answer"]) and label(s.candidate.text, q["answer"]) for s in scored]
                    ),
                    "keys": [s.candidate.key for s in scored],
                    "passage": [s.candidate.sentence.passage for s in scored],
                    "pos": np.array(
                        [
                            q["passages"][s.candidate.sentence.passage]["label"] == "pos"
                            for s in scored
                        ]
                    ),
                }
            )
    return out


def fit(
    examples: list[dict[str, Any]], l2: float = 1.0, steps: int = 3000, pos_div: float = 4.0
) -> np.ndarray:
    """Logistic regression by gradient descent; positives up-weighted to balance."""
    xs = [e["x"] for e in examples if len(e["x"])]
    ys = [e["y"] for e in examples if len(e["x"])]
    x = np.vstack(xs)
    y = np.concatenate(ys).astype(np.float64)
    pos_weight = max(1.0, (len(y) - y.sum()) / max(1.0, y.sum()) / pos_div)
    sw = np.where(y > 0, pos_weight, 1.0)
    w = np.zeros(x.shape[1])
    lr = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ ((p - y) * sw) / sw.sum() + l2 * np.r_[0.0, w[1:]] / len(y)
        w -= lr * grad
    return w


def fit_softmax(examples: list[dict[str, Any]], l2: float = 0.5, steps: int = 1500) -> np.ndarray:
    """Per-question softmax over candidates plus a 'refuse' option (score 0, so the
    bias acts as the refusal margin): the right candidate when one exists, else refuse."""
    dim = len(FEATURES)
    w = np.zeros(dim)
    lr = 0.3
    for _ in range(steps):
        grad = np.zeros(dim)
        for e in examples:
            x, y = e["x"], e["y"]
            if not len(x):
                continue
            z = x @ w
            top = max(0.0, float(z.max()))
            ez = np.exp(z - top)
            null = np.exp(-top)
            total = ez.sum() + null
            p = ez / total
            target = y / y.sum() if y.any() else np.zeros_like(p)
            grad += x.T @ (p - target)
        grad = grad / len(examples) + l2 * np.r_[0.0, w[1:]] / len(examples)
        w -= lr * grad
    return w


def evaluate(examples: list[dict[str, Any]], w: np.ndarray, threshold: float) -> dict[str, float]:
    """Top-candidate accuracy (noise), positive cited, rejection rate (rejection)."""
    acc = cited = n = rej = m = 0
    for e in examples:
        best = None
        if len(e["x"]):
            p = 1 / (1 + np.exp(-(e["x"] @ w)))
            i, value = _best(e, p)
            best = i if value >= threshold else None
        if e["setting"] == "noise":
            n += 1
            acc += best is not None and bool(e["y"][best])
            cited += best is not None and bool(e["pos"][best])
        else:
            m += 1
            rej += best is None
    return {
        "accuracy": acc / max(n, 1),
        "positive_cited": cited / max(n, 1),
        "rejection": rej / max(m, 1),
    }


def _best(e: dict[str, Any], p: np.ndarray) -> tuple[int, float]:
    """Index of the best mention of the best answer group, and the group's score."""
    from rag.reader.reading import combine

    groups: dict[str, list[int]] = {}
    for i, key in enumerate(e["keys"]):
        groups.setdefault(key, []).append(i)
    best_i, best_v = 0, -1.0
    for idx in groups.values():
        value = combine([(e["passage"][i], float(p[i])) for i in idx])
        if value > best_v:
            best_v = value
            best_i = max(idx, key=lambda i: p[i])
    return best_i, best_v


def pick_threshold(
    examples: list[dict[str, Any]], w: np.ndarray, min_rejection: float = 0.8
) -> float:
    """The threshold with the best accuracy among those refusing at least
    ``min_rejection`` of the unanswerable questions (else the best accuracy + rejection)."""
    grid = np.linspace(0.05, 0.95, 91)
    results = [evaluate(examples, w, float(t)) for t in grid]
    # Each data set's rejection must reach the floor, not just their pooled rate.
    sets = sorted({e["dataset"] for e in examples})
    floors = [
        min(
            evaluate([e for e in examples if e["dataset"] == d], w, float(t))["rejection"]
            for d in sets
        )
        for t in grid
    ]
    ok = [i for i in range(len(grid)) if floors[i] >= min_rejection]
    if ok:
        return float(grid[max(ok, key=lambda i: (results[i]["accuracy"], -i))])
    return float(grid[int(np.argmax([r["accuracy"] + r["rejection"] for r in results]))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    f = parser
    f.add_argument("--cache", type=Path, required=True, nargs="+")
    f.add_argument("--folds", type=int, default=2)
    f.add_argument("--write", action="store_true")
    f.add_argument("--objective", choices=("softmax", "logistic"), default="logistic")
    args = parser.parse_args()
    examples = [e for path in args.cache for e in load_examples(path)]
    fitter = fit_softmax if args.objective == "softmax" else fit
    clusters = sorted({e["cluster"] for e in examples})
    held: dict[str, dict[str, list[float]]] = {}
    for fold_i in range(args.folds):
        test = {cl for j, cl in enumerate(clusters) if j % args.folds == fold_i}
        train = [e for e in examples if e["cluster"] not in test]
        w = fitter(train)
        t = pick_threshold(train, w)
        for name in sorted({e["dataset"] for e in examples}):
            part = [e for e in examples if e["cluster"] in test and e["dataset"] == name]
            for key, value in evaluate(part, w, t).items():
                held.setdefault(name, {}).setdefault(key, []).append(value)
    w = fitter(examples)
    t = pick_threshold(examples, w)
    report: dict[str, Any] = {"threshold": round(t, 3)}
    for name in sorted({e["dataset"] for e in examples}):
        part = [e for e in examples if e["dataset"] == name]
        report[name] = {
            "in_sample": evaluate(part, w, t),
            "held_out": {k: round(float(np.mean(v)), 3) for k, v in held[name].items()},
        }
    print(json.dumps(report, indent=1))
    if args.write:
        WEIGHTS_PATH.write_text(
            json.dumps(
                {
                    "weights": {n: round(float(v), 4) for n, v in zip(FEATURES, w, strict=True)},
                    "threshold": round(t, 3),
                    "fitted_on": [str(p.name) for p in args.cache],
                    "report": report,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()

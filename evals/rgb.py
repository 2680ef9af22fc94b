"""The RGB benchmark (Chen et al., AAAI 2024): its file format, corpora and right/wrong rule.

One JSON object a line (or a JSON list of them)::

    {"id": 50, "query": "Who won ...?", "answer": [["Olga Tokarczuk", "Tokarczuk"]],
     "positive": ["passage that holds the answer", ...], "negative": ["on-topic distractor", ...]}

``answer`` follows RGB's own checker: a string is one required answer; a list
holds required answers, each a string (one spelling) or a list of alternative
spellings. Two settings: **noise** (corpus = every passage of every question;
right = every required answer present and a positive passage cited) and
**rejection** (corpus = negative passages only; right = refused, nothing cited).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from evals.datasets import EvalItem, checked_items, read_records
from evals.fact_metrics import contains_phrase
from evals.metrics import strip_markers
from rag import InputError

Setting = Literal["noise", "rejection"]
SETTINGS: tuple[Setting, ...] = ("noise", "rejection")
_RGB_KEYS = frozenset({"query", "answer", "positive", "negative"})


@dataclass(frozen=True)
class RgbItem:
    """One RGB question: required answers (each with its spellings) and its passages."""

    id: str
    query: str
    answers: tuple[tuple[str, ...], ...]
    positive: tuple[str, ...]
    negative: tuple[str, ...]


def is_rgb_record(record: Any) -> bool:
    """True for an object with RGB's keys (query, answer, positive, negative).

    >>> is_rgb_record({"query": "q", "answer": "a", "positive": [], "negative": []})
    True
    >>> is_rgb_record({"user_input": "q", "reference": "a"})
    False
    """
    return isinstance(record, dict) and _RGB_KEYS <= set(record)


def detect_format(path: Path) -> Literal["rgb", "suite"]:
    """'rgb' when the file's first item has RGB's keys, else 'suite' (our formats)."""
    if not path.is_file():
        return "suite"  # load_dataset reports the missing file
    records = read_records(path)
    return "rgb" if records and is_rgb_record(records[0][0]) else "suite"


def _answers(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    """Required answers, each a tuple of spellings."""
    wrong = InputError(
        f"{where}: 'answer' must be a string or a list whose items are strings or lists "
        "of alternative spellings."
    )
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise wrong
    required = []
    for entry in value:
        spellings = [entry] if isinstance(entry, str) else entry
        if not isinstance(spellings, list) or not spellings:
            raise wrong
        if not all(isinstance(s, str) and s.strip() for s in spellings):
            raise wrong
        required.append(tuple(s.strip() for s in spellings))
    return tuple(required)


def _passages(record: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = record[key]
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise InputError(f"{where}: '{key}' must be a list of passage strings.")
    return tuple(p for p in value if p.strip())


def rgb_item(record: Any, default_id: str, where: str) -> RgbItem:
    """Validate one RGB record; errors name the line."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: each item must be a JSON object.")
    missing = sorted(_RGB_KEYS - set(record))
    if missing:
        raise InputError(f"{where}: not an RGB item, missing {', '.join(missing)}.")
    query = record["query"]
    if not isinstance(query, str) or not query.strip():
        raise InputError(f"{where}: 'query' must be a non-empty string.")
    item_id = record.get("id")
    return RgbItem(
        id=default_id if item_id is None or item_id == "" else str(item_id),
        query=query.strip(),
        answers=_answers(record["answer"], where),
        positive=_passages(record, "positive", where),
        negative=_passages(record, "negative", where),
    )


def load_rgb(path: str | Path) -> list[RgbItem]:
    """Read an RGB JSONL/JSON file; ids must be unique."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"No dataset file at {path}.")
    records = read_records(path)
    items = [rgb_item(r, f"rgb-{i}", where) for i, (r, where) in enumerate(records, start=1)]
    return checked_items(path, items)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def passage_id(text: str) -> str:
    """Stable file name of a passage: 'p' + 16 hex digits of its whitespace-squeezed sha256.

    >>> passage_id("Olga  Tokarczuk won.") == passage_id("Olga Tokarczuk won. ")
    True
    >>> passage_id("x")
    'p2d711642b726b044.txt'
    """
    return "p" + hashlib.sha256(_squeeze(text).encode("utf-8")).hexdigest()[:16] + ".txt"


def corpus_passages(items: Iterable[RgbItem], setting: Setting) -> dict[str, str]:
    """doc id -> passage text of a setting's corpus, deduplicated by text.

    >>> item = RgbItem("1", "q?", (("a",),), ("pos",), ("neg", "neg "))
    >>> sorted(corpus_passages([item], "noise").values())
    ['neg', 'pos']
    >>> list(corpus_passages([item], "rejection").values())
    ['neg']
    """
    passages: dict[str, str] = {}
    for item in items:
        for text in (*item.positive, *item.negative) if setting == "noise" else item.negative:
            passages.setdefault(passage_id(text), _squeeze(text))
    return passages


def write_corpus(passages: Mapping[str, str], root: Path) -> Path:
    """One UTF-8 .txt file per passage under ``root``; returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for doc_id, text in passages.items():
        (root / doc_id).write_text(text + "\n", encoding="utf-8")
    return root


def eval_items(items: Sequence[RgbItem], setting: Setting) -> list[EvalItem]:
    """The questions as suite items: answerable in noise, unanswerable in rejection."""
    return [
        EvalItem(
            id=item.id,
            user_input=item.query,
            reference="; ".join(spellings[0] for spellings in item.answers)
            if setting == "noise"
            else None,
            reference_sources=tuple(sorted({passage_id(p) for p in item.positive}))
            if setting == "noise"
            else (),
            answerable=setting == "noise",
            question_type=setting,
        )
        for item in items
    ]


def contains_answers(text: str, answers: Sequence[Sequence[str]]) -> bool:
    """True when the text holds every required answer in at least one of its spellings.

    >>> contains_answers("It came out on April 20, 2018 [1]", [["Apr 20 2018", "April 20 2018"]])
    True
    >>> contains_answers("Olga Tokarczuk [1]", [["Olga Tokarczuk"], ["Peter Handke"]])
    False
    """
    plain = strip_markers(text)
    return all(any(contains_phrase(plain, s) for s in spellings) for spellings in answers)


def judge(
    item: RgbItem, setting: Setting, *, text: str, refused: bool, cited: Sequence[str]
) -> dict[str, Any]:
    """Whether one answer is right under a setting, and why.

    >>> item = RgbItem("1", "Who?", (("Olga Tokarczuk",),), ("Tokarczuk won.",), ("Other.",))
    >>> pos = passage_id("Tokarczuk won.")
    >>> judge(item, "noise", text="Olga Tokarczuk. [1]", refused=False, cited=[pos])["right"]
    True
    >>> judge(item, "rejection", text="The articles do not say.", refused=True, cited=[])["right"]
    True
    """
    positives = {passage_id(p) for p in item.positive}
    contains = not refused and contains_answers(text, item.answers)
    cites_positive = bool(positives & set(cited))
    right = (contains and cites_positive) if setting == "noise" else (refused and not cited)
    return {
        "setting": setting,
        "right": right,
        "contains_answer": contains,
        "cites_positive": cites_positive,
        "refused": refused,
        "required_answers": [list(s) for s in item.answers],
    }

"""Eval suites on disk: our JSONL format, ragas-style files, llama-index LabelledRagDataset.

Our format is one JSON object per line::

    {"id": "q1", "user_input": "When was the embassy closed?", "reference": "in 2019",
     "reference_sources": ["001_ba5cac0249294b0b.txt"], "answerable": true,
     "history": [{"role": "user", "content": "..."}], "question_type": "temporal"}

``reference`` is null for unanswerable questions; ``reference_sources`` are doc
ids (paths relative to the corpus root).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from rag import InputError

_ROLES = {"user", "assistant", "system"}


@dataclass(frozen=True)
class EvalItem:
    """One question of a suite, with what a good answer looks like."""

    id: str
    user_input: str
    reference: str | None = None  # None: no reference answer (unanswerable, or unknown)
    reference_sources: tuple[str, ...] = ()
    answerable: bool = True
    history: tuple[tuple[str, str], ...] = ()  # (role, content) pairs, oldest first
    question_type: str | None = None
    reference_contexts: tuple[str, ...] = ()  # passages that hold the answer (ragas, llama)

    def history_messages(self) -> list[dict[str, str]]:
        """History as the chat messages ``Assistant.ask`` takes."""
        return [{"role": role, "content": content} for role, content in self.history]

    def to_record(self) -> dict[str, Any]:
        """The item in our JSONL format."""
        record: dict[str, Any] = {
            "id": self.id,
            "user_input": self.user_input,
            "reference": self.reference,
            "reference_sources": list(self.reference_sources),
            "answerable": self.answerable,
        }
        if self.history:
            record["history"] = self.history_messages()
        if self.question_type:
            record["question_type"] = self.question_type
        if self.reference_contexts:
            record["reference_contexts"] = list(self.reference_contexts)
        return record


def _first(record: Mapping[str, Any], *keys: str) -> Any:
    """The value of the first key present and not None."""
    for key in keys:
        if record.get(key) is not None:
            return record[key]
    return None


def _strings(value: Any, what: str, where: str) -> tuple[str, ...]:
    """A list of strings (a lone string is a list of one)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: '{what}' must be a list of strings.")
    return tuple(value)


def _history(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    """Validated (role, content) pairs."""
    if value is None:
        return ()
    turns = []
    for turn in value if isinstance(value, list) else [None]:
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in _ROLES
            or not isinstance(turn.get("content"), str)
        ):
            raise InputError(f"{where}: 'history' must be a list of {{role, content}} messages.")
        turns.append((turn["role"], turn["content"]))
    return tuple(turns)


def item_from_record(record: Any, default_id: str, where: str) -> EvalItem:
    """Build an item from our format, a ragas row or a LabelledRagDataset example."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: each item must be a JSON object.")
    question = _first(record, "user_input", "question", "query")
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"{where}: no question (user_input, question or query).")
    reference = _first(record, "reference", "ground_truth", "reference_answer")
    if reference is None and isinstance(record.get("ground_truths"), list):
        reference = next(iter(record["ground_truths"]), None)  # ragas 0.1 kept a list
    if reference is not None and not isinstance(reference, str):
        raise InputError(f"{where}: the reference answer must be text or null.")
    answerable = record.get("answerable", True)
    if not isinstance(answerable, bool):
        raise InputError(f"{where}: 'answerable' must be true or false.")
    question_type = record.get("question_type")
    return EvalItem(
        id=str(record.get("id") or default_id),
        user_input=question,
        reference=reference,
        reference_sources=_strings(record.get("reference_sources"), "reference_sources", where),
        answerable=answerable,
        history=_history(record.get("history"), where),
        question_type=str(question_type) if question_type else None,
        reference_contexts=_strings(
            _first(record, "reference_contexts", "contexts"), "reference_contexts", where
        ),
    )


def read_records(path: Path) -> list[tuple[Any, str]]:
    """(record, location) pairs from a JSONL file or a JSON list/columns/examples file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".jsonl":
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((json.loads(line), f"{path}:{number}"))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number}: not valid JSON ({exc.msg}).") from None
        return rows
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}).") from None
    if isinstance(data, dict) and isinstance(data.get("examples"), list):
        data = data["examples"]  # llama-index LabelledRagDataset.save_json
    elif isinstance(data, dict) and data and all(isinstance(v, list) for v in data.values()):
        # Columns, as ragas/HF ``Dataset.to_dict()`` writes them.
        data = [dict(zip(data, row, strict=True)) for row in zip(*data.values(), strict=True)]
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of items or {{'examples': [...]}}.")
    return [(record, f"{path} item {i}") for i, record in enumerate(data, start=1)]


def load_dataset(path: str | Path) -> list[EvalItem]:
    """Read a suite in any supported format; ids must be unique."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"No dataset file at {path}.")
    items = [
        item_from_record(record, f"{path.stem}-{i}", where)
        for i, (record, where) in enumerate(read_records(path), start=1)
    ]
    return checked_items(path, items)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


ItemT = TypeVar("ItemT", bound=_Identified)


def checked_items(path: Path, items: list[ItemT]) -> list[ItemT]:
    """The items, refused when there are none or an id repeats (every suite format)."""
    if not items:
        raise InputError(f"{path} holds no questions.")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise InputError(f"{path}: the id {item.id!r} is used twice.")
        seen.add(item.id)
    return items


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def sources_from_contexts(contexts: Iterable[str], documents: Mapping[str, str]) -> tuple[str, ...]:
    """Doc ids whose text contains one of the contexts (whitespace and case ignored).

    Lets ragas and llama-index suites, which give context text rather than doc
    ids, still be scored on retrieval.

    >>> sources_from_contexts(["the  Embassy"], {"a.txt": "The embassy reopened.", "b.txt": "x"})
    ('a.txt',)
    """
    wanted = [_squeeze(c) for c in contexts if c.strip()]
    found = []
    for doc_id, text in sorted(documents.items()):
        body = _squeeze(text)
        if any(c in body for c in wanted):
            found.append(doc_id)
    return tuple(found)


def write_jsonl(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write rows as UTF-8 JSON lines."""
    with Path(path).open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file (blank lines skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def write_dataset(path: str | Path, items: Iterable[EvalItem]) -> None:
    """Save items in our JSONL format (e.g. a converted ragas suite)."""
    write_jsonl(path, (item.to_record() for item in items))


__all__ = [
    "EvalItem",
    "item_from_record",
    "load_dataset",
    "read_jsonl",
    "read_records",
    "sources_from_contexts",
    "write_dataset",
    "write_jsonl",
]

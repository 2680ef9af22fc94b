"""LLM-as-judge: the configured chat model grades correctness and faithfulness.

The judge must answer ``{"score": x}`` with 0 <= x <= 1. Anything else is an
*invalid* grade: counted, never read as a zero, so a chatty model cannot
silently drag a suite's scores down.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rag import RagError

if TYPE_CHECKING:
    from rag import ChatLLM

_SYSTEM = (
    "You are a strict grader of answers about news articles. Reply with one JSON "
    'object and nothing else: {"score": S} where S is a number from 0 to 1.'
)
_OBJECT = re.compile(r"\{.*?\}", re.DOTALL)


def correctness_messages(question: str, answer: str, reference: str) -> list[dict[str, str]]:
    """Prompt asking whether the answer states what the reference states."""
    user = (
        "Grade CORRECTNESS: 1 if the answer contains the information of the reference "
        "answer, 0 if it does not or contradicts it, in between when partly.\n\n"
        f"Question: {question}\nReference answer: {reference}\nAnswer: {answer}"
    )
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": user}]


def faithfulness_messages(answer: str, quotes: Sequence[str]) -> list[dict[str, str]]:
    """Prompt asking whether the cited quotes back every claim of the answer."""
    cited = "\n".join(f"[{i}] {q}" for i, q in enumerate(quotes, start=1)) or "(no quotes)"
    user = (
        "Grade FAITHFULNESS: the share of the answer's claims that the quoted passages "
        "support (1 = every claim is backed, 0 = none is).\n\n"
        f"Quoted passages:\n{cited}\n\nAnswer: {answer}"
    )
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": user}]


def parse_score(reply: str) -> float | None:
    """The score of a ``{"score": x}`` reply, or None when the reply is not one.

    >>> parse_score('```json\\n{"score": 0.75}\\n```')
    0.75
    >>> parse_score("Looks right to me!") is None, parse_score('{"score": 7}') is None
    (True, True)
    """
    for candidate in _OBJECT.findall(reply):
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        value = data.get("score") if isinstance(data, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
            return float(value)
    return None


@dataclass
class Grade:
    """The judge's scores for one item; None where not graded or invalid."""

    correctness: float | None = None
    faithfulness: float | None = None
    invalid: int = 0  # grades whose reply could not be read
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for items.jsonl."""
        return {
            "correctness": self.correctness,
            "faithfulness": self.faithfulness,
            "invalid": self.invalid,
            "problems": self.problems,
        }


class Judge:
    """Grades answers with a chat model (the assistant's own, by default)."""

    def __init__(self, llm: ChatLLM) -> None:
        self.llm = llm

    @property
    def name(self) -> str:
        """The judging model's name."""
        return str(getattr(self.llm, "name", "llm"))

    def _score(self, messages: list[dict[str, str]], what: str, grade: Grade) -> float | None:
        """One grading call; a failed call or unreadable reply is counted invalid."""
        try:
            reply = self.llm.complete(messages)
        except RagError as exc:
            grade.invalid += 1
            grade.problems.append(f"{what}: {exc}")
            return None
        score = parse_score(reply)
        if score is None:
            grade.invalid += 1
            grade.problems.append(f"{what}: unreadable reply {reply[:80]!r}")
        return score

    def grade(
        self,
        *,
        question: str,
        answer: str,
        reference: str | None,
        quotes: Sequence[str],
        refused: bool,
    ) -> Grade:
        """Correctness when there is a reference; faithfulness when there is an answer."""
        grade = Grade()
        if reference is not None:
            grade.correctness = self._score(
                correctness_messages(question, answer, reference), "correctness", grade
            )
        if not refused:
            grade.faithfulness = self._score(
                faithfulness_messages(answer, quotes), "faithfulness", grade
            )
        return grade

"""What the pipeline needs from its parts: the ``Synthesizer`` and ``Condenser`` protocols.

A synthesizer turns retrieved passages into a cited ``Answer`` (streaming
its text first); a condenser turns a follow-up into a standalone question.
The offline and the LLM implementations sit behind the same protocols, and
the composition root (``Assistant``) decides which ones a pipeline gets.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from typing import Protocol

from rag.models import Answer, Passage

History = Sequence[dict[str, str]]


class Synthesizer(Protocol):
    """Builds the answer to a (standalone) question from passages."""

    name: str
    min_passages: int  # retrieve at least this many passages for it (0: as asked)

    def stream(
        self, question: str, standalone: str, history: History, passages: Sequence[Passage]
    ) -> Generator[str, None, Answer]:
        """Yield the answer text as deltas; return the final, cited Answer."""
        ...


class Condenser(Protocol):
    """Rewrites a follow-up question so it stands alone."""

    def condense(self, question: str, history: History) -> str:
        """The standalone question (the question itself when there is no history)."""
        ...


def stream_sentences(answer: Answer) -> Generator[str, None, Answer]:
    """Yield a finished answer one cited sentence at a time, then return it.

    The offline answerers build the whole answer at once; streaming it by
    sentence keeps the chat responsive in the same way an LLM's deltas do.
    """
    pieces = re.split(r"(?<=\]) ", answer.text)
    for i, piece in enumerate(pieces):
        yield piece if i == len(pieces) - 1 else piece + " "
    return answer

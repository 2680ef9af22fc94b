"""LLM answers and LLM follow-up rewriting, behind the pipeline's protocols.

Generated answers cite with ``[n]`` markers; ``CitationBuilder`` parses and
verifies them. An answer that cites nothing is not grounded (or obeyed an
injected instruction): it raises ``ModelError`` so the pipeline can fall
back to the offline answer and say why.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence

from rag.citations import CitationBuilder
from rag.errors import ModelError
from rag.llm import ChatLLM
from rag.markers import REFUSAL, is_refusal, split_marked
from rag.models import Answer, Passage
from rag.prompts import answer_messages, condense_messages
from rag.synthesis import Condenser, History

log = logging.getLogger(__name__)


class LLMSynthesizer:
    """Streams an LLM's answer over the passages and verifies its citations."""

    def __init__(self, llm: ChatLLM, citations: CitationBuilder) -> None:
        self.llm = llm
        self.citations = citations
        self.name = llm.name
        self.min_passages = 0

    def stream(
        self, question: str, standalone: str, history: History, passages: Sequence[Passage]
    ) -> Generator[str, None, Answer]:
        """Yield the model's deltas; return the verified Answer."""
        if not passages:
            yield REFUSAL
            return Answer(text=REFUSAL, refused=True, answerer=self.name)
        messages = answer_messages(standalone, passages, list(history))
        parts: list[str] = []
        for delta in self.llm.stream(messages):
            parts.append(delta)
            yield delta
        raw = "".join(parts).strip()
        if not raw:
            raise ModelError(f"The model {self.name} returned an empty answer.")
        if is_refusal(raw):
            return Answer(text=REFUSAL, refused=True, answerer=self.name)
        text, citations = self.citations.build(raw, passages)
        if not citations:
            raise ModelError(f"The model {self.name} answered without citing any passage.")
        return Answer(
            text=text, citations=citations, answerer=self.name, notice=uncited_notice(text)
        )


class LLMCondenser:
    """Asks the LLM to rewrite a follow-up; the offline condenser when it fails."""

    def __init__(self, llm: ChatLLM, offline: Condenser) -> None:
        self.llm = llm
        self.offline = offline

    def condense(self, question: str, history: History) -> str:
        """The model's standalone question, or the offline rewrite."""
        if not history:
            return question
        try:
            rewritten = self.llm.complete(condense_messages(question, list(history))).strip()
            if rewritten:
                return rewritten.splitlines()[0][:1000]
        except ModelError as exc:
            log.warning("LLM condense failed, rewriting offline: %s", exc)
        return self.offline.condense(question, history)


def uncited_notice(text: str) -> str | None:
    """A notice when some sentences of a generated answer cite no passage."""
    uncited = sum(1 for _, numbers in split_marked(text) if not numbers)
    if not uncited:
        return None
    return (
        f"{uncited} sentence{'s' if uncited > 1 else ''} of this answer cite no passage; "
        "the articles may not support them."
    )

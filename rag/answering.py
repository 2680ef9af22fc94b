"""The answering chain: condense → retrieve → synthesize → cite and verify."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

from index.embedders import Embedder
from rag.citations import CitationBuilder
from rag.condense import condense_offline
from rag.errors import ModelError
from rag.extractive import REFUSAL, ExtractiveSynthesizer
from rag.models import Answer, Filters, Passage
from rag.retrieval import HybridRetriever
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.llm import ChatLLM

log = logging.getLogger(__name__)
History = list[dict[str, str]]


class AnswerPipeline:
    """Runs one question through the chain, streaming text then the Answer."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        retriever: HybridRetriever,
        llm: ChatLLM | None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.llm = llm
        self.extractive = ExtractiveSynthesizer(
            embedder,
            idf=retriever.idf,
            max_sentences=settings.max_answer_sentences,
            refusal_threshold=settings.refusal_threshold,
            min_coverage=settings.min_coverage,
        )
        self.citations = CitationBuilder(embedder, support_threshold=settings.support_threshold)

    def _use_llm(self, answerer: str | None) -> bool:
        if self.llm is None or answerer == "extractive":
            return False
        return answerer in (None, self.llm.name, "llm", self.settings.llm_mode)

    def run(
        self, question: str, history: History, filters: Filters | None, k: int, answerer: str | None
    ) -> Iterator[str | Answer]:
        """Yield text deltas, then the final Answer."""
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        use_llm = self._use_llm(answerer)
        standalone = self._condense(question, history, use_llm)
        timings["condense_ms"] = (time.perf_counter() - clock) * 1000
        clock = time.perf_counter()
        passages = self.retriever.retrieve(standalone, k, filters)
        timings["retrieve_ms"] = (time.perf_counter() - clock) * 1000
        clock = time.perf_counter()
        answer: Answer | None = None
        notice = None
        if use_llm:
            try:
                answer = yield from self._generate(question, standalone, history, passages)
            except ModelError as exc:
                if not self.settings.fallback_extractive:
                    raise
                log.warning("LLM failed, using the offline answer: %s", exc)
                notice = f"{exc} This is the offline answer instead."
                yield "\n\n"  # separate any partial LLM text already streamed
        if answer is None:
            answer = self._extract(standalone, passages)
            answer.notice = notice
            # One delta per cited sentence, so the offline answer streams too.
            pieces = re.split(r"(?<=\]) ", answer.text)
            for i, piece in enumerate(pieces):
                yield piece if i == len(pieces) - 1 else piece + " "
        timings["answer_ms"] = (time.perf_counter() - clock) * 1000
        timings["total_ms"] = sum(timings.values())
        answer.question = question
        answer.condensed_question = standalone
        answer.passages = passages
        answer.timings = timings
        yield answer

    def _condense(self, question: str, history: History, use_llm: bool) -> str:
        if not history:
            return question
        if use_llm and self.llm is not None:
            from rag.prompts import condense_messages

            try:
                rewritten = self.llm.complete(condense_messages(question, history)).strip()
                if rewritten:
                    return rewritten.splitlines()[0][:1000]
            except ModelError as exc:
                log.warning("LLM condense failed, rewriting offline: %s", exc)
        return condense_offline(question, history)

    def _extract(self, question: str, passages: list[Passage]) -> Answer:
        chosen = self.extractive.select(question, passages)
        if not chosen:
            return Answer(text=REFUSAL, refused=True, answerer="extractive")
        text, citations = self.extractive.compose(chosen, passages)
        return Answer(text=text, citations=citations, answerer="extractive")

    def _generate(
        self, question: str, standalone: str, history: History, passages: list[Passage]
    ) -> Generator[str, None, Answer]:
        """Stream the LLM's answer deltas; returns the verified Answer."""
        from rag.prompts import REFUSAL_TEXT, answer_messages, is_refusal

        assert self.llm is not None
        if not passages:
            yield REFUSAL_TEXT
            return Answer(text=REFUSAL_TEXT, refused=True, answerer=self.llm.name)
        messages = answer_messages(standalone, passages, history)
        parts: list[str] = []
        for delta in self.llm.stream(messages):
            parts.append(delta)
            yield delta
        raw = "".join(parts).strip()
        if not raw:
            raise ModelError(f"The model {self.llm.name} returned an empty answer.")
        if is_refusal(raw):
            return Answer(text=REFUSAL_TEXT, refused=True, answerer=self.llm.name)
        text, citations = self.citations.build(raw, passages)
        if not citations:
            # An answer that cites nothing is not grounded (or obeyed an injected
            # instruction): show the offline answer instead, and say why.
            raise ModelError(f"The model {self.llm.name} answered without citing any passage.")
        return Answer(
            text=text,
            citations=citations,
            answerer=self.llm.name,
            notice=_uncited_notice(text),
        )


def _uncited_notice(text: str) -> str | None:
    """A notice when some sentences of a generated answer cite no passage."""
    from rag.citations import split_marked

    uncited = sum(1 for _, numbers in split_marked(text) if not numbers)
    if not uncited:
        return None
    return (
        f"{uncited} sentence{'s' if uncited > 1 else ''} of this answer cite no passage; "
        "the articles may not support them."
    )

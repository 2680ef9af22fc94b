"""The answering chain: condense → retrieve → synthesize → cite and verify.

``AnswerPipeline`` only sequences parts it is given (a retriever, a
condenser per answerer, the synthesizers); building them from settings is
the composition root's job (``rag.assistant``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from rag.errors import InputError, ModelError
from rag.languages import offline_language_notice
from rag.models import Answer, Filters, Passage
from rag.synthesis import Condenser, History, Synthesizer, stream_sentences

log = logging.getLogger(__name__)


class Retriever(Protocol):
    """What the pipeline needs from retrieval (``HybridRetriever`` is one)."""

    def retrieve(self, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
        """Top-k passages for the query."""
        ...


class AnswerPipeline:
    """Runs one question through the chain, streaming text then the Answer."""

    def __init__(
        self,
        *,
        retriever: Retriever,
        offline: Synthesizer,
        offline_condenser: Condenser,
        others: Sequence[Synthesizer] = (),
        generative: Synthesizer | None = None,
        generative_condenser: Condenser | None = None,
        aliases: Mapping[str, str] = {},
        fallback_offline: bool = True,
    ) -> None:
        """``others``: offline answerers chosen by name only (``answerer="reader"``).

        ``aliases``: other names the generative answerer answers to ('llm', 'openai').
        """
        self.retriever = retriever
        self.offline = offline
        self.generative = generative
        self.condensers = {offline.name: offline_condenser}
        self.synthesizers = {offline.name: offline}
        for other in others:
            self.synthesizers[other.name] = other
            self.condensers[other.name] = offline_condenser
        if generative is not None:
            self.synthesizers[generative.name] = generative
            self.condensers[generative.name] = generative_condenser or offline_condenser
            for alias in aliases:
                self.synthesizers.setdefault(alias, generative)
                self.condensers.setdefault(alias, self.condensers[generative.name])
        self.fallback_offline = fallback_offline

    def names(self) -> list[str]:
        """Answerer names: the other offline ones, the default offline one, the generative."""
        generative = [self.generative] if self.generative is not None else []
        others = [
            s.name
            for name, s in self.synthesizers.items()
            if name == s.name and s is not self.offline and s not in generative
        ]
        return [*others, self.offline.name, *(g.name for g in generative)]

    def choose(self, answerer: str | None) -> Synthesizer:
        """The synthesizer named ``answerer`` (default: generative when configured)."""
        if answerer is None:
            return self.generative or self.offline
        try:
            return self.synthesizers[answerer]
        except KeyError:
            names = ", ".join(sorted(self.synthesizers))
            raise InputError(f"Unknown answerer {answerer!r}; use one of: {names}.") from None

    def run(
        self, question: str, history: History, filters: Filters | None, k: int, answerer: str | None
    ) -> Iterator[str | Answer]:
        """Yield text deltas, then the final Answer."""
        synthesizer = self.choose(answerer)
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        standalone = self.condensers[synthesizer.name].condense(question, history)
        timings["condense_ms"] = (time.perf_counter() - clock) * 1000
        clock = time.perf_counter()
        # The reader was calibrated on 10 passages; the others use what was asked for.
        passages = self.retriever.retrieve(standalone, max(k, synthesizer.min_passages), filters)
        timings["retrieve_ms"] = (time.perf_counter() - clock) * 1000
        clock = time.perf_counter()
        try:
            answer = yield from synthesizer.stream(question, standalone, history, passages)
        except ModelError as exc:
            if synthesizer is self.offline or not self.fallback_offline:
                raise
            log.warning("LLM failed, using the offline answer: %s", exc)
            yield "\n\n"  # separate any partial LLM text already streamed
            offline = self.offline.stream(question, standalone, history, passages)
            answer = yield from offline
            answer.notice = f"{exc} This is the offline answer instead."
            synthesizer = self.offline
        language = offline_language_notice(question) if synthesizer is not self.generative else None
        if language:  # the offline answerers read English only: say so, not just refuse
            answer = answer.with_notice(language)
        timings["answer_ms"] = (time.perf_counter() - clock) * 1000
        timings["total_ms"] = sum(timings.values())
        answer.question = question
        answer.condensed_question = standalone
        answer.passages = passages
        answer.timings = timings
        yield answer


__all__ = ["AnswerPipeline", "Retriever", "stream_sentences"]

"""The one retry policy: bounded exponential backoff with jitter, honouring Retry-After.

Used for every remote call the project makes: the Chroma server
(``index.chroma_client``), the embedding endpoint (``index.openai_embedder``)
and the chat model (``rag.llm``). Calls run through tenacity; the LLM's
streaming loop, which must not retry once text was shown, asks ``delay``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """``retries`` more attempts after the first, waiting first·factorⁿ (jittered, capped)."""

    retries: int = 2
    first: float = 0.5
    factor: float = 2.0
    cap: float = 8.0
    jitter: float = 0.2  # ±20 %, so clients that failed together do not retry in lockstep

    def delay(self, attempt: int, retry_after: float = 0.0) -> float:
        """Seconds to wait after failed attempt ``attempt`` (0-based).

        >>> Backoff(first=0.25, factor=3.0, jitter=0.0).delay(1)
        0.75
        >>> Backoff(first=0.5, jitter=0.0, cap=8.0).delay(0, retry_after=30.0)
        8.0
        """
        base = self.first * self.factor**attempt
        if self.jitter:
            base *= random.uniform(1 - self.jitter, 1 + self.jitter)
        return min(max(base, retry_after), self.cap)

    def call(self, fn: Callable[[], T], retry_on: tuple[type[BaseException], ...]) -> T:
        """``fn()``, retried on ``retry_on`` errors; the last error is re-raised."""

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return self.delay(state.attempt_number - 1, float(getattr(exc, "retry_after", 0.0)))

        def before_sleep(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            wait_s = state.next_action.sleep if state.next_action else 0.0
            log.warning("%s Retrying in %.2f s.", exc, wait_s)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.retries + 1),
            wait=wait,
            retry=tenacity.retry_if_exception_type(retry_on),
            before_sleep=before_sleep,
            reraise=True,
        )
        return retrying(fn)

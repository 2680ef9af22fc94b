"""A scored answer candidate: what reading, the latest-value rule and grouping share."""

from __future__ import annotations

from dataclasses import dataclass

from rag.reader.candidates import Candidate


@dataclass(frozen=True)
class Scored:
    """A candidate with its features and probability."""

    candidate: Candidate
    features: tuple[float, ...]
    probability: float
    vouched: bool = False  # a rule floor, not the fitted score, says it answers

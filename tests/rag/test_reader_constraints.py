"""The reader's date and role constraints: an answer must be of the asked day or month
and fill the asked slot of the question's verb."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.models import Passage
from rag.reader.date_constraints import date_match, day_numbers, question_dates
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.reading import candidates_for
from rag.reader.roles import AGENT, PATIENT
from tests.rag.test_reader import passage


@pytest.fixture(scope="module")
def annotator() -> SpacyAnnotator:
    return SpacyAnnotator()


def candidate_texts(question: str, passages: list[Passage], annotator: SpacyAnnotator) -> set[str]:
    q = analyse(question, annotator)
    return {c.text for c in candidates_for(q, read_passages(passages, annotator))}


def test_question_dates_and_their_day_numbers() -> None:
    assert question_dates("How many ships were waiting on September 16?") == ("09-16",)
    assert question_dates("Who voted against the December 2025 cut?") == ("12",)
    assert question_dates("Who won the final?") == ()
    assert day_numbers("on September 16 and May 2") == {"16", "2"}


def test_a_day_number_is_a_date_not_a_number_to_match(annotator: SpacyAnnotator) -> None:
    q = analyse("How many ships were waiting outside Portvale on September 16?", annotator)
    assert q.dates == ("09-16",)
    assert "16" not in q.numbers


def test_how_much_money_expects_money_first(annotator: SpacyAnnotator) -> None:
    q = analyse("How much money will Halvard put into the retraining fund?", annotator)
    assert q.answer_types[0] == "money"


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who won the presidential runoff?", AGENT),
        ("Which cabinet member visited Caracas?", AGENT),
        ("Whom did Sofia Lindahl beat in the final?", PATIENT),
        ("Who did Petrova beat in the runoff?", PATIENT),
        ("Who was appointed mediator?", PATIENT),
        ("Who is the mayor of Kessby?", None),
    ],
)
def test_question_role(question: str, role: str | None, annotator: SpacyAnnotator) -> None:
    assert analyse(question, annotator).role == role


def test_an_answer_is_of_the_asked_day(annotator: SpacyAnnotator) -> None:
    passages = [
        passage("By Monday, 21 container ships were waiting outside Portvale.", "a", "2025-09-09"),
        passage("On Tuesday, 71 container ships were waiting outside Portvale.", "b", "2025-09-16"),
    ]
    got = candidate_texts(
        "How many ships were waiting outside Portvale on September 16?", passages, annotator
    )
    assert "71" in got
    assert "21" not in got
    s = read_passages(passages, annotator)
    assert [date_match(("09-16",), x) for x in s] == [0.0, 1.0]
    assert date_match((), s[0]) == 1.0  # no date asked: satisfied


def test_a_month_named_next_to_the_candidate_rules_it_out(annotator: SpacyAnnotator) -> None:
    text = (
        "Ines Varga was the only member to vote against the cut. "
        "Tobias Reinholt, who voted against the September cut, supported the decision this time."
    )
    got = candidate_texts(
        "Who voted against the December rate cut?", [passage(text, "dec", "2025-12-11")], annotator
    )
    assert "Ines Varga" in got
    assert "Tobias Reinholt" not in got


def test_the_candidate_fills_the_asked_role(annotator: SpacyAnnotator) -> None:
    text = "Labour Minister Idris Banerjee appointed Clara Obi as mediator on Tuesday."
    passages = [passage(text, "port", "2025-09-16")]
    appointed = candidate_texts("Who was appointed mediator?", passages, annotator)
    appointer = candidate_texts("Who appointed the mediator?", passages, annotator)
    assert any("Obi" in c for c in appointed)
    assert not any("Banerjee" in c for c in appointed)
    assert any("Banerjee" in c for c in appointer)
    assert not any("Obi" in c for c in appointer)


def test_who_is_reads_the_title_before_a_swallowed_name(annotator: SpacyAnnotator) -> None:
    from rag.reader.synthesizer import ReadingSynthesizer

    machado = (
        "On Sunday, Venezuela's top opposition leader and winner of the 2025 Nobel Peace Prize "
        "María Corina Machado said that she will return to Venezuela in the coming weeks."
    )
    delcy = "Acting President Delcy Rodríguez, formerly Maduro's vice president, spoke on TV."
    reader = ReadingSynthesizer(annotator)
    both = [passage(delcy, "a", "2026-03-05"), passage(machado, "b", "2026-03-05")]
    answer = reader.answer("Who is María Corina Machado?", both)
    assert answer.text.startswith("Top opposition leader and winner of the 2025 Nobel Peace")
    # Another person's title never answers: with only Delcy's sentence, refuse.
    only_delcy = reader.answer("Who is María Corina Machado?", both[:1])
    assert only_delcy.refused

"""What a thing is ('What is thermal runaway?', 'What does ENA stand for?'), the kinds of
thing a focus noun asks for ('What fine ...?', 'Which fire chief ...?'), durations that
are idioms, and yes/no questions about a named doer."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.features import FEATURES
from rag.reader.floors import Floors
from rag.reader.question import analyse
from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer
from tests.rag.test_reader import candidates_in, passage

RUNAWAY = (
    "Engineers believe a manufacturing defect can lead to thermal runaway, a chain reaction "
    "in which one overheating cell heats its neighbours until the whole battery catches fire."
)


@pytest.fixture(scope="module")
def reader(annotator: SpacyAnnotator) -> ReadingSynthesizer:
    return ReadingSynthesizer(annotator)


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What is thermal runaway?", "thermal runaway"),
        ("What is thermal runaway in a battery?", "thermal runaway"),
        ("What is a runoff?", "runoff"),
        ("What does a runoff mean in a Lorvenian mayoral election?", "runoff"),
        ("What does ENA stand for in the Calden hospital dispute?", "ENA"),
        ("Who is Maduro?", "Maduro"),
    ],
)
def test_a_copula_and_a_bare_noun_ask_what_the_thing_is(
    question: str, subject: str, annotator: SpacyAnnotator
) -> None:
    q = analyse(question, annotator)
    assert (q.qtype, q.subject) == ("definition", subject)
    assert "role" not in q.answer_types or question.startswith("Who")
    assert "mean" not in q.relation and "stand" not in q.relation


@pytest.mark.parametrize(
    "question",
    [
        "What is the capacity of the ground?",  # an attribute of a thing
        "What is Kestrel's revenue?",  # an attribute of a named thing
        "What was the score?",
    ],
)
def test_an_attribute_is_no_definition(question: str, annotator: SpacyAnnotator) -> None:
    assert analyse(question, annotator).qtype != "definition"


def test_a_definition_is_the_appositive_after_the_words(reader: ReadingSynthesizer) -> None:
    # spaCy hangs 'a chain reaction' on 'defect': right after the words it still defines them.
    answer = reader.answer("What is thermal runaway in a battery?", [passage(RUNAWAY)])
    assert answer.text.startswith("A chain reaction in which one overheating cell heats")


def test_an_acronym_is_the_name_spelled_out_before_it(reader: ReadingSynthesizer) -> None:
    text = "Striking nurses of the Estmark Nurses' Association (ENA) marched on Friday."
    answer = reader.answer("What does ENA stand for?", [passage(text)])
    assert answer.text.startswith("Estmark Nurses' Association [1].")


@pytest.mark.parametrize(
    ("question", "types"),
    [
        ("What fine was imposed on the construction company?", ("money",)),
        ("What penalty did the court impose?", ("money",)),
        ("At which hospital did Marta Kovel work?", ("organisation", "place")),
    ],
)
def test_a_focus_noun_names_the_answer_kind(
    question: str, types: tuple[str, ...], annotator: SpacyAnnotator
) -> None:
    assert analyse(question, annotator).answer_types == types


def test_a_fine_is_the_amount_fined(reader: ReadingSynthesizer) -> None:
    text = "Grevik Construction was fined €4 million and barred from bidding for five years."
    answer = reader.answer("What fine was imposed on Grevik Construction?", [passage(text)])
    assert answer.text.startswith("€4 million [1].")


def test_one_day_i_will_is_no_duration(reader: ReadingSynthesizer) -> None:
    quote = '"I told you last year that one day I would stand here with the cup," Marr said.'
    answer = reader.answer("How long did the men's final last?", [passage(quote)])
    assert answer.text == REFUSAL
    lasted = passage(quote + " The final lasted three hours.")
    answer = reader.answer("How long did the men's final last?", [lasted])
    assert answer.text.startswith("Three hours [1].")


def test_a_yes_no_question_needs_its_named_doer(reader: ReadingSynthesizer) -> None:
    # 'ENA' is no entity to spaCy here; a league board's vote still does not answer.
    league = passage(
        "The league's board voted 9-2 to approve the €192 million purchase of an 80% stake.",
        title="League approves takeover",
    )
    question = "Did ENA members approve the pay deal in their ballot?"
    assert reader.answer(question, [league]).text == REFUSAL
    ballot = passage("ENA members voted to approve the pay deal in a ballot on Monday.")
    assert reader.answer(question, [ballot]).text.startswith("Yes")


def test_a_title_with_the_asked_modifiers_vouches_for_the_person(
    annotator: SpacyAnnotator,
) -> None:
    # The sentence says 'said', not 'commented': its idf match is low, the title is sure.
    text = "Fire chief Rolf Hagen said the scooter had been left charging overnight."
    no_evidence = [0.0] * len(FEATURES)
    for question, floor in (
        ("Which fire chief commented on the scooter blaze?", 0.7),
        ("Which police chief commented on the scooter blaze?", 0.0),
        ("Which chief commented on the scooter blaze?", 0.0),  # no modifier: needs evidence
    ):
        q = analyse(question, annotator)
        hagen = next(c for c in candidates_in(q, text, annotator) if c.text == "Rolf Hagen")
        assert Floors.of(q).floor(hagen, no_evidence) == floor, question


def test_a_thing_has_no_title(reader: ReadingSynthesizer) -> None:
    # 'the winner of the presidential runoff' is a title of Petrova's, no definition.
    text = "The commission certified Ana Petrova as the winner of the presidential runoff."
    assert reader.answer("What is a runoff?", [passage(text)]).text == REFUSAL


def test_a_place_that_sets_the_scene_names_no_offshoot_of_the_defined_thing(
    reader: ReadingSynthesizer,
) -> None:
    text = (
        "CALDEN, July 3 (EBC News) - The Estmark Nurses' Association (ENA), the trade union "
        "that represents most nursing staff, called the walkout after talks with the Calden "
        "Hospitals Board broke down on Friday evening."
    )
    answer = reader.answer(
        "What does ENA stand for in the Calden hospital dispute?", [passage(text)]
    )
    assert answer.text.startswith("Estmark Nurses' Association [1].")

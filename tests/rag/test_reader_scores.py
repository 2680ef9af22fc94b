"""Scorelines and vote tallies, and which draw or year a sentence tells of."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.counts import counting_the_asked
from rag.reader.question import analyse
from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer
from tests.rag.test_reader import candidates_in, passage
from tests.rag.test_reader_constraints import candidate_texts
from tests.rag.test_reader_spans import candidates

MEN = passage(
    "CALDEN, June 8 (Calden Daily) - Nikolai Verhoeven of the Netherlands won the Calden "
    "Open men's final on Sunday, beating home favourite Elias Marr 7-6 (4), 6-3 to end the "
    "22-year-old's bid to become the first Estmark man to lift the trophy since 1998.",
    doc_id="men.txt",
    date="2025-06-08",
)
WOMEN = passage(
    "CALDEN, June 7 (EBC News) - Amara Osei of Ghana won the Calden Open women's final on "
    "Saturday, beating defending champion Sofia Lindahl of Sweden 6-4, 3-6, 7-5.",
    doc_id="women.txt",
    date="2025-06-07",
)


def test_a_score_question_expects_a_score(annotator: SpacyAnnotator) -> None:
    assert analyse("What was the scoreline of the final?", annotator).answer_types == ("score",)
    split = analyse("How did the committee split on the December decision?", annotator)
    assert split.answer_types == ("score",)


@pytest.mark.parametrize(
    ("question", "score"),
    [
        ("What was the scoreline of the 2025 men's final?", "7-6 (4), 6-3"),
        ("What was the score of the 2025 women's final?", "6-4, 3-6, 7-5"),
    ],
)
def test_the_score_of_the_asked_draw(question: str, score: str, annotator: SpacyAnnotator) -> None:
    answer = ReadingSynthesizer(annotator).answer(question, [WOMEN, MEN])
    assert answer.text.startswith(f"{score} [1]."), answer.text


def test_a_vote_tally_answers_how_the_committee_split(annotator: SpacyAnnotator) -> None:
    text = "The rate-setting committee voted 6-1 for the December decision to cut rates."
    question = "How did the rate-setting committee split on the December decision?"
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert answer.text.startswith("6-1 [1]."), answer.text


def test_a_sentence_about_the_womens_title_tells_no_mens_result(
    annotator: SpacyAnnotator,
) -> None:
    question = "Who won the men's singles at the Calden Open in 2025?"
    assert "Amara Osei" not in candidate_texts(question, [WOMEN], annotator)
    assert "Nikolai Verhoeven" in candidate_texts(question, [MEN], annotator)
    which = "Which woman won the 2025 Calden Open?"
    assert "Nikolai Verhoeven" not in candidate_texts(which, [MEN], annotator)


def test_since_a_year_does_not_date_the_sentence(annotator: SpacyAnnotator) -> None:
    # 'since 1998' compares; the final is the article's, of 2025.
    question = "Who won the men's singles at the Calden Open in 2025?"
    assert "Nikolai Verhoeven" in candidate_texts(question, [MEN], annotator)
    mortgages = passage(
        "Homeowners with variable-rate mortgages have seen their monthly payments rise by "
        "about 40% since 2022.",
        date="2026-03-12",
    )
    answer = ReadingSynthesizer(annotator).answer(
        "By how much have variable-rate mortgage payments risen since 2022?", [mortgages]
    )
    assert answer.text != REFUSAL


def test_a_score_of_an_earlier_round_is_not_the_finals(annotator: SpacyAnnotator) -> None:
    text = (
        "Conti, who lost the 2024 final to Joaquin Ferro, beat Brazilian qualifier Thiago "
        "Rocha 7-5, 6-4 in the other semi-final."
    )
    question = "What was the score of the 2024 men's final between Ferro and Conti?"
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text, date="2025-06-06")])
    assert answer.text == REFUSAL


def test_a_sentence_about_another_quarter_is_no_answer(annotator: SpacyAnnotator) -> None:
    text = (
        "The data analytics firm swung to a net loss of $31 million for the April-June "
        "quarter, from a profit of $14 million a year earlier."
    )
    found = candidate_texts(
        "What net loss did the firm report for the third quarter?", [passage(text)], annotator
    )
    assert not found & {"$31 million", "$14 million"}
    found = candidate_texts(
        "What net loss did the firm report for the second quarter?", [passage(text)], annotator
    )
    assert "$31 million" in found


def test_how_many_x_takes_the_number_that_counts_x(annotator: SpacyAnnotator) -> None:
    text = (
        "Commission chair Beatrix Noll said 43 polling stations in the province had been "
        "damaged or were inaccessible, and that thousands of voters had been forced from "
        "their homes."
    )
    q = analyse("How many polling stations were damaged?", annotator)
    found = candidates_in(q, text, annotator)
    assert {"43", "thousands"} <= {c.text for c in found}
    assert {c.text for c in counting_the_asked(q, found)} == {"43"}


def test_a_share_a_fraction_or_a_rank_is_read_without_an_entity_label(
    annotator: SpacyAnnotator,
) -> None:
    share = passage(
        "Arlen handled 4.1 million boxes in 2024, roughly 62% of all container traffic."
    )
    got = candidates(
        "Roughly what proportion of container traffic goes through Arlen?", [share], annotator
    )
    assert got["roughly 62%"].ctype == "percent"  # 'roughly' is no question word in it
    third = passage("Halden province produces about a third of Estmark's vegetables.")
    got = candidates(
        "What share of Estmark's vegetables does Halden province produce?", [third], annotator
    )
    assert got["about a third"].ctype == "percent"
    rank = passage(
        "The run to the final will lift Marr to a career-high 22nd in the world rankings."
    )
    assert "22nd" in candidates("What ranking did Marr climb to?", [rank], annotator)


def test_a_number_that_counts_the_asked_noun_answers(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    text = "The harbour master said 71 container ships were waiting off the coast of Arlen."
    answer = reader.answer("How many ships were waiting off Arlen?", [passage(text)])
    assert answer.text.startswith("71 container ships [1].")
    # The same sentence counts no cranes: no floor, and no answer.
    answer = reader.answer("How many cranes were waiting off Arlen?", [passage(text)])
    assert answer.text == REFUSAL
    # 'The number / count of ships' asks the same count.
    for question in (
        "What was the count of ships waiting off Arlen?",
        "What was the number of ships waiting off Arlen?",
    ):
        assert reader.answer(question, [passage(text)]).text.startswith("71 [1]."), question


def test_how_much_was_it_costing_asks_for_money(annotator: SpacyAnnotator) -> None:
    q = analyse("How much was the shutdown costing the carmaker each day?", annotator)
    assert q.answer_types[0] == "money"


def test_the_asked_measure_keeps_its_qualifiers(annotator: SpacyAnnotator) -> None:
    headline = passage("Inflation jumped to 3.1% in February, the statistics office said.")
    core = passage("Core inflation, which excludes food and energy, rose to 2.9%.", doc_id="b.txt")
    found = candidate_texts("What was core inflation last month?", [headline, core], annotator)
    assert "2.9%" in found and "3.1%" not in found
    # With no passage on core inflation, the qualifier rules nothing out.
    assert "3.1%" in candidate_texts("What was core inflation last month?", [headline], annotator)


def test_a_topic_word_is_no_qualifier_of_the_measure(annotator: SpacyAnnotator) -> None:
    toll = passage("The death toll from the floods rose to 23 on Friday.")
    later = passage("The death toll rose to 29, the rescue service said.", doc_id="b.txt")
    found = candidate_texts("What was the flood death toll?", [toll, later], annotator)
    assert {"23", "29"} <= found  # 'flood' names the story, not another toll
    # 'death' does name the measure: a toll of something else is ruled out.
    roads = passage("The road toll rose to 12.", doc_id="c.txt")
    assert "12" not in candidate_texts("What was the flood death toll?", [toll, roads], annotator)


def test_one_who_left_the_post_is_no_current_holder(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator, threshold=0.2)  # the cue, not the calibration
    text = (
        "After Jobs resigned as CEO and became chairman of the board, Cook was named the "
        "new chief executive officer of Apple Inc."
    )
    answer = reader.answer("Who is the CEO of Apple?", [passage(text)])
    assert answer.text.startswith("Cook [1]."), answer.text
    # Asked who left, the one who left answers.
    left = reader.answer("Who resigned as CEO of Apple?", [passage(text)])
    assert left.text.startswith("Jobs [1]."), left.text

"""What a number measures: the measure word is evidence ('Revenue fell 18% to €142
million'), a ground's capacity is what it holds, a side of a score counts nothing, and a
question's 'original' or 'previous' picks a value in time without being a word the
sentence must repeat."""

from __future__ import annotations

from index.annotate import SpacyAnnotator
from rag.reader.evidence import term_alternatives
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.reading import candidates_for
from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer
from tests.rag.test_reader import passage

KESTREL = (
    "Kestrel Mobility reported a net loss of €21 million for the second quarter on Wednesday "
    "as the cost of its scooter recall wiped out its profits. Revenue fell 18% to €142 "
    "million from €173 million a year earlier, hit by the sales halt."
)


def test_the_measure_asked_is_a_word_the_answer_says(annotator: SpacyAnnotator) -> None:
    q = analyse("What was Kestrel's revenue in the second quarter?", annotator)
    assert "revenue" in term_alternatives(q)  # not dropped like the 'city' of 'which city'
    assert "city" not in term_alternatives(analyse("Which city hosted the final?", annotator))
    answer = ReadingSynthesizer(annotator).answer(
        "What was Kestrel's revenue in the second quarter?", [passage(KESTREL)]
    )
    assert answer.text.startswith("€142 million [1].")


def test_a_grounds_capacity_is_what_it_holds(annotator: SpacyAnnotator) -> None:
    q = analyse("What is the capacity of Calden FC's current ground?", annotator)
    assert q.answer_types == ("number",)
    assert "current" not in term_alternatives(q)
    # 'holds' says the asked relation: without it no sentence of the passage would be read.
    text = "Calden FC have played at Riverside Park since 1921. Riverside Park holds 24,500 people."
    found = candidates_for(q, read_passages([passage(text)], annotator))
    assert "24,500" in [c.text for c in found]


def test_a_side_of_a_score_counts_nothing(annotator: SpacyAnnotator) -> None:
    q = analyse("What was attendance at the Calden Open in 2026?", annotator)
    text = (
        "Elias Marr became the first Estmark man to win the Calden Open in 28 years on Sunday, "
        "beating Italy's Dario Conti 6-4, 6-7 (5), 6-3 in front of a delirious home crowd. "
        "Organisers will publish the attendance on Monday."
    )
    found = candidates_for(q, read_passages([passage(text)], annotator))
    assert not [c.text for c in found if c.text in ("6", "4", "7", "5", "3")]
    answer = ReadingSynthesizer(annotator).answer(q.text, [passage(text)])
    assert answer.text == REFUSAL


def test_an_amount_counted_in_the_asked_noun_answers(annotator: SpacyAnnotator) -> None:
    text = (
        "Brightwell expects buying Lumora to generate about $180 million in annual cost "
        "savings by 2027, mainly from moving Lumora's products onto its data centres."
    )
    question = "What annual cost savings does Brightwell expect from buying Lumora?"
    reader = ReadingSynthesizer(annotator, threshold=0.65)  # the floor, not the fitted score
    answer = reader.answer(question, [passage(text)])
    assert answer.text.startswith("About $180 million [1]."), answer.text
    other = (
        "Brightwell expects buying Lumora to cost about $180 million in fees by 2027, "
        "mainly from moving Lumora's products onto its data centres."
    )
    assert reader.answer(question, [passage(other)]).refused

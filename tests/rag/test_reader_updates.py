"""The latest of several reported values, for questions that ask for it."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.reading import read
from rag.reader.synthesizer import ReadingSynthesizer
from rag.reader.updates import asks_latest, value_key
from tests.rag.test_reader import passage

FIRST = passage(
    "The Estmark Chamber of Commerce estimates that the strike is costing the national "
    "economy about €40 million a day in delayed exports and lost sales.",
    "first.txt",
    "2025-09-12",
)
LATER = passage(
    "The Estmark Chamber of Commerce on Monday raised its estimate of the strike's cost to "
    "the economy to €55 million a day, from €40 million last week.",
    "later.txt",
    "2025-09-22",
)


def test_which_questions_ask_for_the_latest_value(annotator: SpacyAnnotator) -> None:
    def latest(question: str) -> bool:
        return asks_latest(analyse(question, annotator))

    assert latest("According to the latest estimate, how much was the strike costing?")
    assert latest("In the final count, how many homes were destroyed?")
    assert latest("What did the bridge end up costing?")
    assert not latest("How did Osei win the final point of the 2025 final?")
    assert not latest("How much was the strike costing on September 12?")  # a date: that day's
    assert latest("How big is the breakup fee under the revised agreement?")
    assert latest("What is the fund currently worth?")
    assert latest("What was the corrected turnout in the first round?")
    assert latest("What is the final death toll of the floods?")


def test_a_revised_agreement_takes_the_new_value(annotator: SpacyAnnotator) -> None:
    revised = passage(
        "The revised agreement also reduces the breakup fee Brightwell would owe if the deal "
        "falls through to $120 million, from $150 million."
    )
    reader = ReadingSynthesizer(annotator)
    q = reader.analyse("How big is the breakup fee under the revised agreement?")
    groups = read(q, read_passages([revised], annotator), reader.scorer)
    # The fee it was cut from is no answer at all (levels.earlier_value) ...
    assert [g.best.candidate.text for g in groups] == ["$120 million"]
    # ... unless the question asks what came before.
    q = reader.analyse("How big was the breakup fee before the revised agreement?")
    groups = read(q, read_passages([revised], annotator), reader.scorer)
    assert "$150 million" in [g.best.candidate.text for g in groups]


def test_a_rate_is_part_of_the_amount_unless_asked(annotator: SpacyAnnotator) -> None:
    from tests.rag.test_reader_constraints import candidate_texts

    text = "The Chamber of Commerce estimates that the strike is costing about €40 million a day."
    got = candidate_texts("How much is the strike costing the economy?", [passage(text)], annotator)
    assert "about €40 million a day" in got
    got = candidate_texts("How much is the strike costing per day?", [passage(text)], annotator)
    assert "about €40 million" in got
    # The answer shows the amount as the article says it, rate and all.
    reader = ReadingSynthesizer(annotator)
    answer = reader.answer("How much is the strike costing per day?", [passage(text)])
    assert answer.text.startswith("About €40 million a day [1]"), answer.text
    # 'a year earlier' is no rate.
    earlier = passage("Revenue fell 18% to €142 million from €173 million a year earlier.")
    answer = reader.answer("What was the revenue a year earlier?", [earlier])
    assert answer.text.startswith("€173 million [1]"), answer.text


def test_values_are_keyed_however_they_are_said() -> None:
    assert value_key("about €40 million") == value_key("€40 million") == "40million"
    assert value_key("45,000") == "45000"


def test_a_replaced_value_gives_way_to_its_replacement(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    latest = (
        "According to the Chamber's latest estimate, how much was the strike costing the "
        "economy each day?"
    )
    answer = reader.answer(latest, [FIRST, LATER])
    assert answer.text.startswith("€55 million"), answer.text
    # Asked without 'latest', both reports stand and the better-read one leads.
    plain = "How much was the strike costing the economy each day, according to the Chamber?"
    assert not reader.answer(plain, [FIRST, LATER]).text.startswith("€55 million")


def test_a_value_told_as_earlier_gives_way(annotator: SpacyAnnotator) -> None:
    text = (
        "The number of homes lost in the blaze was revised to 61, after assessors were able "
        "to enter the burned area. Earlier the service had counted 38 destroyed homes in "
        "Halden."
    )
    reader = ReadingSynthesizer(annotator)
    question = "In the final count, how many homes were destroyed by the Halden fire?"
    groups = read(
        analyse(question, annotator), read_passages([passage(text)], annotator), reader.scorer
    )
    p = {g.best.candidate.text: g.probability for g in groups}
    assert p["61"] > p["38"], p


def test_a_value_one_sentence_replaces_gives_way(annotator: SpacyAnnotator) -> None:
    text = (
        "The service said the fire had burned 8,750 hectares, up from the 5,400 hectares it "
        "had burned by Tuesday."
    )
    reader = ReadingSynthesizer(annotator)

    def scores(question: str) -> dict[str, float]:
        q = reader.analyse(question)
        groups = read(q, read_passages([passage(text)], annotator), reader.scorer)
        return {g.best.candidate.text: g.probability for g in groups}

    now = scores("How many hectares had the fire burned?")
    assert now["5,400"] < now["8,750"] / 2  # 'up from the 5,400': the replaced value
    before = scores("How many hectares had the fire burned before the update?")
    assert before["5,400"] == pytest.approx(before["8,750"])  # asked: both as scored


def test_an_original_value_is_the_first_one_told(annotator: SpacyAnnotator) -> None:
    first = passage(
        "The union is demanding a 15% pay rise over two years.", "first.txt", "2025-09-08"
    )
    later = passage(
        "The union is now demanding a 13% pay rise over two years.", "later.txt", "2025-09-22"
    )
    reader = ReadingSynthesizer(annotator)
    original = reader.answer("What pay rise did the union originally demand?", [first, later])
    assert original.text.startswith("15%"), original.text
    announced = "What pay rise did the union demand when the strike was first announced?"
    loose = ReadingSynthesizer(annotator, threshold=0.1)  # the order, not the calibration
    assert loose.answer(announced, [first, later]).text.startswith("15%")
    # Asked without 'originally', the later report leads.
    plain = reader.answer("What pay rise did the union demand?", [first, later])
    assert plain.text.startswith("13%"), plain.text


def test_a_final_value_is_the_last_one_told(annotator: SpacyAnnotator) -> None:
    # The earlier report repeats the question's words; the later one tells the final toll.
    early = passage(
        "The death toll from the floods in Halden province rose to 19 on Wednesday.",
        "early.txt",
        "2026-02-25",
    )
    later = passage(
        "The government ordered a dam inquiry as the Halden floods' death toll rose to 34.",
        "later.txt",
        "2026-03-10",
    )
    reader = ReadingSynthesizer(annotator, threshold=0.2)  # the order, not the calibration
    assert asks_latest(reader.analyse("What is the final death toll of the Halden floods?"))
    final = reader.answer("What is the final death toll of the Halden floods?", [early, later])
    assert final.text.startswith("34") and "19" not in final.text, final.text

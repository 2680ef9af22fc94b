"""Reasons a sentence gives without 'because': 'arguing that', 'citing'."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.candidates import Candidate
from rag.reader.evidence import Evidence
from rag.reader.features import FEATURES
from rag.reader.passages import read_passages
from rag.reader.phrases import phrase_score
from rag.reader.question import analyse
from rag.reader.reasons import reason_spans
from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer
from tests.rag.test_reader import passage
from tests.rag.test_reader_spans import candidates


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


def test_a_yes_no_question_reads_the_sentence_that_restates_it(
    annotator: SpacyAnnotator,
) -> None:
    reader = ReadingSynthesizer(annotator)
    lead = passage("The commission certified Laura Hill as the winner of the election on Friday.")
    said = passage("Reyland said he would not challenge the result.", doc_id="b.txt")
    answer = reader.answer("Is Reyland going to challenge the election result?", [lead, said])
    assert answer.text.startswith("No [1]. Reyland said he would not challenge the result")


def test_a_condition_is_no_evidence_and_escaping_is_a_no(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    fee = passage("Pellow would owe a fee of $150 million if the deal is blocked by regulators.")
    answer = reader.answer("Did regulators block the Pellow deal?", [fee])
    assert not answer.text.startswith("Yes")
    plant = passage("Norrvik said its plant in Brenna had escaped serious damage.")
    answer = reader.answer("Was Norrvik's plant in Brenna seriously damaged?", [plant])
    assert answer.text.startswith("No [1].")


def test_a_reason_said_without_a_marker_is_read_from_its_sentence(
    annotator: SpacyAnnotator,
) -> None:
    reader = ReadingSynthesizer(annotator)
    raised = passage("Pellow raised its offer to an 8% pay rise over two years on Thursday.")
    rejected = passage(
        "The union has rejected the improved pay offer from Pellow, saying it still "
        "contained no protection against job losses from automation.",
        doc_id="b.txt",
    )
    q = reader.analyse("Why did the union turn down Pellow's offer?")
    assert q.predicate == "reject"  # 'turn down' is 'reject', no turning
    answer = reader.answer(q.text, [raised, rejected])
    assert "no protection against job losses" in answer.text
    assert "over two years" not in answer.text  # a time, not a reason


@pytest.mark.parametrize(
    ("question", "text", "gives_reason"),
    [
        (
            "Why did Dario Conti lose the 2024 final?",
            '"Elias played like a man with a whole country behind him," Conti said.',
            False,
        ),
        (
            "Why did the union reject the offer?",
            "The union said on Monday.",
            False,
        ),
        (
            "Why did the union reject the offer?",
            "The union rejected the offer and said it still contained no job protection.",
            True,
        ),
    ],
)
def test_who_said_a_quote_is_no_reason(
    question: str, text: str, gives_reason: bool, annotator: SpacyAnnotator
) -> None:
    """'..., Conti said.' attributes a quote; 'said it still ...' may give a reason."""
    q = analyse(question, annotator)
    sentence = read_passages([passage(text)], annotator)[0]
    whole = Candidate(sentence, sentence.start, sentence.end, "reason", False, ())
    features = [0.0 if name == "idf_missing" else 1.0 for name in FEATURES]
    assert (phrase_score(q, whole, features) > 0) == gives_reason


def test_a_person_named_by_surname_alone_is_the_person_asked_about(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("When is Miriam Tallow's final report due?", annotator)
    sentences = read_passages(
        [
            passage("The inquiry is led by former chief justice Miriam Tallow."),
            passage("Tallow's final report is due by September 10.", doc_id="b.txt"),
        ],
        annotator,
    )
    due = sentences[-1]
    assert Evidence(q, sentences).match(due).sentence == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        # A place, a price and a time are no cause...
        ("A new road bridge over the Ambry river opened in Bramwick on Monday.", []),
        ("The Brandt family will sell a 75% stake in Calden FC for €180 million.", []),
        ("He took €1.2 million in bribes in return for steering a contract to Grevik.", []),
        ("It was the bank's first rate cut since the pandemic.", []),
        # ... but the same words after a word that takes a cause are one.
        ("The minister resigned over the handling of the flood warnings.", ["over the handling"]),
        ("Bluefin Live was fined for breaching safety rules at the festival.", ["for breaching"]),
        ("The union was blamed for the delays at the port.", ["for the delays"]),
        ("The generator's replacement was postponed for budget reasons.", ["for budget reasons"]),
        ("The club was sold since the family could no longer afford it.", ["since the family"]),
        ("The renovation went over budget after asbestos was found.", ["after asbestos"]),
    ],
)
def test_an_ambiguous_marker_opens_a_reason_only_where_it_gives_a_cause(
    text: str, reasons: list[str], annotator: SpacyAnnotator
) -> None:
    [sentence] = read_passages([passage(text)], annotator)
    spans = [sentence.ann.text[a:b] for a, b in reason_spans(sentence)]
    assert len(spans) == len(reasons), spans
    for span, start in zip(spans, reasons, strict=True):
        assert span.startswith(start), spans


def test_why_the_bridge_went_over_budget_is_not_where_it_is(annotator: SpacyAnnotator) -> None:
    opened = passage(
        "A new road bridge over the Ambry river opened in Bramwick on Monday, cutting the "
        "drive between the city's north and south banks by up to 20 minutes."
    )
    got = candidates("Why did Bramwick's new river bridge go over budget?", [opened], annotator)
    assert not any(t.startswith("over the Ambry") for t in got), got


def test_after_the_asked_thing_is_no_reason(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    # 'after a three-year renovation' tells when the renovation was, not why it cost more.
    library = passage(
        "Lorvenia's National Library in Astrel will reopen on September 5 after a three-year "
        "renovation that cost €38 million."
    )
    question = "Why did the National Library's renovation go over budget?"
    assert reader.answer(question, [library]).text == REFUSAL
    floods = passage("The Electoral Commission postponed the runoff after deadly floods in Halden.")
    answer = reader.answer("Why was the runoff postponed?", [floods])
    assert answer.text.startswith("After deadly floods in Halden [1].")

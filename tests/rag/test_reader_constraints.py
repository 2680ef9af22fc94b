"""The reader's date and role constraints: an answer must be of the asked day or month
and fill the asked slot of the question's verb."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.models import Passage
from rag.reader.candidates import Candidate
from rag.reader.date_constraints import date_match, day_numbers, question_dates
from rag.reader.features import FEATURES, featurize
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.reading import Group, Scored, candidates_for
from rag.reader.roles import AGENT, PATIENT
from rag.reader.synthesizer import ReadingSynthesizer
from tests.rag.test_reader import candidates_in, passage


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


def test_an_amount_in_a_currency_written_out_is_money(annotator: SpacyAnnotator) -> None:
    # spaCy labels '850,000' a number: the currency word after it makes it money.
    text = (
        "Bluefin Live, the company behind the cancelled Tidewater Festival, was fined "
        "850,000 crowns by Sollen City Council on Monday."
    )
    question = "How much did Sollen City Council fine the festival organiser?"
    q = analyse(question, annotator)
    found = {c.text: c.ctype for c in candidates_in(q, text, annotator)}
    assert found.get("850,000 crowns") == "money", found  # the asked type: a stronger answer


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


# --- years, placings and opponents (session 11) --------------------------------------------
def test_an_undated_sentence_tells_of_its_articles_year(annotator: SpacyAnnotator) -> None:
    # 'last year's final' dates the final, not Lindahl's win in the June 2026 paper.
    lindahl = passage(
        "Sofia Lindahl of Sweden won the Calden Open women's title on Saturday, beating "
        "defending champion Amara Osei in a rematch of last year's final.",
        date="2026-06-06",
    )
    assert "Sofia Lindahl" not in candidate_texts(
        "Which woman won the 2025 Calden Open?", [lindahl], annotator
    )
    assert "Sofia Lindahl" in candidate_texts(
        "Which woman won the 2026 Calden Open?", [lindahl], annotator
    )


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who was the men's champion at the 2024 Calden Open?", "Joaquin Ferro"),
        ("Who won the 2024 Calden Open women's title?", "Sofia Lindahl"),
    ],
)
def test_a_defending_champion_or_title_holder_won_the_year_before(
    question: str, name: str, annotator: SpacyAnnotator
) -> None:
    preview = passage(
        "Defending men's champion Joaquin Ferro of Spain has withdrawn from the Calden Open "
        "with a wrist injury. The women's title holder, Sofia Lindahl of Sweden, will defend "
        "her crown as the top seed.",
        date="2025-05-30",
    )
    assert name in candidate_texts(question, [preview], annotator)


def test_this_years_names_the_articles_year_beside_another(annotator: SpacyAnnotator) -> None:
    money = passage(
        "Tournament director Mirela Dobos said this year's total prize money at the Calden "
        "Open would be €3.2 million, up from €2.9 million in 2024.",
        date="2025-05-30",
    )
    question = "What was the total prize money at the 2025 Calden Open?"
    assert "€3.2 million" in candidate_texts(question, [money], annotator)


def test_the_one_run_against_did_not_win(annotator: SpacyAnnotator) -> None:
    text = (
        "Maria Lind, a former finance minister, has been elected president of Estmark, "
        "winning 54.3% of the vote in Sunday's runoff against Calden mayor Tomas Reyland, "
        "according to preliminary results."
    )
    found = candidate_texts("Who won the presidential runoff?", [passage(text)], annotator)
    assert "Maria Lind" in found
    assert "Tomas Reyland" not in found


def test_a_name_read_as_a_person_elsewhere_is_a_person(annotator: SpacyAnnotator) -> None:
    # Alone, spaCy reads this sentence's 'Petrova' as a place and leaves 'Ana' unlabelled.
    elected = passage(
        "Ana Petrova has been elected president, winning 54.3% of the vote in Sunday's "
        "runoff against Tomas Reyland."
    )
    question = "Who won the presidential runoff?"
    assert candidate_texts(question, [elected], annotator) == {"Ana"}
    named = passage("President Ana Petrova spoke on Monday.", doc_id="b.txt")
    assert candidate_texts(question, [elected, named], annotator) == {"Ana Petrova"}


def test_came_third_needs_a_sentence_that_says_third(annotator: SpacyAnnotator) -> None:
    sorn = passage("Helga Sorn, the Green candidate, came third in the first round.")
    both = passage(
        "Both candidates, Ana Petrova and Tomas Reyland, suspended campaigning.", doc_id="b.txt"
    )
    question = "Which candidate came third in the first round?"
    assert candidate_texts(question, [sorn, both], annotator) == {"Helga Sorn"}


def test_a_report_that_names_the_other_answer_is_no_conflict(
    annotator: SpacyAnnotator,
) -> None:
    certified = passage(
        "The Electoral Commission certified Maria Lind as the winner of the presidential "
        "runoff, with 54.1% to 45.9% for Tomas Reyland.",
        doc_id="b.txt",
        date="2026-03-20",
    )
    earlier = passage(
        "Tomas Reyland won the most votes in the first round of the presidential election.",
        doc_id="a.txt",
        date="2026-02-16",
    )
    q = analyse("Who won the presidential runoff?", annotator)
    by_text = {
        c.text: c
        for c in candidates_for(q, read_passages([certified, earlier], annotator))
        if c.ctype == "person"
    }
    lind, reyland = by_text["Maria Lind"], by_text["Tomas Reyland"]
    assert reyland.sentence.date == "2026-02-16"  # the first-round sentence's Reyland
    groups = [
        Group("maria lind", (Scored(lind, (), 0.8),)),
        Group("tomas reyland", (Scored(reyland, (), 0.75),)),
    ]
    assert ReadingSynthesizer(annotator)._conflicts(groups) == []
    # The same two answers from reports that do not name each other are a conflict.
    alone = passage("The commission certified Maria Lind as the winner.", date="2026-03-20")
    lind_alone = next(
        c for c in candidates_for(q, read_passages([alone], annotator)) if c.text == "Maria Lind"
    )
    groups[0] = Group("maria lind", (Scored(lind_alone, (), 0.8),))
    assert ReadingSynthesizer(annotator)._conflicts(groups) == [groups[1]]


def test_an_appositive_never_ends_inside_a_number(annotator: SpacyAnnotator) -> None:
    text = (
        "Under the agreement, hammered out in talks chaired by mediator Clara Obi, the "
        "roughly 3,400 members of the union will receive a pay rise."
    )
    answer = ReadingSynthesizer(annotator).answer("Who chaired the talks?", [passage(text)])
    assert answer.text.startswith("Clara Obi [1]."), answer.text


def _cue(question: str, text: str, name: str, annotator: SpacyAnnotator) -> float:
    q = analyse(question, annotator)
    sentences = read_passages([passage(text)], annotator)
    found = [c for c in candidates_for(q, sentences) if c.text == name]
    assert found, name
    return featurize(q, found[0], 1)[FEATURES.index("negative_cue")]


def test_a_former_post_the_question_does_not_ask_about_is_no_cue(
    annotator: SpacyAnnotator,
) -> None:
    coached = "Elias Marr is coached by his uncle, former professional Anton Marr."
    assert _cue("Who coaches Elias Marr?", coached, "Anton Marr", annotator) == 0.0
    led = "The bank was led by former governor Hugo Lind until 2020."
    assert _cue("Who was the governor of the bank?", led, "Hugo Lind", annotator) == 1.0


def test_a_possessive_names_the_person(annotator: SpacyAnnotator) -> None:
    assert analyse("When is Miriam Tallow's final report due?", annotator).entities == (
        "Miriam Tallow",
    )


def test_a_number_of_another_person_is_no_answer(annotator: SpacyAnnotator) -> None:
    text = (
        "In the first round, Laura Hill won 38.2%. Green Party leader Helga Sorn, who came "
        "third with 14.1%, endorsed her."
    )
    found = candidate_texts("What share did Laura Hill take?", [passage(text)], annotator)
    assert "38.2%" in found and "14.1%" not in found
    # Done to the person, not by them: the sentence's subject may be someone else.
    q = analyse("Where were Laura Hill and her aide questioned?", annotator)
    assert q.doer is None
    assert analyse("What share did Laura Hill take?", annotator).doer == "laura hill"


def test_a_garbled_question_still_names_its_doer(annotator: SpacyAnnotator) -> None:
    # The small model reads 'earn' as a noun here; the name after 'did' is the doer.
    q = analyse("How much prize money did Elias Marr earn?", annotator)
    assert q.doer == "elias marr"
    text = (
        "Elias Marr beat Amara Osei in the final. Osei receives €480,000 in prize money. "
        "Marr earns €540,000 as champion."
    )
    found = candidate_texts("How much prize money did Elias Marr earn?", [passage(text)], annotator)
    assert "€540,000" in found and "€480,000" not in found


def test_a_sentence_about_another_person_tells_nothing_of_the_asked_one(
    annotator: SpacyAnnotator,
) -> None:
    text = (
        "Tomas Reyland won the rural north. Former finance minister Ana Petrova said she "
        "would win. Petrova did best in the southern coastal provinces, including Portvale, "
        "where she was born."
    )
    question = "In which town was Tomas Reyland born?"
    # Petrova's birthplace is not Reyland's; and 'Petrova', read as a place, is no town.
    assert not candidate_texts(question, [passage(text)], annotator) & {"Portvale", "Petrova"}
    # The same sentence about Reyland himself answers.
    his = passage(
        "Tomas Reyland did best in the southern coastal provinces, including Portvale, "
        "where he was born."
    )
    assert "Portvale" in candidate_texts(question, [his], annotator)


def test_the_name_of_a_thing_is_no_persons_name(annotator: SpacyAnnotator) -> None:
    law = analyse("What is the official name of the climate law Petrova has promised?", annotator)
    assert law.answer_types == ("name",)
    mother = analyse("What is the name of the snow leopard cubs' mother?", annotator)
    assert "person" in mother.answer_types
    text = "Reyland is promising to cut income tax by two percentage points."
    assert not candidate_texts(
        "What is the official name of the climate law Petrova has promised?",
        [passage(text)],
        annotator,
    )


def test_a_later_parts_subject_pronoun_is_the_earlier_answer(annotator: SpacyAnnotator) -> None:
    from rag.reader.agents import with_antecedent

    q = analyse("Who did Petrova beat in the runoff, and what share did he get?", annotator)
    second = with_antecedent(q.parts[1], "Tomas Reyland")
    assert second.doer == "tomas reyland"
    text = (
        "The commission certified Ana Petrova as the winner with 54.1% of the vote to "
        "45.9% for Tomas Reyland. Final turnout was 58.9%, the commission said."
    )
    found = {c.text for c in candidates_in(second, text, annotator)}
    assert "45.9%" in found
    assert "58.9%" not in found  # a turnout is no share


def test_a_share_is_not_another_measure(annotator: SpacyAnnotator) -> None:
    text = "Final turnout was 58.9%. Reyland took 45.9% of the vote."
    found = candidate_texts("What share of the vote did Reyland take?", [passage(text)], annotator)
    assert found == {"45.9%"}
    # Asked for turnout, the turnout answers.
    assert "58.9%" in candidate_texts("What was the final turnout?", [passage(text)], annotator)


def test_a_money_measure_is_not_another_one(annotator: SpacyAnnotator) -> None:
    text = (
        "Kestrel Mobility reported a net loss of €21 million for the second quarter. "
        "Kestrel's revenue fell 18% to €142 million."
    )
    found = candidate_texts(
        "What was Kestrel's revenue in the second quarter?", [passage(text)], annotator
    )
    assert "€142 million" in found and "€21 million" not in found
    found = candidate_texts(
        "How big was Kestrel's loss in the second quarter?", [passage(text)], annotator
    )
    assert "€21 million" in found


def test_a_year_in_a_compared_figure_dates_only_that_figure(annotator: SpacyAnnotator) -> None:
    prize = passage(
        "Tournament director Mirela Dobos said this year's total prize money would be"
        " €3.2 million, up from €2.9 million in 2024, with the men's and women's singles"
        " champions each receiving €480,000.",
        date="2025-05-30",
    )
    got = candidate_texts("What was the total prize money in 2024?", [prize], annotator)
    assert got == {"€2.9 million"}
    each = "How much did the 2024 singles champions each receive?"
    assert "€480,000" not in candidate_texts(each, [prize], annotator)


def test_a_second_subject_after_the_verb_is_its_object(annotator: SpacyAnnotator) -> None:
    """The small model parses 'Dahl, 44, replaces Tomas Rehn' with two subjects."""
    text = "Dahl, 44, replaces Tomas Rehn, who was dismissed on Tuesday after three years."
    passages = [passage(text, "club", "2026-03-05")]
    replaced_dahl = candidate_texts("Who replaced Mateo Dahl as coach?", passages, annotator)
    assert not any("Rehn" in c for c in replaced_dahl)


def test_a_wire_dateline_is_no_other_person(annotator: SpacyAnnotator) -> None:
    """The small model makes 'ASTREL' (with 'Astrel Herald' a person) a second subject."""
    text = (
        "ASTREL, May 19 (Astrel Herald) - Former deputy transport minister Tomas Herrold was"
        " sentenced to six years in prison on Tuesday after the Astrel District Court found"
        " him guilty of taking bribes from Grevik Construction."
    )
    reader = ReadingSynthesizer(annotator)
    q = reader.analyse("What sentence did Tomas Herrold get?")
    assert q.answer_types[0] == "duration"  # a prison sentence is a length of time
    answer = reader.answer(q.text, [passage(text, "trial", "2026-05-19")])
    assert answer.text.startswith("Six years [1]"), answer.text


def test_a_passive_relative_clause_says_what_befell_the_name(annotator: SpacyAnnotator) -> None:
    text = (
        "Dahl, 44, replaces Tomas Rehn, who was dismissed on Tuesday after three years in "
        "charge. Ana Berg, who dismissed him, said the club needed a new start."
    )
    sacked = candidate_texts("Which manager was dismissed on Tuesday?", [passage(text)], annotator)
    assert "Tomas Rehn" in sacked and "Ana Berg" not in sacked
    sacker = candidate_texts("Who dismissed the manager on Tuesday?", [passage(text)], annotator)
    assert "Ana Berg" in sacker and "Tomas Rehn" not in sacker


def test_a_time_the_asked_date_is_measured_from_does_not_rule_it_out(
    annotator: SpacyAnnotator,
) -> None:
    # 'After the July decision': the committee meets later, in another month.
    text = "The committee's next meeting is on September 17."
    question = (
        "After the July decision, when is the central bank's rate committee next due to meet?"
    )
    assert analyse(question, annotator).dates == ()
    earlier = passage("The committee will next meet on May 28.", "a", "2026-04-16")
    got = candidate_texts(question, [earlier, passage(text, "b", "2026-07-09")], annotator)
    assert "September 17" in got and "May 28" not in got  # told before the July decision
    # A month the answer must fall in still rules out another.
    assert analyse("Who voted against the cut after the July meeting?", annotator).dates == ("07",)


def test_a_date_plays_no_part_in_the_asked_act(annotator: SpacyAnnotator) -> None:
    # 'paid by October 5' reads as a passive's agent; a date is never who paid.
    text = (
        "Tidewater ticket holders were told on Friday that refunds will now be paid by "
        "October 5, instead of within 30 days as first promised."
    )
    question = "Under the revised timetable, by what date should all Tidewater refunds be paid?"
    assert analyse(question, annotator).role == PATIENT
    assert "October 5" in candidate_texts(question, [passage(text)], annotator)


def test_a_passive_subject_is_not_another_doer(annotator: SpacyAnnotator) -> None:
    from rag.reader.agents import other_person
    from rag.reader.candidates import extract

    q = analyse("How much did Sollen City Council fine the festival organiser?", annotator)

    def fine_in(text: str) -> Candidate:
        (s,) = read_passages([passage(text)], annotator)
        return next(c for c in extract(q, s) if c.text == "850,000 crowns")

    # The small model reads 'Bluefin Live' and 'SOLLEN' as people in other passages.
    people = frozenset({"bluefin", "live", "sollen"})
    fined = fine_in(
        "SOLLEN, November 10 (Sollen Evening Post) - Bluefin Live, the company behind the "
        "cancelled Tidewater Festival, was fined 850,000 crowns by Sollen City Council."
    )
    assert not other_person(q, fined, people)
    gave = fine_in("Bluefin Live itself fined its stage builder 850,000 crowns.")
    assert other_person(q, gave, people)  # a fine the company gave, not the council


def test_a_year_asked_before_bounds_the_date(annotator: SpacyAnnotator) -> None:
    text = (
        "The Old Harbour Bridge will close for repairs on November 3, 2025. It was last "
        "closed in March 2019, after a storm damaged its cables."
    )
    question = "When was the Old Harbour Bridge last closed before its 2025 repairs?"
    got = candidate_texts(question, [passage(text)], annotator)
    assert "November 3, 2025" not in got
    assert any("2019" in t for t in got)

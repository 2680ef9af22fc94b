"""What a 'which/what X' question asks for when X is a person, a share, a rank or a name,
and which words of a question are never its predicate ('According to', 'under way')."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.question import analyse
from rag.reader.synthesizer import ReadingSynthesizer
from tests.rag.test_reader import passage
from tests.rag.test_reader_spans import candidates


@pytest.mark.parametrize(
    ("question", "qtype", "first_type"),
    [
        ("Which Arlen Foods executive put the loss at €5 million?", "who", "person"),
        # A person focus outranks the verb of saying: the answer is who said it.
        ("Which union spokesman said the talks had failed?", "who", "person"),
        ("Which defeated candidate endorsed Mara Lind?", "who", "person"),
        ("What angered Arlen residents?", "what", "thing"),
        ("What stake in Pellow does Norda Capital own?", "what", "percent"),
        ("Roughly what proportion of the grain goes through Arlen?", "what", "percent"),
        ("What ranking did Ivo Marr climb to?", "what", "rank"),
        ("What is the name of the zoo's new elephant?", "what", "name"),
    ],
)
def test_the_focus_noun_says_the_answer_type(
    annotator: SpacyAnnotator, question: str, qtype: str, first_type: str
) -> None:
    q = analyse(question, annotator)
    assert (q.qtype, q.answer_types[0]) == (qtype, first_type)


def test_a_modifier_before_the_focus_noun_is_skipped(annotator: SpacyAnnotator) -> None:
    assert analyse("Which defeated candidate endorsed Mara Lind?", annotator).focus == "candidate"


def test_according_to_is_no_predicate(annotator: SpacyAnnotator) -> None:
    q = analyse("According to the police report, how many people are still missing?", annotator)
    assert q.predicate != "accord"
    assert "accord" not in q.relation


def test_under_way_asks_when_it_started(annotator: SpacyAnnotator) -> None:
    q = analyse("On what date did the Arlen Open get under way?", annotator)
    assert q.predicate == "start"
    assert "begin" in q.relation


def test_a_preposition_s_object_is_not_the_verb(annotator: SpacyAnnotator) -> None:
    q = analyse("What share of the vote did Lind get in the runoff?", annotator)
    assert q.predicate != "runoff"
    assert analyse("Under the plan, by when would the plants close?", annotator).predicate != "by"


@pytest.mark.parametrize(
    ("question", "synonym"),
    [
        ("Who handed Lind the trophy?", "present"),
        ("What percentage did Lind take in the first round?", "win"),
        ("Who became minister for energy?", "appoint"),
        ("What has the mayor pledged to build?", "promise"),
    ],
)
def test_relation_synonyms(annotator: SpacyAnnotator, question: str, synonym: str) -> None:
    assert synonym in analyse(question, annotator).relation


def test_who_handed_is_answered_by_who_presented(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    text = (
        "Mara Lind won the Arlen Open on Sunday. "
        "President Ana Vell, who attended the final, presented her with the Arlen Cup."
    )
    answer = reader.answer("Who handed Mara Lind the Arlen Cup?", [passage(text)])
    assert answer.text.startswith("Ana Vell")


@pytest.mark.parametrize(
    ("question", "qtype", "first_type"),
    [
        ("How much did Arlen Foods lose in the second quarter?", "how_much", "money"),
        ("By how much did the central bank lower its rate?", "how_much", "percent"),
        ("Where did Pellow's shares close on Friday?", "how_much", "money"),
        # No noun after 'much': in the news, an amount of money.
        ("How much has the carmaker now set aside for the recall?", "how_much", "money"),
        ("How much did the judges find he had received?", "how_much", "money"),
        ("By how much did the museum's renovation overrun?", "how_much", "number"),
        ("How much rain fell on Calden in March?", "how_much", "number"),
        ("How did the committee split on the decision?", "how_many", "score"),
        ("What forced the carmaker to halt production?", "why", "reason"),
        ("What is the total prize money for the Arlen Open?", "what", "money"),
        ("What is the panda cubs' mother called?", "what", "name"),
    ],
)
def test_the_words_around_the_wh_word_say_the_answer_type(
    annotator: SpacyAnnotator, question: str, qtype: str, first_type: str
) -> None:
    q = analyse(question, annotator)
    assert (q.qtype, q.answer_types[0]) == (qtype, first_type)


def test_a_rate_moves_by_percentage_points(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    text = "The Arlen central bank on Thursday cut its rate by a quarter of a percentage point."
    question = "By how much did the Arlen central bank lower its rate?"
    answer = reader.answer(question, [passage(text)])
    assert answer.text.lower().startswith("a quarter of a percentage point")
    text = "Lind has promised to cut income tax by two percentage points if elected."
    answer = reader.answer("By how much did Lind promise to cut income tax?", [passage(text)])
    assert answer.text.lower().startswith("two percentage points")


def test_out_of_respect_is_a_reason(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    text = (
        "Both candidates, Mara Lind and Ivo Marr, said they had suspended campaigning "
        "out of respect for the victims of the fire."
    )
    answer = reader.answer("Why did Lind and Marr stop campaigning?", [passage(text)])
    assert "out of respect for the victims" in answer.text


@pytest.mark.parametrize(
    ("question", "text", "post"),
    [
        (
            "What job did Lena Vik get in the new cabinet?",
            "Lena Vik, the party leader who backed Lind, becomes minister for transport.",
            "minister for transport",
        ),
        (
            "What does Ivo Marr do now?",
            "Former minister Ana Lind and Arlen mayor Ivo Marr will face each other in May.",
            "arlen mayor",
        ),
        (
            "What position did Mia Holt hold before?",
            "The review will be led by former chief justice Mia Holt, officials said.",
            "former chief justice",
        ),
        (
            "What did Ola Berg do before she was elected?",
            "Berg, 51, worked as a crane operator for 17 years before being elected.",
            "a crane operator",
        ),
    ],
)
def test_a_post_is_read_from_titles_appositives_and_become(
    annotator: SpacyAnnotator, question: str, text: str, post: str
) -> None:
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert answer.text.lower().startswith(post)


def test_kin_and_a_firm_named_after_the_person_can_answer(annotator: SpacyAnnotator) -> None:
    text = "Lind, who trains in Arlen, is coached by his uncle, former professional Bo Lind."
    assert "Bo Lind" in candidates("Who coaches Ivo Lind?", [passage(text)], annotator)
    assert "Bo Lind" not in candidates("Who coaches Lind?", [passage(text)], annotator)
    text = "Lind founded the hardware chain Lind & Sons in the 1990s."
    got = candidates("What business did Ivo Lind found?", [passage(text)], annotator)
    assert "Lind & Sons" in got
    q = analyse("What business did Ivo Lind found before going into politics?", annotator)
    assert q.predicate == "found"  # the verb 'found', not the past of 'find'
    assert q.answer_types[0] == "organisation"


def test_who_runs_a_two_word_name_asks_for_the_agent(annotator: SpacyAnnotator) -> None:
    assert analyse("Who runs Brightwell Systems?", annotator).role == "agent"
    assert analyse("Whom did Sofia Lindahl beat in the final?", annotator).role == "patient"


def test_the_patient_of_a_synonym_is_no_agent(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    text = "Ruth Calloway said it was a privilege to lead Pellow Foods."
    answer = reader.answer("Who runs Pellow Foods?", [passage(text)])
    assert "Pellow Foods" not in answer.text.split("[")[0]


def test_a_job_before_is_not_the_title_held_now(annotator: SpacyAnnotator) -> None:
    text = "Acting President Mara Lind, formerly Ivo Marr's deputy, spoke on Tuesday."
    question = "Who is the acting president and what was her job before?"
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert answer.text.startswith("Mara Lind, formerly Ivo Marr's deputy")
    assert "President [" not in answer.text


def test_the_name_after_named_answers_a_name_question(annotator: SpacyAnnotator) -> None:
    text = (
        "The first Arlen otter festival opened on Tuesday on Rottnest Island.\n\n"
        'The festival mascot is an otter named Pickle <img src=x onerror="x">, who '
        "greeted visitors at the ferry terminal."
    )
    question = "What is the name of the otter festival mascot?"
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert answer.text.startswith("Pickle")


def test_an_age_is_no_duration_and_a_time_no_reason(annotator: SpacyAnnotator) -> None:
    text = "The 23-year-old, who lost last year's final, served out the match to love."
    assert not candidates("How long did the final last?", [passage(text)], annotator)
    text = "The rate has stood at 4.25% since October 2023, when the bank raised it."
    got = candidates("Why did the bank raise rates in October 2023?", [passage(text)], annotator)
    assert not any(t.lower().startswith("since october") for t in got)


def test_a_plan_does_not_say_what_happened(annotator: SpacyAnnotator) -> None:
    text = "Halvard expects the backlog to be cleared by mid-November, helped by extra shifts."
    assert not candidates("When was the backlog finally cleared?", [passage(text)], annotator)
    got = candidates(
        "By when does Halvard expect to clear the backlog?", [passage(text)], annotator
    )
    assert any("mid-November" in t for t in got)


def test_a_date_of_another_clause_is_not_the_asked_one(annotator: SpacyAnnotator) -> None:
    text = "Ola Berg, the agency's director, who stepped aside in March, resigned on 28 May."
    got = candidates("On what date did Ola Berg resign?", [passage(text)], annotator)
    assert "March" not in got and any("28 May" in t for t in got)
    text = "Halvard expects to clear the backlog by mid-November."
    got = candidates("By when did Halvard expect to clear the backlog?", [passage(text)], annotator)
    assert any("mid-November" in t for t in got)  # the asked verb's own clause


def test_what_something_cost_asks_an_amount(annotator: SpacyAnnotator) -> None:
    weekend = analyse("What did a weekend pass for this year's festival cost?", annotator)
    assert (weekend.qtype, weekend.answer_types[0]) == ("how_much", "money")
    bridge = analyse("What did the new bridge end up costing?", annotator)
    assert bridge.answer_types[0] == "money"
    assert analyse("What did the minister say about the cost?", annotator).qtype == "what"

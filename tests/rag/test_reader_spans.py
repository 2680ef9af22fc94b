"""Answer spans the entity recogniser gets wrong, and constraints a question sets by
naming a date, a numbered thing or a kind of person."""

from __future__ import annotations

from index.annotate import SpacyAnnotator
from rag.lexical import stem
from rag.models import Passage
from rag.reader.evidence import Evidence, dated_stems
from rag.reader.features import FEATURES, featurize
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.reading import candidates_for, read
from rag.reader.synthesizer import ReadingSynthesizer
from tests.rag.test_reader import passage


def candidates(question: str, passages: list[Passage], annotator: SpacyAnnotator) -> dict:
    q = analyse(question, annotator)
    return {c.text: c for c in candidates_for(q, read_passages(passages, annotator))}


def test_a_score_run_into_a_name_is_not_part_of_it(annotator: SpacyAnnotator) -> None:
    text = "France captured its second World Cup title after defeating Croatia 4-2 in the final."
    got = candidates("Who was the runner-up of the 2018 World Cup?", [passage(text)], annotator)
    assert "Croatia" in got
    assert not any("4-2" in t for t in got)


def test_a_name_swallowed_by_a_longer_entity_is_a_person(annotator: SpacyAnnotator) -> None:
    text = (
        "After a visit to Venezuela, US Secretary of the Interior Doug Burgum told reporters"
        " on the runway in Caracas that it was a great strategic move."
    )
    q = analyse("Which cabinet member visited Caracas?", annotator)
    assert q.answer_types == ("person",)  # 'member' is a kind of person
    got = candidates("Which cabinet member visited Caracas?", [passage(text)], annotator)
    assert got["Doug Burgum"].ctype == "person"


def test_where_answers_with_the_place_noun(annotator: SpacyAnnotator) -> None:
    text = "Trump ordered troops to arrest Maduro and his wife and arraign them in Manhattan court."
    answer = ReadingSynthesizer(annotator).answer(
        "Where were Maduro and his wife arraigned?", [passage(text)]
    )
    assert answer.text.startswith("Manhattan court [1]")


def test_which_years_wants_a_year(annotator: SpacyAnnotator) -> None:
    passages = [
        passage("On Monday, Ana Petrova was sworn in as president.", "a", "2026-03-16"),
        passage("Ana Petrova served as finance minister from 2019 to 2023.", "b", "2026-02-17"),
    ]
    got = candidates("During which years was Ana Petrova finance minister?", passages, annotator)
    assert "2019 to 2023" in got
    assert "Monday" not in got


def test_another_numbered_thing_is_no_answer(annotator: SpacyAnnotator) -> None:
    question = "How many automated cranes does Halvard plan for Terminal 2?"
    passages = [
        passage("Halvard plans to install 24 automated cranes at Terminal 3.", "a"),
        passage("Halvard plans 12 automated cranes for Terminal 2 by 2028.", "b"),
    ]
    reader = ReadingSynthesizer(annotator)
    q = analyse(question, annotator)
    groups = read(q, read_passages(passages, annotator), reader.scorer)
    assert [g.key for g in groups if g.key in ("12", "24")] == ["12"]
    assert reader.answer(question, passages[:1]).refused  # only Terminal 3 is named


def test_the_article_date_says_the_asked_date(annotator: SpacyAnnotator) -> None:
    # 'on Tuesday' in the September 16 paper: the sentence covers 'September 16'.
    text = "The harbour master said 71 container ships were waiting off the coast on Tuesday."
    q = analyse("How many ships were waiting outside Portvale on September 16?", annotator)
    dated, undated = (
        read_passages([passage(text, "a", d)], annotator)[0] for d in ("2025-09-16", "2025-07-01")
    )
    assert dated_stems(q, dated, set()) == {stem("september"), stem("16")}
    assert dated_stems(q, undated, set()) == set()
    assert (
        Evidence(q, [dated]).match(dated).sentence > Evidence(q, [undated]).match(undated).sentence
    )


def test_a_question_without_a_relation_word_sets_no_predicate_constraint(
    annotator: SpacyAnnotator,
) -> None:
    text = "About 12,000 visitors came to the Calden jazz festival over the weekend."
    q = analyse("How many visitors came to the Calden jazz festival?", annotator)
    sentences = read_passages([passage(text)], annotator)
    c = next(c for c in candidates_for(q, sentences) if c.text.startswith("About 12,000"))
    f = dict(zip(FEATURES, featurize(q, c, 1), strict=True))
    assert q.relation == ()  # 'come' is a light verb: no relation word
    assert f["predicate"] == 1.0
    assert f["near_predicate"] == f["near_term"] > 0


def test_how_old_reads_the_age_beside_the_name(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    q = analyse("How old is Clara Obi?", annotator)
    assert q.answer_types == ("age",)
    assert q.entities == ("Clara Obi",)  # the small model tags only 'Clara'
    text = "Mediator Clara Obi was named on Tuesday. Obi, 68, served on the Supreme Court."
    assert reader.answer("How old is Clara Obi?", [passage(text)]).text.startswith("68 [1]")
    other = "Mediator Clara Obi was named on Tuesday. Her deputy Lars Berg, 51, joins her."
    assert reader.answer("How old is Clara Obi?", [passage(other)]).refused


def test_where_reads_the_place_phrase_of_the_asked_verb(annotator: SpacyAnnotator) -> None:
    text = (
        "The strike ended on Friday. Shipping lines that diverted cargo to the port of"
        " Grenholm during the strike said they would return to Portvale."
    )
    answer = ReadingSynthesizer(annotator).answer(
        "Where did shipping lines divert cargo during the strike?", [passage(text)]
    )
    assert answer.text.startswith("The port of Grenholm [1]")


def test_a_date_ends_before_an_age_it_ran_into(annotator: SpacyAnnotator) -> None:
    text = (
        "The cubs, a male and a female, were born on June 30 to nine-year-old mother Tasha "
        "and will stay out of public view until the autumn."
    )
    got = candidates("When were the snow leopard cubs born?", [passage(text)], annotator)
    assert "June 30" in got
    assert not any("year-old" in t for t in got)


def test_a_change_from_one_value_to_another_answers_with_the_new_one(
    annotator: SpacyAnnotator,
) -> None:
    raised = (
        "On Monday prosecutors widened the charges against Herrold, raising the total"
        " bribes alleged from €1.2 million to €1.65 million."
    )
    got = candidates(
        "How much in bribes is Herrold accused of taking?", [passage(raised)], annotator
    )
    assert "€1.65 million" in got
    assert not any("€1.2 million" in t for t in got)
    moved = "Because of the recount, the runoff has been moved from September 27 to October 4."
    assert "October 4" in candidates(
        "To what date was the runoff moved?", [passage(moved)], annotator
    )
    # A period is no change: 'from 2019 to 2023' stays whole.
    period = "She served as finance minister from 2019 to 2023 under President Henrik Vass."
    got = candidates("During which years was she finance minister?", [passage(period)], annotator)
    assert "2019 to 2023" in got


def test_a_title_alone_is_no_person(annotator: SpacyAnnotator) -> None:
    text = "Deputy Governor Ines Varga was again the dissenting voice on the committee."
    got = candidates("Who was the dissenting voice on the committee?", [passage(text)], annotator)
    assert "Ines Varga" in got
    assert "Deputy Governor" not in got


def test_names_coordinated_with_the_answer_answer_with_it(annotator: SpacyAnnotator) -> None:
    from rag.reader.spans import coordinated_names

    def together(text: str, name: str, asked: str = "") -> str:
        sentence = read_passages([passage(text)], annotator)[0]
        start = text.index(name)
        a, b = coordinated_names(sentence, start, start + len(name), {"PERSON"}, asked.split())
        return text[a:b]

    founders = (
        "Lumora, founded in Calden in 2014 by chief executive Priya Anand and chief "
        "technology officer Marcus Feld, makes software for retailers."
    )
    assert together(founders, "Priya Anand") == (
        "Priya Anand and chief technology officer Marcus Feld"
    )
    voters = "Deputy Governor Ines Varga and external member Tobias Reinholt voted to hold."
    assert together(voters, "Tobias Reinholt") == "Ines Varga and external member Tobias Reinholt"
    # The question names the other one: the answer is this one alone.
    assert together(voters, "Tobias Reinholt", "who voted with varga") == "Tobias Reinholt"
    # Coordinated with no name of the same kind: alone.
    mixed = "Ines Varga and the Bank of Estmark's staff voted to hold."
    assert together(mixed, "Ines Varga") == "Ines Varga"

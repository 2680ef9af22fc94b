"""Answer types: what kind of thing a question asks for, and how spaCy labels map to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

# The noun a "which/what X" question asks about -> answer types.
FOCUS_TYPES: dict[str, tuple[str, ...]] = {}
for _types, _words in (
    (
        ("place",),
        "city country capital state place town venue location region nation"
        " province continent island host site",
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
        " party brand network studio publisher airline bank university school"
        " carmaker automaker chipmaker drugmaker manufacturer retailer lender insurer"
        " operator carrier regulator watchdog supplier exporter importer producer"
        " broadcaster newspaper utility chain supermarket conglomerate consortium business",
    ),
    (("team", "organisation"), "team side"),
    (("work",), "movie film book song album show series novel play painting episode"),
    (
        ("product", "work", "name"),
        "game console phone device headset product car model app assistant software",
    ),
    (("date",), "date day year month birthday"),
    (("time",), "time hour"),
    (
        ("money",),
        "price cost revenue salary budget income profit fee value worth saving savings"
        " damage fare fund package loss bill spending investment",
    ),
    (("percent", "money", "number"), "rise increase cut target raise growth"),
    (("score",), "score scoreline"),
    (("money", "number"), "money"),
    (("number",), "number amount population total"),
    (("percent", "number"), "percentage rate share turnout inflation"),
    (("percent", "number"), "stake proportion premium portion fraction"),
    (("rank",), "ranking rank"),
    (("name", "person"), "name"),
    (("name", "work", "event"), "trophy"),
    (("number",), "attendance count toll"),
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


_KIN = frozenset("mother father son daughter wife husband brother sister parent child".split())


def persons_name(named: str | None) -> bool:
    """Whether 'the name of ``named``' may be a person's: the cubs' mother, the new
    coach; not the climate law or the ship. None (no 'of'): it may."""
    return named is None or named in _KIN or FOCUS_TYPES.get(named, ("",))[0] == "person"


def another_measure(focus: str | None, measured: str | None) -> bool:
    """A share asked ('What share did he get?') and another measure given."""
    return focus in _MEASURE_NOUNS and measured in OTHER_MEASURES


def names_answer_kind(focus: str | None) -> bool:
    """'Which country', 'What proportion': the focus names the answer's kind, and no
    sentence need say the word ('Sweden', 'roughly 62%')."""
    kind = FOCUS_TYPES.get(focus or "", ("",))[0]
    return kind in _TYPE_NOUN_KINDS or focus in _MEASURE_NOUNS


def asked_relation(q: QuestionAnalysis) -> set[str]:
    """The words a sentence may say the asked relation with: the question's relation,
    without a focus noun that only names the answer's kind."""
    return set(q.relation) - ({q.focus} if names_answer_kind(q.focus) else set())


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

# Words that express the same relation as a question's predicate or focus noun:
# "won" for "awarded", "director" for "directed", "boss" for "CEO".
# Question words that state no fact a passage must repeat ('actually held', 'so far').
SCAFFOLD_TERMS = frozenset(
    "actually finally originally ever still currently exactly really far already yet now"
    " late date relation".split()
)
RELATION_SYNONYMS: dict[str, frozenset[str]] = {
    k: frozenset(v.split())
    for k, v in {
        "award": "award win receive give honor honour name prize laureate",
        "win": "win award receive claim take beat defeat capture clinch winner champion victory",
        "split": "split vote",  # 'How did the committee split?': 'voted 6-1'
        "direct": "direct director helm",
        "director": "direct director helm",
        "host": "host hold stage",
        "hold": "hold host stage place",
        "release": "release launch arrive debut out",
        "announce": "announce unveil reveal introduce launch",
        "acquire": "acquire buy purchase acquisition",
        "star": "star play cast portray role",
        "play": "play star cast portray role",
        "premiere": "premiere debut air release return",
        "break": "break cut sever rupture breakdown",
        "reach": "reach agree agreement",
        "ceo": "ceo chief executive boss head",
        "president": "president head leader chief",
        "actress": "actress actor star play cast role",
        "actor": "actor actress star play cast role",
        "runner-up": "runner runners final lose beat defeat second",
        "city": "city host",
        "job": "job former formerly previously role position",
        "say": "say tell state add claim warn",
        "lead": "lead leader head chair chairman chairwoman secretary chief run president",
        "head": "head lead leader chair chairman chairwoman secretary chief run director"
        " president governor boss ceo commissioner",
        "run": "run head lead chief director acting president governor boss ceo chairman"
        " chairwoman chair leader secretary commissioner",
        "receive": "receive earn get win take award pay",
        "earn": "earn receive get win take make",
        "start": "start begin launch walk strike open",
        "begin": "begin start launch walk open",
        "die": "die kill dead death toll",
        "kill": "kill die dead death toll",
        "buy": "buy acquire purchase sell sale acquisition",
        "sell": "sell sale buy acquire",
        "back": "back support endorse vote",
        "support": "support back endorse vote",
        "appoint": "appoint name choose pick bring select",
        "cost": "cost price spend",
        "affect": "affect damage hit disrupt",  # 'polling stations affected': 'damaged'
        "expect": "expect forecast estimate predict plan",
        "finance": "finance fund pay loan cash",
        "resign": "resign quit step leave",
        "born": "born birth",
        "bring": "bring appoint name hire",
        "beat": "beat defeat win victory",
        "defeat": "defeat beat win victory",
        "lose": "lose defeat beat loss",
        "mediate": "mediate mediator broker",
        "found": "found founder establish create",
        "oppose": "oppose against dissent reject",
        "reject": "reject refuse decline dismiss",
        "oversee": "oversee run lead manage head charge",
        "oversaw": "oversee run lead manage head charge",  # the lemmatizer keeps the past
        "stick": "stick strand wait anchor",
        "cheap": "cheap low lowest start",
        "previous": "previous last earlier prior",
        "policymaker": "policymaker member",
        "leave": "leave exclude strip",
        "deadlock": "deadlock impasse stalemate stall",
        "bear": "born birth",
        "follow": "follow adhere abide comply observe",
        "rule": "rule law regulation norm principle",
        "visit": "visit trip travel visitor",
        "cabinet": "cabinet secretary minister",
        "divert": "divert reroute redirect switch",
        "take": "take win get capture secure receive",
        "hand": "hand present give award",
        "present": "present hand give award",
        "become": "become appoint name take",
        "promise": "promise pledge vow commit",
        "pledge": "pledge promise vow commit",
        "live": "live reside residence home",
        "injure": "injure injury hurt",
        "own": "own hold stake",
        "climb": "climb rise move jump",
        "cast": "cast vote",
        "stop": "stop suspend halt cease pause",
        "suspend": "suspend stop halt pause",
        "halt": "halt stop suspend shut",
        "lower": "lower cut reduce trim slash",
        "low": "low lower cut reduce",  # the lemmatizer reads the verb 'lower' as 'low'
        "move": "move postpone delay reschedule shift",
        "postpone": "postpone delay move reschedule",
        "delay": "delay postpone move reschedule",
        "coach": "coach coached trainer train",
        "cut": "cut lower reduce trim slash",
        "reduce": "reduce cut lower trim",
        "raise": "raise increase hike lift",
        "increase": "increase raise hike lift rise",
    }.items()
}

"""Words a sentence may say a question's relation with: 'won' for 'awarded', 'director'
for 'directed', 'boss' for 'CEO', 'hiring' for 'recruit'."""

from __future__ import annotations


def _word_sets(table: dict[str, str]) -> dict[str, frozenset[str]]:
    """Each key with the words of its space-separated value."""
    return {key: frozenset(value.split()) for key, value in table.items()}


RELATION_SYNONYMS = _word_sets(
    {
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
        "work": "work design build develop",  # 'worked on the satellite': designed it
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
        "prove": "prove find turn",  # 'turned out to be valid': 'found to be valid'
        "move": "move postpone delay reschedule shift",
        "postpone": "postpone delay move reschedule",
        "delay": "delay postpone move reschedule",
        "coach": "coach coached trainer train",
        "cut": "cut lower reduce trim slash",
        "reduce": "reduce cut lower trim",
        "raise": "raise increase hike lift",
        "increase": "increase raise hike lift rise",
        # News verbs and their usual paraphrases: never an antonym ('hire' is not 'fire'),
        # never a word of two senses ('grow' vegetables or prices, 'fire' staff or guns).
        "hire": "hire recruit employ appoint sign",
        "recruit": "recruit hire employ sign",
        "employ": "employ hire recruit staff",
        "sack": "sack dismiss oust remove",
        "fire": "fire sack dismiss oust",
        "dismiss": "dismiss sack oust remove",
        "oust": "oust sack dismiss remove",
        "fight": "fight tackle battle combat",
        "tackle": "tackle fight battle combat",
        "battle": "battle fight tackle combat",
        "consider": "consider study weigh examine explore",
        "study": "study consider weigh examine review",
        "examine": "examine study review investigate",
        "investigate": "investigate probe examine inquiry investigation",
        "cancel": "cancel scrap drop",
        "scrap": "scrap cancel drop abandon",
        "approve": "approve endorse ratify",
        "endorse": "endorse back support approve",
        "accept": "accept approve agree",
        "guarantee": "guarantee promise pledge commit",
        "commit": "commit promise pledge vow",
        "spend": "spend cost invest",
        "invest": "invest spend",
        "organise": "organise organize stage arrange",
        "organize": "organize organise stage arrange",
        "evacuate": "evacuate evacuation",
        "destroy": "destroy burn raze flatten",
        "arrest": "arrest detain",
        "detain": "detain arrest hold",
        "accuse": "accuse allege",
        "blame": "blame cause spark trigger",
        "cause": "cause spark trigger blame start",
        "spark": "spark cause trigger start",
        "open": "open launch start inaugurate",
        "launch": "launch open start unveil",
        "close": "close shut",
        "build": "build construct",
        "lease": "lease rent charter",
        "rent": "rent lease hire",
        "rise": "rise increase climb jump",
        # the one-word verbs of phrasal verbs (idioms.PHRASAL_VERBS), with the phrasal
        # verb's own words: 'had been returned', 'brought back'
        "return": "return back",
        "repay": "repay refund reimburse back",
        "strike": "strike walk walkout stoppage",
        "extinguish": "extinguish put douse",
        "borrow": "borrow loan",
        "deliver": "deliver hand handover give pay",
        # 'went over budget', 'cost €96 million, about €20 million more than planned'
        "overrun": "overrun exceed overspend go plan",
        "fall": "fall drop slip",
        "drop": "drop fall slip",
        "sign": "sign agree",
        "offer": "offer propose",
        "propose": "propose offer suggest",
        "demand": "demand seek call ask",
        "seek": "seek demand ask",
        "replace": "replace succeed",
        "succeed": "succeed replace",
        "establish": "establish found create set",
        "create": "create found establish",
        "manage": "manage run lead head coach manager",
        "protest": "protest march rally demonstrate",
        "march": "march protest rally",
        "estimate": "estimate put calculate",
        "carry": "carry transport",
        "settle": "settle end resolve deal agreement",
        "end": "end settle resolve conclude",
        "negotiate": "negotiate talk broker",
        "elect": "elect vote",
        "testify": "testify witness evidence hear",  # 'the court heard from 39 witnesses'
        "reschedule": "reschedule move postpone delay shift",  # 'has been moved to October 4'
        "grow": "grow produce",  # crops: 'Halden province produces a third of its vegetables'
        "trim": "trim cut reduce lower slash",  # 'trimmed its budget': 'cut its budget by 30%'
        "collapse": "collapse cave",  # 'When did the roof give way?': 'The collapse happened'
        "capacity": "capacity hold seat",  # 'Riverside Park holds 24,500 people'
        "impose": "impose fine levy",  # 'What fine was imposed?': 'was fined €4 million'
        "address": "address tell speak",  # 'told supporters at the old fish market'
        "let": "let allow permit",  # 'let Kestrel start selling': 'allowed Kestrel to resume'
    }
)

# Verbs that answer a yes/no question 'No' when a sentence says them of the asked act:
# 'rejected an improved pay offer' for 'Did the union accept the improved offer?'.
OPPOSITES = _word_sets(
    {
        "accept": "reject refuse decline",
        "approve": "reject block veto refuse",
        "agree": "reject refuse",
        "win": "lose",
        "lose": "win",
        "pass": "fail reject",
        "support": "oppose",
        "back": "oppose",
        "confirm": "deny",
        "allow": "ban block forbid",
        "join": "leave quit",
        "rise": "fall drop",
        "increase": "cut",
        "survive": "die",
        "open": "close",
        "meet": "miss",
    }
)

# Nouns and adjectives a question may say in other words than its article: matched as
# question terms (evidence.py), never as the asked relation.
WORD_SYNONYMS = _word_sets(
    {
        "extra": "extra additional further",
        "additional": "additional extra further",
        "supporter": "supporter fan",
        "fan": "fan supporter",
        "game": "game match fixture",
        "match": "match game fixture",
        "ground": "ground stadium",
        "stadium": "stadium ground arena",
        "price": "price cost",
        "resident": "resident people inhabitant",
        "home": "home house",
        "house": "house home",
        "company": "company firm",
        "firm": "firm company",
        "death": "death fatality",
        "fatality": "fatality death",
        "salary": "salary pay wage",
        "wage": "wage pay salary",
        "money": "money funding fund cash",
        "funding": "funding money fund",
        "settlement": "settlement deal agreement",
        "deal": "deal agreement settlement accord",
        "agreement": "agreement deal settlement accord",
        "talk": "talk negotiation",
        "walkout": "walkout strike stoppage",
        "strike": "strike walkout stoppage",
        "blaze": "blaze fire wildfire",
        "wildfire": "wildfire fire blaze",
        "village": "village town",
        "ballot": "ballot vote",
        "election": "election vote poll",
        "car": "car vehicle",
        "vehicle": "vehicle car",
        "trip": "trip journey",
        "journey": "journey trip",
        "prison": "prison jail",
        "jail": "jail prison",
        "whole": "whole entire total",
        "total": "total overall whole",
        "attendance": "attendance spectator crowd visitor",  # 'drew 151,200 spectators'
        "crowd": "crowd spectator audience",
        "time": "time occasion",  # 'How many times ...?': 'on 14 occasions'
        "big": "big large",
        "large": "large big",
    }
)

"""Reading: score every candidate of every sentence and group mentions of one answer."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rag.lexical import STOPWORDS, fold, stem
from rag.reader.agents import full_names, mistyped_person, other_person, person_words
from rag.reader.candidates import DISTANCE_FROM, Candidate, extract
from rag.reader.constraints import (
    conflicts_with_year,
    only_expected,
    other_draw,
    placing_missing,
)
from rag.reader.countries import country_for_city
from rag.reader.counts import counting_the_asked, counts_asked_noun, measured_noun
from rag.reader.date_constraints import (
    date_match,
    not_before,
    other_month_near,
    quarter_conflict,
    told_since,
    year_bound,
)
from rag.reader.dates import iso_date
from rag.reader.event_dates import date_of_other_verb
from rag.reader.evidence import (
    Evidence,
    article_words,
    names_entities,
    place_names,
    says_all_but_relation,
    says_relation,
)
from rag.reader.features import FEATURES, LogisticScorer, featurize
from rag.reader.floors import Floors
from rag.reader.holders import holders_first, other_post_holder
from rag.reader.levels import asked_level, change_of, earlier_value
from rag.reader.measures import reported_qualifiers, unqualified
from rag.reader.origins import asks_origin, asks_relative, wrong_direction, wrong_origin
from rag.reader.passages import YEAR, Sentence, restates
from rag.reader.phrases import RULED_TYPES, phrase_score
from rag.reader.question import QuestionAnalysis
from rag.reader.roles import only_reports, opposite_role
from rag.reader.scored import Scored
from rag.reader.text import denies, words
from rag.reader.titles import TITLE_WORDS
from rag.reader.types import (
    AFFILIATIONS,
    CLAUSE_TYPES,
    DURATION_UNITS,
    FOCUS_TYPES,
    HEDGES,
    HONORIFICS,
    NOT_PEOPLE,
    another_measure,
    asked_relation,
    other_building,
)
from rag.reader.updates import values_in_time

_UNIT_WORDS = DURATION_UNITS | {"share"}  # '72 hours', '€60 a day', '$38 a share'
HARD_NEGATIVE = tuple(FEATURES.index(n) for n in ("other_thing", "number_conflict"))
# 'Which party did Reyland run for?': 'Reyland, of the National Renewal party' says it.
_BELONG = frozenset("run belong represent stand join".split())
FLOOR_TIE_BREAK = 0.05  # share of the fitted score a floored candidate keeps
AGREEMENT_DAMPING = 0.0  # weight of the k-th agreeing passage (0: the best mention alone)


@dataclass(frozen=True)
class Group:
    """All scored mentions of one answer (same normalised text)."""

    key: str
    mentions: tuple[Scored, ...]  # best first

    @property
    def best(self) -> Scored:
        """The strongest mention."""
        return self.mentions[0]

    @property
    def probability(self) -> float:
        """The group's score: its mentions' evidence combined (see ``combine``)."""
        return combine([(m.candidate.sentence.passage, m.probability) for m in self.mentions])


def combine(mentions: Sequence[tuple[int, float]]) -> float:
    """Noisy-or over passages of each passage's best mention, damped: independent
    passages that agree raise the score, one passage repeating itself does not."""
    best: dict[int, float] = {}
    for passage, p in mentions:
        best[passage] = max(best.get(passage, 0.0), p)
    ranked = sorted(best.values(), reverse=True)
    miss = 1.0
    for i, p in enumerate(ranked):
        miss *= 1.0 - p * (AGREEMENT_DAMPING**i if i else 1.0)
    return 1.0 - miss


def candidates_for(q: QuestionAnalysis, sentences: Sequence[Sentence]) -> list[Candidate]:
    """Candidates that survive the hard rules: never made of question words, never from a
    sentence that restates the question, never dated to a year the question excludes."""
    terms = set(q.terms)
    q_stems = {stem(w) for w in words(q.text)} | {stem(t) for t in terms}
    out = []
    # 'Which country': the answer is the country, no sentence need say the word.
    kind = FOCUS_TYPES.get(q.focus or "", ("",))[0]
    relation = asked_relation(q)
    if kind == "role":
        relation = set()  # a post is read from titles and appositives: no verb says 'held'
    relative = asks_relative(q)
    origin = asks_origin(q)
    level = asked_level(q)  # 'What rate did the bank set?': not the move of the rate
    if origin or (q.focus in AFFILIATIONS and q.predicate in _BELONG):
        relation = set()  # no verb need say 'represent': 'Sofia Lindahl of Sweden' does
    relation_stems = {stem(r) for r in relation}
    entity_words = [
        [w for w in words(e) if w not in STOPWORDS and not w.isdigit()] for e in q.entities
    ]
    subject_key = _head_word(q.subject) if q.qtype == "definition" else ""
    people, surnames = person_words(sentences), full_names(sentences)
    bound = year_bound(q.text)  # 'before its 2025 repairs': a date answer is earlier
    qualifiers = reported_qualifiers(q, sentences)
    in_article = article_words(sentences)
    places = place_names(sentences) if q.focus in AFFILIATIONS else frozenset()
    # 'Why did the sirens not sound?' asks about the denial itself.
    denial_matters = bool(q.predicate) and q.qtype != "yes_no" and not _NEGATION.search(q.text)
    for s in sentences:
        if s.kind != "body" or (restates(s, terms) and q.qtype != "yes_no"):
            continue
        clause = set(q.answer_types) <= CLAUSE_TYPES  # matched by idf coverage instead
        if relation and not clause and not says_relation(relation_stems, s, whole_passage=True):
            if not says_all_but_relation(q, s) and not counts_asked_noun(q, s):
                continue  # nothing says the asked relation, nor counts the asked ('8 fires')
        if denial_matters and denies(s, q.predicate or ""):
            continue  # 'declined to appoint a mediator' names no one appointed
        if not names_entities(entity_words, in_article[s.title]):
            continue
        if subject_key and subject_key not in words(s.text):
            continue  # 'Who is Machado?': another person's title is no answer
        if date_match(q.dates, s) == 0.0 or not told_since(q.since, s):
            continue  # it tells of another day or month than the one asked about
        if unqualified(q, s, qualifiers):
            continue  # 'inflation' where 'core inflation' is asked
        if placing_missing(q, s) or other_draw(q, s):
            continue  # 'came third': the sentence must say third; the women's final
        # 'on November 3' of a 2025 article is in 2025
        article_year = {iso[:4]} if bound and (iso := iso_date(s.date)) else set()
        for c in extract(q, s):
            # 'roughly 62%' answers 'Roughly what proportion', 'Greyfield Park' 'which park'.
            cw = [w for w in words(c.text) if (len(w) > 1 or w.isdigit()) and w not in HEDGES]
            if c.ctype in ("duration", "money"):  # '72 hours' answers 'how many hours'
                cw = [w for w in cw if w not in _UNIT_WORDS] or ["#"]
            if c.ctype in CLAUSE_TYPES - {"yes_no"}:  # a clause answers with what it adds
                new = [w for w in cw if w not in STOPWORDS and stem(w) not in q_stems]
                cw = cw if len(new) >= 2 else []
            said = cw[:-1] if cw[-1:] == [q.focus] and q.focus in FOCUS_TYPES else cw
            asked = sum(stem(w) in q_stems for w in said) / len(cw) if cw else 1.0
            if asked <= 0.5 and len(cw) >= 2 and _other_of_same_name(q, c.ctype, cw):
                asked = 0.0  # 'Anton Marr' coaches 'Elias Marr'; Reyland founded 'Reyland & Sons'
            if not cw or asked >= 0.5 and not clause:
                continue  # made of the question's own words
            if c.ctype in ("person", "organisation", "team") and _pronoun_only(c.text):
                continue
            if c.ctype == "person" and (
                set(cw) & NOT_PEOPLE or cw[-1] in HONORIFICS or set(cw) <= TITLE_WORDS
            ):
                continue  # 'Health Minister Dr' cut from 'Dr Ilse Varga', 'Deputy Governor'
            if relative and not DISTANCE_FROM.fullmatch(c.text):
                continue  # 'Where is the dam in relation to Kessby?': '20 km upstream of Kessby'
            if c.ctype == "place" and (wrong_origin(q, c, origin) or wrong_direction(q, c)):
                continue  # 'Lindahl of Sweden' says where she is from, not where it was
            if c.ctype == "place" and country_for_city(q.focus, c.text):
                continue  # 'held in China' for 'Which city hosted ...?'
            if fold(c.text) in places or other_building(q.focus, c.text):
                continue  # 'the mayor of Calden' (an ORG there) names no party; 'ENA' no hospital
            if c.end <= s.header_end and c.ctype not in ("date", "time"):
                continue  # a snippet's date header names no person, place or thing
            if c.ctype == "date" and not_before(bound, _years_of(c.text) or article_year):
                continue  # 'November 3, 2025' is no time before the 2025 repairs
            if c.ctype == "date" and q.years and _years_of(c.text) - set(q.years):
                continue  # 'November 18, 2020' never answers a question about 2021
            if c.ctype == "date" and q.focus == "year" and not _years_of(c.text):
                continue  # 'In which year(s)': 'Monday' is no answer
            if conflicts_with_year(q, c) or quarter_conflict(q.quarters, s, c.text):
                continue  # another year or quarter than the one asked about
            if opposite_role(q, c) or only_reports(q, c) or other_month_near(q.dates, s, c.tokens):
                continue  # the one appointed when the question asks who appointed; the speaker
            if other_person(q, c, people) or mistyped_person(c, surnames):
                continue  # 'Sorn, who came third with 14.1%' for what Petrova took
            if other_post_holder(q, c):
                continue  # 'its director' is not who ran the authority meanwhile
            if another_measure(q.focus, measured_noun(c)) or level and change_of(c):
                continue  # 'Final turnout was 58.9%' for the share he got; 'by a quarter point'
            if only_expected(q, c) or date_of_other_verb(q, c):
                continue  # a plan or forecast, or the date of another verb, is no answer
            out.append(c)
    return out


def _other_of_same_name(q: QuestionAnalysis, ctype: str, cw: list[str]) -> bool:
    """A name half made of question words that is not what the question names: an
    organisation ('Reyland & Sons', 'the Halden Reconstruction Agency'), or kin of a
    person the question names in full ('Anton Marr' for 'Elias Marr'); never 'Gunnar
    Pell' when the question says only 'Pell'."""
    if ctype == "organisation":
        return True
    for entity in q.entities:
        names = words(entity)
        if ctype == "person" and len(names) >= 2 and cw[-1] == names[-1] != cw[0]:
            return cw[0] != names[0]
    return False


_NEGATION = re.compile(r"(?i)\b(?:not|never|no|nobody|nothing)\b|n[’']t\b")


def _head_word(subject: str | None) -> str:
    """'Interests Office that the US negotiates' -> 'office': the last word before a
    relative clause or prepositional phrase."""
    head: list[str] = []
    for w in words(subject or ""):
        if w in _PHRASE_BREAKS and head:
            break
        head.append(w)
    return head[-1] if head else ""


_PHRASE_BREAKS = frozenset("that which who whom whose of in at on for with from".split())


def _years_of(text: str) -> set[str]:
    return set(YEAR.findall(text))


def _pronoun_only(text: str) -> bool:
    return fold(text).strip() in {"he", "she", "they", "it", "i", "we", "you"}


def score_candidates(
    q: QuestionAnalysis,
    candidates: Sequence[Candidate],
    scorer: LogisticScorer,
    evidence: Evidence | None = None,
) -> list[Scored]:
    """Score candidates; 'support' counts the passages that mention the same answer;
    ``evidence`` weighs the question's terms over all retrieved sentences."""
    evidence = evidence or Evidence(q, [c.sentence for c in candidates])
    passages_by_key: dict[str, set[int]] = defaultdict(set)
    for c in candidates:
        passages_by_key[c.key].add(c.sentence.passage)
    dates = sorted({d for c in candidates if (d := iso_date(c.sentence.date))})
    floors = Floors.of(q)
    out = []
    for c in candidates:
        # 1 for the latest article among the candidates' articles, 0 for the oldest.
        d = iso_date(c.sentence.date)
        recency = dates.index(d) / (len(dates) - 1) if d and len(dates) > 1 else 0.5
        feats = featurize(q, c, len(passages_by_key[c.key]), recency, evidence.match(c.sentence))
        if any(feats[i] for i in HARD_NEGATIVE):
            continue  # another role or thing ('Raiders president'), another season or edition
        p = phrase_score(q, c, feats) if c.ctype in RULED_TYPES else scorer.score(feats)
        floor = floors.floor(c, feats)  # floors that tie keep the fitted order
        floor += FLOOR_TIE_BREAK * p if floor else 0.0
        out.append(Scored(c, tuple(feats), max(p, floor), vouched=floor > p))
    return out


def group(scored: Sequence[Scored]) -> list[Group]:
    """Mentions grouped by answer, best group first; a key contained in a longer one
    ('Tokarczuk' in 'Olga Tokarczuk') joins it."""
    by_key: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        by_key[s.candidate.key].append(s)
    keys = sorted(by_key, key=len, reverse=True)
    merged: dict[str, list[Scored]] = {}
    for k in keys:
        home = next(
            (m for m in merged if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", m) and len(k) > 3),
            None,
        )
        merged.setdefault(home or k, []).extend(by_key[k])
    groups = [Group(k, tuple(sorted(v, key=lambda s: -s.probability))) for k, v in merged.items()]
    return sorted(groups, key=lambda g: -g.probability)


def read(q: QuestionAnalysis, sentences: Sequence[Sentence], scorer: LogisticScorer) -> list[Group]:
    """Answer groups for one (simple) question, best first."""
    candidates = counting_the_asked(q, candidates_for(q, sentences))
    scored = score_candidates(q, candidates, scorer, Evidence(q, sentences))
    # The value a change started from still agrees with the same value told elsewhere.
    scored = [x for x in scored if not earlier_value(q, x.candidate)]
    return group(values_in_time(q, holders_first(q, scored, scorer.threshold)))

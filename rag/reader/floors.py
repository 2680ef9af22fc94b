"""Rule floors: answers the fitted scorer underrates because no feature says what makes
them sure. A country named as the asked person's origin, a distance from the asked place,
a number that counts the asked noun, a name of the asked kind attached to the asked
entity ('Reyland, of the National Renewal party' for 'Which party did Reyland run for?')."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.lexical import STOPWORDS, fold, stem
from rag.reader.candidates import Candidate
from rag.reader.counts import asked_nouns, counted_noun, counts_verb_argument
from rag.reader.features import FEATURE_INDEX as _F
from rag.reader.holders import affiliated, held_words, named_body, post_words, titled_as
from rag.reader.levels import asked_level, level_of
from rag.reader.measures import amount_in
from rag.reader.origins import ORIGIN_SCORE, asks_origin, asks_relative
from rag.reader.question import QuestionAnalysis
from rag.reader.roles import beaten_in_final
from rag.reader.slots import fills_asked_slot
from rag.reader.successors import asks_successor, takes_asked_post
from rag.reader.text import words
from rag.reader.types import AFFILIATIONS, AMOUNT_TYPES, KIN, NEGATIVE_CUES, names_answer_kind

_RELATIVE_SCORE = 0.8  # a sentence naming both places and the distance between them
_COUNT_SCORE = 0.6  # a number counting the asked noun where the relation is said
_KIND_SCORE = 0.7  # 'the National Renewal party' right by the asked 'Reyland'
_SLOT_SCORE = 0.7  # 'The line ... cost €6.8 billion': the asked verb's own argument
_HOLDER_SCORE = 0.7  # 'Bluewater chief executive Annika Sorel' for 'Who runs Bluewater?'


@dataclass(frozen=True)
class Floors:
    """What the question asks that a floor can vouch for."""

    origin: bool
    relative: bool
    counted: frozenset[str]  # the counted noun and its usual words: 'time', 'occasion'
    kind: str | None  # the focus noun that names the answer's kind: 'party'
    slot: QuestionAnalysis | None  # a question whose verb and subject a sentence can repeat
    verbs: frozenset[str]  # the asked relation's words
    held: frozenset[str]  # the body whose head the question asks for: 'Bluewater Lines'
    named: frozenset[str]  # its names: 'Bluewater'
    person_kind: str | None  # 'Which minister ...?': 'minister'
    members: frozenset[str]  # 'Which party does Amira Castell belong to?': 'castell'
    kin: str | None = None  # 'What is the cubs' mother called?': 'mother'
    runner_up: bool = False  # 'Who was the runner-up of the 2018 World Cup?'
    level: tuple[str, ...] | None = None  # 'What rate did the bank set?': ('rate',)
    successor: QuestionAnalysis | None = None  # 'Who is taking over as interim boss?'
    person_modifiers: frozenset[str] = frozenset()  # 'Which fire chief ...?': 'fire'
    measure: str | None = None  # 'What annual cost savings ...?': 'saving'

    @classmethod
    def of(cls, q: QuestionAnalysis) -> Floors:
        kind = q.focus if names_answer_kind(q.focus) and q.entities else None
        slot = q if (q.actor or q.asked_object) and not q.parts else None
        relation = frozenset(q.relation)
        held, named = held_words(q), named_body(q)
        # 'Which minister promised ...?', not 'Who is the CEO of X (in 2021)?'
        asks_kind = q.qtype == "who" and bool(q.predicate)
        person = q.focus if asks_kind and q.answer_types[:1] == ("person",) else None
        group = q.focus in AFFILIATIONS
        members = frozenset(words(e)[-1] for e in q.entities if words(e)) if group else frozenset()
        return cls(
            asks_origin(q),
            asks_relative(q),
            asked_nouns(q),
            kind,
            slot,
            relation,
            held,
            named,
            person,
            members,
            _asked_kin(q),
            q.focus == "runner-up",
            asked_level(q),
            q if asks_successor(q) else None,
            _modifiers(q, person),
            q.focus if q.focus and q.answer_types[0] in AMOUNT_TYPES else None,
        )

    def floor(self, c: Candidate, feats: Sequence[float]) -> float:
        """The least probability the candidate deserves (0: none)."""
        if c.ctype == "place" and self.origin:
            return ORIGIN_SCORE  # the asked person's own 'of Sweden' (candidates_for)
        if self.relative and feats[_F["idf_sent"]] >= 0.9:
            return _RELATIVE_SCORE
        if counted_noun(c) in self.counted:
            said = feats[_F["predicate"]] and feats[_F["idf_sent"]] >= 0.8
            if said or feats[_F["idf_sent"]] >= 0.5 and counts_verb_argument(c, self.verbs):
                return _COUNT_SCORE  # '71 container ships were waiting': counts the asked
        ends = fold(c.text).split()[-1:] == [self.kind]
        if self.kind and ends and feats[_F["near_entity"]] >= 1 / 3:
            return _KIND_SCORE  # a name of the asked kind, two arcs from the asked entity
        if self.measure and feats[_F["idf_sent"]] >= 0.5 and amount_in(c, self.measure):
            return _KIND_SCORE  # '$180 million in annual cost savings'
        if self.kin and c.tokens and c.sentence.lemma(c.tokens[0] - 1) == self.kin:
            return _KIND_SCORE  # 'born to nine-year-old mother Tasha'
        if self.runner_up and beaten_in_final(c):
            return _KIND_SCORE  # 'after defeating Croatia 4-2 in the 2018 final'
        if self.level and feats[_F["entity_sent"]] == 1 and feats[_F["year_passage"]] == 1:
            if level_of(self.level, c):  # the sentence names the asked body and year
                return _SLOT_SCORE  # '(The Bank of Estmark lowered its main rate ...) to 3.75%'
        if self.successor and feats[_F["entity_passage"]] >= 0.5:
            if takes_asked_post(self.successor, c):
                return _SLOT_SCORE  # 'Jonas Pell ... will take over as interim chief executive'
        if affiliated(self.members, c):
            return _KIND_SCORE  # 'Green Harbour candidate Amira Castell'
        if self.slot is not None and fills_asked_slot(self.slot, c):
            return _SLOT_SCORE
        # 'Justice Minister Carla Wendt' for 'Which minister ...?' where the sentence matches;
        # where it says the asked verb in other words, the title must say the question's
        # modifiers too: 'Fire chief Rolf Hagen' for 'Which fire chief commented ...?'.
        matched = feats[_F["idf_sent"]] >= 0.5
        if self.person_kind and (matched or self.person_modifiers):
            needed = frozenset() if matched else self.person_modifiers
            if titled_as(self.person_kind, c, needed):
                return _HOLDER_SCORE
        if feats[_F["negative_cue"]]:
            return 0.0  # 'Gunnar Pell, the authority's director, ... resigned'
        post = post_words(self.held, c)  # a name of the body, or a sentence about it
        if post & self.named or post and feats[_F["idf_sent"]] >= 0.5:
            return _HOLDER_SCORE
        return 0.0


def _modifiers(q: QuestionAnalysis, person: str | None) -> frozenset[str]:
    """Stems of the words between 'which' and the asked kind of person: 'fire' of 'Which
    fire chief ...?', 'norrvik motor' of 'Which Norrvik Motors executive ...?'; none for
    'Which former ...', whose title is one left."""
    said = words(q.text)
    if not person or "which" not in said or person not in said:
        return frozenset()
    between = said[said.index("which") + 1 : said.index(person)]
    if any(w in NEGATIVE_CUES for w in between) or len(between) > 3:
        return frozenset()
    return frozenset(stem(w) for w in between if w not in STOPWORDS)


def _asked_kin(q: QuestionAnalysis) -> str | None:
    """The kin whose name the question asks: 'What is the cubs' mother called?'."""
    if "name" not in q.answer_types:
        return None
    return next((w for w in words(q.text) if w in KIN), None)

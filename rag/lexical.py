"""Tiny lexical helpers shared by the answerers and citation checks."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"\w+", re.UNICODE)
YEAR = re.compile(r"\b(1[89]\d\d|20[0-4]\d)\b")  # a year a question or sentence names

# Function words carry no evidence; question words ("who", "when") would
# otherwise count as terms an answer must contain.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves also said says say according tell told many much us
    s t don th article articles compare""".split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents so 'Rodríguez' matches 'Rodriguez'.

    >>> fold("María Rodríguez")
    'maria rodriguez'
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_PER_THREAD = threading.local()


def _snowball() -> Any:
    # One stemmer per thread: a Snowball stemmer keeps the word it is working
    # on in itself, so two server threads sharing one stem each other's words
    # (wrong stems, or an IndexError inside the stemmer).
    stemmer = getattr(_PER_THREAD, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _PER_THREAD.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """English Snowball stem, so 'closing', 'closed' and 'close' meet.

    >>> [stem(w) for w in ["televisions", "relations", "reopened", "closing", "close"]]
    ['televis', 'relat', 'reopen', 'close', 'close']
    """
    return str(_snowball().stemWord(word))


def content_terms(text: str) -> set[str]:
    """Stemmed, folded words that are not stopwords.

    >>> sorted(content_terms("Who is Venezuela's acting president?"))
    ['act', 'presid', 'venezuela']
    """
    return {stem(w) for w in _WORD.findall(fold(text)) if w not in STOPWORDS and len(w) > 1}

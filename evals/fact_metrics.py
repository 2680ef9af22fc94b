"""Answer-level metrics as pure functions: key facts, answered/refused, follow-ups, length.

Text matching is on a normalised form (case, accents, punctuation and articles
dropped) with word boundaries, so "Rodríguez" matches "rodriguez" and "20"
does not match "2018".
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Sequence

from evals.metrics import strip_markers

_ARTICLES = re.compile(r"\b(a|an|the)\b")
# Dashes and slashes separate words ("Spider-Man" == "Spider Man"); other punctuation is
# dropped so that "U.S." == "US" and "20,000" == "20000".
_SEPARATORS = re.compile(r"[-‐‑‒–—/_]+")
_PUNCTUATION = set(string.punctuation) | set("“”‘’«»…¿¡·")
# A sentence ends at . ! ? … (closing quotes allowed) before whitespace and a capital or digit,
# unless the full stop closes an initial ("U.S.", "J."), a title ("Mr.") or a month ("Jan.").
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")
_NO_BREAK_BEFORE = re.compile(
    r"\b(?:[A-Za-z]|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Gen|Gov|Sen|Rep|vs|No|Inc|Corp|Co|Ltd"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$"
)


def fold(text: str) -> str:
    """Lowercase, accents stripped, punctuation and articles dropped, spaces squeezed.

    >>> fold("The U.S. Embassy in Bogotá — re-opened!")
    'us embassy in bogota re opened'
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _SEPARATORS.sub(" ", plain)
    plain = "".join(ch for ch in plain if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", plain).split())


def contains_phrase(text: str, phrase: str) -> bool:
    """True when the folded phrase occurs in the folded text on word boundaries.

    A trailing "s" on the text side is allowed (possessives and plurals).

    >>> contains_phrase("Olga Tokarczuk's novel [1]", "olga tokarczuk")
    True
    >>> contains_phrase("It opened in 2018.", "20"), contains_phrase("x", "")
    (False, False)
    """
    folded = fold(phrase)
    if not folded:
        return False
    return re.search(rf"(?<!\w){re.escape(folded)}s?(?!\w)", fold(text)) is not None


def reference_parts(reference: str | None) -> list[str]:
    """The facts a reference requires: a "; "-joined reference requires every part.

    >>> reference_parts("Delcy Rodríguez; vice president"), reference_parts(None)
    (['Delcy Rodríguez', 'vice president'], [])
    """
    if reference is None:
        return []
    return [part.strip() for part in reference.split(";") if fold(part)]


def key_fact(answer: str, reference: str | None, *, refused: bool = False) -> float | None:
    """1.0 when the answer (markers stripped) holds every part of the reference.

    None when there is no reference; a refusal holds no fact.

    >>> key_fact("Delcy Rodríguez, the vice president. [1]", "delcy rodriguez; Vice-President")
    1.0
    >>> key_fact("Delcy Rodríguez. [1]", "Delcy Rodríguez; vice president")
    0.0
    >>> key_fact("anything", None) is None
    True
    """
    parts = reference_parts(reference)
    if not parts:
        return None
    if refused:
        return 0.0
    text = strip_markers(answer)
    return 1.0 if all(contains_phrase(text, part) for part in parts) else 0.0


def answered(answerable: bool, refused: bool) -> float | None:
    """1.0 when an answerable question got an answer; None for unanswerable items.

    >>> answered(True, False), answered(True, True), answered(False, False)
    (1.0, 0.0, None)
    """
    if not answerable:
        return None
    return 0.0 if refused else 1.0


def refused_unanswerable(answerable: bool, refused: bool) -> float | None:
    """1.0 when an unanswerable question was refused; None for answerable items.

    >>> refused_unanswerable(False, True), refused_unanswerable(False, False)
    (1.0, 0.0)
    >>> refused_unanswerable(True, True) is None
    True
    """
    if answerable:
        return None
    return 1.0 if refused else 0.0


def follow_up_right(
    has_history: bool, answerable: bool, refused: bool, fact: float | None
) -> float | None:
    """For turns with history: the key fact for answerable items, a refusal otherwise.

    An answerable follow-up without a reference counts as right when it is answered.

    >>> follow_up_right(True, True, False, 1.0), follow_up_right(True, False, True, None)
    (1.0, 1.0)
    >>> follow_up_right(True, True, False, None), follow_up_right(False, True, False, 1.0)
    (1.0, None)
    """
    if not has_history:
        return None
    if not answerable:
        return 1.0 if refused else 0.0
    if fact is None:
        return answered(True, refused)
    return fact


def opening(text: str) -> str:
    """The answer's first sentence, markers stripped: the short answer it opens with.

    >>> opening("Corvane Partners [1]. The sale of the unit to Corvane Partners ... [1]")
    'Corvane Partners.'
    >>> opening("Mr. Smith [1]. He said so. [2]")
    'Mr. Smith.'
    """
    plain = strip_markers(text)
    start = 0
    for gap in _SENTENCE_END.finditer(plain):
        if not _NO_BREAK_BEFORE.search(plain[start : gap.start()]):
            return plain[: gap.start()].strip()
        start = gap.end()
    return plain.strip()


def count_sentences(text: str) -> int:
    """Sentences in an answer, markers stripped; initials and titles do not end one.

    >>> count_sentences("The U.S. Embassy reopened. [1] Mr. Smith said so! [2] Why?")
    3
    >>> count_sentences("  [1] ")
    0
    """
    plain = strip_markers(text)
    if not re.search(r"\w", plain):
        return 0
    count, start = 1, 0
    for gap in _SENTENCE_END.finditer(plain):
        if not _NO_BREAK_BEFORE.search(plain[start : gap.start()]):
            count += 1
        start = gap.end()
    return count


def median(values: Iterable[float | None]) -> float | None:
    """Median of the values that are not None; None when there are none.

    >>> median([3, None, 1, 2]), median([1, 4]), median([None])
    (2.0, 2.5, None)
    """
    ordered: Sequence[float] = sorted(float(v) for v in values if v is not None)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2

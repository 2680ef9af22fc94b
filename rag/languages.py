"""Telling a question asked in another language from an English one.

The offline answerers parse questions with an English pipeline and no translation model
ships offline, so a Spanish question would be refused as if the articles were silent.
Saying why is better. The test is the stop words spaCy ships for each language (plain
word lists, no model): a question is another language's when more of its words are that
language's function words than English ones.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.util import find_spec, module_from_spec, spec_from_file_location
from pathlib import Path

# Languages whose stop-word lists ship with spaCy, by the name users know them by.
LANGUAGES = {
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
}
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _stop_words(code: str) -> frozenset[str]:
    # The word-list file alone: importing it as spacy.lang.xx would import all of spaCy
    # (about 0.8 s), which the sentence quoter never needs otherwise.
    spec = find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(spec.submodule_search_locations[0]) / "lang" / code / "stop_words.py"
    loaded = spec_from_file_location(f"_stop_words_{code}", path)
    if loaded is None or loaded.loader is None:
        return frozenset()
    module = module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return frozenset(w.lower() for w in module.STOP_WORDS)


def question_language(question: str) -> str | None:
    """The language a question is in when it is clearly not English, else None.

    >>> question_language("¿Quién es la presidenta interina de Venezuela?")
    'Spanish'
    >>> question_language("Who is Juan de la Cruz?") is None
    True
    >>> question_language("Who won in Las Palmas de Gran Canaria?") is None
    True
    """
    found = _WORD.findall(question)
    if len(found) < 3:
        return None
    # Capitalised words after the first are names ("Las Palmas de Gran Canaria"), whose
    # function words belong to no language of the question.
    words = [w.lower() for i, w in enumerate(found) if i == 0 or not w[0].isupper()]
    english_stops = _stop_words("en")
    english = sum(w in english_stops for w in words)
    best, best_hits = None, 0
    for code, name in LANGUAGES.items():
        # A word that is a function word in English too ("a", "no") proves nothing.
        stops = _stop_words(code) - english_stops
        hits = sum(w in stops for w in words)
        if hits > best_hits:
            best, best_hits = name, hits
    # Two foreign function words and more of them than English ones: names such as
    # "Juan de la Cruz" in an English question do not make it Spanish.
    if best_hits >= 2 and best_hits > english:
        return best
    return None


def offline_language_notice(question: str) -> str | None:
    """What to tell a user whose question the offline answerers cannot read."""
    language = question_language(question)
    if language is None:
        return None
    return (
        f"This question looks like {language}. The offline answerer reads English "
        "questions only, so please ask it in English, or configure an LLM in the "
        "settings, which can read other languages."
    )


__all__ = ["LANGUAGES", "offline_language_notice", "question_language"]

"""Verb lemmas the small English pipeline gets wrong, put right by English spelling.

spaCy's rule lemmatizer strips '-ed', '-ing' or '-es' and keeps the first stem its verb
list knows. Where both 'fin' and 'fine' are verbs it keeps 'fin', so 'was fined' reads
as 'fin' and never matches a question's 'fine'; 'hoped' becomes 'hop', 'staged'
'stag', 'rated' 'rat'. A one-syllable verb ending in a consonant after one vowel doubles
that consonant ('hopped', 'finned', 'starred'), so the undoubled forms can only be of
the verb with a final 'e'. The lemmatizer's exception table cannot say so (a stem it
knows wins over an exception), so a pipeline step after it does.
"""

from __future__ import annotations

import re
from typing import Any

VERSION = 1  # part of the annotator's signature: a store annotated before is re-read
COMPONENT = "doubling_lemma_fix"
_CVC = re.compile(r"^[^aeiou]*[aeiou][^aeiouwxy]$")  # one vowel, then one consonant


def undoubled_forms(verbs: set[str]) -> dict[str, str]:
    """Form -> lemma for the undoubled forms of each short verb that also has an '-e'
    twin: {'fined': 'fine', 'fining': 'fine', 'fines': 'fine', ...}.

    >>> undoubled_forms({"fin", "fine", "plan", "hop", "hope"})["hoped"]
    'hope'
    >>> "planed" in undoubled_forms({"fin", "fine", "plan", "hop", "hope"})
    False
    """
    out = {}
    for short in verbs:
        if short + "e" in verbs and _CVC.match(short):
            for form in (short + "ed", short + "ing", short + "es"):
                out[form] = short + "e"
    return out


def add_lemma_fix(nlp: Any) -> None:
    """Put the step after the pipeline's rule lemmatizer (none: nothing to fix)."""
    if "lemmatizer" not in nlp.pipe_names or COMPONENT in nlp.pipe_names:
        return
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return  # a lookup-table lemmatizer has no rule to go wrong
    forms = undoubled_forms(set(lookups.get_table("lemma_index").get("verb", ())))
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(COMPONENT, default_config={"forms": {}})(_LemmaFix)
    nlp.add_pipe(COMPONENT, after="lemmatizer", config={"forms": forms})


class _LemmaFix:
    """Sets the lemma of a verb form the table names."""

    def __init__(self, nlp: Any, name: str, forms: dict[str, str]) -> None:
        self.forms = forms

    def __call__(self, doc: Any) -> Any:
        for token in doc:
            if token.pos_ in ("VERB", "AUX") and (lemma := self.forms.get(token.lower_)):
                token.lemma_ = lemma
        return doc

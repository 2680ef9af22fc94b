"""A wire dateline parsed apart from the lede it opens.

"CALDEN, June 7 (EBC News) - Amara Osei of Ghana won the Calden Open women's title":
the small English parser reads the dateline into the lede's first clause, so 'CALDEN'
becomes the subject of 'won' and 'Ghana' a person, in the sentence that says most in a
news story. A step before the parser starts a sentence right after the dateline's dash;
the parser keeps a boundary set before it. The reader splits sentences itself
(``index/sentences.py``), so only the parse changes, not what a sentence is.
"""

from __future__ import annotations

import re
from typing import Any

VERSION = 1  # part of the annotator's signature: a store annotated before is re-read
COMPONENT = "dateline_split"
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "PORTVALE, October 20 (Harbour Times) - ": place in capitals, date, source, dash.
DATELINE_BODY = rf"[A-Z][A-Z.'’ -]{{1,40}}, {MONTH} \d{{1,2}}(?:, \d{{4}})? \([^)]{{2,60}}\) [-–—] "
_OPENING = re.compile(rf"(?:^|(?<=\n)|(?<=[.!?] )){DATELINE_BODY}")


def lede_starts(text: str) -> list[int]:
    """Character offsets where a lede starts after a dateline.

    >>> lede_starts("Title\\n\\nCALDEN, June 7 (EBC News) - Amara Osei won.")
    [35]
    >>> lede_starts("Officials in CALDEN, June 7 (EBC News) - said no.")
    []
    """
    return [m.end() for m in _OPENING.finditer(text)]


def add_dateline_split(nlp: Any) -> None:
    """Put the step before the pipeline's parser (none: nothing to split)."""
    if "parser" not in nlp.pipe_names or COMPONENT in nlp.pipe_names:
        return
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.component(COMPONENT)(_split_after_datelines)
    nlp.add_pipe(COMPONENT, before="parser")


def _split_after_datelines(doc: Any) -> Any:
    for start in lede_starts(doc.text):
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is not None:
            doc[span.start].is_sent_start = True
    return doc

"""Checking a question before any work is done on it."""

from __future__ import annotations

import re

from rag.errors import InputError

MAX_QUESTION_CHARS = 2000
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_question(question: str) -> str:
    """Strip control characters; refuse empty or oversized questions."""
    if not isinstance(question, str):
        raise InputError("The question must be text.")
    text = CONTROL_CHARS.sub(" ", question).strip()
    if not text:
        raise InputError("Please type a question.")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(
            f"The question is {len(text)} characters long; the limit is {MAX_QUESTION_CHARS}."
        )
    if not re.search(r"\w", text):
        raise InputError("The question has no words in it.")
    return text

"""Turning a follow-up question into a standalone one before retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.lexical import STOPWORDS

_PRONOUN = re.compile(
    r"\b(she|he|they|it|her|him|them|his|hers|their|its|this|that|there)\b", re.IGNORECASE
)
_SUBJECT_PRONOUNS = {"she", "he", "they", "it"}
# Runs of capitalised words ("María Corina Machado", "U.S. Embassy"), the
# offline stand-in for a named-entity recogniser.
_NAME = re.compile(r"(?:[A-ZÀ-Ý][\w.’'-]*)(?:\s+(?:de|del|la|of|the)?\s*[A-ZÀ-Ý][\w.’'-]*)*")


def last_user_turn(history: Sequence[dict[str, str]]) -> str | None:
    """The most recent user message in the history."""
    for turn in reversed(history):
        if turn.get("role") == "user" and turn.get("content", "").strip():
            return turn["content"].strip()
    return None


def subject_of(question: str) -> str | None:
    """The longest capitalised name in a question, skipping its first word if generic.

    >>> subject_of("Who is María Corina Machado?")
    'María Corina Machado'
    """
    names = [
        m.group().strip()
        for m in _NAME.finditer(question)
        if m.group().strip().split()[0].lower() not in STOPWORDS
    ]
    return max(names, key=len) if names else None


def condense_offline(question: str, history: Sequence[dict[str, str]] | None) -> str:
    """Carry the previous turn's subject into a follow-up that leans on a pronoun.

    >>> turns = [{"role": "user", "content": "Who is María Corina Machado?"}]
    >>> condense_offline("When will she return?", turns)
    'When will María Corina Machado return?'
    >>> condense_offline("Who is Delcy Rodríguez?", turns)
    'Who is Delcy Rodríguez?'
    """
    previous = last_user_turn(history or [])
    match = _PRONOUN.search(question)
    if not previous or not match:
        return question
    subject = subject_of(previous)
    if subject is None:
        return f"{question} ({previous})"
    word = match.group()
    if word.lower() in _SUBJECT_PRONOUNS:
        replacement = subject
    elif word.lower() in {"his", "her", "their", "its", "hers"}:
        replacement = f"{subject}'s"
    else:
        return f"{question} ({subject})"
    return question[: match.start()] + replacement + question[match.end() :]

"""Questions in other languages are told from English ones, names notwithstanding."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rag.languages import offline_language_notice, question_language


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("¿Quién es la presidenta interina de Venezuela?", "Spanish"),
        ("¿Qué dijo Trump sobre Irán?", "Spanish"),
        ("Qui est le président de la France ?", "French"),
        ("Wer ist der Präsident von Deutschland?", "German"),
        ("Chi è il presidente del Venezuela?", "Italian"),
        ("Wie is de president van Venezuela?", "Dutch"),
    ],
)
def test_other_languages_are_named(question: str, language: str) -> None:
    assert question_language(question) == language


@pytest.mark.parametrize(
    "question",
    [
        "Who is Venezuela's acting president?",
        "Who is Juan de la Cruz?",
        "Who won in Las Palmas de Gran Canaria?",
        "What did the ministry say about the de la Vega case?",
        "When was Die Zeit founded?",
        "Did Maduro die?",
        "Why?",
    ],
)
def test_english_questions_with_foreign_names_are_english(question: str) -> None:
    assert question_language(question) is None
    assert offline_language_notice(question) is None


def test_the_notice_names_the_language_and_the_way_out() -> None:
    notice = offline_language_notice("Qui est le président de la France ?") or ""
    assert "looks like French" in notice and "ask it in English" in notice
    assert "LLM" in notice


def test_the_check_reads_word_lists_without_importing_spacy() -> None:
    # The sentence quoter needs no spaCy; telling the language must not load it (~0.8 s).
    code = (
        "import sys; from rag.languages import question_language as q; "
        "assert q('Wie is de president van Venezuela?') == 'Dutch'; "
        "assert 'spacy' not in sys.modules, 'spaCy was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

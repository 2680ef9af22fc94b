"""The pipeline assembled from injected parts: a scripted in-process LLM, the offline answerer."""

from __future__ import annotations

import pytest

from rag import InputError, ModelError
from rag.assistant import Assistant
from rag.settings import Settings
from tests.conftest import SEEDS
from tests.fakes import ScriptedLLM

QUESTION = "Who is Venezuela's acting president?"


def seeded(settings: Settings, llm: ScriptedLLM) -> Assistant:
    assistant = Assistant(settings, llm=llm)
    assert assistant.ingest([SEEDS]).ok
    return assistant


def delcy_passage(assistant: Assistant) -> int:
    """The [n] the prompt gives the first passage naming Delcy Rodríguez."""
    for number, passage in enumerate(assistant.search(QUESTION), start=1):
        if "Delcy Rodríguez" in passage.chunk.text:
            return number
    raise AssertionError("no passage names Delcy Rodríguez")


def test_llm_answer_is_cited_and_verified(hashing_settings: Settings) -> None:
    llm = ScriptedLLM()
    assistant = seeded(hashing_settings, llm)
    n = delcy_passage(assistant)
    llm.replies.append(f"Delcy Rodríguez is the acting president of Venezuela [{n}].")
    answer = assistant.ask(QUESTION)
    assert answer.answerer == "scripted" and not answer.refused
    (citation,) = answer.citations
    assert citation.number == 1 and answer.text.endswith("[1]")
    assert "Delcy Rodríguez" in citation.quote and citation.supported
    text = assistant.document_text(citation.doc_id)
    assert text[citation.start : citation.end] == citation.quote
    assert "<passages>" in llm.calls[0][-1]["content"]  # the prompt fenced the passages


def test_uncited_llm_answer_falls_back_to_the_offline_answer(hashing_settings: Settings) -> None:
    assistant = seeded(hashing_settings, ScriptedLLM("Trust me, it is someone."))
    answer = assistant.ask(QUESTION)
    assert answer.answerer == "reader" and answer.citations
    assert "without citing any passage" in (answer.notice or "")


def test_model_error_falls_back_and_says_why(hashing_settings: Settings) -> None:
    down = ModelError("The model scripted is down.")
    assistant = seeded(hashing_settings, ScriptedLLM(down))
    answer = assistant.ask(QUESTION)
    assert answer.answerer == "reader"
    assert answer.notice == "The model scripted is down. This is the offline answer instead."


def test_answerer_is_chosen_by_name(hashing_settings: Settings) -> None:
    llm = ScriptedLLM()
    assistant = seeded(hashing_settings, llm)
    assert assistant.ask(QUESTION, answerer="extractive").answerer == "extractive"
    assert llm.calls == []  # the offline answer never calls the model
    with pytest.raises(InputError, match="Unknown answerer 'gpt-9'"):
        assistant.ask(QUESTION, answerer="gpt-9")


def test_follow_up_is_condensed_by_the_llm(hashing_settings: Settings) -> None:
    llm = ScriptedLLM("Who is Delcy Rodríguez?", "The articles do not say.")
    assistant = seeded(hashing_settings, llm)
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "Delcy Rodríguez [1]."},
    ]
    answer = assistant.ask("Who is she?", history=history)
    assert answer.condensed_question == "Who is Delcy Rodríguez?" and answer.refused
    assert len(llm.calls) == 2  # one rewrite, one answer


SPANISH = "¿Quién es la presidenta interina de Venezuela?"


def test_offline_answer_to_another_language_says_why(hashing_settings: Settings) -> None:
    llm = ScriptedLLM()
    assistant = seeded(hashing_settings, llm)
    for answerer in ("reader", "extractive"):
        answer = assistant.ask(SPANISH, answerer=answerer)
        assert "looks like Spanish" in (answer.notice or ""), answerer
        assert "ask it in English" in (answer.notice or "")
    assert assistant.ask(QUESTION, answerer="reader").notice is None


def test_llm_answer_to_another_language_has_no_language_notice(
    hashing_settings: Settings,
) -> None:
    llm = ScriptedLLM()
    assistant = seeded(hashing_settings, llm)
    n = delcy_passage(assistant)
    llm.replies.append(f"Delcy Rodríguez es la presidenta interina [{n}].")
    answer = assistant.ask(SPANISH)
    assert answer.answerer == "scripted" and answer.notice is None


def test_fallback_to_offline_keeps_both_notices(hashing_settings: Settings) -> None:
    assistant = seeded(hashing_settings, ScriptedLLM(ModelError("The model scripted is down.")))
    notice = assistant.ask(SPANISH).notice or ""
    assert notice.startswith("The model scripted is down. This is the offline answer instead.")
    assert "looks like Spanish" in notice

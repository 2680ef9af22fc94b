"""The issue's acceptance questions, on the seeds with the real offline embedder."""

from __future__ import annotations

import pytest

from rag.assistant import Assistant
from rag.errors import InputError
from rag.models import Answer, Filters

MACHADO = [{"role": "user", "content": "Who is María Corina Machado?"}]


def assert_exact_quotes(assistant: Assistant, answer: Answer) -> None:
    """Every citation's quote is the article text at [start:end]."""
    for c in answer.citations:
        assert assistant.document_text(c.doc_id)[c.start : c.end] == c.quote
    numbers = [c.number for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))


def test_acting_president(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("Who is Venezuela's acting president?")
    assert "Delcy Rodr" in answer.text and not answer.refused
    assert answer.citations[0].doc_id == "001_ba5cac0249294b0b.txt"
    assert answer.citations[0].date == "2026-03-05"
    assert_exact_quotes(seeded_assistant, answer)


def test_state_television_quote(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask(
        "What did Delcy Rodríguez say on state television about these steps?"
    )
    assert "will strengthen relations between our two countries" in answer.text
    assert {c.doc_id for c in answer.citations} == {"001_ba5cac0249294b0b.txt"}
    assert all(c.supported for c in answer.citations)
    assert_exact_quotes(seeded_assistant, answer)


def test_interests_office_rules(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask(
        "What rules do the Interests Office negotiations follow, according to "
        "Venezuela's Foreign Ministry?"
    )
    assert "international law for cases of rupture of relations" in answer.text
    assert "004_31b8e9b2b1613665.txt" in {c.doc_id for c in answer.citations}
    assert_exact_quotes(seeded_assistant, answer)


def test_follow_up_carries_the_subject(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("When will she return?", history=MACHADO)
    assert "Machado" in answer.condensed_question
    assert "in the coming weeks" in answer.text
    assert_exact_quotes(seeded_assistant, answer)


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Caracas?",
        "What is the capital of France?",
        "Who won the 2024 Venezuelan presidential election?",
    ],
)
def test_unanswerable_questions_are_refused(seeded_assistant: Assistant, question: str) -> None:
    answer = seeded_assistant.ask(question)
    assert answer.refused and answer.citations == []
    assert "do not say" in answer.text


def test_stream_yields_text_then_answer(seeded_assistant: Assistant) -> None:
    items = list(seeded_assistant.stream("Who is María Corina Machado?"))
    assert isinstance(items[-1], Answer)
    assert "".join(i for i in items[:-1] if isinstance(i, str)).strip() == items[-1].text
    assert set(items[-1].timings) >= {"retrieve_ms", "answer_ms", "total_ms"}


def test_filters_restrict_sources(seeded_assistant: Assistant) -> None:
    only = Filters(doc_ids=("004_31b8e9b2b1613665.txt",))
    passages = seeded_assistant.search("embassy closed", k=5, filters=only)
    assert passages and {p.doc_id for p in passages} == {"004_31b8e9b2b1613665.txt"}
    dated = seeded_assistant.search("embassy", k=5, filters=Filters(date_from="2026-01-01"))
    assert dated and {p.doc_id for p in dated} == {"001_ba5cac0249294b0b.txt"}
    none = seeded_assistant.search("embassy", k=5, filters=Filters(date_to="2020-01-01"))
    assert none == []


def test_passages_are_unique(seeded_assistant: Assistant) -> None:
    passages = seeded_assistant.search("US Embassy in Caracas", k=8)
    ids = [p.chunk.chunk_id for p in passages]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("question", ["", "   ", "?!?!", "\x00\x01", "x" * 100_000])
def test_bad_questions_get_a_clear_message(seeded_assistant: Assistant, question: str) -> None:
    with pytest.raises(InputError) as info:
        seeded_assistant.ask(question)
    assert str(info.value).endswith(".")


def test_answer_dict_is_json_ready(seeded_assistant: Assistant) -> None:
    import json

    data = seeded_assistant.ask("Who is Venezuela's acting president?").to_dict()
    assert json.loads(json.dumps(data))["citations"][0]["doc_id"] == "001_ba5cac0249294b0b.txt"

"""Readers for our JSONL suites, ragas-style files and llama-index LabelledRagDatasets."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from evals.datasets import (
    EvalItem,
    load_dataset,
    read_jsonl,
    sources_from_contexts,
    write_dataset,
)
from rag.errors import InputError

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
A, B, C = "000_4119a22ce29e6ee5.txt", "001_ba5cac0249294b0b.txt", "004_31b8e9b2b1613665.txt"


def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in SEEDS.iterdir() if p.is_file()}


def test_our_jsonl_format() -> None:
    items = load_dataset(DATA / "tiny.jsonl")
    assert [i.id for i in items] == ["t1", "t2", "t3", "t4"]
    assert items[0].reference_sources == (A,)
    assert items[0].answerable is True  # the default
    assert items[2].history_messages()[0] == {
        "role": "user",
        "content": "Who is María Corina Machado?",
    }
    assert items[3].answerable is False and items[3].reference is None


def test_ragas_jsonl_with_both_column_generations() -> None:
    first, second = load_dataset(DATA / "ragas_sample.jsonl")
    assert first.user_input == "Where were Maduro and his wife arraigned?"
    assert first.reference == "in Manhattan court"
    assert first.reference_sources == ()  # resolved from the contexts at run time
    assert sources_from_contexts(first.reference_contexts, seed_texts()) == (A,)
    assert second.reference == "Chavismo"  # ragas 0.1 'ground_truth'
    assert second.reference_sources == (B,)
    assert first.id == "ragas_sample-1"  # ids are made up when absent


def test_ragas_json_list_and_columns() -> None:
    listed = load_dataset(DATA / "ragas_sample.json")
    assert listed[0].reference == "30 days"  # first of 'ground_truths'
    assert sources_from_contexts(listed[0].reference_contexts, seed_texts()) == (C,)
    assert listed[1].answerable is False
    columns = load_dataset(DATA / "ragas_columns.json")
    assert [i.reference for i in columns] == ["President Donald Trump", "an amnesty law"]
    assert sources_from_contexts(columns[1].reference_contexts, seed_texts()) == (B,)


def test_llama_index_labelled_rag_dataset() -> None:
    items = load_dataset(DATA / "labelled_rag_dataset.json")
    assert [i.user_input for i in items] == [
        "Which council does Doug Burgum lead?",
        "How many hours did Maduro give the US diplomats to leave?",
    ]
    assert items[0].reference == "the National Energy Dominance Council"
    assert sources_from_contexts(items[0].reference_contexts, seed_texts()) == (A,)
    assert sources_from_contexts(items[1].reference_contexts, seed_texts()) == (C,)


def test_round_trip_to_our_format(tmp_path: Path) -> None:
    items = load_dataset(DATA / "labelled_rag_dataset.json")
    write_dataset(tmp_path / "converted.jsonl", items)
    assert load_dataset(tmp_path / "converted.jsonl") == items
    assert read_jsonl(tmp_path / "converted.jsonl")[0]["answerable"] is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "user_input": "Q?"}\n{"id": "a", "user_input": "R?"}\n', "used twice"),
        ('{"reference": "x"}\n', "no question"),
        ('{"user_input": "Q?", "answerable": "yes"}\n', "true or false"),
        ('{"user_input": "Q?", "history": [{"role": "bot", "content": "x"}]}\n', "history"),
        ('{"user_input": "Q?", "reference_sources": "a.txt"}\n', None),  # one string is fine
        ("not json\n", "not valid JSON"),
        ("\n", "no questions"),
    ],
)
def test_malformed_suites_fail_with_a_located_message(
    tmp_path: Path, content: str, message: str | None
) -> None:
    path = tmp_path / "suite.jsonl"
    path.write_text(content, encoding="utf-8")
    if message is None:
        assert load_dataset(path)[0].reference_sources == ("a.txt",)
        return
    with pytest.raises(InputError, match=message) as error:
        load_dataset(path)
    assert str(path) in str(error.value)


def test_missing_file_and_wrong_json_shape(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No dataset file"):
        load_dataset(tmp_path / "absent.jsonl")
    (tmp_path / "odd.json").write_text(json.dumps({"examples": "nope", "x": 1}))
    with pytest.raises(InputError, match="expected a JSON list"):
        load_dataset(tmp_path / "odd.json")


def test_seed_suite_is_well_formed() -> None:
    items = load_dataset(ROOT / "evals" / "seeds.jsonl")
    kinds = Counter(i.question_type for i in items)
    assert len(items) >= 45
    assert set(kinds) == {"single_fact", "multi_doc", "temporal", "follow_up", "unanswerable"}
    assert kinds["unanswerable"] >= 8
    texts = seed_texts()
    for item in items:
        assert item.answerable == (item.reference is not None), item.id
        assert all(s in texts for s in item.reference_sources), item.id
        assert item.answerable == bool(item.reference_sources), item.id
    follow_ups = [i for i in items if i.question_type == "follow_up"]
    assert all(i.history for i in follow_ups)
    assert isinstance(items[0], EvalItem)


@pytest.mark.parametrize("corpus", ["news", "news3", "news4", "news5", "news6"])
def test_news_development_corpora_pass_their_checker(corpus: str) -> None:
    """Every answerable reference occurs in its source articles, ids are unique and each
    set keeps its share of unanswerable questions (evals/news/check.py)."""
    checker = ROOT / "evals" / "news" / "check.py"
    done = subprocess.run(
        [sys.executable, str(checker), str(ROOT / "evals" / corpus)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("OK")

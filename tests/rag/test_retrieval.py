"""Hybrid retrieval details: near-duplicate collapse, fusion, filters on BM25."""

from __future__ import annotations

from pathlib import Path

from rag.assistant import Assistant
from rag.models import Filters
from rag.settings import Settings

SHARED = (
    "The central bank raised its benchmark interest rate by half a point on Tuesday, "
    "citing persistent inflation in food and fuel prices across the region."
)


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "wire.txt").write_text(f"Rates rise\n\n{SHARED}\n\nMarkets fell after the news.\n")
    (folder / "copy.txt").write_text(
        f"Bank moves on rates\n\n{SHARED}\n\nAnalysts expect another rise in June.\n"
    )
    (folder / "other.txt").write_text(
        "Harvest report\n\nFarmers in the valley expect a record coffee harvest this year.\n"
    )
    return folder


def test_near_duplicate_passages_take_one_slot(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path / "d", embed_mode="hashing"))
    assert assistant.ingest([corpus(tmp_path)]).ok
    passages = assistant.search("central bank benchmark interest rate inflation", k=3)
    with_shared = [p for p in passages if "benchmark interest rate" in p.chunk.text]
    assert len(with_shared) == 1, [p.doc_id for p in passages]


def test_dense_and_bm25_are_fused(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path / "d", embed_mode="hashing"))
    assistant.ingest([corpus(tmp_path)])
    top = assistant.search("coffee harvest", k=1)[0]
    assert top.doc_id == "other.txt"
    assert top.dense_score is not None and top.bm25_score is not None and top.bm25_score > 0


def test_bm25_side_respects_filters(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path / "d", embed_mode="hashing"))
    assistant.ingest([corpus(tmp_path)])
    only = Filters(doc_ids=("other.txt",))
    passages = assistant.search("central bank interest rate", k=5, filters=only)
    assert {p.doc_id for p in passages} == {"other.txt"}


def test_new_documents_reach_bm25_without_restart(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path / "d", embed_mode="hashing"))
    assistant.ingest([corpus(tmp_path)])
    assistant.search("anything at all", k=1)  # builds the BM25 index
    report = assistant.ingest_bytes("late.md", b"# Late news\n\nA zebra escaped from the zoo.\n")
    assert report.ok
    assistant.retriever.wait_for_index(timeout=60)  # the rebuild runs in the background
    top = assistant.search("zebra escaped", k=1)[0]
    assert top.doc_id == "late.md" and top.bm25_score


def test_bm25_index_is_saved_and_updated_without_a_rebuild(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", embed_mode="hashing")
    assistant = Assistant(settings)
    assistant.ingest([corpus(tmp_path)])
    assistant.search("anything at all", k=1)  # builds and saves the lexical index
    base = assistant.retriever.lexical.base
    assistant.ingest_bytes("late.md", b"# Late news\n\nA zebra escaped from the zoo.\n")
    top = assistant.search("zebra escaped", k=1)[0]
    assert top.doc_id == "late.md" and top.bm25_score
    assert assistant.retriever.lexical.base is base  # the new document went to the delta
    again = Assistant(settings)  # a new process loads the saved index: no rebuild
    assert again.retriever.lexical.loaded_from_disk
    hit = again.search("zebra escaped", k=1)[0]
    assert hit.doc_id == "late.md" and hit.bm25_score


def test_articles_dated_in_the_asked_year_are_fused_in(tmp_path: Path) -> None:
    # Neither text says its year; only the byline's date does. The 2025 report repeats
    # the query's words, so text alone ranks it first for either year.
    folder = tmp_path / "dated"
    folder.mkdir()
    (folder / "final-2025.txt").write_text(
        "Calden Open final\n\nBy A. Writer | Calden Daily | 2025-06-08\n\n"
        "The Calden Open men's final was won on Sunday in the Calden Open final at Linden "
        "Park, the men's final of the Calden Open.\n"
    )
    (folder / "final-2026.txt").write_text(
        "Marr takes the title\n\nBy A. Writer | Calden Daily | 2026-06-07\n\n"
        "Elias Marr won the Calden Open final on Sunday in straight sets.\n"
    )
    (folder / "zoo.txt").write_text("Zoo news\n\nTwo snow leopard cubs were born.\n")
    assistant = Assistant(Settings(data_dir=tmp_path / "d", embed_mode="hashing"))
    assert assistant.ingest([folder]).ok
    undated = assistant.search("Who won the men's Calden Open final?", k=2)
    assert undated[0].doc_id == "final-2025.txt"
    in_2026 = assistant.search("Who won the men's Calden Open final in 2026?", k=2)
    assert in_2026[0].doc_id == "final-2026.txt", [p.doc_id for p in in_2026]
    in_2025 = assistant.search("Who won the men's Calden Open final in 2025?", k=2)
    assert in_2025[0].doc_id == "final-2025.txt"

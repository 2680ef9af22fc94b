"""A new default embedder: the documents of the earlier local embedder's store come along."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from index.embedders import HashingEmbedder
from rag.assistant import Assistant
from rag.settings import Settings
from tests.conftest import ROOT, VENV_BIN


def _assistant(data: Path, embedder_name: str) -> Assistant:
    embedder = HashingEmbedder()
    embedder.name = embedder_name  # the collection is named after it
    return Assistant(Settings(data_dir=data, embed_mode="hashing"), embedder=embedder)


def test_an_empty_store_takes_the_earlier_local_embedders_documents(
    tmp_path: Path, seeds_copy: Path
) -> None:
    old = _assistant(tmp_path / "d", "minilm-old")
    assert old.ingest([seeds_copy]).ok
    (seeds_copy / "extra.md").write_text("# Extra\n\nA later report said talks resumed.\n")

    new = _assistant(tmp_path / "d", "minilm-new")
    assert new.documents() == []
    seen: list[tuple[float, int]] = []
    done = new.reindex_previous(lambda d, total, _doc: seen.append((d, total)))
    assert done is not None
    name, report = done
    assert name == "minilm-old" and len(report.added) == 3 and not report.failed
    assert seen[-1] == (3, 3)
    # Everything a citation shows is carried over: ids, titles, dates, full text.
    assert [(d.doc_id, d.title, d.date) for d in new.documents()] == [
        (d.doc_id, d.title, d.date) for d in old.documents()
    ]
    for doc in old.documents():
        assert new.document_text(doc.doc_id) == old.document_text(doc.doc_id)
    answer = new.ask("How many hours did the diplomats have to leave?")
    assert not answer.refused and answer.citations
    # The earlier store is kept as it was; a second call has nothing to do; the
    # corpus sync then skips what was re-embedded (same bytes, same chunker).
    assert len(old.documents()) == 3
    assert new.reindex_previous() is None
    synced = new.ingest([seeds_copy])
    assert sorted(synced.added) == ["extra.md"] and len(synced.skipped) == 3


def test_other_embedder_families_are_left_to_an_explicit_ingest(
    tmp_path: Path, seeds_copy: Path
) -> None:
    assert _assistant(tmp_path / "d", "hashing-256").ingest([seeds_copy]).ok
    assert _assistant(tmp_path / "d", "minilm-new").reindex_previous() is None
    assert _assistant(tmp_path / "d", "openai-small").reindex_previous() is None
    assert _assistant(tmp_path / "e", "minilm-new").reindex_previous() is None  # nothing there


@pytest.mark.slow
def test_rag_ingest_after_the_default_embedder_changed(tmp_path: Path, seeds_copy: Path) -> None:
    """The real upgrade: a store made by the shipped model, then the int8 default."""

    def rag(*args: str, quantized: str) -> subprocess.CompletedProcess[str]:
        env = ["env", f"RAG_DATA_DIR={tmp_path / 'd'}", f"RAG_EMBED_QUANTIZED={quantized}"]
        command = [*env, str(VENV_BIN / "rag"), *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert rag("ingest", str(seeds_copy), quantized="false").returncode == 0
    upgraded = rag("ingest", str(seeds_copy), quantized="true")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (
        "Re-indexed 3 documents from the store made with minilm-l6-int8 for minilm-l6-int8q"
        in upgraded.stdout
    )
    assert "skipped 3" in upgraded.stdout and "0 chunks" in upgraded.stdout
    status = rag("status", quantized="true")
    assert "documents: 3" in status.stdout and "minilm-l6-int8q" in status.stdout

"""Incremental sync against a real embedded Chroma (and a real Chroma server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from index.embedders import HashingEmbedder
from rag.assistant import Assistant
from rag.errors import ConfigError
from rag.settings import Settings
from tests.conftest import ROOT


class CountingEmbedder(HashingEmbedder):
    """Hashing embedder that counts the texts it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return super().embed(texts)


def exact_state(assistant: Assistant) -> None:
    """Ledger and chunks agree: one version per document, counts match, no orphans."""
    ledger = assistant.store.ledger()
    versions = assistant.store.chunk_versions()
    assert set(versions) == set(ledger)
    for doc_id, meta in ledger.items():
        assert versions[doc_id] == {meta["content_hash"]}
    assert assistant.store.chunk_count() == sum(int(m["chunks"]) for m in ledger.values())
    chunks = list(assistant.store.iter_chunks())
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    texts: dict[str, str | None] = {}  # one read per document, not per chunk
    for chunk in chunks:
        if chunk.doc_id not in texts:
            texts[chunk.doc_id] = assistant.store.document_text(chunk.doc_id)
        text = texts[chunk.doc_id]
        assert text is not None and text[chunk.start : chunk.end] == chunk.text


def test_second_ingest_skips_everything(seeds_copy: Path, hashing_settings: Settings) -> None:
    embedder = CountingEmbedder()
    assistant = Assistant(hashing_settings, embedder=embedder)
    first = assistant.ingest([seeds_copy])
    assert sorted(first.added) == sorted(p.name for p in seeds_copy.iterdir())
    assert first.ok and first.chunks_written > 0
    embedded = embedder.texts
    second = assistant.ingest([seeds_copy])
    assert len(second.skipped) == 3 and not second.added and not second.updated
    assert embedder.texts == embedded, "unchanged documents must not be embedded again"
    exact_state(assistant)


def test_changed_document_replaces_old_chunks(seeds_copy: Path, hashing_settings: Settings) -> None:
    assistant = Assistant(hashing_settings)
    assistant.ingest([seeds_copy])
    target = seeds_copy / "004_31b8e9b2b1613665.txt"
    target.write_text(target.read_text() + "\nA new closing paragraph about Caracas.\n")
    report = assistant.ingest([seeds_copy])
    assert report.updated == ["004_31b8e9b2b1613665.txt"]
    exact_state(assistant)
    texts = " ".join(c.text for c in assistant.store.iter_chunks())
    assert "A new closing paragraph about Caracas." in texts


def test_prune_removes_missing_documents(seeds_copy: Path, hashing_settings: Settings) -> None:
    assistant = Assistant(hashing_settings)
    assistant.ingest([seeds_copy])
    (seeds_copy / "000_4119a22ce29e6ee5.txt").unlink()
    assert assistant.ingest([seeds_copy]).removed == []  # without --prune nothing goes
    report = assistant.ingest([seeds_copy], prune=True)
    assert report.removed == ["000_4119a22ce29e6ee5.txt"]
    assert len(assistant.documents()) == 2
    exact_state(assistant)


def test_bad_files_fail_alone(seeds_copy: Path, hashing_settings: Settings) -> None:
    assistant = Assistant(hashing_settings)
    assistant.ingest([seeds_copy])
    (seeds_copy / "empty.txt").write_text("   \n\t\n")
    (seeds_copy / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    (seeds_copy / "copy.txt").write_bytes((seeds_copy / "001_ba5cac0249294b0b.txt").read_bytes())
    (seeds_copy / "new.md").write_text(
        "# Oil output rises\n\nVenezuela pumped more oil in March.\n"
    )
    report = assistant.ingest([seeds_copy, seeds_copy / "missing.txt"])
    failed = {Path(f.path).name: f.reason for f in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "copy.txt", "missing.txt"}
    assert "001_ba5cac0249294b0b.txt" in failed["copy.txt"]
    assert all(Path(name).name.split(".")[0] in reason for name, reason in failed.items())
    assert report.added == ["new.md"] and len(report.skipped) == 3
    assert len(assistant.documents()) == 4
    exact_state(assistant)


def test_collection_name_includes_embedder(hashing_settings: Settings) -> None:
    assistant = Assistant(hashing_settings)
    assert assistant.store.name.endswith(assistant.embedder.name)
    with pytest.raises(ConfigError):
        from index.store import ChromaStore

        ChromaStore(
            assistant.store.location,
            prefix="news",
            embedder_name=assistant.embedder.name,
            dimension=assistant.embedder.dimension + 1,
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    "point",
    [
        "embed:2",
        "add:2",
        "after_chunks:1",
        "after_chunks:2",
        "before_commit:2",
        "mid_commit:2",
        "before_record:1",
        "before_record:3",
    ],
)
def test_sigkill_mid_ingest_is_repaired(point: str, tmp_path: Path, seeds_copy: Path) -> None:
    corpus = seeds_copy
    for i in range(6):  # longer documents, several store calls each
        (corpus / f"extra_{i}.txt").write_text(
            f"Extra report {i}\n\n" + f"Paragraph {i} about Venezuelan oil and mining. " * 30
        )
    for i in range(20):  # short briefs: many documents per write batch
        (corpus / f"brief_{i:02d}.txt").write_text(
            f"Brief {i}\n\nThe port of Brief{i}ville reopened on Monday after repairs.\n"
        )
    data = tmp_path / "data"
    first = subprocess.run(
        [sys.executable, "-m", "tests.index.crash_ingest", str(data), str(corpus), point],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == -9, first.stdout + first.stderr
    # A document changes while the store is in its crashed state.
    (corpus / "extra_0.txt").write_text("Extra report 0, rewritten.\n\nNew text about gold.\n")
    settings = Settings(data_dir=data, embed_mode="hashing", chunk_tokens=40)
    assistant = Assistant(settings)
    report = assistant.ingest([corpus])
    assert report.ok
    assert len(assistant.documents()) == 29
    exact_state(assistant)
    # Every committed document is named by some change record, so readers that
    # follow the change log (the lexical index, replicas) see all of them.
    named = {d for change in assistant.store.log.changes_after(None) for d in change.doc_ids}
    assert named >= {d.doc_id for d in assistant.documents()}


@pytest.mark.slow
def test_chroma_server_store(
    chroma_server: tuple[int, object], seeds_copy: Path, tmp_path: Path
) -> None:
    port, _ = chroma_server
    settings = Settings(
        data_dir=tmp_path / "unused", embed_mode="hashing", store_mode="server", chroma_port=port
    )
    assistant = Assistant(settings)
    assert assistant.ingest([seeds_copy]).ok
    assert len(Assistant(settings).ingest([seeds_copy]).skipped) == 3
    exact_state(assistant)
    hits = assistant.search("Interests Office negotiations", k=3)
    assert hits[0].doc_id == "004_31b8e9b2b1613665.txt"
    assert "server" in assistant.status()["store"].lower()


def test_long_document_streams_in_store_sized_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.store import ChromaStore

    calls: list[int] = []
    original = ChromaStore.add_chunk_batch

    def counting(self, items):  # type: ignore[no-untyped-def]
        calls.append(sum(len(i.chunks) for i in items))
        return original(self, items)

    monkeypatch.setattr(ChromaStore, "max_batch", lambda self: 50)
    monkeypatch.setattr(ChromaStore, "add_chunk_batch", counting)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "long.txt").write_text(
        "A long report\n\n" + " ".join(f"Sentence {i} of the long report." for i in range(400))
    )
    for i in range(30):
        (corpus / f"brief-{i}.txt").write_text(f"Brief {i}\n\nThe ferry {i} sailed at noon.\n")
    assistant = Assistant(Settings(data_dir=tmp_path / "d", embed_mode="hashing", chunk_tokens=40))
    before = assistant.store.version()
    report = assistant.ingest([corpus])
    assert report.ok and len(report.added) == 31 and report.chunks_written > 200
    assert max(calls) <= 50 and sum(calls) == report.chunks_written
    # Batches, not documents, make change records: far fewer than 31.
    assert assistant.store.version() - before <= report.chunks_written // 50 + 2
    exact_state(assistant)


def _long_article(words: int) -> str:
    sentences = (f"Sentence {i} tells of the harbour works in week {i}." for i in range(words // 9))
    body = " ".join(sentences)
    return "Harbour works\n\n" + body + "\n"


def test_progress_moves_inside_one_long_file(
    tmp_path: Path, hashing_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.sync._EMBED_BATCH_CHUNKS", 16)  # several calls, small text
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a-brief.txt").write_text("Brief\n\nThe ferry left on time today.\n")
    (folder / "b-long.txt").write_text(_long_article(4_000))
    calls: list[tuple[float, int, str]] = []
    report = Assistant(hashing_settings).ingest(
        [folder], progress=lambda done, total, doc: calls.append((done, total, doc))
    )
    assert report.chunks_written > 40 and report.ok
    done = [c[0] for c in calls]
    assert done == sorted(done) and done[-1] == 2 and {c[1] for c in calls} == {2}
    inside = [c for c in calls if 0 < c[0] < 2 and c[0] != int(c[0])]
    # The brief waits in the long article's batch, so the bar moves while that is embedded.
    assert inside and all(c[2] == "b-long.txt" for c in inside)


def test_an_upload_reports_its_embedding_progress(
    hashing_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.sync._EMBED_BATCH_CHUNKS", 16)
    fractions: list[float] = []
    report = Assistant(hashing_settings).ingest_bytes(
        "long.txt",
        _long_article(4_000).encode(),
        progress=lambda fraction, total, doc: fractions.append(fraction),
    )
    assert report.ok and report.added == ["long.txt"]
    assert len(fractions) >= 2 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert 0 < fractions[0] < 1

"""Two processes writing to one Chroma server lose nothing and corrupt nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest

from index.chroma_client import ChromaConnection, ChromaLocation
from index.models import Article, Chunk
from index.store import ChromaStore
from rag.assistant import Assistant
from rag.settings import Settings
from tests.index.test_sync import exact_state

ROOT = Path(__file__).resolve().parents[2]


def _corpus(folder: Path, prefix: str, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        body = " ".join(f"{prefix} fact {i} sentence {j} about the harbour." for j in range(30))
        (folder / f"{prefix}-{i:02d}.txt").write_text(f"{prefix} story {i}\n\n{body}\n")
    return folder


@pytest.mark.slow
def test_two_processes_on_one_server(tmp_path: Path, chroma_server) -> None:  # noqa: ANN001
    port, _ = chroma_server
    rounds = 4
    corpora = [_corpus(tmp_path / name, name, 6) for name in ("alpha", "beta")]
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.index.concurrent_ingest", str(port), str(c), str(rounds)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for c in corpora
    ]
    for proc in writers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]
    settings = Settings(
        data_dir=tmp_path / "reader",
        embed_mode="hashing",
        store_mode="server",
        chroma_host="127.0.0.1",
        chroma_port=port,
        chunk_tokens=40,
    )
    reader = Assistant(settings)
    docs = {d.doc_id for d in reader.documents()}
    assert docs == {f"{name}-{i:02d}.txt" for name in ("alpha", "beta") for i in range(6)}
    exact_state(reader)
    # Every commit is counted: 6 documents in the first round, then one new version
    # per later round, per writer (a read-modify-write counter loses some of these).
    named = [d for change in reader.store.log.changes_after(None) for d in change.doc_ids]
    assert len(named) == 2 * (6 + rounds - 1)
    assert reader.store.log.leases() == {}  # both runs finished cleanly


def _article(doc_id: str, text: str) -> tuple[Article, list[Chunk]]:
    import hashlib

    digest = hashlib.sha256(text.encode()).hexdigest()
    article = Article(doc_id, text, doc_id, None, None, None, digest, ())
    return article, [Chunk(doc_id, digest, 0, text, 0, len(text))]


def test_repair_spares_a_live_writer_and_clears_a_dead_one(tmp_path: Path) -> None:
    connection = ChromaConnection(ChromaLocation(path=tmp_path / "chroma"))
    live = ChromaStore(connection, prefix="t", embedder_name="e", dimension=2)
    other = ChromaStore(connection, prefix="t", embedder_name="e", dimension=2)
    vector = np.array([[1.0, 0.0]], dtype=np.float32)
    # A dead writer (its process is gone) left an uncommitted version behind.
    other.log.writer = "w-dead"
    other.log._put_lease("w-dead")
    other.add_chunks(*_article("dead.txt", "Left behind by a killed ingest."), vector)
    dead = other.log.leases()["w-dead"]
    other.log._leases.upsert(
        ids=["w-dead"], embeddings=[[1.0]], documents=[""], metadatas=[{**dead, "pid": 2**22 + 7}]
    )
    # A live writer (this process) is half-way through its own document.
    live.begin_sync()
    live.add_chunks(*_article("busy.txt", "Being written right now."), vector)
    assert other.begin_sync()  # the dead lease is found
    other.repair()
    assert other.chunk_versions().keys() == {"busy.txt"}  # the live writer's chunks stay
    assert set(other.log.leases()) == {live.log.writer, other.log.writer}
    assert os.getpid() == int(other.log.leases()[live.log.writer or ""]["pid"])


def test_a_disk_full_failure_leaves_the_engine_alone_until_it_reopens(tmp_path: Path) -> None:
    connection = ChromaConnection(ChromaLocation(path=tmp_path / "chroma"))
    store = ChromaStore(connection, prefix="t", embedder_name="e", dimension=2)
    vector = np.array([[1.0, 0.0]], dtype=np.float32)
    store.begin_sync()
    writer = store.log.writer
    store.add_chunks(*_article("half.txt", "Written, never committed."), vector)
    # After a full disk the embedded engine can block on its next call: not one is made.
    with patch.object(ChromaConnection, "errors", side_effect=AssertionError("store touched")):
        store.end_sync(failed=True, disk_full=True)
    assert store.log.writer is None
    connection.reset()  # what the disk-full error does; the next use reopens the engine
    assert store.chunk_versions() == {}  # the uncommitted chunks are gone on reopen
    assert writer not in store.log.leases()

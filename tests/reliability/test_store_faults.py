"""Faults in the store: a Chroma server killed mid-ingest and mid-question."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from index.embedders import HashingEmbedder
from rag.assistant import Assistant
from rag.errors import StoreError
from rag.settings import Settings
from tests.conftest import VENV_BIN, free_port, wait_for_port
from tests.index.test_sync import exact_state

pytestmark = pytest.mark.slow


class ChromaServer:
    """A `chroma run` process that a test can kill and restart on the same port."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "chroma"),
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201
    srv = ChromaServer(tmp_path / "chroma")
    srv.start()
    yield srv
    if srv.proc and srv.proc.poll() is None:
        srv.kill()


class KillingEmbedder(HashingEmbedder):
    """Kills the Chroma server on its Nth embedding call: a crash mid-ingest."""

    def __init__(self, server: ChromaServer, on_call: int) -> None:
        super().__init__()
        self.server, self.on_call, self.calls = server, on_call, 0

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == self.on_call:
            self.server.kill()
        return super().embed(texts)


def settings_for(server: ChromaServer, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "unused",
        embed_mode="hashing",
        store_mode="server",
        chroma_port=server.port,
        chunk_tokens=40,
    )


def test_server_killed_during_ingest_then_restarted(
    server: ChromaServer, tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.sync

    monkeypatch.setattr(index.sync, "_EMBED_BATCH_CHUNKS", 1)  # one embed call per document
    for i in range(4):
        (seeds_copy / f"extra_{i}.txt").write_text(f"Report {i}\n\n" + "Oil and gold. " * 40)
    settings = settings_for(server, tmp_path)
    assistant = Assistant(settings, embedder=KillingEmbedder(server, on_call=3))
    with pytest.raises(StoreError) as info:
        assistant.ingest([seeds_copy])
    assert "Cannot reach the Chroma server" in str(info.value)
    assert "Traceback" not in str(info.value)
    server.start()
    fresh = Assistant(settings)
    report = fresh.ingest([seeds_copy])
    assert report.ok and len(fresh.documents()) == 7
    exact_state(fresh)


def test_server_killed_before_a_question_then_restarted(
    server: ChromaServer, tmp_path: Path, seeds_copy: Path
) -> None:
    settings = settings_for(server, tmp_path)
    assistant = Assistant(settings)
    assistant.ingest([seeds_copy])
    server.kill()
    with pytest.raises(StoreError) as info:
        assistant.ask("How many hours did the diplomats have to leave?")
    assert "Chroma server" in str(info.value)
    assert assistant.health()["ok"] is False
    server.start()
    answer = assistant.ask("How many hours did the diplomats have to leave?")
    assert "72 hours" in answer.text
    assert assistant.health()["ok"] is True

"""Shared fixtures: the seed corpus, fast assistants, and a real Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    """Block until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if the process outlives ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def unshare_works(*tools: str) -> bool:
    """True when `unshare -rn` (a network namespace with only loopback) and ``tools`` exist."""
    if any(shutil.which(tool) is None for tool in ("unshare", *tools)):
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def hashing_settings(tmp_path: Path):  # noqa: ANN201 - Settings, imported lazily
    """Settings for a fast assistant: hashing embedder, store in tmp_path."""
    from rag.settings import Settings

    return Settings(data_dir=tmp_path / "data", embed_mode="hashing")


@pytest.fixture(scope="session")
def local_embedder():  # noqa: ANN201
    """The real offline embedder, loaded once per test session."""
    from index.embedders import LocalMiniLMEmbedder

    return LocalMiniLMEmbedder()


@pytest.fixture(scope="session")
def seeded_assistant(tmp_path_factory: pytest.TempPathFactory, local_embedder):  # noqa: ANN001, ANN201
    """An assistant with the real embedder and the seeds ingested (shared, read-only)."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    data = tmp_path_factory.mktemp("seeded")
    assistant = Assistant(Settings(data_dir=data), embedder=local_embedder)
    report = assistant.ingest([SEEDS])
    assert report.ok, report.failed
    return assistant


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A real `chroma run` server on a free loopback port, stopped afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "chroma"),
            "run",
            "--path",
            str(tmp_path / "chroma-server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield port, proc
    finally:
        stop_process(proc)

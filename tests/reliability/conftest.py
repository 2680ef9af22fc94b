"""Shared pieces of the reliability tests: seed checks, a `rag serve` process, RSS."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.conftest import SEEDS, VENV_BIN, free_port

if TYPE_CHECKING:
    from rag.assistant import Assistant

# One question per seed whose answer cites only that seed (checked by the tests).
SEED_QUESTIONS: dict[str, list[tuple[str, str]]] = {
    "000_4119a22ce29e6ee5.txt": [
        ("Where were Maduro and his wife arraigned?", "Manhattan court"),
        ("What did Venezuela's government say it was ready to advance?", "constructive dialogue"),
    ],
    "001_ba5cac0249294b0b.txt": [
        (
            "What did Delcy Rodríguez say on state television about these steps?",
            "will strengthen relations",
        ),
        ("Who is María Corina Machado?", "Nobel Peace Prize"),
    ],
    "004_31b8e9b2b1613665.txt": [
        ("How many hours did Maduro give the US diplomats to leave the country?", "72 hours"),
        ("What may be addressed in the Interests Offices?", "migratory procedures"),
    ],
}
SEED_IDS = sorted(SEED_QUESTIONS)
PROBE_DOC = "004_31b8e9b2b1613665.txt"
PROBE_QUESTION, PROBE_PHRASE = SEED_QUESTIONS[PROBE_DOC][0]


def pytest_configure(config: pytest.Config) -> None:
    """Register the `load` marker (the 60-second load test, run on demand)."""
    config.addinivalue_line(
        "markers", "load: the long load test against `rag serve` (run with -m load)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip `load` tests unless the -m expression asks for them (`make test` runs all)."""
    if "load" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="the load test runs with -m load (make test-load)")
    for item in items:
        if item.get_closest_marker("load") is not None:
            item.add_marker(skip)


def seed_fingerprint(assistant: Assistant) -> dict[str, tuple[str, int]]:
    """(content hash, chunk count) of every seed document, as indexed."""
    return {
        d.doc_id: (d.content_hash, d.chunks)
        for d in assistant.documents()
        if d.doc_id in SEED_QUESTIONS
    }


def assert_seeds_intact(assistant: Assistant, fingerprint: Mapping[str, tuple[str, int]]) -> None:
    """Every seed is still indexed unchanged and a seed question cites exact spans."""
    assert seed_fingerprint(assistant) == dict(fingerprint)
    answer = assistant.ask(PROBE_QUESTION)
    assert PROBE_PHRASE in answer.text and answer.citations
    for citation in answer.citations:
        assert citation.doc_id == PROBE_DOC
        text = assistant.document_text(citation.doc_id)
        assert text[citation.start : citation.end] == citation.quote


# --- a real `rag serve` process ------------------------------------------------------------
def rss_kb(pid: int) -> int:
    """Resident memory (VmRSS, kB) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


@dataclass
class RagServe:
    """`rag serve` on a free loopback port, its output captured to files."""

    proc: subprocess.Popen[bytes]
    port: int
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def stop(self) -> None:
        """SIGINT (uvicorn's graceful stop), then kill if it lingers."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_rag_serve(
    workdir: Path, env: Mapping[str, str] | None = None, timeout: float = 180.0
) -> RagServe:
    """Start `rag serve --corpus seeds` and wait until /healthz answers 200."""
    port = free_port()
    stdout, stderr = workdir / "serve.out", workdir / "serve.err"
    command = [
        str(VENV_BIN / "rag"), "serve", "--port", str(port),
        "--data-dir", str(workdir / "data"), "--corpus", str(SEEDS),
    ]  # fmt: skip
    full_env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(command, stdout=out, stderr=err, env=full_env, cwd=workdir)
    server = RagServe(proc, port, stdout, stderr)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"rag serve exited with {proc.returncode}:\n{server.logs()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise TimeoutError(f"rag serve did not answer within {timeout:g} s")
        time.sleep(0.2)


@pytest.fixture
def rag_serve_factory(tmp_path: Path) -> Iterator[Any]:
    """Start `rag serve` processes (``factory(env)``); all are stopped at teardown."""
    started: list[RagServe] = []

    def factory(env: Mapping[str, str] | None = None) -> RagServe:
        workdir = tmp_path / f"serve-{len(started)}"
        workdir.mkdir()
        server = start_rag_serve(workdir, env)
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()

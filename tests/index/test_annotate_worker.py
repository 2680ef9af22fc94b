"""spaCy in a worker process: the same annotations, a fallback whatever happens, no orphans."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.annotate import ChunkAnnotation, SpacyAnnotator
from index.annotate_worker import WorkerAnnotator, worker_command

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Acting President Delcy Rodríguez, formerly Maduro’s vice president, spoke on Thursday.\n\n"
    "The US Embassy in Caracas was closed in 2019.",
    "",
    "Zürich’s café — “naïve” 東京 visitors paid €3.5 million 🙂 on 2 März.",
    (ROOT / "seeds" / "001_ba5cac0249294b0b.txt").read_text(encoding="utf-8")[:2000],
]
QUESTION = "Who is the acting president of Venezuela?"
_PY = sys.executable


def _replying(line: str) -> list[str]:
    """A stand-in worker that answers every request with ``line``."""
    return [_PY, "-c", f"import sys\nfor _ in sys.stdin: print({line!r}, flush=True)"]


# Stand-ins for a broken worker: each starts, then fails its first request its own way.
BROKEN = {
    "no such module": [_PY, "-P", "-m", "index.no_such_module"],
    "garbage": _replying("not json"),
    "error reply": _replying('{"error": "boom"}'),
    "short reply": _replying('{"annotations": []}'),
    "never replies": [_PY, "-c", "import sys\nsys.stdin.read()"],
    "cannot start": [str(ROOT / "no-such-python")],
}


@pytest.fixture(scope="module")
def reference() -> SpacyAnnotator:
    return SpacyAnnotator()


@pytest.fixture(scope="module")
def worker() -> Iterator[WorkerAnnotator]:
    started = WorkerAnnotator().start()
    yield started
    started.close()


def test_worker_annotations_equal_in_process_ones(
    worker: WorkerAnnotator, reference: SpacyAnnotator
) -> None:
    assert worker.annotate(TEXTS) == reference.annotate(TEXTS)
    assert worker.annotate_one(QUESTION) == reference.annotate_one(QUESTION)
    assert worker.annotate_one(TEXTS[2]) == reference.annotate_one(TEXTS[2])
    assert worker.annotate([]) == []
    assert worker.running and worker._nlp is None  # parsed over there, nothing loaded here


def test_empty_text_round_trips(reference: SpacyAnnotator) -> None:
    (empty,) = reference.annotate([""])
    assert ChunkAnnotation.from_json(empty.to_json(), "") == empty


def test_preload_leaves_the_loading_to_the_worker(worker: WorkerAnnotator) -> None:
    worker.preload()
    assert "spacy-load" not in {t.name for t in threading.enumerate()}
    assert worker._nlp is None
    assert worker.signature == SpacyAnnotator().signature


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_worker_falls_back_to_this_process(
    broken: str, reference: SpacyAnnotator, caplog: pytest.LogCaptureFixture
) -> None:
    annotator = WorkerAnnotator(command=BROKEN[broken], timeout=3).start()
    try:
        with caplog.at_level(logging.WARNING, logger="index.annotate_worker"):
            assert annotator.annotate_one(QUESTION) == reference.annotate_one(QUESTION)
            assert annotator.annotate(TEXTS) == reference.annotate(TEXTS)
        assert not annotator.running
        warnings = [r for r in caplog.records if "worker process failed" in r.getMessage()]
        assert len(warnings) == 1  # once, however many parses follow
    finally:
        annotator.close()


def test_a_worker_killed_mid_run_falls_back(reference: SpacyAnnotator) -> None:
    annotator = WorkerAnnotator().start()
    try:
        assert annotator.annotate_one(QUESTION) == reference.annotate_one(QUESTION)
        pid = annotator.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        assert annotator.annotate(TEXTS) == reference.annotate(TEXTS)
        assert not annotator.running and annotator.pid is None
        annotator.start()  # a failed worker is not started again
        assert not annotator.running
    finally:
        annotator.close()


def test_the_worker_exits_cleanly_at_end_of_input() -> None:
    proc = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        out, _ = proc.communicate(b'{"text": "Hello, Paris."}\n', timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert out.count(b"\n") == 1 and out.startswith(b'{"annotations": ["')


def _gone(pid: int) -> bool:
    """True when ``pid`` has exited (a zombie waiting for its new parent counts as exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:  # no /proc here: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


@pytest.mark.parametrize(
    "ending",
    [
        "os._exit(0)",  # as `rag ask` ends (rag.cli_startup.exit_without_teardown), mid-load
        "worker.annotate_one('Who is he?')\nsys.exit(0)",  # a normal exit after an answer
        "os.kill(os.getpid(), signal.SIGKILL)",  # killed: no Python code runs at all
    ],
)
def test_the_worker_ends_with_its_parent(ending: str) -> None:
    parent = (
        "import os, signal, sys\n"
        "from index.annotate_worker import WorkerAnnotator\n"
        "worker = WorkerAnnotator().start()\n"
        "print(worker.pid, flush=True)\n"
        f"{ending}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", parent], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 60  # the worker may finish loading spaCy first (~2 s)
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(pid), f"worker {pid} outlived its parent"

"""The real `rag` command: help everywhere, ingest summaries, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, VENV_BIN

RAG = str(VENV_BIN / "rag")


def rag(*args: str, data: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI with its store in ``data``."""
    env_args = ["env", f"RAG_DATA_DIR={data}", "RAG_EMBED_MODE=hashing"]
    return subprocess.run(
        [*env_args, RAG, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )


@pytest.mark.parametrize(
    "command", ["", "ingest", "status", "search", "ask", "chat", "serve", "eval", "settings"]
)
def test_help_everywhere(command: str, tmp_path: Path) -> None:
    done = rag(*([command] if command else []), "--help", data=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout


def test_plugins_load_only_when_they_may_be_asked_for(tmp_path: Path) -> None:
    """`rag --help` lists serve and eval; `rag ask` starts without importing them."""
    assert {"serve", "eval"} <= set(rag("--help", data=tmp_path).stdout.split())
    probe = (  # atexit handlers run however `rag` exits
        "import atexit, sys\nfrom rag.cli import main\nsys.argv = ['rag'] + sys.argv[1:]\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('evals', 'server'))))\nmain()"
    )
    python = str(VENV_BIN / "python")
    own = subprocess.run([python, "-c", probe, "ask", "--help"], cwd=ROOT, capture_output=True)
    assert own.stdout.decode().splitlines()[-1] == "[]", own.stderr
    plugin = subprocess.run([python, "-c", probe, "eval", "--help"], cwd=ROOT, capture_output=True)
    assert "evals.commands" in plugin.stdout.decode(), plugin.stderr


@pytest.mark.slow
def test_ingest_twice_then_bad_files(tmp_path: Path, seeds_copy: Path) -> None:
    first = rag("ingest", str(seeds_copy), data=tmp_path / "d")
    assert first.returncode == 0, first.stderr
    assert "added 3" in first.stdout
    second = rag("ingest", str(seeds_copy), data=tmp_path / "d")
    assert "skipped 3" in second.stdout and "0 chunks" in second.stdout
    (seeds_copy / "empty.txt").write_text("")
    third = rag("ingest", str(seeds_copy), data=tmp_path / "d")
    assert third.returncode == 1
    assert third.stderr.count("FAILED") == 1 and "empty.txt" in third.stderr
    assert "Traceback" not in third.stderr
    status = rag("status", data=tmp_path / "d")
    assert "documents: 3" in status.stdout and "hashing" in status.stdout


@pytest.mark.slow
def test_search_and_ask_json(tmp_path: Path, seeds_copy: Path) -> None:
    rag("ingest", str(seeds_copy), data=tmp_path / "d")
    found = rag("search", "Interests Office negotiations", "-k", "3", data=tmp_path / "d")
    assert "004_31b8e9b2b1613665.txt" in found.stdout and "chars" in found.stdout
    asked = rag(
        "ask", "How many hours did the diplomats have to leave?", "--json", data=tmp_path / "d"
    )
    data = json.loads(asked.stdout)
    assert set(data) >= {"text", "citations", "refused", "timings"}


@pytest.mark.slow
def test_ask_parses_the_question_in_a_worker_process(tmp_path: Path, seeds_copy: Path) -> None:
    """`rag ask` answers with the reader, cited, and never loads spaCy in its own process."""
    assert rag("ingest", str(seeds_copy), data=tmp_path / "d").returncode == 0
    probe = (  # atexit handlers run however `rag` exits
        "import atexit, sys\nfrom rag.cli import main\nsys.argv = ['rag'] + sys.argv[1:]\n"
        "atexit.register(lambda: print('spaCy in rag:', 'spacy' in sys.modules))\nmain()"
    )
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path / "d"), "RAG_EMBED_MODE": "hashing"}
    question = "Who is the acting president of Venezuela?"
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", probe, "ask", question],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    answer, sources = done.stdout.split("\n\nSources:\n")
    assert "Rodríguez" in answer and "[1]" in answer and sources.startswith("[1] ")
    assert "worker process failed" not in done.stderr
    assert done.stdout.splitlines()[-1] == "spaCy in rag: False"


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    done = rag("ask", "   ", data=tmp_path / "d")
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: Please type a question."


def test_quick_exit_still_joins_threads_runs_atexit_and_flushes(tmp_path: Path) -> None:
    """Read-only commands skip Python's teardown, not what a normal exit guarantees."""
    marker = tmp_path / "written-by-thread"
    probe = (
        "import atexit, sys, threading, time\n"
        "from rag.cli_startup import exit_without_teardown\n"
        f"def late():\n    time.sleep(0.3)\n    open({str(marker)!r}, 'w').write('done')\n"
        "threading.Thread(target=late).start()\n"
        "atexit.register(lambda: print('atexit ran'))\n"
        "sys.stdout.write('buffered, no newline')\n"
        "exit_without_teardown(3)\n"
    )
    done = subprocess.run([str(VENV_BIN / "python"), "-c", probe], capture_output=True, text=True)
    assert done.returncode == 3
    assert done.stdout == "buffered, no newlineatexit ran\n"
    assert marker.read_text() == "done"
    status = rag("status", data=tmp_path / "d")  # a real read-only command: whole output
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[-1].strip().startswith("last_sync:")

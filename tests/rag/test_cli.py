"""The real `rag` command: help everywhere, ingest summaries, exit codes."""

from __future__ import annotations

import json
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


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    done = rag("ask", "   ", data=tmp_path / "d")
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: Please type a question."

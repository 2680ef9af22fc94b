"""Proof that ingest, search, ask and chat never leave the machine."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS, VENV_BIN, unshare_works
from tests.offline.netguard import EgressBlocked, no_egress


def test_guard_blocks_outside_addresses() -> None:
    with no_egress() as attempts, pytest.raises(EgressBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    assert attempts


def test_ingest_search_ask_chat_in_process_without_egress(tmp_path: Path) -> None:
    attempts: list[str] = []
    with no_egress(attempts):
        from index.embedders import LocalMiniLMEmbedder
        from rag.assistant import Assistant
        from rag.settings import Settings

        assistant = Assistant(Settings(data_dir=tmp_path), embedder=LocalMiniLMEmbedder())
        assert assistant.ingest([SEEDS]).ok
        assert assistant.search("acting president", k=3)
        first = assistant.ask("Who is María Corina Machado?")
        history = [
            {"role": "user", "content": "Who is María Corina Machado?"},
            {"role": "assistant", "content": first.text},
        ]
        assert "coming weeks" in assistant.ask("When will she return?", history=history).text
    assert attempts == []


@pytest.mark.slow
@pytest.mark.skipif(not unshare_works(), reason="network namespaces (unshare -rn) unavailable")
def test_cli_in_a_network_namespace_with_only_loopback(tmp_path: Path) -> None:
    """The real CLI in a namespace with no route out: any egress would fail loudly."""
    rag = VENV_BIN / "rag"
    script = f"""
set -e
ip link set lo up 2>/dev/null || true
export RAG_DATA_DIR={tmp_path}/data
{rag} ingest {SEEDS}
{rag} search "Who is Venezuela's acting president?" -k 3
{rag} ask "What did Delcy Rodríguez say on state television about these steps?"
printf 'Who is María Corina Machado?\\nWhen will she return?\\n' | {rag} chat
"""
    done = subprocess.run(
        ["unshare", "-rn", "bash", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "added 3" in done.stdout
    assert "001_ba5cac0249294b0b.txt" in done.stdout
    assert "will strengthen relations" in done.stdout
    assert "coming weeks" in done.stdout

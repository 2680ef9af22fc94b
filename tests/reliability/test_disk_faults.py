"""A full disk and a read-only data directory: clear errors, no lost or corrupt store.

Uses real file systems: a size-limited tmpfs (grown afterwards, as a user
freeing space would) and a read-only bind mount. Needs root for mount.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.errors import StoreError
from rag.settings import Settings
from tests.conftest import SEEDS
from tests.index.test_sync import exact_state

pytestmark = pytest.mark.slow


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    point = tmp_path / "small"
    point.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=600k", "tmpfs", str(point)):
        pytest.skip("mounting a tmpfs needs root")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def test_disk_full_then_space_freed(small_tmpfs: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=small_tmpfs / "data", embed_mode="hashing")
    assistant = Assistant(settings)
    with pytest.raises(StoreError) as info:
        assistant.ingest([SEEDS])
    assert "is full" in str(info.value) and "Traceback" not in str(info.value)
    assert _mount("-o", "remount,size=40m", str(small_tmpfs))
    committed = {d.doc_id for d in assistant.documents()}
    exact_state(assistant)  # what was committed before the disk filled is intact
    report = assistant.ingest([SEEDS])  # same process: the engine is reopened
    assert report.ok and set(report.skipped) == committed
    assert len(assistant.documents()) == 3
    exact_state(assistant)
    assert "72 hours" in assistant.ask("How many hours did the diplomats have to leave?").text


def test_read_only_data_dir_is_named(tmp_path: Path) -> None:
    writable, read_only = tmp_path / "rw", tmp_path / "ro"
    writable.mkdir()
    read_only.mkdir()
    Assistant(Settings(data_dir=writable, embed_mode="hashing")).ingest([SEEDS])
    if os.geteuid() != 0 or not _mount("--bind", str(writable), str(read_only)):
        pytest.skip("bind mounts need root")
    try:
        if not _mount("-o", "remount,bind,ro", str(read_only)):
            pytest.skip("read-only remount refused")
        with pytest.raises(StoreError) as info:
            Assistant(Settings(data_dir=read_only, embed_mode="hashing"))
        assert "read-only" in str(info.value) and "RAG_DATA_DIR" in str(info.value)
    finally:
        subprocess.run(["umount", "-l", str(read_only)], check=False)
    reopened = Assistant(Settings(data_dir=writable, embed_mode="hashing"))
    assert len(reopened.documents()) == 3  # nothing lost

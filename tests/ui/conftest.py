"""A real web chat (create_app under uvicorn) on a free loopback port, seeds ingested."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEEDS, free_port


@dataclass
class LiveApp:
    """A running server: its base URL and the assistant behind it."""

    url: str
    assistant: Any


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory, local_embedder: Any) -> Iterator[LiveApp]:
    """Serve the full app (HTTP API + Gradio chat) in a thread; stopped after the module."""
    import uvicorn

    from rag.assistant import Assistant
    from rag.settings import Settings
    from ui.server import create_app

    data: Path = tmp_path_factory.mktemp("ui-data")
    assistant = Assistant(Settings(data_dir=data), embedder=local_embedder)
    report = assistant.ingest([SEEDS])
    assert report.ok, report.failed
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(assistant), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="ui-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the web app did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield LiveApp(f"http://127.0.0.1:{port}/", assistant)
    finally:
        server.should_exit = True
        thread.join(timeout=15)

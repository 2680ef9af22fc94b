"""Fixtures for the HTTP API: real uvicorn servers on free loopback ports."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.conftest import free_port

if TYPE_CHECKING:
    from fastapi import FastAPI

    from rag.assistant import Assistant

DELCY_QUESTION = "What did Delcy Rodríguez say on state television about these steps?"
DELCY_DOC = "001_ba5cac0249294b0b.txt"


class ServerThread:
    """A uvicorn server for ``app`` in a daemon thread on a free 127.0.0.1 port."""

    def __init__(self, app: FastAPI) -> None:
        import uvicorn

        self.port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        """Serve, and wait until the socket accepts connections."""
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=15)


def serve(assistant: Assistant) -> ServerThread:
    """Start the API (no web UI) for ``assistant``."""
    from server.app import create_app

    return ServerThread(create_app(assistant, with_ui=False)).start()


@pytest.fixture(scope="session")
def seeded_server(seeded_assistant: Assistant) -> Iterator[ServerThread]:
    """The API over the seeds with the real offline embedder (read-only: ask, list, read)."""
    server = serve(seeded_assistant)
    yield server
    server.stop()


@pytest.fixture
def seeded_client(seeded_server: ServerThread) -> Iterator[httpx.Client]:
    """An httpx client for the seeded server."""
    with httpx.Client(base_url=seeded_server.url, timeout=60) as client:
        yield client


@pytest.fixture
def make_server() -> Iterator[Callable[[Assistant], ServerThread]]:
    """A factory starting servers for given assistants; all are stopped at teardown."""
    started: list[ServerThread] = []

    def factory(assistant: Assistant) -> ServerThread:
        server = serve(assistant)
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture
def hashing_assistant(tmp_path: Path) -> Callable[..., Assistant]:
    """A factory for fast assistants (hashing embedder, store in tmp_path), with overrides."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    def factory(**overrides: Any) -> Assistant:
        return Assistant(Settings(data_dir=tmp_path / "data", embed_mode="hashing", **overrides))

    return factory

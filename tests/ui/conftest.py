"""Real web chats (create_app under uvicorn) on free loopback ports, seeds ingested."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import SEEDS, free_port
from tests.servers.scripted_openai import ScriptedOpenAIServer


@dataclass
class LiveApp:
    """A running server: its base URL and the assistant behind it."""

    url: str
    assistant: Any


@contextmanager
def serve(assistant: Any) -> Iterator[LiveApp]:
    """Serve the full app (HTTP API + Gradio chat) from a thread until the block ends."""
    import uvicorn

    from server.app import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(assistant),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"ui-test-server-{port}", daemon=True)
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


def seeded(data_dir: Any, embedder: Any, **settings: Any) -> Any:
    """An assistant on the real embedder with the seed articles ingested."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(data_dir=data_dir, **settings), embedder=embedder)
    report = assistant.ingest([SEEDS])
    assert report.ok, report.failed
    return assistant


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory, local_embedder: Any) -> Iterator[LiveApp]:
    """The offline app (extractive answers), one per test module."""
    with serve(seeded(tmp_path_factory.mktemp("ui-data"), local_embedder)) as app:
        yield app


@pytest.fixture(scope="module")
def scripted_llm() -> Iterator[ScriptedOpenAIServer]:
    """A real OpenAI-compatible server on loopback whose replies tests script."""
    with ScriptedOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
def live_llm_app(
    tmp_path_factory: pytest.TempPathFactory,
    local_embedder: Any,
    scripted_llm: ScriptedOpenAIServer,
) -> Iterator[LiveApp]:
    """The app answering through the scripted LLM (fast retries, offline fallback on)."""
    assistant = seeded(
        tmp_path_factory.mktemp("ui-llm-data"),
        local_embedder,
        llm_mode="openai",
        openai_base_url=scripted_llm.base_url,
        openai_api_key="test-key",
        llm_model="scripted-model",
        llm_timeout=2.0,
        llm_max_retries=0,
    )
    with serve(assistant) as app:
        yield app

"""User mistakes log one INFO line and no traceback; a real failure logs exactly one traceback."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import serve

pytestmark = pytest.mark.slow
SETTINGS = (5, "extractive", "", "")


def ask(url: str, question: str) -> str:
    """The error message the web chat shows for ``question``."""
    from gradio_client import Client

    client = Client(url, verbose=False, download_files=False)
    try:
        client.predict(question, *SETTINGS, api_name="/ask")
    except Exception as exc:  # the client raises the toast's message
        return str(exc)
    finally:
        client.close()
    raise AssertionError("the question was answered")


def test_a_typo_is_one_info_line_and_a_crash_one_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    from rag.assistant import Assistant
    from rag.settings import Settings

    caplog.set_level(logging.INFO, logger="ui")
    assistant = Assistant(Settings(data_dir=tmp_path / "data", embed_mode="hashing"))
    with serve(assistant) as app:
        capfd.readouterr()
        ask(app.url, "   ")
        out = capfd.readouterr()
        typo = [r for r in caplog.records if r.name.startswith("ui")]
        assert "Traceback" not in out.out + out.err + caplog.text
        assert [(r.levelno, "type a question" in r.getMessage()) for r in typo] == [
            (logging.INFO, True)
        ]
        caplog.clear()

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("disk on fire")

        assistant.stream = broken  # type: ignore[method-assign]
        assert "Something went wrong" in ask(app.url, "Who opened the library?")
        out = capfd.readouterr()
        printed = out.out + out.err + caplog.text
        assert printed.count("Traceback") == 1 and "disk on fire" in printed

"""One set of answerer names across CLI, settings and API, and a clean `rag serve --help`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, get_args

import pytest

from rag.settings import Settings
from server.commands import LlmMode
from server.openai_routes import DEFAULT_MODEL, model_ids, resolve_answerer


def fake(mode: str, answerers: list[str]) -> Any:
    return SimpleNamespace(settings=SimpleNamespace(llm_mode=mode), answerers=lambda: answerers)


def test_cli_settings_and_api_use_the_same_names() -> None:
    modes = set(get_args(Settings.model_fields["llm_mode"].annotation))
    assert set(get_args(LlmMode)) == modes  # `rag serve --llm` takes RAG_LLM_MODE's values
    with_llm = fake("openai", ["extractive", "reader", "openai:gpt-4o-mini"])
    assert model_ids(with_llm) == [DEFAULT_MODEL, "reader", "extractive", "openai"]
    # The offline answerers go by their answerer names; the LLM by its mode.
    assert set(model_ids(with_llm)) - {DEFAULT_MODEL} <= modes | {"reader"}
    for name in ("openai", "openai:gpt-4o-mini", "extractive", "reader"):
        assert resolve_answerer(with_llm, name) == name
    assert resolve_answerer(with_llm, DEFAULT_MODEL) is None
    offline = fake("extractive", ["extractive", "reader"])
    assert model_ids(offline) == [DEFAULT_MODEL, "reader", "extractive"]
    with pytest.raises(Exception, match="use one of: news-rag, reader, extractive, openai"):
        resolve_answerer(with_llm, "llamacpp")


def test_serve_help_is_clean() -> None:
    import typer
    from typer.testing import CliRunner

    from server.commands import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "--no-ingest" in result.output and "--no-no-ingest" not in result.output
    assert "<bool>" not in result.output
    assert "extractive|openai|llamacpp" in result.output

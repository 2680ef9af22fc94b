"""Settings: env prefix, TOML file, precedence, and the documented list."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.settings import Settings
from tests.conftest import ROOT


def test_env_and_file_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "rag.toml"
    config.write_text('top_k = 8\nllm_model = "from-file"\nchunk_tokens = 100\n')
    monkeypatch.setenv("RAG_CONFIG_FILE", str(config))
    monkeypatch.setenv("RAG_TOP_K", "9")
    settings = Settings(chunk_tokens=120)
    assert settings.top_k == 9  # env beats file
    assert settings.llm_model == "from-file"  # file beats default
    assert settings.chunk_tokens == 120  # override beats everything


def test_bad_value_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv("RAG_TOP_K", "0")
    with pytest.raises(ValidationError):
        Settings()


def test_secrets_are_masked() -> None:
    rows = {env: value for env, _, value in Settings(openai_api_key="sk-secret").describe()}
    assert rows["RAG_OPENAI_API_KEY"] == "***"


def test_every_setting_is_documented() -> None:
    docs = [(ROOT / name).read_text() for name in ("docs/SETTINGS.md", "README.md")]
    for env, description, _ in Settings().describe():
        for doc in docs:
            assert f"`{env}` |" in doc, f"{env} undocumented: run scripts/settings_doc.py"
        assert description, f"{env} has no description"


def test_cli_reports_bad_settings_in_one_line(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import VENV_BIN

    bad = tmp_path / "bad.toml"
    bad.write_text("top_k = = 3\n")
    for env in ({"RAG_TOP_K": "zero"}, {"RAG_CONFIG_FILE": str(bad)}):
        done = subprocess.run(
            [str(VENV_BIN / "rag"), "status"],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "RAG_DATA_DIR": str(tmp_path / "d"), **env},
            timeout=120,
        )
        assert done.returncode == 1
        assert done.stderr.startswith("Error: ") and "Traceback" not in done.stderr

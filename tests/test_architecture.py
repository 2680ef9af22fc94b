"""The one-way layers: import contracts, CLI plugins by entry point, no environment at import."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from importlib.metadata import EntryPoint, EntryPoints
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import typer

from rag.offline import OFFLINE_ENVIRONMENT
from tests.conftest import ROOT, VENV_BIN

PACKAGES = ("rag", "index", "ui", "server", "evals")
CLIENTS = ("ui", "server", "evals")
MAX_MODULE_LINES = 300


def modules(package: str) -> list[Path]:
    """The package's Python files."""
    return sorted((ROOT / package).rglob("*.py"))


def imported_tops(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports (TYPE_CHECKING blocks included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def python(code: str, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter from the repository root."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_import_contracts_hold() -> None:
    done = subprocess.run(
        [str(VENV_BIN / "lint-imports")], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("index", {"rag", "ui", "server", "evals"}),
        ("rag", {"ui", "server", "evals"}),
        ("ui", {"server", "index", "chromadb", "fastapi", "starlette", "uvicorn"}),
        ("server", {"index", "chromadb"}),
        ("evals", {"ui", "server", "index", "chromadb"}),
    ],
)
def test_no_upward_import_in_the_source(package: str, forbidden: set[str]) -> None:
    """The greps of the issue, by AST: lazy imports inside functions count too."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_tops(path) & forbidden)
        for path in modules(package)
        if imported_tops(path) & forbidden
    }
    assert offenders == {}


def test_every_public_name_of_rag_resolves() -> None:
    import rag

    missing = [name for name in rag.__all__ if not hasattr(rag, name)]
    assert missing == []


def test_importing_the_cli_loads_no_client_package() -> None:
    done = python(
        "import sys, rag.cli\n"
        "print(sorted({m.partition('.')[0] for m in sys.modules} & {'ui', 'server', 'evals'}))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_serve_and_eval_are_entry_points() -> None:
    from importlib.metadata import entry_points

    found = {e.name: e.value for e in entry_points(group="newsrag.commands")}
    assert found == {"serve": "server.commands:register", "eval": "evals.commands:register"}


def test_a_broken_plugin_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    from rag.cli import COMMAND_GROUP, register_commands

    broken = EntryPoint("broken", "newsrag_no_such_plugin:register", COMMAND_GROUP)
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: EntryPoints([broken]))
    with pytest.raises(ModuleNotFoundError, match="newsrag_no_such_plugin"):
        register_commands(typer.Typer())


def _environment_without_offline_variables() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in OFFLINE_ENVIRONMENT}


def test_importing_modules_changes_no_environment() -> None:
    imports = "rag, rag.cli, server.app, server.json_api, server.commands, evals.commands"
    done = python(
        "import os\n"
        "before = dict(os.environ)\n"
        f"import {imports}, ui.chat_app, ui.chat_handlers, ui.library\n"
        "rag.Assistant, rag.Settings, rag.count_tokens  # the lazy exports load index/ too\n"
        "print(sorted(set(os.environ.items()) ^ set(before.items())))",
        env=_environment_without_offline_variables(),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_cli_entry_point_sets_the_offline_environment() -> None:
    env = {**_environment_without_offline_variables(), "HF_HUB_OFFLINE": "0"}
    done = python(
        "import os, sys\n"
        "from rag.cli import main\n"
        "sys.argv = ['rag', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('|'.join(os.environ.get(k, '-') for k in {sorted(OFFLINE_ENVIRONMENT)!r}))",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    # ANONYMIZED_TELEMETRY, CHROMA_TELEMETRY, GRADIO_ANALYTICS_ENABLED, HF_HUB_OFFLINE (user's)
    assert done.stdout.strip().splitlines()[-1] == "False|False|False|0"


def test_create_app_sets_the_offline_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from server.app import create_app

    environ: dict[str, str] = {"GRADIO_ANALYTICS_ENABLED": "True"}  # a user's choice stays
    monkeypatch.setattr(os, "environ", environ)
    settings = SimpleNamespace(max_upload_mb=1.0, api_keys=[], ui_auth=None)
    fake: Any = SimpleNamespace(settings=settings)
    create_app(fake, with_ui=False)
    assert environ == {**OFFLINE_ENVIRONMENT, "GRADIO_ANALYTICS_ENABLED": "True"}


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_are_short(package: str) -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules(package)
    }
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}


@pytest.mark.parametrize("package", CLIENTS)
def test_client_modules_say_what_they_are(package: str) -> None:
    missing = [
        str(path.relative_to(ROOT))
        for path in modules(package)
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert missing == []

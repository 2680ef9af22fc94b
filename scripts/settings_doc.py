"""Regenerate docs/SETTINGS.md and the settings table in README.md from rag.settings."""

from __future__ import annotations

import re
from pathlib import Path

from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


def table() -> str:
    """Markdown table of every setting: variable, default, description."""
    rows = ["| variable | default | description |", "|---|---|---|"]
    for env, description, value in Settings().describe():
        shown = repr(value) if isinstance(value, list | dict) else str(value)
        rows.append(f"| `{env}` | `{shown}` | {description} |")
    return "\n".join(rows)


def main() -> None:
    """Write both files."""
    body = table()
    (ROOT / "docs" / "SETTINGS.md").write_text(
        "# Settings\n\nEnvironment variables (prefix `RAG_`) or keys of the TOML file named "
        "by `RAG_CONFIG_FILE` (the field name in lower case without the prefix, e.g. "
        "`top_k = 8`). Precedence: explicit overrides > environment > file > defaults. "
        "`rag settings` prints the current values. Regenerate with "
        "`.venv/bin/python scripts/settings_doc.py`.\n\n" + body + "\n"
    )
    readme = ROOT / "README.md"
    text = readme.read_text()
    block = f"{BEGIN}\n{body}\n{END}"
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    readme.write_text(text)


if __name__ == "__main__":
    main()

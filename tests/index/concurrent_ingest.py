"""One writer of the two-writer test: ingests generated articles into a Chroma server.

Usage: python -m tests.index.concurrent_ingest PORT CORPUS_DIR ROUNDS
Each round ingests the whole directory after rewriting one of its files, so
every round commits at least one new document version.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rag.assistant import Assistant
from rag.settings import Settings


def main() -> None:
    port, corpus, rounds = int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    settings = Settings(
        data_dir=corpus.parent / f"{corpus.name}-data",
        embed_mode="hashing",
        store_mode="server",
        chroma_host="127.0.0.1",
        chroma_port=port,
        chunk_tokens=40,
    )
    assistant = Assistant(settings)
    files = sorted(corpus.glob("*.txt"))
    for round_ in range(rounds):
        target = files[round_ % len(files)]
        target.write_text(target.read_text(encoding="utf-8") + f"\n\nUpdate {round_}.\n")
        report = assistant.ingest([corpus])
        if not report.ok:
            raise SystemExit(f"ingest failed: {report.failed}")
    print("done", assistant.store.version())


if __name__ == "__main__":
    main()

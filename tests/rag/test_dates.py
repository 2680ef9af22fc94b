"""Passages from different dates: answers are ordered by date and name the latest."""

from __future__ import annotations

from pathlib import Path

from rag.assistant import Assistant
from rag.settings import Settings

OLD = """Embassy shuts its doors

Published: January 25, 2019

CARACAS — The US Embassy in Caracas closed on Thursday and its diplomats left the country.
Officials said the embassy would stay closed for the foreseeable future.
"""
NEW = """Embassy back in business

Published: 2026-03-05

CARACAS — The US Embassy in Caracas reopened on Wednesday after seven years.
A new chargé d'affaires has arrived to run the embassy.
"""


def test_conflicting_dates_are_ordered_and_latest_named(tmp_path: Path, local_embedder) -> None:  # noqa: ANN001
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "new.md").write_text(NEW)
    (corpus / "old.md").write_text(OLD)
    assistant = Assistant(Settings(data_dir=tmp_path / "d"), embedder=local_embedder)
    assert assistant.ingest([corpus]).ok
    dates = {d.doc_id: d.date for d in assistant.documents()}
    assert dates == {"new.md": "2026-03-05", "old.md": "2019-01-25"}
    # The sentence quoter lays out both reports; the reader answers one typed span.
    answer = assistant.ask("Is the US Embassy in Caracas closed or open?", answerer="extractive")
    cited = [c.date for c in answer.citations]
    assert "2019-01-25" in cited and "2026-03-05" in cited
    assert cited == sorted(cited), "older report first"
    assert answer.text.index("closed on Thursday") < answer.text.index("reopened on Wednesday")
    assert "most recent of these reports is dated 2026-03-05" in answer.text

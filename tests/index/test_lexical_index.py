"""The persisted lexical index: saved, loaded, caught up from the change log, compacted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import index.lexical_index
from index.filters import Filters
from rag.assistant import Assistant
from rag.settings import Settings


def _corpus(folder: Path, count: int, word: str = "harbour") -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"story-{i:02d}.txt").write_text(
            f"Story {i}\n\nThe {word} of town{i} reopened after storm{i} damage on Monday.\n"
        )
    return folder


def _assistant(data: Path) -> Assistant:
    return Assistant(Settings(data_dir=data, embed_mode="hashing", chunk_tokens=40))


def _ids(assistant: Assistant, query: str, filters: Filters | None = None) -> list[str]:
    return [cid.split("::")[0] for cid, _ in assistant.retriever.bm25().search(query, 5, filters)]


def test_another_writer_is_caught_up_from_the_log_not_a_full_read(tmp_path: Path) -> None:
    reader = _assistant(tmp_path / "d")
    reader.ingest([_corpus(tmp_path / "c", 4)])
    assert _ids(reader, "town2")[0] == "story-02.txt"
    reads: list[Filters | None] = []
    original = reader.store.iter_chunks

    def counting(filters: Filters | None = None):  # type: ignore[no-untyped-def]
        reads.append(filters)
        return original(filters)

    reader.store.iter_chunks = counting  # type: ignore[method-assign]
    writer = _assistant(tmp_path / "d")  # a second process on the same store
    writer.ingest_bytes("late.txt", b"Late\n\nA zebra escaped from the zoo of town9.\n")
    assert _ids(reader, "zebra") == ["late.txt"]
    assert reads and all(f is not None and f.doc_ids == ("late.txt",) for f in reads)


def test_saved_index_is_loaded_and_caught_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _assistant(tmp_path / "d")
    first.ingest([_corpus(tmp_path / "c", 3)])
    saved = first.retriever.lexical.version
    assert saved == first.store.version()  # the writer leaves the saved index current
    fresh = _assistant(tmp_path / "d").retriever.lexical  # a new process: loads, builds nothing
    assert fresh.loaded_from_disk and fresh.version == saved and len(fresh.base) == 3
    # A write this index has not seen (another replica's, whose index lives elsewhere).
    monkeypatch.setattr(Assistant, "_index_written", lambda self, report: None)
    first.ingest_bytes("late.txt", b"Late\n\nA zebra escaped from the zoo.\n")
    second = _assistant(tmp_path / "d")
    lexical = second.retriever.lexical
    assert lexical.loaded_from_disk and lexical.version == saved  # as saved, before a question
    assert _ids(second, "zebra") == ["late.txt"]
    assert len(lexical.base) == 3 and lexical.version == second.store.version()


def test_removed_and_replaced_documents_leave_the_index(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", 3)
    assistant = _assistant(tmp_path / "d")
    assistant.ingest([corpus])
    assert "story-01.txt" in _ids(assistant, "town1")
    assistant.delete_document("story-01.txt")
    assert "story-01.txt" not in _ids(assistant, "town1")
    (corpus / "story-02.txt").write_text("Story 2\n\nNow about a volcano near town2.\n")
    assistant.ingest([corpus])
    assert _ids(assistant, "storm2") == []  # the old version's words are gone
    assert _ids(assistant, "volcano") == ["story-02.txt"]
    only = Filters(doc_ids=("story-00.txt",))
    assert _ids(assistant, "town2 town0", only) == ["story-00.txt"]


def test_a_foreign_or_impossible_state_is_rebuilt(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path / "d")
    assistant.ingest([_corpus(tmp_path / "c", 3)])
    assistant.search("anything", k=1)
    state_file = tmp_path / "d" / "lexical" / assistant.store.name / "state.json"
    state = json.loads(state_file.read_text())
    state["version"] = 10_000  # more changes than the store ever had
    state_file.write_text(json.dumps(state))
    again = _assistant(tmp_path / "d")
    assert again.retriever.lexical.loaded_from_disk
    assert _ids(again, "town1")[0] == "story-01.txt"
    assert again.retriever.lexical.version == again.store.version()


@pytest.mark.parametrize("inline", [5000, 0])  # a small store inline, a large one not
def test_a_large_delta_is_compacted_into_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inline: int
) -> None:
    monkeypatch.setattr(index.lexical_index, "COMPACT_MIN_CHUNKS", 1)
    monkeypatch.setattr(index.lexical_index, "INLINE_REBUILD_CHUNKS", inline)
    assistant = _assistant(tmp_path / "d")
    assistant.ingest([_corpus(tmp_path / "c", 2)])
    assistant.search("anything", k=1)
    for i in range(3):
        assistant.ingest_bytes(f"late{i}.txt", f"Late {i}\n\nA zebra{i} escaped.\n".encode())
        assistant.search("zebra", k=1)
    assistant.retriever.wait_for_index(timeout=60)
    lexical = assistant.retriever.lexical
    assert len(lexical.base) >= 4 and len(lexical.delta) <= 1
    assert _ids(assistant, "zebra2") == ["late2.txt"]
    folders = [p.name for p in (tmp_path / "d" / "lexical" / assistant.store.name).iterdir()]
    assert sum(name.startswith("base-") for name in folders) == 1  # old bases are removed

"""The conversation store: schema and migrations, WAL, threads, owners, retention, bad files."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from rag import Answer, Citation, ConversationStore, ConversationsUnavailable, NotFoundError
from rag.conversations import MIGRATIONS, SCHEMA_VERSION


def answer(text: str = "Delcy Rodríguez is acting president. [1]", *, doc: str = "a.txt") -> Answer:
    citation = Citation(
        number=1, doc_id=doc, title="Venezuela", date="2026-01-05", quote="Delcy Rodríguez",
        start=10, end=25, score=0.9, supported=True, sentence="Delcy Rodríguez is acting.",
    )  # fmt: skip
    return Answer(
        text, [citation], question="Who?", condensed_question="Who leads Venezuela?",
        answerer="extractive", timings={"retrieve": 12.345},
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "conversations.db")


def test_a_turn_keeps_everything_the_answer_had(store: ConversationStore) -> None:
    chat = store.create("alice")
    store.add_turn("alice", chat.id, "Who is acting president?", answer())
    saved = store.get("alice", chat.id)
    assert saved.title == "Who is acting president?"  # the first question titles it
    turn = saved.turns[0]
    assert turn.question == "Who is acting president?" and turn.asked_at.tzinfo is not None
    assert turn.answer.text.endswith("[1]")
    assert turn.answer.condensed_question == "Who leads Venezuela?"
    assert turn.answer.answerer == "extractive" and turn.answer.timings == {"retrieve": 12.35}
    cited = turn.answer.citations[0]
    assert (cited.doc_id, cited.start, cited.end, cited.quote) == (
        "a.txt",
        10,
        25,
        "Delcy Rodríguez",
    )
    assert cited.supported and cited.date == "2026-01-05"
    assert saved.history() == [
        {"role": "user", "content": "Who is acting president?"},
        {"role": "assistant", "content": turn.answer.text},
    ]


def test_schema_is_versioned_and_wal(store: ConversationStore, tmp_path: Path) -> None:
    assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(tmp_path / "conversations.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_an_older_schema_is_migrated_on_open_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:  # a version-1 database, as the first release wrote it
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        conn.execute("INSERT INTO conversations VALUES ('c1', 'local', 'Old chat', 1.0, 2.0)")
        conn.execute(
            "INSERT INTO turns VALUES ('c1', 0, 'Old question?', 'Old answer.', '[]', 1.5)"
        )
    store = ConversationStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    old = store.get("local", "c1")
    assert old.title == "Old chat" and old.turns[0].answer.text == "Old answer."
    assert old.turns[0].answer.answerer == "extractive"  # the v2 column's default
    store.add_turn("local", "c1", "New question?", answer())
    assert [t.question for t in store.get("local", "c1").turns] == [
        "Old question?",
        "New question?",
    ]


def test_a_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    ConversationStore(path).schema_version()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(ConversationsUnavailable, match="newer version"):
        ConversationStore(path).list("local")


def test_owners_never_see_each_others_conversations(store: ConversationStore) -> None:
    mine = store.create("alice")
    store.add_turn("alice", mine.id, "Alice asks?", answer())
    assert store.list("bob") == []
    for action in (
        lambda: store.get("bob", mine.id),
        lambda: store.add_turn("bob", mine.id, "Bob?", answer()),
        lambda: store.rename("bob", mine.id, "Mine now"),
        lambda: store.delete("bob", mine.id),
    ):
        with pytest.raises(NotFoundError):
            action()
    assert store.get("alice", mine.id).title == "Alice asks?"


def test_list_search_rename_delete(store: ConversationStore) -> None:
    first = store.create("local")
    store.add_turn(
        "local",
        first.id,
        "Where were Maduro and his wife arraigned?",
        answer("In a Manhattan court. [1]"),
    )
    second = store.create("local")
    store.add_turn("local", second.id, "Who is acting president?", answer())
    assert [c.id for c in store.list("local")] == [second.id, first.id]  # newest first
    assert [c.id for c in store.list("local", "manhattan")] == [first.id]  # answers match too
    assert [c.id for c in store.list("local", "50%_off")] == []  # LIKE wildcards are literal
    store.rename("local", first.id, "  Court  ")
    assert store.list("local", "court")[0].title == "Court"
    store.delete("local", first.id)
    assert [c.id for c in store.list("local")] == [second.id]
    with pytest.raises(NotFoundError):
        store.get("local", first.id)


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    stores = [
        ConversationStore(path),
        ConversationStore(path),
    ]  # two connections, like two processes
    chats = [stores[0].create("local").id for _ in range(4)]
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        store = stores[worker % 2]
        try:
            for i in range(15):
                store.add_turn("local", chats[worker % 4], f"q{worker}-{i}", answer())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for chat in chats:
        turns = stores[1].get("local", chat).turns
        assert len(turns) == 30
        assert [t.position for t in turns] == list(range(30))


def test_retention_prunes_idle_conversations(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    store = ConversationStore(path)
    old, fresh = store.create("local"), store.create("local")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                     (time.time() - 40 * 86_400, old.id))  # fmt: skip
    assert store.prune() == 0  # retention 0: forever
    assert store.prune(days=30) == 1
    assert [c.id for c in store.list("local")] == [fresh.id]
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE conversations SET updated_at = 0")
    assert ConversationStore(path, retention_days=30).list("local") == []  # pruned on open


def test_a_corrupt_file_gives_a_clear_error_and_recovers(tmp_path: Path) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(b"this is not a database at all" * 100)
    store = ConversationStore(path)
    with pytest.raises(ConversationsUnavailable, match="not a database.*not being saved"):
        store.create("local")
    path.unlink()
    assert store.create("local").id  # a repaired file works without a restart


def test_a_locked_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    store = ConversationStore(path)
    chat = store.create("local")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store._conn.execute("PRAGMA busy_timeout = 50")  # type: ignore[union-attr]
        with pytest.raises(ConversationsUnavailable, match="locked"):
            store.add_turn("local", chat.id, "q?", answer())
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_rag_conversations_prune_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rag.cli import app

    store = ConversationStore(tmp_path / "conversations.db")
    old = store.create("local")
    store.create("local")
    with sqlite3.connect(tmp_path / "conversations.db") as conn:
        conn.execute("UPDATE conversations SET updated_at = 0 WHERE id = ?", (old.id,))
    runner = CliRunner()
    kept = runner.invoke(app, ["conversations", "prune", "--data-dir", str(tmp_path)])
    assert kept.exit_code == 0 and "kept forever" in kept.output
    pruned = runner.invoke(
        app, ["conversations", "prune", "--days", "30", "--data-dir", str(tmp_path)]
    )
    assert pruned.exit_code == 0, pruned.output
    assert "Removed 1 conversation(s)" in pruned.output
    assert len(store.list("local")) == 1
    (tmp_path / "conversations.db").write_bytes(b"garbage" * 500)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"conversations.db{suffix}").unlink(missing_ok=True)
    broken = runner.invoke(
        app, ["conversations", "prune", "--days", "1", "--data-dir", str(tmp_path)]
    )
    assert broken.exit_code == 1 and "not a database" in broken.output

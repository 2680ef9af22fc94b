"""Saved conversations: one SQLite file in the data dir, shared by the web chat and the API.

Each conversation belongs to one ``owner`` (a web login, a hashed API key, or
``local`` without auth); every read and write names the owner, so one user's
ids are unknown (404) to another. WAL lets readers run beside one writer; the
schema is versioned (``rag.conversation_models.MIGRATIONS``) and migrated forward on open.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.conversation_models import (
    LOCAL_OWNER,
    MIGRATIONS,
    SCHEMA_VERSION,
    TITLE_CHARS,
    Conversation,
    ConversationSummary,
    ConversationsUnavailable,
    StoredTurn,
    owner_for,
    when,
)
from rag.errors import NotFoundError
from rag.models import Answer, Citation

__all__ = [
    "LOCAL_OWNER",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Conversation",
    "ConversationStore",
    "ConversationSummary",
    "ConversationsUnavailable",
    "StoredTurn",
    "owner_for",
]
_TURN_COLUMNS = (
    "position, question, answer_text, citations, asked_at, condensed_question, answerer, "
    "refused, notice, timings"
)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ConversationStore:
    """Conversations and their turns in one SQLite file; safe to share between threads."""

    def __init__(self, path: Path | str, *, retention_days: int = 0) -> None:
        self.path = Path(path)
        self.retention_days = retention_days  # 0 keeps conversations forever
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    # --- connection ------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE) below.
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None,
                               check_same_thread=False)  # fmt: skip
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        if self.retention_days:
            self._prune(conn, self.retention_days)
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM schema_version").fetchone()
            version = row[0] if row else 0
            if row is None:
                conn.execute("INSERT INTO schema_version VALUES (0)")
            if version > SCHEMA_VERSION:
                raise ConversationsUnavailable(
                    f"The conversation database {self.path} was written by a newer version "
                    f"(schema {version}, this one knows {SCHEMA_VERSION}); nothing is saved."
                )
            for step in MIGRATIONS[version:]:
                for statement in step:
                    conn.execute(statement)
            conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _db(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The connection, inside a transaction when writing; SQLite errors become clear ones."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._open()
                conn = self._conn
                if not write:
                    yield conn
                    return
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._drop()  # the next call opens afresh: a repaired file works again
                raise self._unavailable(exc) from None

    def _unavailable(self, exc: sqlite3.Error) -> ConversationsUnavailable:
        reason = str(exc)
        if "locked" in reason or "busy" in reason:
            why = "is locked by another program"
        elif isinstance(exc, sqlite3.OperationalError) and "disk" not in reason:
            why = f"cannot be used ({reason})"
        else:
            why = f"is damaged or not a database ({reason}); move it aside to start a new one"
        return ConversationsUnavailable(
            f"The conversation database {self.path} {why}. Conversations are not being saved."
        )

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def close(self) -> None:
        """Close the database connection (it reopens on the next call)."""
        with self._lock:
            self._drop()

    def schema_version(self) -> int:
        """The schema version of the open database."""
        with self._db() as conn:
            return int(conn.execute("SELECT version FROM schema_version").fetchone()[0])

    # --- conversations ----------------------------------------------------------------
    def create(self, owner: str, title: str = "") -> ConversationSummary:
        """Start an empty conversation for ``owner``."""
        now = time.time()
        conversation_id = uuid.uuid4().hex
        with self._db(write=True) as conn:
            conn.execute(
                "INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                (conversation_id, owner, title.strip()[:TITLE_CHARS], now, now),
            )
        return ConversationSummary(
            id=conversation_id, title=title.strip()[:TITLE_CHARS], created_at=when(now),
            updated_at=when(now),
        )  # fmt: skip

    def list(self, owner: str, search: str = "", limit: int = 200) -> list[ConversationSummary]:
        """``owner``'s conversations, newest activity first; ``search`` matches any text."""
        sql = (
            "SELECT c.id, c.title, c.created_at, c.updated_at, "
            "(SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) "
            "FROM conversations c WHERE c.owner = ?"
        )
        params: list[object] = [owner]
        if search.strip():
            pattern = _like(search.strip())
            sql += (
                " AND (c.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM turns t WHERE "
                "t.conversation_id = c.id AND (t.question LIKE ? ESCAPE '\\' "
                "OR t.answer_text LIKE ? ESCAPE '\\')))"
            )
            params += [pattern, pattern, pattern]
        sql += " ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?"
        with self._db() as conn:
            rows = conn.execute(sql, [*params, limit]).fetchall()
        return [
            ConversationSummary(
                id=r[0], title=r[1], created_at=when(r[2]), updated_at=when(r[3]), turn_count=r[4]
            )  # fmt: skip
            for r in rows
        ]

    def get(self, owner: str, conversation_id: str) -> Conversation:
        """One conversation with its turns; NotFoundError when ``owner`` has no such id."""
        with self._db() as conn:
            row = self._row(conn, owner, conversation_id)
            turns = conn.execute(
                f"SELECT {_TURN_COLUMNS} FROM turns WHERE conversation_id = ? ORDER BY position",
                (conversation_id,),
            ).fetchall()
        stored = [self._turn(t, conversation_id) for t in turns]
        summary = dict(id=row[0], title=row[1], created_at=when(row[2]), updated_at=when(row[3]))
        return Conversation(**summary, turn_count=len(stored), turns=stored)

    @staticmethod
    def _row(conn: sqlite3.Connection, owner: str, conversation_id: str) -> tuple:
        row = conn.execute(
            "SELECT id, title, created_at, updated_at FROM conversations "
            "WHERE id = ? AND owner = ?",
            (conversation_id, owner),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"No conversation with id {conversation_id[:64]!r}.")
        return tuple(row)

    @staticmethod
    def _turn(row: tuple, conversation_id: str) -> StoredTurn:
        position, question, text, citations, asked_at, condensed, answerer, refused = row[:8]
        answer = Answer(
            text,
            [Citation.model_validate(c) for c in json.loads(citations)],
            refused=bool(refused), notice=row[8], question=question,
            condensed_question=condensed, answerer=answerer, timings=json.loads(row[9]),
            conversation_id=conversation_id,
        )  # fmt: skip
        return StoredTurn(position=position, question=question, asked_at=when(asked_at),
                          answer=answer)  # fmt: skip

    def add_turn(
        self, owner: str, conversation_id: str, question: str, answer: Answer
    ) -> StoredTurn:
        """Append a question and its answer; the first question titles an untitled chat."""
        now = time.time()
        citations = json.dumps([c.model_dump(mode="json") for c in answer.citations])
        timings = json.dumps({k: round(v, 2) for k, v in answer.timings.items()})
        with self._db(write=True) as conn:
            _, title, *_ = self._row(conn, owner, conversation_id)
            position = conn.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM turns WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()[0]
            conn.execute(
                f"INSERT INTO turns ({_TURN_COLUMNS}, conversation_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (position, question, answer.text, citations, now, answer.condensed_question,
                 answer.answerer, int(answer.refused), answer.notice, timings, conversation_id),
            )  # fmt: skip
            new_title = title or " ".join(question.split())[:TITLE_CHARS]
            conn.execute(
                "UPDATE conversations SET updated_at = ?, title = ? WHERE id = ?",
                (now, new_title, conversation_id),
            )
        return StoredTurn(position=position, question=question, asked_at=when(now), answer=answer)

    def rename(self, owner: str, conversation_id: str, title: str) -> None:
        """Give a conversation a new title."""
        with self._db(write=True) as conn:
            self._row(conn, owner, conversation_id)
            conn.execute(
                "UPDATE conversations SET title = ? WHERE id = ?",
                (title.strip()[:TITLE_CHARS], conversation_id),
            )

    def delete(self, owner: str, conversation_id: str) -> None:
        """Remove a conversation and its turns."""
        with self._db(write=True) as conn:
            self._row(conn, owner, conversation_id)
            conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    # --- retention ------------------------------------------------------------------------
    def prune(self, days: int | None = None) -> int:
        """Delete conversations idle for more than ``days`` (default: the retention setting)."""
        keep = self.retention_days if days is None else days
        if keep <= 0:
            return 0
        with self._db() as conn:
            return self._prune(conn, keep)

    @staticmethod
    def _prune(conn: sqlite3.Connection, days: int) -> int:
        cutoff = time.time() - days * 86_400
        conn.execute("BEGIN IMMEDIATE")
        try:
            removed = conn.execute("DELETE FROM conversations WHERE updated_at < ?", (cutoff,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return removed.rowcount

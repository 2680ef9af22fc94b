"""The saved-conversation data: schema migrations, models, owners (no database access here)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from rag.errors import StoreError
from rag.models import Answer

LOCAL_OWNER = "local"
TITLE_CHARS = 80
SCHEMA_VERSION = 2
# MIGRATIONS[n] takes a database from version n to n + 1; never edit a shipped step.
MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            title TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL)""",
        """CREATE TABLE turns (
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            question TEXT NOT NULL,
            answer_text TEXT NOT NULL,
            citations TEXT NOT NULL DEFAULT '[]',
            asked_at REAL NOT NULL,
            PRIMARY KEY (conversation_id, position))""",
    ],
    [
        "ALTER TABLE turns ADD COLUMN condensed_question TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE turns ADD COLUMN answerer TEXT NOT NULL DEFAULT 'extractive'",
        "ALTER TABLE turns ADD COLUMN refused INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE turns ADD COLUMN notice TEXT",
        "ALTER TABLE turns ADD COLUMN timings TEXT NOT NULL DEFAULT '{}'",
        "CREATE INDEX conversations_by_owner ON conversations(owner, updated_at DESC)",
    ],
]


class ConversationsUnavailable(StoreError):
    """The conversation database is corrupt, locked or unwritable: nothing is saved."""

    code = "conversations_unavailable"


class ConversationSummary(BaseModel):
    """One conversation in a list: its id, title, times and number of turns."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    turn_count: int = 0


class StoredTurn(BaseModel):
    """One saved question with its answer and citations, as it was given."""

    position: int
    question: str
    asked_at: datetime
    answer: Answer


class Conversation(ConversationSummary):
    """A conversation with all its turns, oldest first."""

    turns: list[StoredTurn] = Field(default_factory=list)

    def history(self) -> list[dict[str, str]]:
        """The role/content history follow-up questions are condensed with."""
        history: list[dict[str, str]] = []
        for turn in self.turns:
            history.append({"role": "user", "content": turn.question})
            history.append({"role": "assistant", "content": turn.answer.text})
        return history


def owner_for(*, user: str | None = None, api_key: str | None = None) -> str:
    """The owner a request's conversations belong to: its API key (hashed), login, or local."""
    if api_key:
        return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:32]
    if user:
        return "user:" + user
    return LOCAL_OWNER


def when(seconds: float) -> datetime:
    """A stored epoch time as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, tz=UTC)

"""One Chroma connection (embedded on disk, or a server) and the translation of its errors.

A ``ChromaConnection`` is owned by whoever built the store (the assistant's
composition root); nothing here is module-level state. Telemetry is turned
off through the client settings, so importing this module changes nothing.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from index.errors import DiskFullError, RagError, StoreError
from index.retry import Backoff

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
# An unreachable server is retried three times, after about 0.25, 0.75 and 2.25 s.
SERVER_BACKOFF = Backoff(retries=3, first=0.25, factor=3.0, jitter=0.0)
_MIN_FREE_BYTES = 4 * 1024 * 1024
_NETWORK = {"ConnectError", "ReadTimeout", "ConnectTimeout", "RemoteProtocolError", "ReadError"}


class StoreUnreachable(StoreError):
    """The Chroma server did not answer; the operation may succeed if retried."""


@dataclass(frozen=True)
class ChromaLocation:
    """Where the store lives: a directory, or a server address."""

    path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    ssl: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def is_server(self) -> bool:
        """True for a Chroma server, False for the embedded store."""
        return self.path is None

    def describe(self) -> str:
        """Human description for status lines and error messages."""
        if self.path is not None:
            return f"embedded Chroma at {self.path}"
        scheme = "https" if self.ssl else "http"
        return f"Chroma server at {scheme}://{self.host}:{self.port}"


class ChromaConnection:
    """A lazily opened chromadb client for one location, and its error translation."""

    def __init__(self, location: ChromaLocation) -> None:
        self.location = location
        self.generation = 0  # bumped by reset(): stores reopen their collections
        self._client: Any = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        """Human description of the location."""
        return self.location.describe()

    def client(self) -> Any:
        """The chromadb client, opened on first use, telemetry off."""
        with self._lock:
            if self._client is None:
                self._client = _open_client(self.location)
            return self._client

    def reset(self) -> None:
        """Throw the embedded engine away so the next use opens a fresh one.

        After a failed write (disk full) Chroma's embedded engine can hang on the
        next write even once space is free; a new engine reads the files cleanly.
        Chroma caches engines per directory in its own process-wide registry,
        which is why that registry is cleared too.
        """
        if not self.location.is_server:
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        with self._lock:
            self._client = None
            self.generation += 1

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn Chroma and connection failures into a StoreError naming the store."""
        try:
            yield
        except RagError:
            raise
        except Exception as exc:  # chromadb raises many unrelated types
            disk = _disk_problem(self.location)
            if disk is not None:
                self.reset()
                raise DiskFullError(disk) from exc
            raise _translate(exc, self.location) from exc


def _open_client(location: ChromaLocation) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if location.path is not None:
        path = location.path.resolve()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the data directory {path}: {exc.strerror}.") from exc
        try:
            return chromadb.PersistentClient(path=str(path), settings=settings)
        except Exception as exc:  # e.g. a read-only directory: say so, not SQLite's words
            disk = _disk_problem(location)
            raise (DiskFullError(disk) if disk else _translate(exc, location)) from exc
    return chromadb.HttpClient(
        host=location.host,
        port=location.port,
        ssl=location.ssl,
        headers=location.headers or None,
        settings=settings,
    )


def _translate(exc: Exception, location: ChromaLocation) -> StoreError:
    """A StoreError (StoreUnreachable for network failures) a user can read."""
    if isinstance(exc, OSError):
        reason = exc.strerror or exc.__class__.__name__
        return StoreError(f"The {location.describe()} failed: {reason}.")
    text = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
    lowered = text.lower()
    if "connect" in lowered or "timed out" in lowered or exc.__class__.__name__ in _NETWORK:
        return StoreUnreachable(f"Cannot reach the {location.describe()}: {text}.")
    return StoreError(f"The {location.describe()} refused the operation: {text}.")


def _disk_problem(location: ChromaLocation) -> str | None:
    """A readable sentence when the data directory is full or read-only, else None.

    Chroma reports a full disk as e.g. 'Error in compaction', which tells a
    user nothing; the file system itself says what is wrong.
    """
    if location.path is None:
        return None
    path = location.path
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        stats = os.statvfs(path)
    except OSError:
        return None
    if stats.f_flag & os.ST_RDONLY:
        return (
            f"The data directory {location.path} is on a read-only file system, and Chroma "
            "must write there even to answer; point RAG_DATA_DIR at a writable directory."
        )
    free = stats.f_bavail * stats.f_frsize
    if free < _MIN_FREE_BYTES:
        return (
            f"The disk holding {location.path} is full ({free // 1024} KB free); free some "
            "space and run the ingest again. Documents already indexed are kept."
        )
    return None


def retry_unreachable(method: Callable[P, T]) -> Callable[P, T]:
    """Retry an idempotent store method while the server is unreachable (bounded)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return SERVER_BACKOFF.call(lambda: method(*args, **kwargs), (StoreUnreachable,))

    return wrapper

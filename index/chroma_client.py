"""Opening Chroma (embedded on disk, or a server) and translating its errors."""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from rag.errors import RagError, StoreError

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
RETRY_DELAYS = (0.25, 0.75, 2.0)  # seconds between attempts on an unreachable server


class StoreUnreachable(StoreError):
    """The Chroma server did not answer; the operation may succeed if retried."""


# Telemetry off before chromadb is ever imported (it reads these at import).
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("CHROMA_TELEMETRY", "False")


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


_clients: dict[Path, Any] = {}
_generation = [0]  # bumped when the embedded engine is thrown away


def client_generation() -> int:
    """Changes whenever cached embedded clients were discarded (see ``reset_embedded``)."""
    return _generation[0]


def reset_embedded() -> None:
    """Discard embedded Chroma engines so the next use opens fresh ones.

    After a failed write (disk full) Chroma's embedded engine can hang on the
    next write even once space is free; a new engine reads the files cleanly.
    """
    from chromadb.api.client import SharedSystemClient

    _clients.clear()
    SharedSystemClient.clear_system_cache()
    _generation[0] += 1


def open_client(location: ChromaLocation) -> Any:
    """A chromadb client for the location, telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if location.path is not None:
        path = location.path.resolve()
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the data directory {path}: {exc.strerror}.") from exc
        # One PersistentClient per directory and process: Chroma's embedded
        # engine does not like two clients writing the same files.
        if path not in _clients:
            _clients[path] = chromadb.PersistentClient(path=str(path), settings=settings)
        return _clients[path]
    return chromadb.HttpClient(
        host=location.host,
        port=location.port,
        ssl=location.ssl,
        headers=location.headers or None,
        settings=settings,
    )


@contextmanager
def store_errors(location: ChromaLocation) -> Iterator[None]:
    """Turn Chroma and connection failures into a StoreError naming the store."""
    try:
        yield
    except RagError:
        raise
    except Exception as exc:  # chromadb raises many unrelated types
        disk = _disk_problem(location)
        if disk is not None:
            reset_embedded()
            raise StoreError(disk) from exc
        if isinstance(exc, OSError):
            reason = exc.strerror or exc.__class__.__name__
            raise StoreError(f"The {location.describe()} failed: {reason}.") from exc
        text = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
        lowered = text.lower()
        if "connect" in lowered or "timed out" in lowered or exc.__class__.__name__ in _NETWORK:
            raise StoreUnreachable(f"Cannot reach the {location.describe()}: {text}.") from exc
        raise StoreError(f"The {location.describe()} refused the operation: {text}.") from exc


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


_MIN_FREE_BYTES = 4 * 1024 * 1024
_NETWORK = {"ConnectError", "ReadTimeout", "ConnectTimeout", "RemoteProtocolError", "ReadError"}


def retry_unreachable(method: Callable[P, T]) -> Callable[P, T]:
    """Retry an idempotent store method while the server is unreachable (bounded)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        for delay in RETRY_DELAYS:
            try:
                return method(*args, **kwargs)
            except StoreUnreachable as exc:
                log.warning("%s Retrying in %.2f s.", exc, delay)
                time.sleep(delay)
        return method(*args, **kwargs)

    return wrapper

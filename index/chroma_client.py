"""Opening Chroma (embedded on disk, or a server) and translating its errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import RagError, StoreError

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
    except OSError as exc:
        raise StoreError(
            f"The {location.describe()} failed: {exc.strerror or exc.__class__.__name__}."
        ) from exc
    except Exception as exc:  # chromadb raises many unrelated types
        text = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
        if "connect" in text.lower() or exc.__class__.__name__ in {"ConnectError", "ReadTimeout"}:
            raise StoreError(f"Cannot reach the {location.describe()}: {text}.") from exc
        raise StoreError(f"The {location.describe()} refused the operation: {text}.") from exc

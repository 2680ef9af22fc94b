"""A table of bad requests: each answers a JSON problem with the right status, code and message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

JSON = {"content-type": "application/json"}


def txt(name: str, data: bytes = b"Some article text.") -> tuple[str, tuple[str, bytes, str]]:
    return ("files", (name, data, "text/plain"))


# (id, method, path, request kwargs, status, code, words the message must contain)
CASES: list[tuple[str, str, str, dict[str, Any], int, str, str]] = [
    ("unknown-api-route", "GET", "/api/nope", {}, 404, "not_found", "/api/nope"),
    ("unknown-v1-route", "POST", "/v1/embeddings", {"json": {}}, 404, "not_found", "embeddings"),
    ("wrong-method", "PUT", "/api/ask", {}, 405, "method_not_allowed", "use POST"),
    ("wrong-method-v1", "GET", "/v1/chat/completions", {}, 405, "method_not_allowed", "POST"),
    ("invalid-utf8", "POST", "/api/ask",
     {"content": b'{"question": "\xff\xfe"}', "headers": JSON}, 400, "invalid_body", "UTF-8"),
    ("broken-json", "POST", "/api/ask",
     {"content": b'{"question": ', "headers": JSON}, 422, "validation_error", "JSON"),
    ("text-plain-ask", "POST", "/api/ask",
     {"content": b'{"question": "hi"}', "headers": {"content-type": "text/plain"}},
     415, "unsupported_media_type", "application/json"),
    ("text-plain-chat", "POST", "/v1/chat/completions",
     {"content": b"hi", "headers": {"content-type": "text/plain"}},
     415, "unsupported_media_type", "application/json"),
    ("json-upload", "POST", "/api/documents", {"json": {"files": []}},
     415, "unsupported_media_type", "multipart/form-data"),
    ("too-many-files", "POST", "/api/documents",
     {"files": [txt(f"f{i}.txt") for i in range(200)]}, 413, "payload_too_large", "20"),
    ("huge-file-name", "POST", "/api/documents", {"files": [txt("a" * 5000 + ".txt")]},
     400, "invalid_multipart", "file name"),
    ("file-over-limit", "POST", "/api/documents",
     {"files": [txt("big.txt", b"x" * 1_200_000)]}, 413, "payload_too_large", "1 MB"),
    ("unsupported-type", "POST", "/api/documents", {"files": [txt("tool.exe")]},
     415, "unsupported_media_type", ".exe"),
    ("empty-question", "POST", "/api/ask", {"json": {"question": "  "}}, 400, "invalid_input",
     "question"),
    ("missing-document", "GET", "/api/documents/none.txt", {}, 404, "not_found", "none.txt"),
    ("unknown-model", "POST", "/v1/chat/completions",
     {"json": {"model": "gpt-9", "messages": [{"role": "user", "content": "hi"}]}},
     404, "model_not_found", "gpt-9"),
]  # fmt: skip


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from rag.assistant import Assistant
    from rag.settings import Settings
    from server.app import create_app

    data: Path = tmp_path_factory.mktemp("bad-requests")
    assistant = Assistant(Settings(data_dir=data, embed_mode="hashing", max_upload_mb=1))
    # With the web chat mounted at /: unknown API routes must not fall through to Gradio.
    with TestClient(create_app(assistant), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_request_is_a_problem(
    http: Any, method: str, path: str, kwargs: dict[str, Any], status: int, code: str, words: str
) -> None:
    resp = http.request(method, path, **kwargs)
    assert resp.status_code == status, resp.text[:300]
    assert resp.headers["content-type"].startswith("application/json")
    error = resp.json()["error"]
    assert error["code"] == code
    assert words in error["message"]
    assert set(error) >= {"message", "type", "code"}


def test_web_chat_states_the_upload_limit_in_the_settings_units(tmp_path: Path) -> None:
    from rag.assistant import Assistant
    from rag.settings import Settings
    from ui.chat_app import mount_kwargs

    assistant = Assistant(Settings(data_dir=tmp_path, embed_mode="hashing", max_upload_mb=20))
    limit = mount_kwargs(assistant)["max_file_size"]
    # Gradio's page divides by 1024 and prints one decimal ("19.1 MB" for 20,000,000 bytes).
    assert f"{limit / 1024 / 1024:.1f} MB" == "20.0 MB"

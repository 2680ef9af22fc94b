"""One access rule: with keys set, every route of the app refuses anonymous readers and writers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag import ConfigError
from rag.settings import Settings, load_settings
from server.access import PUBLIC_PATHS, is_public

KEY = "access-test-key-1"
SECRET_TITLE = "Quokka census"  # a document that no anonymous route may reveal
ARTICLE = b"Quokka census\n\nPERTH - Rangers counted 12,000 quokkas on Rottnest Island.\n"


def all_routes(app: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, descending into mounts and lazily included routers."""
    import fastapi.routing
    from starlette.routing import Mount

    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    routes = list(flatten(app.routes)) if flatten else list(app.routes)
    for context in routes:
        route = getattr(context, "original_route", context)
        if isinstance(route, Mount):
            yield from all_routes(route.app, prefix + route.path)
            continue
        methods = getattr(context, "methods", None) or getattr(route, "methods", None)
        for method in sorted(methods or {"WEBSOCKET"}):
            yield method, prefix + (context.path or "")


def concrete(path: str) -> str:
    """A requestable path: every {param} and {param:path} filled in."""
    return re.sub(r"\{[^}]+\}", "x", path) or "/"


@pytest.fixture
def guarded_app(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    from starlette.testclient import TestClient

    from rag.assistant import Assistant
    from server.app import create_app

    assistant = Assistant(
        Settings(data_dir=tmp_path / "data", embed_mode="hashing", api_keys=[KEY])
    )
    assert assistant.ingest_bytes("quokka.txt", ARTICLE).ok
    app = create_app(assistant)
    with TestClient(app) as http:
        yield app, http


def test_every_route_refuses_anonymous_requests(guarded_app: tuple[Any, Any]) -> None:
    app, http = guarded_app
    routes = sorted(set(all_routes(app)))
    assert len(routes) > 60, "the Gradio routes are enumerated too"
    refused, public = [], []
    for method, path in routes:
        if method == "WEBSOCKET":
            continue
        url = concrete(path)
        resp = http.request(method, url)
        if is_public(url):
            public.append((method, path))
            assert SECRET_TITLE not in resp.text, (method, path)
            continue
        assert resp.status_code == 401, (method, path, resp.status_code, resp.text[:200])
        if method != "HEAD":
            assert resp.json()["error"]["code"] == "invalid_api_key"
        assert resp.headers["www-authenticate"] == "Bearer"
        refused.append((method, path))
    paths = {p for _, p in refused}
    needed = {"/gradio_api/info", "/config", "/gradio_api/upload", "/gradio_api/queue/join"}
    needed |= {"/gradio_api/file={path_or_url:path}", "/api/documents", "/v1/models"}
    assert needed <= paths, needed - paths
    assert {concrete(p) for _, p in public} <= PUBLIC_PATHS | {
        concrete(p) for _, p in public if p.startswith(("/assets/", "/static/", "/svelte/", "/pwa"))
    }
    # The login page itself shows a form, no chat and no data.
    page = http.get("/").text
    assert '"auth_required":true' in page.replace(" ", "") and "rag-question" not in page


def test_gradio_client_routes_need_a_key_or_a_session(guarded_app: tuple[Any, Any]) -> None:
    app, http = guarded_app
    call = {"data": []}
    for path in ("/gradio_api/call/documents", "/gradio_api/call/select_source",
                 "/gradio_api/call/upload", "/gradio_api/call/delete_document"):  # fmt: skip
        assert http.post(path, json=call).status_code == 401, path
    bearer = {"Authorization": f"Bearer {KEY}"}
    assert http.get("/config", headers=bearer).status_code == 200
    wrong = {"Authorization": "Bearer wrong-key"}
    assert http.get("/api/documents", headers=wrong).status_code == 401
    # The web login takes any user name with an API key as password.
    assert http.post("/login", data={"username": "me", "password": "nope"}).status_code == 400
    assert http.post("/login", data={"username": "me", "password": KEY}).status_code == 200
    assert http.get("/config").status_code == 200
    docs = http.get("/api/documents").json()["documents"]  # the session works for the API too
    assert [d["doc_id"] for d in docs] == ["quokka.txt"]


def test_without_credentials_everything_stays_open(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from rag.assistant import Assistant
    from server.app import create_app

    assistant = Assistant(Settings(data_dir=tmp_path / "data", embed_mode="hashing"))
    with TestClient(create_app(assistant)) as http:
        assert http.get("/config").status_code == 200
        assert http.get("/api/documents").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ui_auth", "hunter2"),
        ("ui_auth", ":secret"),
        ("ui_auth", "alice:"),
        ("api_keys", [""]),
        ("api_keys", [" padded-key "]),
    ],
)
def test_malformed_auth_settings_stop_the_server(field: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"RAG_{field.upper()}"):
        load_settings(**{field: value})


def test_serve_refuses_to_start_with_a_malformed_login(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import typer
    from typer.testing import CliRunner

    from server.commands import register

    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # two commands: `serve` stays a subcommand
    monkeypatch.setenv("RAG_UI_AUTH", "hunter2")
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["serve", "--no-ingest"])
    assert result.exit_code != 0
    assert "RAG_UI_AUTH" in result.output and "user:password" in result.output


def test_gradio_client_works_with_a_bearer_key(tmp_path: Path) -> None:
    from gradio_client import Client

    from rag.assistant import Assistant
    from tests.ui.conftest import serve

    assistant = Assistant(
        Settings(data_dir=tmp_path / "data", embed_mode="hashing", api_keys=[KEY])
    )
    assert assistant.ingest_bytes("quokka.txt", ARTICLE).ok
    with serve(assistant) as app:
        with pytest.raises(Exception):  # noqa: B017 - the client fails in its own ways on a 401
            Client(app.url, verbose=False, download_files=False)
        client = Client(
            app.url, verbose=False, download_files=False, headers={"Authorization": f"Bearer {KEY}"}
        )
        try:
            table, *_ = client.predict(api_name="/documents")
        finally:
            client.close()
    assert "quokka.txt" in [row[-1] for row in table["data"]]

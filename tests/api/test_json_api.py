"""The /api routes over httpx: ask, uploads, documents, errors, API keys, concurrency."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.api.conftest import DELCY_DOC, DELCY_QUESTION, ServerThread
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow
ARTICLE = (
    "Harbour town opens floating library\n\ndate 2026-02-11 OSLO — The harbour town of "
    "Nordvik opened a floating library on Tuesday. The library sits on a converted ferry "
    "and lends books to island residents. Mayor Ingrid Solheim said the ferry will visit "
    "twelve islands every month.\n"
)


def test_ask_cites_exact_spans(seeded_client: httpx.Client) -> None:
    answer = seeded_client.post("/api/ask", json={"question": DELCY_QUESTION}).json()
    assert "strengthen relations" in answer["text"]
    assert answer["answerer"] == "reader" and not answer["refused"]
    cited = [c for c in answer["citations"] if c["doc_id"] == DELCY_DOC]
    assert cited
    text = seeded_client.get(f"/api/documents/{DELCY_DOC}").json()["text"]
    for cite in cited:
        assert text[cite["start"] : cite["end"]] == cite["quote"]


def test_ask_with_filters_history_and_k(seeded_client: httpx.Client) -> None:
    other = "004_31b8e9b2b1613665.txt"
    body = {"question": DELCY_QUESTION, "filters": {"doc_ids": [other]}, "k": 2}
    answer = seeded_client.post("/api/ask", json={**body, "answerer": "extractive"}).json()
    assert {p["doc_id"] for p in answer["passages"]} <= {other}
    assert len(answer["passages"]) <= 2
    # The reader reads at least the 10 passages it was calibrated on.
    answer = seeded_client.post("/api/ask", json=body).json()
    assert {p["doc_id"] for p in answer["passages"]} <= {other}
    assert answer["answerer"] == "reader" and len(answer["passages"]) <= 10
    follow_up = {
        "question": "What did she say on state television?",
        "history": [{"role": "user", "content": "Who is Delcy Rodríguez?"}],
    }
    answer = seeded_client.post("/api/ask", json=follow_up).json()
    assert "Delcy Rodríguez" in answer["condensed_question"]
    dated = {"question": DELCY_QUESTION, "filters": {"date_from": "2026-03-05"}}
    answer = seeded_client.post("/api/ask", json=dated).json()
    assert {c["doc_id"] for c in answer["citations"]} <= {DELCY_DOC}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"question": "   "}, 400, "invalid_input"),
        ({"question": "Why?", "answerer": "gpt-17"}, 404, "model_not_found"),
        ({"question": "Why?", "filters": {"date_from": "yesterday"}}, 422, "validation_error"),
        # A number is no date, though pydantic would read it as a Unix time.
        ({"question": "Why?", "filters": {"date_to": 1.5e9}}, 422, "validation_error"),
        ({"question": "Why?", "k": 0}, 422, "validation_error"),
        ({"history": []}, 422, "validation_error"),
    ],
)
def test_ask_errors_are_json_problems(
    seeded_client: httpx.Client, body: dict[str, Any], status: int, code: str
) -> None:
    resp = seeded_client.post("/api/ask", json=body)
    assert resp.status_code == status
    error = resp.json()["error"]
    assert error["code"] == code and error["message"] and error["type"]
    assert "Traceback" not in resp.text


def test_documents_list_and_unknown_ids(seeded_client: httpx.Client) -> None:
    docs = seeded_client.get("/api/documents").json()["documents"]
    assert {d["doc_id"] for d in docs} == {p.name for p in SEEDS.iterdir()}
    doc = seeded_client.get(f"/api/documents/{DELCY_DOC}").json()
    assert doc["date"] == "2026-03-05" and doc["chunks"] > 0
    for method in ("GET", "DELETE"):
        resp = seeded_client.request(method, "/api/documents/no/such.txt")
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "not_found"
    assert seeded_client.get("/api/nothing-here").json()["error"]["code"] == "not_found"


def test_upload_list_read_delete(
    hashing_assistant: Callable[..., Any], make_server: Callable[..., ServerThread]
) -> None:
    server = make_server(hashing_assistant())
    with httpx.Client(base_url=server.url, timeout=60) as http:
        files = [
            ("files", ("../../evil.txt", ARTICLE.encode(), "text/plain")),
            (
                "files",
                ("notes.md", b"# Notes\n\nThe ferry visits twelve islands.", "text/markdown"),
            ),
        ]
        result = http.post("/api/documents", files=files).json()
        assert result["ok"] and result["added"] == ["evil.txt", "notes.md"]
        assert result["files"][0] == {
            "filename": "../../evil.txt", "doc_id": "evil.txt", "status": "added", "reason": None
        }  # fmt: skip
        again = http.post("/api/documents", files=files[:1]).json()
        assert again["files"][0]["status"] == "unchanged"
        ids = {d["doc_id"] for d in http.get("/api/documents").json()["documents"]}
        assert ids == {"evil.txt", "notes.md"}
        assert http.get("/api/documents/evil.txt").json()["text"] == ARTICLE
        question = "How many islands will the ferry visit every month?"
        answer = http.post("/api/ask", json={"question": question}).json()
        assert answer["citations"] and answer["citations"][0]["doc_id"] == "evil.txt"
        assert http.delete("/api/documents/evil.txt").json() == {"deleted": "evil.txt"}
        assert http.delete("/api/documents/evil.txt").status_code == 404
        assert http.get("/api/documents/evil.txt").status_code == 404


def test_upload_refusals(
    hashing_assistant: Callable[..., Any], make_server: Callable[..., ServerThread]
) -> None:
    assistant = hashing_assistant(max_upload_mb=0.01)  # 10 kB per file
    server = make_server(assistant)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        big = ("files", ("big.txt", b"word " * 4000, "text/plain"))
        small = ("files", ("ok.txt", ARTICLE.encode(), "text/plain"))
        resp = http.post("/api/documents", files=[small, big])
        assert resp.status_code == 413
        assert resp.json()["error"]["code"] == "payload_too_large"
        wrong = ("files", ("tool.exe", b"MZ\x90\x00", "application/octet-stream"))
        resp = http.post("/api/documents", files=[small, wrong])
        assert resp.status_code == 415
        assert resp.json()["error"]["code"] == "unsupported_media_type"
        assert http.get("/api/documents").json()["documents"] == []  # all or nothing
        empty = http.post("/api/documents", files=[("files", ("e.txt", b"  ", "text/plain"))])
        assert empty.status_code == 200 and empty.json()["files"][0]["status"] == "failed"
        assert http.post("/api/documents").status_code == 422


def test_whole_request_limit_applies_while_streaming(
    hashing_assistant: Callable[..., Any],
) -> None:
    from server.app import create_app
    from server.uploads import MAX_FILES

    app = create_app(hashing_assistant(max_upload_mb=0.01), with_ui=False)
    head = b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n'

    async def body() -> Any:  # no Content-Length: only counting can stop it
        yield head
        for _ in range(MAX_FILES + 10):
            yield b"y" * 10_000
        yield b"\r\n--b--\r\n"

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            headers = {"content-type": "multipart/form-data; boundary=b"}
            return await http.post("/api/documents", content=body(), headers=headers)

    resp = asyncio.run(post())
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "payload_too_large"


def test_openapi_lists_the_fields_of_the_one_answer_schema(
    hashing_assistant: Callable[..., Any],
) -> None:
    """/api/ask and /v1's citations are rag.Answer and rag.Citation themselves, not mirrors."""
    from server.app import create_app

    spec = create_app(hashing_assistant(), with_ui=False).openapi()
    ask = spec["paths"]["/api/ask"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ask["schema"] == {"$ref": "#/components/schemas/Answer"}
    schemas = spec["components"]["schemas"]
    assert set(schemas["Answer"]["properties"]) >= {
        "text", "citations", "refused", "notice", "question", "condensed_question",
        "answerer", "passages", "timings",
    }  # fmt: skip
    assert set(schemas["Citation"]["properties"]) >= {
        "number", "doc_id", "title", "date", "quote", "start", "end", "score", "supported",
        "sentence",
    }  # fmt: skip
    assert set(schemas["Passage"]["properties"]) == {
        "doc_id", "title", "date", "start", "end", "score", "text",
    }  # fmt: skip
    citations = schemas["ChatCompletion"]["properties"]["citations"]["items"]
    assert citations == {"$ref": "#/components/schemas/Citation"}
    assert not {"AnswerOut", "CitationOut", "PassageOut"} & set(schemas)


OPEN_PATHS = {"/healthz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}


def effective_routes(app: Any) -> list[Any]:
    """The app's routes with included routers flattened (prefixes applied)."""
    import fastapi.routing

    # FastAPI >= 0.13x keeps included routers lazily; older ones list copied APIRoutes.
    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    return list(flatten(app.routes)) if flatten else list(app.routes)


def test_api_keys_guard_every_api_route(
    hashing_assistant: Callable[..., Any], make_server: Callable[..., ServerThread]
) -> None:
    from server.app import create_app

    assistant = hashing_assistant(api_keys=["key-one", "key-two"])
    app = create_app(assistant, with_ui=False)
    server = make_server(assistant)
    routes = [(r.path, sorted(r.methods or ())) for r in effective_routes(app)]
    guarded = [
        (method, path.replace("{doc_id:path}", "x.txt").replace("{model:path}", "m"))
        for path, methods in routes
        if path.startswith(("/api/", "/v1/"))
        for method in methods
    ]
    assert len(guarded) >= 9
    # Anything else is one of the documented open routes.
    assert {p for p, _ in routes if not p.startswith(("/api/", "/v1/"))} == OPEN_PATHS
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for method, path in guarded:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "key-one"}):
                resp = http.request(method, path, headers=headers)
                assert resp.status_code == 401, (method, path, headers)
                assert resp.headers["www-authenticate"] == "Bearer"
                assert resp.json()["error"]["code"] == "invalid_api_key"
        for key in ("key-one", "key-two"):
            ok = http.get("/api/documents", headers={"Authorization": f"Bearer {key}"})
            assert ok.status_code == 200
        for open_path in OPEN_PATHS - {"/docs/oauth2-redirect"}:
            assert http.get(open_path).status_code == 200
        assistant.settings.api_keys = []  # keys are read per request
        assert http.get("/api/documents").status_code == 200


def test_unexpected_errors_are_generic_500s(
    hashing_assistant: Callable[..., Any],
    make_server: Callable[..., ServerThread],
    caplog: pytest.LogCaptureFixture,
) -> None:
    assistant = hashing_assistant()
    server = make_server(assistant)

    def broken() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    assistant.documents = broken  # type: ignore[method-assign]
    assistant.health = lambda: {"store": "Chroma cannot be reached.", "model": "-", "ok": False}  # type: ignore[method-assign]
    with httpx.Client(base_url=server.url, timeout=30) as http:
        resp = http.get("/api/documents")
        assert resp.status_code == 500
        assert resp.json()["error"]["code"] == "internal_error"
        assert "secret" not in resp.text and "Traceback" not in resp.text
        health = http.get("/healthz")
        assert health.status_code == 503 and health.json()["ok"] is False


def test_concurrent_asks_cite_their_own_articles(
    seeded_assistant: Any, make_server: Callable[..., ServerThread]
) -> None:
    """8 simultaneous questions about 8 articles: each answer cites its own article."""
    topics = [
        ("lighthouse", "Captain Arvid Holm restored the Skarvik lighthouse lens"),
        ("orchard", "Farmer Lucia Benedetti planted four hundred quince trees"),
        ("glacier", "Geologist Tomasz Wierzbicki measured the Brenva glacier retreat"),
        ("chess", "Grandmaster Oyelaran Adebayo won the Lagos rapid chess open"),
        ("bakery", "Baker Henrietta Pfisterer sold rye loaves at the Tübingen fair"),
    ]
    uploads = [
        (f"{slug}.txt", f"{slug.title()} news\n\ndate 2026-01-0{i + 1} {fact} on Monday.\n")
        for i, (slug, fact) in enumerate(topics)
    ]
    for name, text in uploads:
        assert seeded_assistant.ingest_bytes(name, text.encode()).ok
    questions = [
        (DELCY_QUESTION, DELCY_DOC),
        ("Who restored the Skarvik lighthouse lens?", "lighthouse.txt"),
        ("How many quince trees did Lucia Benedetti plant?", "orchard.txt"),
        ("Which glacier did Tomasz Wierzbicki measure?", "glacier.txt"),
        ("Who won the Lagos rapid chess open?", "chess.txt"),
        ("What did Henrietta Pfisterer sell at the Tübingen fair?", "bakery.txt"),
        ("Where were the US diplomatic staff moved in 2019?", DELCY_DOC),
        ("How many hours did Maduro give the US diplomats to leave the country?",
         "004_31b8e9b2b1613665.txt"),
    ]  # fmt: skip
    server = make_server(seeded_assistant)

    async def ask_all() -> list[dict[str, Any]]:
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
            replies = await asyncio.gather(
                *(http.post("/api/ask", json={"question": q}) for q, _ in questions)
            )
            return [r.json() for r in replies]

    try:
        answers = asyncio.run(ask_all())
    finally:
        for name, _ in uploads:
            seeded_assistant.delete_document(name)
    for (question, doc_id), answer in zip(questions, answers, strict=True):
        assert answer["question"] == question
        assert answer["citations"], question
        assert answer["citations"][0]["doc_id"] == doc_id, question


def test_blocking_work_leaves_the_event_loop_free(
    hashing_assistant: Callable[..., Any],
    make_server: Callable[..., ServerThread],
) -> None:
    """8 asks that each block 0.5 s finish together, and /healthz answers meanwhile."""
    from rag.models import Answer

    assistant = hashing_assistant()

    def slow_ask(question: str, *args: Any, **kwargs: Any) -> Answer:
        time.sleep(0.5)  # a slow model or store: blocking, no CPU
        return Answer(text=f"About {question}.", question=question)

    assistant.ask = slow_ask  # type: ignore[method-assign]
    server = make_server(assistant)

    async def run() -> tuple[float, float, list[str]]:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            started = time.perf_counter()
            asks = [
                asyncio.create_task(http.post("/api/ask", json={"question": f"q{i}"}))
                for i in range(8)
            ]
            await asyncio.sleep(0.1)  # the asks are now blocking their threads
            probe = time.perf_counter()
            assert (await http.get("/healthz")).status_code == 200
            health_s = time.perf_counter() - probe
            replies = await asyncio.gather(*asks)
            return time.perf_counter() - started, health_s, [r.json()["text"] for r in replies]

    total, health_s, texts = asyncio.run(run())
    assert texts == [f"About q{i}." for i in range(8)]  # no answer crossed conversations
    assert total < 2.5, total  # serially: 8 x 0.5 s = 4 s
    assert health_s < 0.4, health_s

"""Serving safely: no egress from `rag serve`/`rag eval`, web UI auth, no secrets in logs.

The namespace test is the strong proof (a network namespace with only
loopback: any outbound connection fails); the in-process test with the socket
guard covers the Gradio app where namespaces are unavailable.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.assistant import Assistant
from rag.settings import Settings
from tests.conftest import ROOT, SEEDS, VENV_BIN, free_port, unshare_works
from tests.offline.netguard import no_egress
from tests.servers.scripted_openai import Script, ScriptedOpenAIServer
from tests.ui.conftest import serve as serve_ui

pytestmark = pytest.mark.slow

API_KEY = "sk-reliability-9f3a1c"
LLM_KEY = "sk-upstream-llm-5be20d"
QUESTION = "What did Delcy Rodríguez say on state television about these steps?"
DOC = "001_ba5cac0249294b0b.txt"
TINY = ROOT / "tests" / "evals" / "data" / "tiny.jsonl"
UPLOAD = (
    "Floating library opens in Nordvik\n\nThe harbour town of Nordvik opened a floating "
    "library on a converted ferry on Tuesday. Mayor Ingrid Solheim said the ferry will visit "
    "twelve islands every month.\n"
)
# Sentences of the seeds and the upload that must never reach a log.
ARTICLE_TEXT = (
    "will strengthen relations between our two countries",
    "Manhattan court",
    "migratory procedures",
    "floating library on a converted ferry",
    "twelve islands every month",
)


def assert_clean_logs(text: str) -> None:
    """No key and no article sentence in ``text``."""
    for secret in (API_KEY, LLM_KEY):
        assert secret not in text, "a key reached the logs"
    for sentence in ARTICLE_TEXT:
        assert sentence not in text, f"article text reached the logs: {sentence!r}"


# --- a network namespace with only loopback ---------------------------------------------------
@pytest.mark.skipif(
    not unshare_works("curl"), reason="network namespaces (unshare -rn) unavailable"
)
def test_serve_and_eval_in_a_network_namespace(tmp_path: Path) -> None:
    """`rag serve` (page, upload, ask) and `rag eval` with no route out of the machine."""
    port = free_port()
    (tmp_path / "up.txt").write_text(UPLOAD, encoding="utf-8")
    ask = json.dumps({"question": QUESTION})
    url = f"http://127.0.0.1:{port}"
    script = f"""
set -eu
ip link set lo up
! curl -s --max-time 3 http://192.0.2.1/ >/dev/null 2>&1  # proof: no route out
export GRADIO_ANALYTICS_ENABLED=False RAG_API_KEYS='["{API_KEY}"]'
cd {tmp_path}
{VENV_BIN}/rag serve --port {port} --data-dir data --corpus {SEEDS} >serve.out 2>serve.err &
SERVE=$!
{VENV_BIN}/rag eval {TINY} --corpus {SEEDS} --out eval-out >eval.out 2>eval.err &
EVAL=$!
for i in $(seq 600); do curl -sf {url}/healthz >/dev/null && break; sleep 0.2; done
AUTH='Authorization: Bearer {API_KEY}'
curl -sf {url}/ >page.html
curl -sf -H "$AUTH" {url}/config >config.json  # keys cover the chat's routes too
curl -sf -H "$AUTH" -F files=@up.txt {url}/api/documents >upload.json
curl -sf -H "$AUTH" -H 'Content-Type: application/json' -d '{ask}' {url}/api/ask >ask.json
curl -s -o /dev/null -w '%{{http_code}}' -d '{ask}' {url}/api/ask >no-key.txt
wait $EVAL
kill -INT $SERVE
wait $SERVE || true
"""
    done = subprocess.run(
        ["unshare", "-rn", "bash", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,
    )
    logs = {p.name: p.read_text(errors="replace") for p in tmp_path.glob("*.err")}
    assert done.returncode == 0, (done.stderr[-2000:], {k: v[-1500:] for k, v in logs.items()})
    answer = json.loads((tmp_path / "ask.json").read_text())
    assert "strengthen relations" in answer["text"]
    assert {c["doc_id"] for c in answer["citations"]} == {DOC}
    assert json.loads((tmp_path / "upload.json").read_text())["added"] == ["up.txt"]
    assert (tmp_path / "no-key.txt").read_text() == "401"
    page = (tmp_path / "page.html").read_text()
    assert "gradio" in page.lower()
    assert "rag-question" in (tmp_path / "config.json").read_text()
    summary = json.loads((tmp_path / "eval-out" / "summary.json").read_text())
    assert summary["n"] == len(TINY.read_text().splitlines()) and summary["errors"] == 0
    assert_clean_logs(logs["serve.err"] + (tmp_path / "serve.out").read_text())


# --- the Gradio app in process, under the socket guard -------------------------------------------
def test_gradio_app_makes_no_outbound_call(tmp_path: Path, local_embedder: Any) -> None:
    attempts: list[str] = []
    with no_egress(attempts):
        assistant = Assistant(Settings(data_dir=tmp_path / "data"), embedder=local_embedder)
        assert assistant.ingest([SEEDS]).ok
        with serve_ui(assistant) as app, httpx.Client(base_url=app.url, timeout=60) as http:
            page = http.get("/")
            assert page.status_code == 200
            assets = re.findall(r'(?:src|href)="(\./assets/[^"]+\.(?:js|css))"', page.text)
            assert assets, "the page references its bundled assets"
            for asset in assets[:5]:
                assert http.get(asset).status_code == 200
            assert http.get("/config").status_code == 200
            answer = http.post("/api/ask", json={"question": QUESTION}).json()
            assert "strengthen relations" in answer["text"]
            call = http.post(
                "/gradio_api/call/ask", json={"data": [QUESTION, 5, "extractive", "", ""]}
            )
            result = http.get(f"/gradio_api/call/ask/{call.json()['event_id']}").text
            assert "event: complete" in result and "strengthen relations" in result
    assert attempts == [], f"outbound connections attempted: {attempts}"


# --- web UI basic auth ----------------------------------------------------------------------------
def test_ui_auth_hides_the_chat_until_login(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embed_mode="hashing", ui_auth="alice:s3cr3t")
    assistant = Assistant(settings)
    assistant.ingest([SEEDS])
    with serve_ui(assistant) as app, httpx.Client(base_url=app.url, timeout=30) as http:
        page = http.get("/").text
        assert '"auth_required":true' in page.replace(" ", "")  # Gradio's login form
        assert "rag-question" not in page and "rag-chatbot" not in page
        for path in ("/config", "/gradio_api/info"):
            assert http.get(path).status_code == 401
        call = http.post("/gradio_api/call/ask", json={"data": [QUESTION, 5, "extractive", "", ""]})
        assert call.status_code == 401
        wrong = http.post("/login", data={"username": "alice", "password": "nope"})
        assert wrong.status_code == 400 and "Incorrect credentials" in wrong.text
        assert http.get("/config").status_code == 401
        right = http.post("/login", data={"username": "alice", "password": "s3cr3t"})
        assert right.status_code == 200 and right.json() == {"success": True}
        page = http.get("/").text
        assert "rag-question" in page and '"auth_required":true' not in page.replace(" ", "")
        assert http.get("/config").status_code == 200
        call = http.post("/gradio_api/call/ask", json={"data": [QUESTION, 5, "extractive", "", ""]})
        assert call.status_code == 200


# --- logs -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [None, logging.INFO], ids=["default-level", "info"])
def test_logs_hold_no_key_and_no_article_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, level: int | None
) -> None:
    """Ingest, upload, ask (LLM failing once, then the fallback) with keys configured."""
    from starlette.testclient import TestClient

    from server.app import create_app

    if level is not None:
        for name in ("rag", "index", "ui", "server", "evals"):
            caplog.set_level(level, logger=name)
    with ScriptedOpenAIServer(api_key=LLM_KEY) as llm:
        settings = Settings(
            data_dir=tmp_path / "data",
            embed_mode="hashing",
            api_keys=[API_KEY],
            llm_mode="openai",
            openai_base_url=llm.base_url,
            openai_api_key=LLM_KEY,
            llm_timeout=2.0,
            llm_max_retries=0,
        )
        assistant = Assistant(settings)
        assert assistant.ingest([SEEDS]).ok
        llm.push(Script.error(500))  # the LLM fails once: a warning is logged
        assert assistant.ask(QUESTION).notice
        with TestClient(create_app(assistant, with_ui=False)) as http:
            auth = {"Authorization": f"Bearer {API_KEY}"}
            files = [("files", ("library.txt", UPLOAD.encode(), "text/plain"))]
            assert http.post("/api/documents", files=files, headers=auth).status_code == 200
            answer = http.post("/api/ask", json={"question": QUESTION}, headers=auth).json()
            assert "strengthen relations" in answer["text"]
            bad = {"Authorization": "Bearer wrong-key"}
            assert (
                http.post("/api/ask", json={"question": QUESTION}, headers=bad).status_code == 401
            )
            llm.push(Script.error(401, f"Incorrect API key provided: {LLM_KEY}"))
            assert "API key was rejected" in (assistant.ask(QUESTION).notice or "")
    assert any(r.levelno >= logging.WARNING for r in caplog.records), "nothing was logged"
    assert_clean_logs("\n".join(caplog.messages) + caplog.text)

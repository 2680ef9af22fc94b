"""Uploads that never clobber, clean ids, and uploaded copies that do not outlive ingest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from index.uploads import safe_doc_id
from tests.api.conftest import ServerThread

CORPUS_ID = "000_4119a22ce29e6ee5.txt"
ORIGINAL = "Harbour ferry resumes\n\nOSLO - The ferry to the twelve islands resumed on Monday.\n"
INTRUDER = "Nothing to see\n\nThe ferry never existed, says a forged article.\n"


@pytest.mark.parametrize(
    ("name", "doc_id"),
    [
        ("a.txt ", "a.txt"),
        (" .txt", "upload.txt"),
        ("news\u202efdp.txt", "newsfdp.txt"),
        ("\ufeffbom.md", "bom.md"),
        ("zero\u200bwidth\u200d.txt", "zerowidth.txt"),
        ("Cafe\u0301.txt", "Caf\u00e9.txt"),  # NFC
        ("report .TXT", "report.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
    ],
)
def test_names_are_cleaned(name: str, doc_id: str) -> None:
    assert safe_doc_id(name) == doc_id


def test_a_bad_name_fails_that_file_only(
    hashing_assistant: Callable[..., Any], make_server: Callable[..., ServerThread]
) -> None:
    server = make_server(hashing_assistant())
    files = [
        ("files", ("a.txt ", ORIGINAL.encode(), "text/plain")),
        ("files", ("news\u202efdp.txt", INTRUDER.encode(), "text/plain")),
        ("files", ("\u200b\u202e", b"no name at all", "text/plain")),
    ]
    with httpx.Client(base_url=server.url, timeout=60) as http:
        resp = http.post("/api/documents", files=files)
    assert resp.status_code == 200, resp.text
    statuses = [(f["doc_id"], f["status"]) for f in resp.json()["files"]]
    assert statuses[:2] == [("a.txt", "added"), ("newsfdp.txt", "added")]
    assert statuses[2][1] == "failed"


def test_a_colliding_upload_never_replaces_silently(
    hashing_assistant: Callable[..., Any], make_server: Callable[..., ServerThread]
) -> None:
    assistant = hashing_assistant()
    assert assistant.ingest_bytes(CORPUS_ID, ORIGINAL.encode()).ok
    server = make_server(assistant)
    intruder = [("files", (CORPUS_ID, INTRUDER.encode(), "text/plain"))]
    with httpx.Client(base_url=server.url, timeout=60) as http:
        refused = http.post("/api/documents", files=intruder).json()
        assert refused["files"][0]["status"] == "failed"
        assert "replace=true" in refused["files"][0]["reason"]
        assert http.get(f"/api/documents/{CORPUS_ID}").json()["text"] == ORIGINAL
        same = [("files", (CORPUS_ID, ORIGINAL.encode(), "text/plain"))]
        assert http.post("/api/documents", files=same).json()["files"][0]["status"] == "unchanged"
        replaced = http.post("/api/documents", params={"replace": "true"}, files=intruder).json()
        assert replaced["files"][0]["status"] == "updated"
        assert http.get(f"/api/documents/{CORPUS_ID}").json()["text"] == INTRUDER


def test_web_uploads_live_under_the_data_dir_and_go_after_ingest(tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    from rag.assistant import Assistant
    from rag.settings import Settings
    from tests.ui.conftest import serve

    settings = Settings(data_dir=tmp_path / "data", embed_mode="hashing")
    assistant = Assistant(settings)
    assert assistant.ingest_bytes(CORPUS_ID, ORIGINAL.encode()).ok
    good, clash = tmp_path / "good.txt", tmp_path / CORPUS_ID
    good.write_text(INTRUDER.replace("forged", "genuine"), encoding="utf-8")
    clash.write_text(INTRUDER, encoding="utf-8")
    with serve(assistant) as app:
        uploads = settings.upload_dir()
        client = Client(app.url, verbose=False, download_files=False)
        try:
            log, *_ = client.predict(
                [handle_file(str(good)), handle_file(str(clash))], False, api_name="/upload"
            )
        finally:
            client.close()
        assert "added      good.txt" in log
        assert f"failed     {CORPUS_ID}" in log and "replace" in log
        assert uploads.is_dir() and list(uploads.rglob("*.txt")) == []  # ingested or failed: gone
        assert assistant.document_text(CORPUS_ID) == ORIGINAL
        # A copy under the uploads folder is never served by path, even if one is left.
        leftover = uploads / "abc" / "left.txt"
        leftover.parent.mkdir(parents=True)
        leftover.write_text("secret", encoding="utf-8")
        resp = httpx.get(f"{app.url}gradio_api/file={leftover}", timeout=30)
        assert resp.status_code == 404 and "secret" not in resp.text

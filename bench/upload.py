"""A file at the upload limit through the API and through the web chat: time and RSS.

Starts `rag serve` on 127.0.0.1 (free port, empty store), then uploads one
text of ``--mb`` MB (a synthetic news archive joined into one article,
``bench/news_corpus.py``) through ``POST /api/documents`` and another,
different one through the web chat's upload (the real ``gradio_client``),
sampling the server's RSS. Then a question whose answer is only in the
second text must cite it. Last, a fresh server is started over the grown
store and warmed up the same way: its RSS is what the bigger store itself
costs, so the difference is what the uploads left behind.
``--embed-mode hashing`` (the default here) keeps the run to minutes on 2
cores: the write path, the chunker and the spaCy annotation are the real
ones; only the embedding model is swapped.

    python bench/upload.py --mb 20
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/upload.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import REPO, go_offline, print_table, stopwatch  # noqa: E402
from bench.memory import (  # noqa: E402
    PeakSampler,
    free_port,
    rag_binary,
    stop_server,
    tree_rss,
    wait_ready,
)
from bench.news_corpus import article  # noqa: E402

NEEDLE = "The lighthouse keeper of Punta Brava, Elena Marsh, counted 417 ships in one night."


def long_text(megabytes: float, seed: int, needle: str = "") -> str:
    """One article of about ``megabytes`` MB: synthetic stories as its paragraphs."""
    parts, size, index = [f"Archive {seed}\n\n2026-03-01 — OSLO —\n"], 0, 0
    limit = max(int(megabytes * 1_000_000) - 4096, 1)
    while size < limit:
        _, text = article(index, seed)
        body = text.split("\n\n", 2)[-1]
        parts.append(body)
        size += len(body.encode("utf-8")) + 2
        index += 1
        if needle and index == 40:
            parts.append(needle + "\n")
    return "\n\n".join(parts)


def settle(pid: int) -> int:
    """RSS after the heap has had a moment to go back to the OS."""
    time.sleep(3.0)
    return tree_rss(pid)


def warmed_rss(url: str, pid: int, warm: Path) -> int:
    """RSS once warmed up: a small upload and a question load the embedder, spaCy
    and the lexical index, which then stay (they are not what a big file leaves)."""
    import httpx

    warm.write_text(long_text(0.01, 20 + len(warm.name)), "utf-8")
    with warm.open("rb") as handle:
        httpx.post(f"{url}/api/documents", files={"files": (warm.name, handle)}, timeout=600)
    httpx.post(f"{url}/api/ask", json={"question": "What rose?"}, timeout=300)
    return settle(pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of each uploaded text")
    parser.add_argument("--embed-mode", default="hashing", help="RAG_EMBED_MODE of the server")
    parser.add_argument("--api-only", action="store_true", help="skip the web chat upload")
    args = parser.parse_args()
    go_offline()
    import httpx
    from gradio_client import Client, handle_file

    work = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    api_file, web_file = work / "archive-api.txt", work / "archive-web.txt"
    api_file.write_text(long_text(args.mb, 21), "utf-8")
    web_file.write_text(long_text(args.mb, 22, NEEDLE), "utf-8")
    port = free_port()
    env = {**os.environ, "RAG_EMBED_MODE": args.embed_mode, "RAG_MAX_UPLOAD_MB": str(args.mb + 1)}
    env["RAG_MAX_FILE_MB"] = str(args.mb + 1)
    command = [rag_binary(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--data-dir", str(work / "data"), "--no-ingest"]
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, str]] = []
    try:
        wait_ready(f"{url}/healthz", proc)
        rows.append(("RSS at start, empty store", f"{settle(proc.pid) / 1e6:.0f} MB"))
        idle = warmed_rss(url, proc.pid, work / "warm-up.txt")
        rows.append(("idle RSS, warmed up (10 kB upload, one question)", f"{idle / 1e6:.0f} MB"))

        def measured(label: str, upload: Callable[[], str]) -> None:
            sampler = PeakSampler(proc.pid)
            with stopwatch() as took:
                outcome = upload()
            peak = sampler.stop()
            after = settle(proc.pid)
            rows.append((f"{label} upload of {args.mb:g} MB: result", outcome))
            rows.append(
                (f"{label} upload: seconds / peak RSS", f"{took[0]:.0f} s / {peak / 1e6:.0f} MB")
            )
            rows.append(
                ("RSS after it (vs idle)", f"{after / 1e6:.0f} MB (+{(after - idle) / 1e6:.0f})")
            )

        def through_api() -> str:
            with api_file.open("rb") as handle:
                response = httpx.post(
                    f"{url}/api/documents",
                    files={"files": (api_file.name, handle, "text/plain")},
                    timeout=7200,
                )
            chunks = response.json().get("chunks_written", "?")
            return f"HTTP {response.status_code}, {chunks} chunks"

        client = Client(url, verbose=False, download_files=False)

        def through_web_chat() -> str:
            log, *_ = client.predict([handle_file(str(web_file))], False, api_name="/upload")
            return str(log).splitlines()[0][:60]

        measured("API", through_api)
        if not args.api_only:
            measured("web chat", through_web_chat)
            answer = httpx.post(
                f"{url}/api/ask",
                json={"question": "How many ships did the lighthouse keeper of Punta Brava count?"},
                timeout=300,
            ).json()
            cited = sorted({c["doc_id"] for c in answer.get("citations", [])})
            rows.append(("ask the web upload's fact: cites", ", ".join(cited) or "nothing"))
            rows.append(("... and says 417", str("417" in answer.get("text", ""))))
        client.close()
        after = settle(proc.pid)
    finally:
        stop_server(proc)
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_ready(f"{url}/healthz", proc)
        fresh = warmed_rss(url, proc.pid, work / "warm-up-2.txt")
    finally:
        stop_server(proc)
    rows.append(("fresh server over the grown store, warmed up", f"{fresh / 1e6:.0f} MB"))
    left = f"{(after - fresh) / 1e6:+.0f} MB"
    rows.append(("left behind by the uploads (last RSS - fresh)", left))
    print_table(
        f"Uploads at the limit (RAG_EMBED_MODE={args.embed_mode})", ["measure", "value"], rows
    )


if __name__ == "__main__":
    main()

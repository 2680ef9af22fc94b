"""Concurrent conversations against a real `rag serve`: no errors, answers never mixed.

Each conversation is a thread with its own HTTP client, talking about one seed
article until the deadline, alternating /api/ask, /v1/chat/completions and its
streaming form. The answers are deterministic, so every reply must equal the
one the same server gave when asked alone (text and citation spans), and every
citation must point at the conversation's article.

``test_load`` (mark ``load``, run with ``-m load``) runs 50 conversations for
RAG_LOAD_SECONDS (default 60) and appends its figures to docs/BENCHMARKS.md;
``test_load_smoke`` runs 5 for 5 seconds in the normal suite.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT
from tests.reliability.conftest import RagServe, rss_kb

API_KEY = "load-test-key-7d1c0e"
KINDS = ("api", "openai", "openai-stream")
# Per article, the turns of a conversation; a follow-up leans on the turn before it.
SCRIPTS: dict[str, list[tuple[str, bool]]] = {
    "000_4119a22ce29e6ee5.txt": [
        ("Who ordered troops to arrest Maduro and his wife?", False),
        ("What did Venezuela's government say it was ready to advance?", False),
    ],
    "001_ba5cac0249294b0b.txt": [
        ("What did Delcy Rodríguez say on state television about these steps?", False),
        ("Who is María Corina Machado?", False),
        ("When will she return?", True),
    ],
    "004_31b8e9b2b1613665.txt": [
        ("How many hours did Maduro give the US diplomats to leave the country?", False),
        ("What may be addressed in the Interests Offices?", False),
    ],
}
ARTICLES = sorted(SCRIPTS)
Reply = tuple[str, tuple[tuple[str, int, int], ...]]  # text, (doc_id, start, end) per citation


@dataclass
class LoadResult:
    """What a load run measured."""

    conversations: int
    seconds: float
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    rss_start_kb: int = 0
    rss_before_kb: int = 0
    rss_after_kb: int = 0

    def percentile(self, p: float) -> float:
        """Latency percentile in seconds (nearest rank)."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def summary(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "duration_s": self.seconds,
            "requests": self.requests,
            "errors": len(self.errors),
            "by_endpoint": dict(self.kinds),
            "p50_s": round(self.percentile(50), 3),
            "p95_s": round(self.percentile(95), 3),
            "max_s": round(max(self.latencies), 3),
            "req_per_s": round(self.requests / self.elapsed, 2),
            "rss_start_mb": round(self.rss_start_kb / 1024, 1),
            "rss_before_mb": round(self.rss_before_kb / 1024, 1),
            "rss_after_mb": round(self.rss_after_kb / 1024, 1),
        }


# --- one request of each kind ---------------------------------------------------------------
def history_for(turn: int, script: list[tuple[str, bool]], last: Reply | None) -> list[Any]:
    """The previous turn as history, for a follow-up."""
    if not script[turn][1] or last is None:
        return []
    return [
        {"role": "user", "content": script[turn - 1][0]},
        {"role": "assistant", "content": last[0]},
    ]


def spans(citations: list[dict[str, Any]]) -> tuple[tuple[str, int, int], ...]:
    return tuple((c["doc_id"], int(c["start"]), int(c["end"])) for c in citations)


def ask(client: httpx.Client, kind: str, question: str, history: list[Any]) -> Reply:
    """One question through one endpoint; raises on any failure."""
    if kind == "api":
        resp = client.post("/api/ask", json={"question": question, "history": history})
        resp.raise_for_status()
        data = resp.json()
        return data["text"], spans(data["citations"])
    messages = [*history, {"role": "user", "content": question}]
    body = {"model": "news-rag", "messages": messages, "stream": kind == "openai-stream"}
    if kind == "openai":
        resp = client.post("/v1/chat/completions", json=body)
        resp.raise_for_status()
        data = resp.json()
        return data["choices"][0]["message"]["content"], spans(data["citations"])
    deltas: list[str] = []
    final: dict[str, Any] | None = None
    with client.stream("POST", "/v1/chat/completions", json=body) as resp:
        resp.raise_for_status()
        for line in resp.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            event = json.loads(line[6:])
            if "error" in event:
                raise RuntimeError(f"in-band error: {event['error']}")
            choice = event["choices"][0] if event.get("choices") else None
            if choice and choice["delta"].get("content"):
                deltas.append(choice["delta"]["content"])
            if choice and choice["finish_reason"] == "stop":
                final = event
    if final is None:
        raise RuntimeError("the stream ended without its final chunk")
    return final.get("answer_text") or "".join(deltas), spans(final["citations"])


def baselines(url: str) -> dict[tuple[str, int], Reply]:
    """Each conversation turn asked alone, once, through /api/ask."""
    found: dict[tuple[str, int], Reply] = {}
    with httpx.Client(base_url=url, timeout=120, headers=auth()) as client:
        for doc_id, script in SCRIPTS.items():
            last: Reply | None = None
            for turn, (question, _) in enumerate(script):
                last = ask(client, "api", question, history_for(turn, script, last))
                assert last[1], f"{question!r} is answered without citations"
                assert {d for d, _, _ in last[1]} == {doc_id}, f"{question!r} cites {last[1]}"
                found[doc_id, turn] = last
    return found


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}"}


# --- the load ---------------------------------------------------------------------------------
def run_load(
    server: RagServe, *, conversations: int, seconds: float, max_requests: int
) -> LoadResult:
    """Drive ``conversations`` threads until the deadline or the request cap."""
    result = LoadResult(conversations, seconds)
    result.rss_start_kb = rss_kb(server.proc.pid)
    expected = baselines(server.url)
    result.rss_before_kb = rss_kb(server.proc.pid)
    lock = threading.Lock()
    start = threading.Barrier(conversations + 1)
    deadline = 0.0

    def record(kind: str, latency: float, error: str | None) -> bool:
        """Count one request; False once the cap is reached."""
        with lock:
            result.requests += 1
            result.kinds[kind] += 1
            result.latencies.append(latency)
            if error is not None:
                result.errors.append(error)
            return result.requests < max_requests

    def conversation(index: int) -> None:
        doc_id = ARTICLES[index % len(ARTICLES)]
        script = SCRIPTS[doc_id]
        last: Reply | None = None
        with httpx.Client(base_url=server.url, timeout=300, headers=auth()) as client:
            start.wait()
            step = 0
            while time.monotonic() < deadline:
                turn = step % len(script)
                kind = KINDS[(index + step) % len(KINDS)]
                question = script[turn][0]
                began = time.perf_counter()
                error = None
                try:
                    reply = ask(client, kind, question, history_for(turn, script, last))
                    if reply != expected[doc_id, turn]:
                        error = f"#{index} {kind} {question!r}: got {reply!r}"
                    last = reply
                except Exception as exc:  # noqa: BLE001 - every failure is a finding
                    error = f"#{index} {kind} {question!r}: {type(exc).__name__}: {exc}"
                if not record(kind, time.perf_counter() - began, error):
                    return
                step += 1

    threads = [
        threading.Thread(target=conversation, args=(i,), daemon=True) for i in range(conversations)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(seconds + 600)
    result.elapsed = time.perf_counter() - began
    result.rss_after_kb = rss_kb(server.proc.pid)
    return result


def check(result: LoadResult, server: RagServe) -> None:
    """Zero errors, every endpoint used, and no secret or article text in the logs."""
    assert result.requests >= result.conversations
    assert not result.errors, f"{len(result.errors)} errors, first: {result.errors[:3]}"
    assert set(result.kinds) == set(KINDS)
    assert server.proc.poll() is None, "the server died under load"
    logs = server.logs()
    assert API_KEY not in logs
    for script in SCRIPTS.values():
        for question, _ in script:
            assert question not in logs
    for text in ("strengthen relations", "Manhattan court", "migratory procedures"):
        assert text not in logs


def start_server(factory: Callable[..., RagServe]) -> RagServe:
    return factory({"RAG_API_KEYS": json.dumps([API_KEY])})


# --- tests -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_load_smoke(rag_serve_factory: Callable[..., RagServe]) -> None:
    server = start_server(rag_serve_factory)
    result = run_load(server, conversations=5, seconds=5, max_requests=2_000)
    print("\nload smoke:", json.dumps(result.summary()))
    check(result, server)


@pytest.mark.load
def test_load(rag_serve_factory: Callable[..., RagServe]) -> None:
    seconds = float(os.environ.get("RAG_LOAD_SECONDS", "60"))
    cap = int(os.environ.get("RAG_LOAD_MAX_REQUESTS", "50000"))
    server = start_server(rag_serve_factory)
    result = run_load(server, conversations=50, seconds=seconds, max_requests=cap)
    summary = result.summary()
    print("\nload:", json.dumps(summary, indent=2))
    check(result, server)
    append_benchmark(summary)


# --- docs/BENCHMARKS.md ------------------------------------------------------------------------
HEADING = "## Load test (issue 8)"


def machine() -> str:
    """CPU model, cores and Python: timings mean little without them."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def benchmark_section(summary: dict[str, Any]) -> str:
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    by_kind = " / ".join(str(summary["by_endpoint"].get(k, 0)) for k in KINDS)
    latency = f"{summary['p50_s']} / {summary['p95_s']} / {summary['max_s']} s"
    rss = f"{summary['rss_start_mb']} / {summary['rss_before_mb']} / {summary['rss_after_mb']} MB"
    rows = [
        ("conversations (threads)", summary["conversations"]),
        ("duration", f"{summary['duration_s']:g} s"),
        ("requests (api / openai / openai-stream)", f"{summary['requests']} ({by_kind})"),
        ("errors / mixed answers", summary["errors"]),
        ("latency p50 / p95 / max", latency),
        ("throughput", f"{summary['req_per_s']} requests/s"),
        ("server RSS at start / before / after load", rss),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return (
        f"\n### {when}, {machine()}\n\n"
        "`pytest tests/reliability/test_load.py -m load -s`: `rag serve` (extractive, real "
        "MiniLM embedder, API key set) as a subprocess; each conversation asks about one seed "
        "article, every reply compared with the answer given alone.\n\n"
        f"| measure | value |\n|---|---|\n{table}\n"
    )


def append_benchmark(summary: dict[str, Any], path: Path = ROOT / "docs" / "BENCHMARKS.md") -> None:
    """Add a dated section under HEADING, leaving the rest of the file as it is."""
    section = benchmark_section(summary)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{HEADING}\n" + section
    else:
        # Insert at the end of our section: before the next '## ' heading, if any.
        head, tail = text.split(HEADING, 1)
        cut = tail.find("\n## ")
        ours, rest = (tail, "") if cut == -1 else (tail[:cut], tail[cut:])
        text = head + HEADING + ours.rstrip("\n") + "\n" + section + rest
    path.write_text(text, encoding="utf-8")

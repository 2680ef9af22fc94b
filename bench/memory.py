"""Peak resident memory of `rag ingest` and of `rag serve` (idle, then after questions).

RSS is the sum over the process and its children, read from /proc every
50 ms (Linux). `rag serve` runs on 127.0.0.1 with the seeds and a free port;
questions go to its ``POST /api/ask``.

    python bench/memory.py --limit 12 --questions 200
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/memory.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import REPO, go_offline, median, percentile, print_table, stopwatch  # noqa: E402
from bench import corpus as bench_corpus  # noqa: E402

_PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (0 once it is gone)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * _PAGE
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, ValueError, IndexError):
            continue
        todo.extend(int(c) for c in children)
    return total


class PeakSampler:
    """Samples a process tree's RSS in a thread; ``peak`` is the largest seen."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.every)

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._stop.set()
        self._thread.join()
        return self.peak


def rag_binary() -> str:
    """The `rag` script of this interpreter's environment."""
    return str(Path(sys.executable).with_name("rag"))


def measure_ingest(corpus_dir: Path, data_dir: Path) -> tuple[float, float, float]:
    """(seconds, sampled peak MB, getrusage max-RSS MB) of `rag ingest`."""
    with stopwatch() as took:
        proc = subprocess.Popen(
            [rag_binary(), "ingest", str(corpus_dir), "--data-dir", str(data_dir)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        sampler = PeakSampler(proc.pid)
        _, err = proc.communicate()
        peak = sampler.stop()
    if proc.returncode != 0:
        sys.exit(f"rag ingest failed: {err[-2000:]}")
    children_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    return took[0], peak / 1e6, children_max / 1e6


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 300) -> float:
    """Seconds until GET ``url`` answers 200; exits if the server dies or never answers."""
    import httpx

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            sys.exit(f"rag serve exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    sys.exit(f"rag serve did not answer {url} within {timeout} s")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it is still there after 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def measure_serve(
    data_dir: Path, questions: list[str], corpus: Path | None = REPO / "seeds"
) -> list[tuple[str, str]]:
    """RSS of `rag serve` (syncing ``corpus`` first, if any): idle, during and after questions."""
    import httpx

    port = free_port()
    command = [rag_binary(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--data-dir", str(data_dir)]
    command += ["--corpus", str(corpus)] if corpus is not None else ["--no-ingest"]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ready = wait_ready(f"http://127.0.0.1:{port}/healthz", proc)
        time.sleep(2.0)  # let start-up garbage settle
        idle = tree_rss(proc.pid)
        sampler = PeakSampler(proc.pid)
        latencies, failures = [], 0
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for q in questions:
                with stopwatch() as took:
                    response = client.post("/api/ask", json={"question": q})
                latencies.append(took[0] * 1000)
                failures += response.status_code != 200
        peak = sampler.stop()
        after = tree_rss(proc.pid)
    finally:
        stop_server(proc)
    return [
        ("start-up until /healthz answers", f"{ready:.1f} s"),
        ("idle RSS (store loaded)", f"{idle / 1e6:.0f} MB"),
        (f"peak RSS during {len(questions)} POST /api/ask", f"{peak / 1e6:.0f} MB"),
        (f"RSS after {len(questions)} questions", f"{after / 1e6:.0f} MB"),
        ("HTTP ask p50 / p95", f"{median(latencies):.0f} / {percentile(latencies, 95):.0f} ms"),
        ("failed requests", str(failures)),
    ]


def seed_questions(count: int) -> list[str]:
    """``count`` questions cycling over sentences of the seed articles."""
    from index.chunking import SentenceChunker

    corpus = bench_corpus.Corpus(REPO / "seeds", sorted((REPO / "seeds").glob("*.txt")))
    pool = bench_corpus.sample_queries(bench_corpus.load(corpus, SentenceChunker()), 10_000)
    return [pool[i % len(pool)] for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=bench_corpus.DEFAULT_LIMIT, help="doc pages")
    parser.add_argument("--questions", type=int, default=200, help="questions sent to rag serve")
    args = parser.parse_args()
    go_offline()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        corpus = bench_corpus.build(Path(tmp) / "corpus", args.limit)
        seconds, peak, maxrss = measure_ingest(corpus.root, Path(tmp) / "ingest-data")
        rows = [
            (f"rag ingest, {len(corpus.files)} files, {seconds:.0f} s: peak RSS", f"{peak:.0f} MB"),
            ("  (getrusage max RSS of the child)", f"{maxrss:.0f} MB"),
        ]
        rows += measure_serve(Path(tmp) / "serve-data", seed_questions(args.questions))
    print_table("Memory (process tree RSS)", ["measure", "value"], rows)


if __name__ == "__main__":
    main()

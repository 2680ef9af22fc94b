"""`rag ingest` of a large synthetic news archive, as a user runs it, vs its compute stages.

The whole archive (``bench/news_corpus.py``, default 10,000 articles) goes
through the real command in a pseudo-terminal, so its progress bar renders as
it does for a user; the last bar frames and the summary line are printed. The
compute stages (the embedder, then the annotation) are timed alone on an
even sample of the same articles' chunks and scaled to all of them: running
them on every chunk would double an hour-long run. Both happen in this run, so
the ratio holds on a noisy machine.

    python bench/archive.py --count 10000 [--sample 4000]
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import REPO, go_offline, print_table  # noqa: E402
from bench.news import _chunk_runs, compute_stages, stage_seconds  # noqa: E402
from bench.news_corpus import write  # noqa: E402

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def compute_seconds_per_chunk(folder: Path, sample: int) -> tuple[int, float, float]:
    """(chunks in the archive, embed s/chunk, annotate s/chunk) on an even sample.

    The sample is whole articles, every k-th one, because annotation parses
    each article's chunk pieces together.
    """
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(data_dir=folder.parent / "probe"))
    runs = [run for group in _chunk_runs(folder, assistant.settings).values() for run in group]
    total = sum(len(chunks) for _, chunks in runs)
    picked = runs[:: max(1, round(total / sample))]
    picked_chunks = sum(len(chunks) for _, chunks in picked)
    timings = []
    for stage in compute_stages(assistant).values():
        stage(picked[:2])  # load the model outside the timing
        timings.append(stage_seconds(stage, picked) / picked_chunks)
    return total, timings[0], timings[1]


def run_cli_ingest(folder: Path, data_dir: Path) -> tuple[float, list[str], str]:
    """Wall seconds, a few progress-bar frames and the summary of `rag ingest`."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "110", "TERM": "xterm"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [Path(sys.executable).with_name("rag"), "ingest", str(folder), "--data-dir", str(data_dir)],
        cwd=REPO,
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    frames: list[str] = []
    last_frame = float("-inf")
    last_bar = ""
    tail = ""
    buffered = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        buffered = (buffered + data)[-8192:]
        text = _ANSI.sub("", buffered.decode("utf-8", "replace")).replace("\r", "\n")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            tail = lines[-1]
            now = time.perf_counter()
            if "%" in tail:
                last_bar = f"{now - started:6.0f} s  {tail}"
            if "%" in tail and now - last_frame > 300:
                frames.append(f"{now - started:6.0f} s  {tail}")
                last_frame = now
    process.wait()
    if last_bar and last_bar not in frames:
        frames.append(last_bar)
    seconds = time.perf_counter() - started
    os.close(leader)
    return seconds, frames, tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="articles in the archive")
    parser.add_argument("--sample", type=int, default=4000, help="chunks timed alone")
    args = parser.parse_args()
    go_offline()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = write(work / "news", args.count)
        chunks, embed_s, annotate_s = compute_seconds_per_chunk(corpus, args.sample)
        seconds, frames, summary = run_cli_ingest(corpus, work / "data")
    compute = chunks * (embed_s + annotate_s)
    print("progress bar, a frame every 5 minutes and the last one:")
    for frame in frames:
        print("   ", frame)
    print("summary:", summary, "\n")
    header = ["articles", "chunks", "ingest s", "compute s (sampled)", "ingest / compute"]
    rows = [(args.count, chunks, seconds, compute, seconds / compute)]
    print_table(f"`rag ingest` of {args.count} news articles", header, rows)
    print(f"annotate / embed: {annotate_s / embed_s:.2f}; chunks/s: {chunks / seconds:.1f}\n")


if __name__ == "__main__":
    main()

"""Run every benchmark with modest defaults and print their tables (``make bench``).

Each benchmark runs in its own process (no model or client shared between
them). Paste the output into docs/BENCHMARKS.md with the machine table.

    python bench/run_all.py [--limit 12] [--rounds 3] [--sizes 1000,10000,100000]
                            [--questions 200] [--only ingest,query] [--out results.md]
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/run_all.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import REPO, go_offline, print_table  # noqa: E402
from bench import corpus as bench_corpus  # noqa: E402

PACKAGES = ("onnxruntime", "chromadb", "llama-index-core", "torch", "sentence-transformers")


def machine_rows() -> list[tuple[str, str]]:
    """Date, cores, CPU model, load and package versions, for the results header."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rows = [
        ("date", datetime.date.today().isoformat()),
        ("cores (nproc)", str(os.cpu_count())),
        ("CPU", cpu),
        ("load average at start (1/5/15 min)", " / ".join(f"{x:.1f}" for x in os.getloadavg())),
        ("python", platform.python_version()),
    ]
    for name in PACKAGES:
        try:
            rows.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            rows.append((name, "not installed (pip install -e '.[bench]')"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=bench_corpus.DEFAULT_LIMIT, help="doc pages")
    parser.add_argument("--rounds", type=int, default=3, help="ingest a,b,c rounds")
    parser.add_argument("--sizes", default="1000,10000,100000", help="query store sizes")
    parser.add_argument("--questions", type=int, default=200, help="questions to rag serve")
    parser.add_argument("--only", default="corpus,ingest,query,memory,news", help="which to run")
    parser.add_argument("--news-count", type=int, default=1000, help="news articles to ingest")
    parser.add_argument("--lexical-chunks", type=int, default=100_000, help="BM25 cold start")
    parser.add_argument("--out", type=Path, help="also write everything printed to this file")
    args = parser.parse_args()
    go_offline()
    bench_corpus.require_docs()
    limit = ["--limit", str(args.limit)]
    scripts = {
        "corpus": limit,
        "ingest": limit + ["--rounds", str(args.rounds)],
        "query": limit + ["--sizes", args.sizes],
        "memory": limit + ["--questions", str(args.questions)],
        "news": ["--count", str(args.news_count), "--lexical-chunks", str(args.lexical_chunks)],
    }
    chosen = [name for name in args.only.split(",") if name]
    unknown = set(chosen) - set(scripts)
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    output = [print_table("Machine", ["", "value"], machine_rows())]
    for name in chosen:
        command = [sys.executable, str(REPO / "bench" / f"{name}.py"), *scripts[name]]
        print(f"$ {' '.join(Path(c).name if c == sys.executable else c for c in command)}\n")
        lines = []
        with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:  # stream: a full run takes many minutes
                print(line, end="", flush=True)
                lines.append(line)
        output.append(f"## {name}\n\n{''.join(lines)}")
        if proc.returncode != 0:
            sys.exit(f"bench/{name}.py failed with exit code {proc.returncode}")
    if args.out:
        args.out.write_text("\n".join(output))


if __name__ == "__main__":
    main()

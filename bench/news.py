"""News-archive benchmark: ingest vs its compute stages, int8 embedder, persisted BM25.

Three tables, each a set of ratios inside one run (``bench/__init__``):

1. ``Assistant.ingest`` of N synthetic articles (``bench/news_corpus.py``)
   against its own compute stages run alone on the same chunks (the raw
   embedder, plus the reader's annotation of each article's disjoint chunk
   pieces, ``index.chunk_annotations``), for short and long articles apart;
2. the int8-compute embedder against the shipped one: chunks/s, alternating
   rounds, and the cosine of their vectors;
3. the lexical index at M chunks: full build (what every cold start paid
   before) vs loading the saved one, and one incremental update.

    python bench/news.py --count 1000 --lexical-chunks 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import go_offline, median, print_table  # noqa: E402
from bench.news_corpus import write  # noqa: E402

Runs = list[tuple[str, list[Any]]]  # (article text, its chunks in order), one per article


def _chunk_runs(folder: Path, settings: object) -> dict[str, Runs]:
    """Each article's chunks, short and long articles apart."""
    from index.loaders import iter_corpus, load_article
    from rag import components

    chunker = components.build_chunker(settings)  # type: ignore[arg-type]
    groups: dict[str, Runs] = {"short": [], "long": []}
    for path, doc_id in iter_corpus([folder]):
        article = load_article(path, doc_id, max_bytes=10**9)
        group = groups["long" if "-long" in doc_id else "short"]
        group.append((article.text, chunker.chunk(article)))
    return groups


def ingest_calls(runs: Runs) -> list[Runs]:
    """The runs cut as ingest cuts them: ``_EMBED_BATCH_CHUNKS`` chunks per call."""
    from index.chunk_annotations import article_runs
    from index.store_writes import slices
    from index.sync import _EMBED_BATCH_CHUNKS

    flat = [(text, chunk) for text, chunks in runs for chunk in chunks]
    return [article_runs(flat[part]) for part in slices(len(flat), _EMBED_BATCH_CHUNKS)]


def compute_stages(assistant: Any) -> dict[str, Callable[[Runs], object]]:
    """The ingest's compute stages, as ingest calls them: embedding, annotation."""
    from index.chunk_annotations import annotate_chunks

    def embed(call: Runs) -> object:
        return assistant.embedder.embed([c.text for _, chunks in call for c in chunks])

    def annotate(call: Runs) -> object:
        return [note.to_json() for note in annotate_chunks(assistant.annotator, call)]

    return {"embed": embed, "annotate": annotate}


def stage_seconds(stage: Callable[[Runs], object], runs: Runs) -> float:
    """Seconds one compute stage takes on ``runs``, in the calls ingest makes."""
    calls = ingest_calls(runs)
    started = time.perf_counter()
    for call in calls:
        stage(call)
    return time.perf_counter() - started


def ingest_table(count: int, work: Path) -> None:
    """Ingest vs the compute stages alone, for short and long articles."""
    from rag.assistant import Assistant
    from rag.settings import Settings

    corpus = write(work / "news", count)
    groups = {"short": work / "short", "long": work / "long"}
    for folder in groups.values():
        folder.mkdir()
    for path in sorted(corpus.iterdir()):
        path.rename(groups["long" if "-long" in path.name else "short"] / path.name)
    rows = []
    for name, folder in groups.items():
        assistant = Assistant(Settings(data_dir=work / f"data-{name}"))
        runs = _chunk_runs(folder, assistant.settings)[name]
        chunks = sum(len(c) for _, c in runs)
        if not chunks:
            continue
        stages = compute_stages(assistant)
        embed_s = stage_seconds(stages["embed"], runs)
        annotate_s = stage_seconds(stages["annotate"], runs)
        report = assistant.ingest([folder])
        assert report.ok, report.failed[:3]
        compute = embed_s + annotate_s
        rows.append(
            (
                name,
                len(list(folder.iterdir())),
                chunks,
                report.seconds / compute,
                annotate_s / embed_s,
                chunks / report.seconds,
            )
        )
    header = ["articles", "files", "chunks", "ingest / compute", "annotate / embed", "chunks/s"]
    print_table(f"Ingest of {count} news articles vs its compute stages", header, rows)
    if len(rows) == 2:
        print(f"long vs short ingest throughput: {rows[1][5] / rows[0][5]:.2f}\n")


def embedder_table(work: Path, rounds: int = 3) -> None:
    """int8-compute vs shipped model: chunks/s per alternating round, cosine."""
    from index.embedders import LocalMiniLMEmbedder
    from rag.settings import Settings

    corpus = write(work / "emb", 60, seed=7)
    runs = _chunk_runs(corpus, Settings(data_dir=work / "x"))["short"]
    texts = [chunk.text for _, chunks in runs for chunk in chunks][:320]
    quantized, shipped = LocalMiniLMEmbedder(), LocalMiniLMEmbedder(quantized=False)
    for embedder in (quantized, shipped):
        embedder.embed(texts[:16])  # load, warm up
    # Wall time moves with other jobs on a shared machine; the CPU seconds this
    # process spends (all its threads) move much less, so both are reported.
    ratios, cpu_ratios, cosines = [], [], None
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        base = shipped.embed(texts)
        shipped_s, shipped_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        fast = quantized.embed(texts)
        ratios.append(shipped_s / (time.perf_counter() - started))
        cpu_ratios.append(shipped_cpu / (time.process_time() - cpu))
        cosines = (fast * base).sum(axis=1)
    assert cosines is not None
    rows = [
        ("chunks/s, int8 compute / shipped (median)", median(ratios)),
        ("per round", " ".join(f"{r:.2f}" for r in ratios)),
        ("chunks per CPU second, int8 / shipped (median)", median(cpu_ratios)),
        ("per round (CPU)", " ".join(f"{r:.2f}" for r in cpu_ratios)),
        ("cosine to shipped vectors: mean", float(cosines.mean())),
        ("cosine to shipped vectors: min", float(cosines.min())),
        ("chunks", len(texts)),
    ]
    print_table("Embedder: int8 compute vs shipped model", ["", "value"], rows)


class _MemoryStore:
    """Enough of a store for the lexical index: synthetic chunks and a change log."""

    name = "bench__lexical"

    def __init__(self, count: int) -> None:
        import random

        from bench.news_corpus import _sentence
        from index.models import StoredChunk
        from index.store_log import Change

        rng = random.Random(5)
        self.chunks = [
            StoredChunk(
                chunk_id=f"d{i // 5}::h::{i % 5}",
                doc_id=f"d{i // 5}",
                chunk_index=i % 5,
                text=" ".join(_sentence(rng) for _ in range(6)),
                start=0,
                end=0,
                title=f"Title {i // 5}",
                date="2026-03-01",
                source=None,
                content_hash="h",
            )
            for i in range(count)
        ]
        self.changes = [Change("c0", "put", (), 1)]
        self.change = Change

    def version(self) -> int:
        return len(self.changes)

    def changes_after(self, position: int | None) -> list[Any]:
        return [c for c in self.changes if position is None or c.at_ns > position]

    def iter_chunks(self, filters: object = None) -> list[Any]:
        if filters is None:
            return self.chunks
        wanted = set(filters.doc_ids or ())  # type: ignore[attr-defined]
        return [c for c in self.chunks if c.doc_id in wanted]


def lexical_table(count: int, work: Path) -> None:
    """Cold start of the BM25 side: rebuild from the store vs load the saved index."""
    from index.lexical_index import LexicalIndex
    from rag.retrieval import ANALYZER

    store = _MemoryStore(count)
    started = time.perf_counter()
    built = LexicalIndex(store, ANALYZER, work / "lexical")  # type: ignore[arg-type]
    built.refresh()
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    loaded = LexicalIndex(store, ANALYZER, work / "lexical")  # type: ignore[arg-type]
    loaded.search("harbour inflation Caracas", 20, None)
    load_s = time.perf_counter() - started
    assert loaded.loaded_from_disk
    store.changes.append(store.change("c1", "put", ("d7",), 2))
    started = time.perf_counter()
    loaded.search("harbour inflation Caracas", 20, None)
    update_s = time.perf_counter() - started
    rows = [
        ("full build (the old cold start), s", build_s),
        ("load saved + first search, s", load_s),
        ("build / load", build_s / load_s),
        ("one changed document: refresh + search, s", update_s),
    ]
    print_table(f"Lexical index at {count} chunks", ["", "value"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="articles to ingest")
    parser.add_argument("--lexical-chunks", type=int, default=100_000)
    parser.add_argument("--only", default="ingest,embedder,lexical")
    parser.add_argument("--rounds", type=int, default=5, help="embedder rounds")
    args = parser.parse_args()
    go_offline()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "embedder" in args.only:
            embedder_table(work, args.rounds)
        if "lexical" in args.only:
            lexical_table(args.lexical_chunks, work)
        if "ingest" in args.only:
            ingest_table(args.count, work)


if __name__ == "__main__":
    main()

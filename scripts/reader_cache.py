"""Development caches for scripts/train_reader.py: retrieved passages with annotations.

    python scripts/reader_cache.py --rgb ../shared/devsets/rgb_dev.jsonl --out rgb_cache.json
    python scripts/reader_cache.py --news evals/news --out news_cache.json
    python scripts/reader_cache.py --news evals/news --split dev2 --out news2_cache.json

Ingests the RGB passages twice (noise: positives and negatives; rejection: negatives
only) into throwaway stores, retrieves the top 10 passages of every question and stores
them with their spaCy annotations, so fitting never re-runs retrieval or parsing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.annotate import SpacyAnnotator  # noqa: E402
from index.models import StoredChunk  # noqa: E402
from rag.models import Passage  # noqa: E402


def build_cache(rgb: Path, out: Path, k: int = 10) -> None:
    """Ingest both RGB settings, retrieve top k, store passages with annotations."""
    from rag import Assistant

    rows = [json.loads(line) for line in rgb.read_text(encoding="utf-8").splitlines() if line]
    annotator = SpacyAnnotator()
    data: dict[str, list[dict[str, Any]]] = {}
    for setting in ("noise", "rejection"):
        tmp = Path(tempfile.mkdtemp(prefix=f"rgb_{setting}_"))
        corpus = tmp / "corpus"
        corpus.mkdir()
        labels: dict[str, str] = {}
        for r in rows:
            kinds = [("pos", p) for p in r["positive"]] if setting == "noise" else []
            for j, (kind, text) in enumerate([*kinds, *(("neg", p) for p in r["negative"])]):
                name = f"q{r['id']}_{kind}{j}.txt"
                (corpus / name).write_text(text + "\n", encoding="utf-8")
                labels[name] = kind
        assistant = Assistant.from_settings(data_dir=tmp / "data", llm_mode="extractive")
        assistant.ingest([corpus])
        questions = []
        for r in rows:
            passages = assistant.search(r["query"], k=k)
            anns = annotator.annotate([p.chunk.text for p in passages])
            questions.append(
                {
                    "id": r["id"],
                    "query": r["query"],
                    "answer": r["answer"],
                    "passages": [
                        {
                            **{f: getattr(p.chunk, f) for f in _CHUNK_FIELDS},
                            "annotation": a.to_json(),
                            "score": p.score,
                            "label": labels.get(p.chunk.doc_id.rsplit("/", 1)[-1], "?"),
                        }
                        for p, a in zip(passages, anns, strict=True)
                    ],
                }
            )
        data[setting] = questions
    out.write_text(json.dumps(data), encoding="utf-8")


_CHUNK_FIELDS = "chunk_id doc_id chunk_index text start end title date source content_hash".split()


def passages_from_rows(rows: list[dict[str, Any]]) -> list[Passage]:
    """Passages whose chunks carry their stored annotation."""
    out = []
    for r in rows:
        fields = {f: r[f] for f in _CHUNK_FIELDS}
        try:
            chunk = StoredChunk(**fields, annotation=r.get("annotation"))  # type: ignore[call-arg]
        except TypeError:  # a StoredChunk without the annotation field yet
            chunk = StoredChunk(**fields)
            object.__setattr__(chunk, "annotation", r.get("annotation"))
        out.append(Passage(chunk=chunk, score=r["score"]))
    return out


def build_news_cache(news: Path, out: Path, split: str = "dev", k: int = 10) -> None:
    """evals/news development questions over evals/news/articles (never the test split)."""
    if "test" in split:
        raise SystemExit(f"{split} is a held-out split: report it with rag eval, never fit on it")
    from rag import Assistant

    annotator = SpacyAnnotator()
    tmp = Path(tempfile.mkdtemp(prefix="news_"))
    assistant = Assistant.from_settings(data_dir=tmp / "data", llm_mode="extractive")
    assistant.ingest([news / "articles"])
    rows = [json.loads(line) for line in (news / f"{split}.jsonl").read_text().splitlines() if line]
    questions = []
    for r in rows:
        passages = assistant.search(r["user_input"], k=k)
        anns = annotator.annotate([p.chunk.text for p in passages])
        questions.append(
            {
                **r,
                "passages": [
                    {
                        **{f: getattr(p.chunk, f) for f in _CHUNK_FIELDS},
                        "annotation": a.to_json(),
                        "score": p.score,
                    }
                    for p, a in zip(passages, anns, strict=True)
                ],
            }
        )
    out.write_text(json.dumps({split: questions}), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rgb", type=Path, help="RGB jsonl (../shared/devsets/rgb_dev.jsonl)")
    parser.add_argument("--news", type=Path, help="the evals/news directory")
    parser.add_argument("--split", default="dev", help="evals/news split: dev or dev2")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.rgb:
        build_cache(args.rgb, args.out)
    elif args.news:
        build_news_cache(args.news, args.out, args.split)
    else:
        parser.error("give --rgb or --news")


if __name__ == "__main__":
    main()

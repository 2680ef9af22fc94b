"""The benchmark corpus: Debian's Python 3.11 docs (HTML) plus the seed articles.

Real prose that installs offline (``apt-get install python3.11-doc``), read
through our own HTML loader. Pages are copied into a scratch directory so the
re-ingest benchmark can rewrite their bytes. ``--limit N`` takes N pages,
round-robin over the sections below (tutorial, faq, howto, ...), so a small
subset still mixes prose with API reference; the three seeds always join.

    python bench/corpus.py --limit 20
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/corpus.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import REPO, go_offline, print_table  # noqa: E402

DOCS_ROOT = Path("/usr/share/doc/python3.11/html")
SEEDS_DIR = REPO / "seeds"
SECTIONS = ("tutorial", "library", "howto", "faq", "reference", "using", "extending", "whatsnew")
# Index and navigation pages: lists of links, not prose.
_SKIP = re.compile(r"^(genindex.*|py-modindex|search|contents|index|glossary)\.html$")
DEFAULT_LIMIT = 12  # pages: 431 chunks, about 0.9 MB; see docs/BENCHMARKS.md for the choice
MAX_BYTES = 20_000_000


@dataclass
class Corpus:
    """A scratch copy of the selected pages and the seeds."""

    root: Path
    files: list[Path]

    @property
    def megabytes(self) -> float:
        """Size of the files on disk (HTML markup included)."""
        return sum(f.stat().st_size for f in self.files) / 1e6


@dataclass
class Loaded:
    """The corpus as loaded and chunked by our own loader and chunker."""

    articles: list  # list[index.models.Article]
    chunks: list  # list[index.models.Chunk], in corpus order
    tokens: int  # cl100k tokens over all chunks (overlap counted)
    text_mb: float  # extracted text, UTF-8


def require_docs() -> None:
    """Exit with the install hint when the Debian docs are missing."""
    if not DOCS_ROOT.is_dir():
        sys.exit(
            f"{DOCS_ROOT} not found: the benchmark corpus is Debian's python3.11-doc "
            "(apt-get install -y python3.11-doc)."
        )


def select_pages(limit: int | None) -> list[Path]:
    """``limit`` doc pages, round-robin over SECTIONS, sorted by name within each."""
    require_docs()
    per_section = [
        sorted(p for p in (DOCS_ROOT / s).rglob("*.html") if not _SKIP.match(p.name))
        for s in SECTIONS
    ]
    picked: list[Path] = []
    for rank in range(max(len(pages) for pages in per_section)):
        for pages in per_section:
            if rank < len(pages):
                picked.append(pages[rank])
    return picked if limit is None else picked[:limit]


def build(dest: Path, limit: int | None = DEFAULT_LIMIT) -> Corpus:
    """Copy ``limit`` pages and the seeds into ``dest`` (wiped first)."""
    if dest.exists():
        shutil.rmtree(dest)
    files: list[Path] = []
    for page in select_pages(limit):
        target = dest / "python-docs" / page.relative_to(DOCS_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
        files.append(target)
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        target = dest / "seeds" / seed.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, target)
        files.append(target)
    return Corpus(dest, sorted(files))


def load(corpus: Corpus, chunker: object) -> Loaded:
    """Load every file with our loader and chunk it (doc ids as ``Syncer`` makes them)."""
    from index.loaders import iter_corpus, load_article
    from index.tokens import count_tokens

    articles, chunks = [], []
    for path, doc_id in iter_corpus([corpus.root]):
        article = load_article(path, doc_id, max_bytes=MAX_BYTES)
        articles.append(article)
        chunks.extend(chunker.chunk(article))  # type: ignore[attr-defined]
    return Loaded(
        articles=articles,
        chunks=chunks,
        tokens=sum(count_tokens(c.text) for c in chunks),
        text_mb=sum(len(a.text.encode("utf-8")) for a in articles) / 1e6,
    )


def sample_queries(loaded: Loaded, n: int = 50, seed: int = 7) -> list[str]:
    """``n`` sentences and headings of 4-25 words from the corpus, as queries."""
    from index.sentences import split_sentences

    pool: list[str] = []
    for article in loaded.articles:
        for start, end in article.body_spans or ((0, len(article.text)),):
            for s, e in split_sentences(article.text, start, end):
                words = article.text[s:e].split()
                if 4 <= len(words) <= 25 and re.search(r"[A-Za-z]{3}", article.text[s:e]):
                    pool.append(" ".join(words))
    pool = sorted(set(pool))
    return random.Random(seed).sample(pool, min(n, len(pool)))


def touch(corpus: Corpus, fraction: float = 0.01, seed: int = 11) -> list[Path]:
    """Append a paragraph to ``fraction`` of the files (at least one): new bytes, new hash."""
    rng = random.Random(seed)
    picked = rng.sample(corpus.files, max(1, round(len(corpus.files) * fraction)))
    for path in picked:
        line = "<p>Edited for the re-ingest benchmark.</p>\n"
        if path.suffix == ".txt":
            line = "\nEdited for the re-ingest benchmark.\n"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
    return picked


def describe(corpus: Corpus, loaded: Loaded) -> list[tuple[str, object]]:
    """Rows for the corpus-size table."""
    pages = sum(1 for f in corpus.files if f.suffix == ".html")
    return [
        (
            "documents",
            f"{len(corpus.files)} ({pages} doc pages + {len(corpus.files) - pages} seeds)",
        ),
        ("files on disk (MB)", f"{corpus.megabytes:.2f}"),
        ("extracted text (MB)", f"{loaded.text_mb:.2f}"),
        ("chunks (160-token, 32 overlap)", len(loaded.chunks)),
        ("chunk tokens (cl100k)", loaded.tokens),
    ]


def main() -> None:
    """Print the corpus-size table for ``--limit`` pages (or ``--all``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="Python-doc pages")
    parser.add_argument("--all", action="store_true", help="every page (about 500, 67 MB)")
    args = parser.parse_args()
    go_offline()
    import tempfile

    from index.chunking import SentenceChunker

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        corpus = build(Path(tmp) / "corpus", None if args.all else args.limit)
        loaded = load(corpus, SentenceChunker())
        print_table("Benchmark corpus", ["", "value"], describe(corpus, loaded))


if __name__ == "__main__":
    main()

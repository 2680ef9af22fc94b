"""Deciding, per document, whether a sync has work to do, and chunking it.

A document is skipped when the ledger already holds its bytes (same sha256)
made by the same chunker and annotator; refused when another document owns
the same bytes or, for HTML pages, the same article text; otherwise it is
loaded and chunked, ready for ``index.sync.Syncer`` to embed and write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.chunking import SentenceChunker
from index.errors import InputError
from index.loaders import file_hash, load_article
from index.models import Article, Chunk, DocumentFailure, IngestReport
from index.ownership import same_text_as_another


@dataclass
class Pending:
    """A document chunked and waiting for its batch to be embedded and written."""

    article: Article
    chunks: list[Chunk]
    status: str  # "added" or "updated"


class Preparer:
    """Classifies and chunks documents for one chunker signature."""

    def __init__(self, chunker: SentenceChunker, signature: str, max_bytes: int) -> None:
        self.chunker = chunker
        self.signature = signature
        self.max_bytes = max_bytes

    def file(
        self,
        file: Path,
        doc_id: str,
        ledger: dict[str, dict[str, object]],
        owner_of_hash: dict[str, str],
        report: IngestReport,
    ) -> Pending | None:
        """A file: hashed first, so an unchanged one is skipped before it is parsed."""
        try:
            digest = file_hash(file, max_bytes=self.max_bytes)
        except InputError as exc:
            report.failed.append(DocumentFailure(doc_id, str(exc)))
            return None
        status = self._classify(doc_id, digest, ledger, owner_of_hash, report)
        if status is None:
            return None
        try:
            article = load_article(file, doc_id, max_bytes=self.max_bytes)
        except InputError as exc:
            report.failed.append(DocumentFailure(doc_id, str(exc)))
            return None
        if same_text_as_another(article, owner_of_hash, report):
            return None
        return self._chunked(article, status, report)

    def article(
        self,
        article: Article,
        ledger: dict[str, dict[str, object]],
        owner_of_hash: dict[str, str],
        report: IngestReport,
    ) -> Pending | None:
        """An already-loaded article (an upload, a re-embedded ledger record)."""
        # An uploaded page's content hash is its text hash (index.loaders.article_from_bytes),
        # so this hash check already finds the same article in another wrapper.
        status = self._classify(article.doc_id, article.content_hash, ledger, owner_of_hash, report)
        return None if status is None else self._chunked(article, status, report)

    def _classify(
        self,
        doc_id: str,
        digest: str,
        ledger: dict[str, dict[str, object]],
        owner_of_hash: dict[str, str],
        report: IngestReport,
    ) -> str | None:
        """'added'/'updated' when work is needed; None when skipped or refused."""
        known = ledger.get(doc_id)
        if known and known.get("content_hash") == digest:
            if known.get("chunker") == self.signature:
                report.skipped.append(doc_id)
                return None
            return "updated"
        owner = owner_of_hash.get(digest)
        if owner is not None and owner != doc_id:
            report.failed.append(
                DocumentFailure(doc_id, f"{doc_id}: same content as {owner}, which is indexed.")
            )
            return None
        owner_of_hash[digest] = doc_id
        return "updated" if known else "added"

    def _chunked(self, article: Article, status: str, report: IngestReport) -> Pending | None:
        chunks = self.chunker.chunk(article)
        if not chunks:
            report.failed.append(
                DocumentFailure(article.doc_id, f"{article.doc_id}: no article text found.")
            )
            return None
        return Pending(article, chunks, status)

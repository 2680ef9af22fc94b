"""The public Python API and composition root: ``from rag import Assistant``."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.annotate import SpacyAnnotator
from index.chunking import SentenceChunker
from index.embedders import Embedder
from index.heap import trim_heap
from index.models import DocumentFailure, DocumentInfo, IngestReport
from index.ownership import id_clash
from index.store_protocol import ChunkStore
from index.sync import Syncer
from rag import components
from rag.errors import InputError, NotFoundError, RagError
from rag.models import Answer, Filters, Passage
from rag.questions import CONTROL_CHARS, clean_question
from rag.retrieval import HybridRetriever
from rag.settings import Settings
from rag.vector_cache import CachedEmbedder

if TYPE_CHECKING:
    from rag.conversations import ConversationStore
    from rag.llm import ChatLLM

log = logging.getLogger(__name__)
History = Sequence[dict[str, str]]


class Assistant:
    """Ingest articles and answer questions about them with verified citations."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        llm: ChatLLM | None = None,
        store: ChunkStore | None = None,
        chunker: SentenceChunker | None = None,
        annotator: SpacyAnnotator | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.embedder = embedder or components.build_embedder(self.settings)
        self.store = store or components.build_store(self.settings, self.embedder)
        self.chunker = chunker or components.build_chunker(self.settings)
        if llm is None and self.settings.llm_mode != "extractive":
            from rag.llm import build_llm

            llm = build_llm(self.settings)
        self.llm = llm
        self.retriever = HybridRetriever(
            self.store,
            self.embedder,
            candidates=self.settings.candidates,
            rrf_k=self.settings.rrf_k,
            dedupe_threshold=self.settings.dedupe_threshold,
            index_dir=self.settings.data_dir / "lexical",  # BM25 files, per replica
        )
        self.annotator = annotator or SpacyAnnotator()  # spaCy loads on first use, not here
        self.pipeline = components.build_pipeline(
            self.settings,
            sentence_embedder=CachedEmbedder(self.embedder),
            retriever=self.retriever,
            idf=self.retriever.idf,
            annotator=self.annotator,
            llm=self.llm,
        )
        self._write_lock = threading.Lock()  # one sync at a time per process

    @functools.cached_property
    def conversations(self) -> ConversationStore:
        """Saved conversations (SQLite in the data dir), opened on first use."""
        from rag.conversations import ConversationStore

        # A racing first use may build two stores; SQLite keeps both consistent.
        days = self.settings.conversation_retention_days
        return ConversationStore(self.settings.conversation_path(), retention_days=days)

    @classmethod
    def from_settings(cls, **overrides: Any) -> Assistant:
        """Build from env/config-file settings, with keyword overrides on top."""
        from rag.settings import load_settings

        return cls(load_settings(**overrides))

    # --- ingestion -------------------------------------------------------------------
    def _syncer(self) -> Syncer:
        max_bytes = int(self.settings.max_file_mb * 1_000_000)
        return Syncer(
            self.store, self.embedder, self.chunker, max_bytes=max_bytes, annotator=self.annotator
        )

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        prune: bool = False,
        progress: Callable[[float, int, str], None] | None = None,
    ) -> IngestReport:
        """Sync files/directories into the store; unchanged documents are skipped.

        ``progress(done, total, doc_id)``: files done of total, fractional while
        a batch (or one long article) is being embedded.
        """
        with self._write_lock:
            report = self._syncer().sync([Path(p) for p in paths], prune=prune, progress=progress)
        self._index_written(report)
        return report

    def ingest_bytes(
        self,
        filename: str,
        data: bytes,
        *,
        replace: bool = False,
        progress: Callable[[float, int, str], None] | None = None,
    ) -> IngestReport:
        """Ingest an uploaded file; its doc id is its sanitised file name.

        A different document already indexed under that id is replaced only
        with ``replace=True``; otherwise this file fails, saying how to replace it.
        ``progress(fraction, 1, doc_id)`` follows its embedding.
        """
        from index.loaders import article_from_bytes
        from index.uploads import safe_doc_id

        max_bytes = int(min(self.settings.max_upload_mb, self.settings.max_file_mb) * 1_000_000)
        report = IngestReport()
        # A name that cannot be a doc id fails this file only, like bad content,
        # so the other files of an upload batch are still ingested.
        doc_id = CONTROL_CHARS.sub("", str(filename))[:120] or "upload"
        try:
            doc_id = safe_doc_id(filename)
            article = article_from_bytes(
                data, doc_id, Path(doc_id).suffix.lower(), max_bytes=max_bytes
            )
        except InputError as exc:
            report.failed.append(DocumentFailure(doc_id, str(exc)))
            return report
        with self._write_lock:
            if not replace:
                clash = id_clash(article, self.store.ledger().get(article.doc_id))
                if clash is not None:
                    report.failed.append(clash)
                    return report
            report = self._syncer().ingest_articles([article], 1, progress)
        self._index_written(report)
        return report

    def reindex_previous(
        self, progress: Callable[[float, int, str], None] | None = None
    ) -> tuple[str, IngestReport] | None:
        """Re-embed the documents of an earlier local embedder's store into this one.

        Only when this store is empty and one made by another MiniLM build is not
        (``index.reembed``): (that embedder's name, the report).
        """
        from index.reembed import previous_store, stored_articles
        from index.store import ChromaStore

        if not isinstance(self.store, ChromaStore):
            return None
        previous = previous_store(self.store)  # None too when this store has documents
        if previous is None:
            return None
        with self._write_lock:
            articles = stored_articles(self.store, previous.embedder_name)
            report = self._syncer().ingest_articles(articles, previous.documents, progress)
        self._index_written(report)
        return previous.embedder_name, report

    def _index_written(self, report: IngestReport) -> None:
        """Save the lexical index after a write (seconds at 100k chunks), so new processes
        load it: a one-shot ``rag ask`` would rebuild it unsaved."""
        if not (report.chunks_written or report.removed):
            return
        try:
            self.retriever.wait_for_index()
        except RagError as exc:  # committed anyway: the next question retries the index
            log.warning("The lexical index was not brought up to date after a write: %s", exc)
        trim_heap()  # the rebuild's chunk reads: +200 MB after a 1.5 MB text, +40 trimmed

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents with title, date and chunk count."""
        return self.store.documents()

    def document_text(self, doc_id: str) -> str:
        """The full text of an indexed document (offsets in citations refer to it)."""
        text = self.store.document_text(doc_id)
        if text is None:
            raise NotFoundError(f"No document with id {doc_id!r} is indexed.")
        return text

    def delete_document(self, doc_id: str) -> None:
        """Remove a document and its chunks."""
        with self._write_lock:
            if not self.store.delete_document(doc_id):
                raise NotFoundError(f"No document with id {doc_id!r} is indexed.")

    # --- answering ------------------------------------------------------------------------
    def search(
        self, query: str, k: int | None = None, filters: Filters | None = None
    ) -> list[Passage]:
        """Hybrid search: the passages an answer would be built from."""
        return self.retriever.retrieve(clean_question(query), k or self.settings.top_k, filters)

    def ask(
        self,
        question: str,
        history: History | None = None,
        filters: Filters | dict[str, Any] | None = None,
        *,
        k: int | None = None,
        answerer: str | None = None,
    ) -> Answer:
        """Answer a question; every sentence cites the passage that supports it."""
        answer: Answer | None = None
        for item in self.stream(question, history, filters, k=k, answerer=answerer):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        history: History | None = None,
        filters: Filters | dict[str, Any] | None = None,
        *,
        k: int | None = None,
        answerer: str | None = None,
    ) -> Iterator[str | Answer]:
        """Yield text deltas as they are produced, then the final ``Answer``."""
        text = clean_question(question)
        if history or self.pipeline.choose(answerer).name == "reader":
            self.annotator.preload()  # they need spaCy: load it while retrieval runs
        if isinstance(filters, dict):
            filters = Filters.from_dict(filters)
        yield from self.pipeline.run(
            text, list(history or []), filters, k or self.settings.top_k, answerer
        )

    def answerers(self) -> list[str]:
        """Answerer names usable in ``ask(..., answerer=...)``."""
        # The default answerer comes last (status lines and the web chat read it there).
        return self.pipeline.names()

    # --- status --------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Counts, embedder, store location and last sync time."""
        last = self.store.last_sync()
        return {
            "documents": len(self.store.ledger()),
            "chunks": self.store.chunk_count(),
            "embedder": self.embedder.name,
            "dimension": self.embedder.dimension,
            "collection": self.store.name,
            "store": self.store.describe(),
            "answerer": self.answerers()[-1],
            "last_sync": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last)) if last else None,
        }

    def health(self) -> dict[str, Any]:
        """Whether the store (and the model, when configured) can be reached."""
        result: dict[str, Any] = {"store": "ok", "model": "not configured"}
        try:
            self.store.heartbeat()
        except RagError as exc:
            result["store"] = str(exc)
        if self.llm is not None:
            result["model"] = f"{self.llm.name}: ok"
            ping = getattr(self.llm, "ping", None)  # OpenAI-compatible endpoints only
            if ping is not None:
                try:
                    ping()
                except RagError as exc:
                    # The offline answerer still works: degraded, not down.
                    result["model"] = f"{self.llm.name}: {exc}"
        result["ok"] = result["store"] == "ok"
        return result

    def as_query_engine(self) -> Any:
        """A llama-index query engine backed by this assistant."""
        from rag.llama_adapters import AssistantQueryEngine

        return AssistantQueryEngine(assistant=self)

    def as_chat_engine(self) -> Any:
        """A llama-index chat engine (with memory) backed by this assistant."""
        from rag.llama_adapters import AssistantChatEngine

        return AssistantChatEngine(self)

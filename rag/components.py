"""One small factory per concern: settings in, ready parts out.

Vendor libraries are imported lazily inside the parts, so a missing optional
package fails with an install hint only when that backend is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from index.annotate import SpacyAnnotator
from index.chroma_client import ChromaConnection, ChromaLocation
from index.chunking import SentenceChunker
from index.embedders import Embedder, HashingEmbedder, LocalMiniLMEmbedder, OpenAIEmbedder
from index.store import ChromaStore
from rag.answering import AnswerPipeline, Retriever
from rag.condense import FollowUpResolver
from rag.extractive import ExtractiveSynthesizer
from rag.reader import ReadingSynthesizer
from rag.settings import Settings
from rag.synthesis import Condenser
from rag.vector_cache import CachedEmbedder

if TYPE_CHECKING:
    from rag.llm import ChatLLM


def build_embedder(settings: Settings) -> Embedder:
    """The embedder named by ``settings.embed_mode``."""
    if settings.embed_mode == "openai":
        return OpenAIEmbedder(
            model=settings.embed_model,
            base_url=settings.openai_base_url,
            api_key=settings.api_key_value(),
            batch_size=settings.embed_batch_size or 64,
            batch_tokens=settings.embed_batch_tokens,
            timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries,
        )
    if settings.embed_mode == "hashing":
        return HashingEmbedder()
    return LocalMiniLMEmbedder(
        batch_size=settings.embed_batch_size,
        threads=settings.embed_threads,
        quantized=settings.embed_quantized,
    )


def store_location(settings: Settings) -> ChromaLocation:
    """Where the Chroma store lives according to ``settings.store_mode``."""
    if settings.store_mode == "server":
        return ChromaLocation(
            path=None,
            host=settings.chroma_host,
            port=settings.chroma_port,
            ssl=settings.chroma_ssl,
            headers=dict(settings.chroma_headers),
        )
    return ChromaLocation(path=settings.data_dir / "chroma")


def build_store(
    settings: Settings, embedder: Embedder, connection: ChromaConnection | None = None
) -> ChromaStore:
    """The Chroma store for this embedder (collection name includes it)."""
    return ChromaStore(
        connection or ChromaConnection(store_location(settings)),
        prefix=settings.collection_prefix,
        embedder_name=embedder.name,
        dimension=embedder.dimension,
    )


def build_chunker(settings: Settings) -> SentenceChunker:
    """The token-aware sentence chunker."""
    return SentenceChunker(
        chunk_tokens=settings.chunk_tokens, overlap_tokens=settings.chunk_overlap_tokens
    )


def build_pipeline(
    settings: Settings,
    *,
    sentence_embedder: CachedEmbedder,
    retriever: Retriever,
    idf: Callable[[str], float],
    annotator: SpacyAnnotator,
    llm: ChatLLM | None,
) -> AnswerPipeline:
    """The answering chain: offline answerer always, the LLM's when one is configured."""
    quoter = ExtractiveSynthesizer(
        sentence_embedder,
        idf=idf,
        max_sentences=settings.max_answer_sentences,
        refusal_threshold=settings.refusal_threshold,
        min_coverage=settings.min_coverage,
    )
    # The reader (issue 12) opens with the short answer and refuses near misses; the
    # sentence quoter answers more questions but never says the articles are silent
    # (docs/EVALS.md). The one not chosen stays available by name.
    reader = ReadingSynthesizer(annotator, threshold=settings.answer_threshold)
    offline, other = (reader, quoter) if settings.offline_answerer == "reader" else (quoter, reader)
    # One spaCy pipeline per assistant: the reader, ingest and follow-ups share it.
    offline_condenser: Condenser = FollowUpResolver(lambda: annotator.nlp)
    if llm is None:
        return AnswerPipeline(
            retriever=retriever,
            offline=offline,
            offline_condenser=offline_condenser,
            others=[other],
        )
    from rag.citations import CitationBuilder
    from rag.generative import LLMCondenser, LLMSynthesizer

    citations = CitationBuilder(sentence_embedder, support_threshold=settings.support_threshold)
    return AnswerPipeline(
        retriever=retriever,
        offline=offline,
        offline_condenser=offline_condenser,
        others=[other],
        generative=LLMSynthesizer(llm, citations),
        generative_condenser=LLMCondenser(llm, offline_condenser),
        aliases={"llm": llm.name, settings.llm_mode: llm.name},
        fallback_offline=settings.fallback_extractive,
    )

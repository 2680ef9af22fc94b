"""The offline reader: answers with a typed, constraint-checked short answer span, or refuses.

Wire it with ``ReadingSynthesizer(SpacyAnnotator())`` and call ``answer(question, passages)``.
"""

from rag.reader.synthesizer import REFUSAL, ReadingSynthesizer

__all__ = ["REFUSAL", "ReadingSynthesizer"]

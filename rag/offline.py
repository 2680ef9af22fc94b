"""The process environment that keeps libraries offline and silent, set once by the entry points.

Hugging Face, Gradio and Chroma read these variables when they are first
imported, so ``rag.cli.main()`` and ``server.app.create_app()`` call
:func:`configure_offline_environment` before importing them. Importing any
module of this project changes nothing in ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

OFFLINE_ENVIRONMENT: Mapping[str, str] = {
    "HF_HUB_OFFLINE": "1",  # tokenizer files ship in packages; never ask the Hub
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",  # Chroma's posthog client
    "CHROMA_TELEMETRY": "False",
}


def configure_offline_environment() -> None:
    """Turn off hub downloads and telemetry, keeping any value the user set."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)

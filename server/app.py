"""The composition of ``rag serve``: one ASGI app, the HTTP API under /api and /v1, the chat at /.

``server`` sits above ``ui``: it mounts the Gradio app that ``ui`` builds,
while ``ui`` knows nothing of FastAPI or of this package.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from rag import check_not_shadowed, configure_offline_environment

if TYPE_CHECKING:
    from fastapi import FastAPI

    from rag import Assistant

log = logging.getLogger(__name__)


def create_app(assistant: Assistant, *, with_ui: bool = True) -> FastAPI:
    """The FastAPI app serving the API routes and (optionally) the Gradio chat."""
    configure_offline_environment()  # before Gradio is imported: it reads them at import
    from fastapi import FastAPI

    from server.json_api import install_api

    app = FastAPI(
        title="News RAG",
        description="Questions about news articles, answered with verified citations.",
        version="0.1.0",
    )
    install_api(app, assistant)
    if with_ui:
        check_not_shadowed("ui")
        import gradio as gr

        from ui.chat_app import build_chat_app, mount_kwargs

        blocks = build_chat_app(assistant)
        auth = None
        if assistant.settings.ui_auth and ":" in assistant.settings.ui_auth:
            user, password = assistant.settings.ui_auth.split(":", 1)
            auth = (user, password)
        # Theme, CSS, head script and upload limit are mount-time options in Gradio 6.
        app = gr.mount_gradio_app(app, blocks, path="/", auth=auth, **mount_kwargs(assistant))
    return app

"""The composition of ``rag serve``: one ASGI app, the HTTP API under /api and /v1, the chat at /.

``server`` sits above ``ui``: it mounts the Gradio app that ``ui`` builds,
while ``ui`` knows nothing of FastAPI or of this package.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from rag import check_not_shadowed, configure_offline_environment
from server.access import AccessRule, access_required, describe_access, web_login
from server.api_problems import ApiProblems, api_routes
from server.upload_copies import mounted_gradio, upload_dir

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
    chat = None
    if with_ui:
        check_not_shadowed("ui")
        import gradio as gr

        from ui.chat_app import build_chat_app, mount_kwargs

        blocks = build_chat_app(assistant)
        settings = assistant.settings
        # One login for the web chat: any API key as password, or RAG_UI_AUTH.
        auth = web_login(settings) if access_required(settings) else None
        # Theme, CSS, head script and upload limit are mount-time options in Gradio 6.
        # Uploads now live under the data dir (below); Gradio's own cache keeps only what the
        # chat hands out (the export files), which must stay downloadable.
        app = gr.mount_gradio_app(
            app,
            blocks,
            path="/",
            auth=auth,
            allowed_paths=[str(blocks.GRADIO_CACHE)],
            **mount_kwargs(assistant),
        )
        chat = mounted_gradio(app)
        chat.uploaded_file_dir = str(upload_dir(settings))  # read per upload by Gradio
    # Starlette runs the last added outermost: the access rule first, so that an
    # anonymous caller learns nothing (not even which routes exist) without a key.
    app.add_middleware(ApiProblems, routes=partial(api_routes, app))  # type: ignore[arg-type]
    app.add_middleware(
        AccessRule,  # type: ignore[arg-type]
        settings=assistant.settings,
        chat=chat,
        hidden_dirs=(upload_dir(assistant.settings),) if with_ui else (),
    )
    log.info(describe_access(assistant.settings))
    return app

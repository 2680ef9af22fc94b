"""The HTTP API of newsrag: JSON routes under /api, OpenAI-compatible ones under /v1.

``server.app.create_app`` builds the FastAPI app (mounting the Gradio chat of
``ui`` at /), ``server.commands`` adds ``rag serve``. Like ``ui`` and ``evals``
it is a client of ``rag``'s public surface only.
"""

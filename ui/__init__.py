"""The Gradio web chat of newsrag, a client of ``rag``'s public surface (no FastAPI here).

``ui.chat_app.build_chat_app`` builds the app; ``server.app`` mounts it at /.
"""

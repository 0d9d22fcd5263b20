"""HTTP API and web map over a store: ``rasd serve --db FILE``.

``create_app(db_path)`` gives the FastAPI app (read-only; OpenAPI at /docs; the map page
from ``rasd/web`` at /); ``serve(db, host, port)`` runs it with uvicorn.
"""
from .app import create_app, serve

__all__ = ["create_app", "serve"]

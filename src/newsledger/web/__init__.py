"""The web page and REST API over the ledger: ``create_app(ledger_url, ingest_token=None)``.

Pages are server-rendered (Jinja2, autoescaped); each has a JSON twin under ``/api`` built from the
same context (see :mod:`newsledger.web.context`).  ``newsledger serve`` runs it with uvicorn.
"""
from __future__ import annotations

from .app import DEFAULT_MAX_UPLOAD, create_app

__all__ = ["create_app", "DEFAULT_MAX_UPLOAD"]

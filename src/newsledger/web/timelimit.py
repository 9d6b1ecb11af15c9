"""A time limit on the read queries of one request (SQLite), as Datasette has.

One slow query (a sort over every figure, a rare filter on a 100,000-article ledger) must not hold
a worker while twenty readers queue behind it.  SQLite's progress handler is called every
:data:`CHECK_EVERY` virtual-machine steps; it aborts the statement once the request's deadline has
passed.  The deadline lives in a ContextVar set by the ASGI middleware, so it follows the request
into the worker thread that runs the query; CSV streams and ingest set none (they are meant to be
long).  PostgreSQL is not limited here (use ``statement_timeout`` on the server).
"""
from __future__ import annotations

import contextvars
import time
from typing import Any

from ..errors import NewsledgerError

CHECK_EVERY = 20_000  # SQLite VM steps between deadline checks: well under 1 ms, under 1% overhead
deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("newsledger_deadline", default=None)


class QueryTimeout(NewsledgerError):
    code = "E503"
    status = 503


def _check() -> int:
    d = deadline.get()
    return 1 if d is not None and time.monotonic() > d else 0


def install(ledger: Any) -> bool:
    """Hook the progress handler into every SQLite connection the ledger's engine hands out.

    WORKAROUND-ish: reaches ``ledger.engine`` (a documented attribute would be better; see report).
    Returns False when there is no SQLite engine to hook.
    """
    try:
        engine = getattr(ledger, "engine", None)
    except Exception:  # noqa: BLE001 - a ledger-like object without an engine: nothing to limit
        return False
    if engine is None or getattr(engine.dialect, "name", "") != "sqlite":
        return False
    from sqlalchemy import event

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        dbapi_conn.set_progress_handler(_check, CHECK_EVERY)

    return True


def is_timeout(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is SQLite's 'interrupted' from our handler."""
    seen = 0
    e: BaseException | None = exc
    while e is not None and seen < 5:
        if type(e).__name__ == "OperationalError" and "interrupted" in str(e):
            return True  # only our progress handler interrupts queries
        e = e.__cause__ or e.__context__
        seen += 1
    return False

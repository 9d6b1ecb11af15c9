"""The FastAPI application: pages, their JSON twins, one error handler, static files.

:func:`create_app` opens the ledger once; routes run as plain (threaded) functions so a slow query
never blocks the event loop.  Templates autoescape everything: article text is untrusted.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from . import errors, timelimit
from .highlight import fmt_compact, fmt_number

HERE = Path(__file__).parent
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024


def _templates() -> Jinja2Templates:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),  # escape ALL output
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = fmt_number
    env.filters["numc"] = fmt_compact
    env.filters["urlpart"] = lambda s: quote(str(s), safe="")
    env.filters["safe_url"] = safe_url
    return Jinja2Templates(env=env)


def safe_url(url: Any) -> str | None:
    """An article's URL if it is http(s); None otherwise (escaping alone does not stop
    ``javascript:`` links, and article metadata is as untrusted as its text)."""
    if not isinstance(url, str):
        return None
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url else ""
    return url.strip() if scheme in ("http", "https") else None


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class ServerTiming:
    """Adds ``Server-Timing: app;dur=<ms>`` (time to the response headers; for CSV streams, time
    to the first rows), so a load test can tell server time from queueing on the client side.

    Also the security headers: a Content-Security-Policy that allows only our own script and
    stylesheet (defence in depth behind autoescaping: an injected inline script would not run),
    except on /docs and /redoc, whose pages FastAPI builds from a CDN."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        path = scope["path"]
        docs = path in ("/docs", "/redoc", "/docs/oauth2-redirect")
        limit = scope["app"].state.time_limit_ms if "app" in scope else None
        token = None
        if limit and not path.endswith(".csv") and path != "/api/ingest":
            token = timelimit.deadline.set(time.monotonic() + limit / 1000)

        async def timed_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                dur = (time.perf_counter() - t0) * 1000
                extra = [(b"server-timing", f"app;dur={dur:.2f}".encode()), (b"x-content-type-options", b"nosniff"),
                         (b"referrer-policy", b"no-referrer")]
                if not docs:
                    extra.append((b"content-security-policy", CSP.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await timed_send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            # a query stopped by the time limit is an answer (503), not a crash: give it to the
            # one error handler here, before Starlette's server-error layer logs a traceback
            if started or not timelimit.is_timeout(exc):
                raise
            from starlette.requests import Request

            response = await errors.handle_error(Request(scope, receive), exc)
            await response(scope, receive, timed_send)
        finally:
            if token is not None:
                timelimit.deadline.reset(token)


def _open_ledger(ledger: Any) -> Any:
    if isinstance(ledger, str) or ledger is None:
        from ..store import Ledger

        return Ledger(ledger)
    return ledger  # an open Ledger (tests, embedding)


def create_app(
    ledger_url: Any = None,
    *,
    ingest_token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    stats_ttl: float = 5.0,
    time_limit_ms: float | None = 1000,
) -> FastAPI:
    """The web app over the ledger at ``ledger_url`` (a URL, a path, or an open ``Ledger``).

    ``ingest_token``: enables ``POST /api/ingest`` for requests bearing it; without one the
    server is read-only.  ``max_upload_bytes``: larger ingest bodies get 413.  ``stats_ttl``: seconds
    the home page's totals may be reused (0 = count on every request).  ``time_limit_ms``: a read
    query running longer is stopped and the request answers 503 (SQLite; None = no limit).
    """
    owns_ledger = isinstance(ledger_url, (str, type(None)))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_ledger:  # a ledger passed in belongs to the caller
            app.state.ledger.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsledger",
        version=__version__,
        summary="Browse, search and read a ledger of figures, times, entities and claims in Chinese news.",
        description="Every HTML page has a JSON twin under /api built from the same context. "
        "Errors always have the shape {\"error\": {\"code\", \"message\", \"detail\"}}.",
    )
    app.state.ledger = _open_ledger(ledger_url)
    app.state.ingest_token = ingest_token or None
    app.state.max_upload_bytes = int(max_upload_bytes)
    app.state.templates = _templates()
    from .context import StatsCache

    app.state.stats = StatsCache(stats_ttl)
    app.state.time_limit_ms = time_limit_ms if time_limit_ms and timelimit.install(app.state.ledger) else None
    errors.install(app)

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(ServerTiming)

    return app

"""``newsledger serve``: the ledger in the browser (pages) and as JSON (/api), with uvicorn."""
from __future__ import annotations

import threading
import webbrowser
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: Annotated[str, typer.Option("--db", help="Ledger URL or SQLite path")] = "sqlite:///newsledger.db",
        host: Annotated[str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless you mean to share it")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port")] = 8000,
        ingest_token: Annotated[str | None, typer.Option(
            "--ingest-token", envvar="NEWSLEDGER_INGEST_TOKEN",
            help="Enable POST /api/ingest for requests with 'Authorization: Bearer TOKEN' (off by default)")] = None,
        max_upload_mb: Annotated[float, typer.Option(min=0.001, help="Largest ingest body, in MB (413 above)")] = 20.0,
        time_limit_ms: Annotated[float, typer.Option(
            "--time-limit-ms", min=0, help="Stop a read query after this long and answer 503 (SQLite; 0 = no limit)")] = 1000,
        open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open the home page in a browser")] = False,
    ) -> None:
        """Serve the ledger at http://HOST:PORT: pages, their JSON twins under /api, docs at /docs."""
        import uvicorn

        from ..store import require_existing
        from ..web import create_app

        if not ingest_token:  # read-only: a missing ledger is a mistyped path
            require_existing(db)
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo(f"warning: binding {host}: the ledger is readable by anyone who can reach this address", err=True)
        application = create_app(db, ingest_token=ingest_token, max_upload_bytes=int(max_upload_mb * 1024 * 1024),
                                 time_limit_ms=time_limit_ms or None)
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        typer.echo(f"newsledger: serving {db} at {url} (API docs at {url}docs; Ctrl-C to stop)")
        if open_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.run(application, host=host, port=port, log_level="warning")

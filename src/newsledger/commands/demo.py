"""``newsledger demo``: the README's main job.

Ingests the bundled example digests into a SQLite ledger, prints what was found (a summary, the
figures of each article, a cross-script search) and opens the ledger in the browser at
http://127.0.0.1:8000 (``--no-serve`` stops after the search).
"""
from __future__ import annotations

from pathlib import Path

import typer


def _examples_dir() -> Path:
    here = Path(__file__).resolve()
    for cand in (Path.cwd() / "examples", here.parents[3] / "examples"):
        if cand.is_dir() and any(cand.glob("*.txt")):
            return cand
    raise typer.BadParameter("no examples/ folder with digests found: run this from the newsledger checkout")


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        db: str = typer.Option("newsledger.db", help="ledger URL or SQLite path"),
        serve: bool = typer.Option(True, "--serve/--no-serve", help="open the ledger at http://HOST:PORT after ingesting"),
        host: str = typer.Option("127.0.0.1", help="interface to serve on; keep 127.0.0.1 unless you mean to share it"),
        port: int = typer.Option(8000, min=0, max=65535, help="TCP port to serve on"),
        query: str = typer.Option("数据", help="a search to run after ingesting (either script finds both)"),
    ) -> None:
        """Ingest the bundled example digests, show their figures, search, and open the ledger."""
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from ..ingest import ingest
        from ..store import Ledger

        console = Console()
        examples = _examples_dir()
        console.rule(f"[bold]newsledger demo: ingesting {examples}")
        with Ledger(db) as ledger:
            summary = ingest([str(examples)], ledger, progress=True)
            console.print(f"ledger: [bold]{db}[/]  ({summary.new} new, {summary.duplicate} already there)")
            for art in ledger.latest(limit=1000):
                stored = ledger.get(art.id)
                figs = stored.extraction.figures
                table = Table(title=Text(f"{art.title}  ({art.source or 'no source'})"), title_justify="left",
                              show_edge=False, header_style="bold cyan")
                for col in ("figure", "kind", "value", "high", "unit", "approx"):
                    table.add_column(col)
                for f in figs:
                    table.add_row(Text(f.text), f.kind, f"{f.value:,.6g}", "" if f.high is None else f"{f.high:,.6g}",
                                  f.unit or "", f.approx)
                console.print(table)
            result = ledger.search(query, limit=5)
            console.rule(f"[bold]search {query!r}: {result.total} articles")
            for hit in result.hits:
                line = Text("  ")
                for piece, is_match in hit.snippet:  # article text is data, never rich markup
                    if is_match and not console.is_terminal:  # no colours in a pipe or file: mark with «», as search does
                        piece = f"«{piece}»"
                    line.append(piece.replace("\n", " "), style="reverse" if is_match else None)
                console.print(Text(hit.article.title, style="bold"))
                console.print(line)
        if serve:
            import uvicorn

            from ..web import create_app

            console.rule(f"[bold]ledger open at http://{host}:{port}  (Ctrl-C to stop)")
            uvicorn.run(create_app(db), host=host, port=port, log_level="warning")

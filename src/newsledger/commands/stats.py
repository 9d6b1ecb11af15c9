"""``newsledger stats``: what the ledger holds (counts, tags, sources)."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from .search import DbOpt


def register(app: typer.Typer) -> None:
    @app.command()
    def stats(
        db: DbOpt = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
        top: Annotated[int, typer.Option("--top", min=1, help="How many tags and sources to list.")] = 15,
    ) -> None:
        """Count articles, figures, times, entities, claims, findings and near-duplicate links, by tag and source.

        Exact re-ingests of an article already stored are not recorded in the ledger (ingest reports
        them as "duplicate"); near-duplicates are, as links to the article they repeat.
        """
        from rich.console import Console
        from rich.table import Table

        from ..store import Ledger, require_existing

        require_existing(db)
        with Ledger(db) as ledger:
            s = ledger.stats()
            url = ledger.url
        if as_json:
            typer.echo(json.dumps(s, ensure_ascii=False, indent=2))
            return
        console = Console()
        console.print(f"ledger {url} ({s['engine']}, schema version {s['schema_version']})", markup=False)
        t = Table()
        t.add_column("rows")
        t.add_column("count", justify="right")
        for k in ("articles", "figures", "times", "entities", "claims", "findings"):
            t.add_row(k, f"{s[k]:,}")
        # the ledger links near-duplicates only; an exact re-ingest is not stored, so not counted
        t.add_row("near-duplicates linked", f"{s['duplicates']:,}")
        console.print(t)
        console.print("exact re-ingests are not stored (ingest counts them as 'duplicate')", style="dim",
                      markup=False, soft_wrap=True)
        for key in ("tags", "sources"):
            if s[key]:
                tt = Table(title=f"{key} ({len(s[key])})")
                tt.add_column(key[:-1])
                tt.add_column("articles", justify="right")
                for name, n in list(s[key].items())[:top]:
                    tt.add_row(name, f"{n:,}")
                console.print(tt)
                if len(s[key]) > top:
                    console.print(f"… and {len(s[key]) - top} more {key} (--top N to list more)", style="dim",
                                  markup=False, soft_wrap=True)

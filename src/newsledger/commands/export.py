"""``newsledger export``: articles, figures, entities, times, claims or findings as JSONL, CSV or Parquet."""
from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from .search import (ArticleOpt, DbOpt, EntityOpt, FromOpt, KindOpt, MaxOpt, MinOpt, OldFromOpt, OldToOpt, SourceOpt,
                     TagOpt, ToOpt, UnitOpt, UNDATED_HINT, date_range, make_filters)


def register(app: typer.Typer) -> None:
    @app.command()
    def export(
        fmt: Annotated[str, typer.Option("--format", help="jsonl | csv | parquet")] = "jsonl",
        what: Annotated[str, typer.Option("--what", help="articles | figures | entities | times | claims | findings")]
        = "figures",
        out: Annotated[Optional[str], typer.Option("--out", help="Output file (default: standard output; "
                                                                 "required for parquet).")] = None,
        db: DbOpt = None, tag: TagOpt = None, source: SourceOpt = None, date_from: FromOpt = None,
        date_to: ToOpt = None, entity: EntityOpt = None, kind: KindOpt = None, unit: UnitOpt = None,
        value_min: MinOpt = None, value_max: MaxOpt = None, article: ArticleOpt = None,
        old_from: OldFromOpt = None, old_to: OldToOpt = None,
    ) -> None:
        """Export ledger rows, streamed in constant memory, with the same filters as search."""
        from ..errors import ConfigError
        from ..store import Ledger, require_existing
        from ..store.export import export as run_export

        date_from, date_to = date_range(date_from, date_to, old_from, old_to)
        filters = make_filters(tag, source, date_from, date_to, entity, kind, unit, value_min, value_max, article)
        if fmt == "parquet" and not out:
            raise ConfigError("parquet is a binary format: give a file with --out FILE.parquet")
        require_existing(db)
        with Ledger(db) as ledger:
            if fmt == "parquet":
                n = run_export(ledger, what, fmt, out, filters)
            elif out:
                with open(out, "w", encoding="utf-8", newline="") as fh:
                    n = run_export(ledger, what, fmt, fh, filters)
            else:
                n = run_export(ledger, what, fmt, sys.stdout, filters)
        typer.echo(f"exported {n} {what} as {fmt}" + (f" to {out}" if out else ""), err=True)
        if not n and (date_from or date_to):
            typer.echo(UNDATED_HINT, err=True)

"""``newsledger brief``: a briefing (HTML or Markdown, with charts) of a digest or a ledger selection."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from .search import UNDATED_HINT, FromOpt, OldFromOpt, OldToOpt, ToOpt, date_range


def register(app: typer.Typer) -> None:
    @app.command()
    def brief(
        inputs: Annotated[Optional[list[str]], typer.Option("--input", "-i",
                          help="Digest (or other) files to read and extract in memory instead of the ledger.")] = None,
        db: Annotated[Optional[str], typer.Option("--db", envvar="NEWSLEDGER_DB",
                      help="Ledger URL or SQLite path (default sqlite:///newsledger.db).")] = None,
        tag: Annotated[Optional[str], typer.Option("--tag", help="Only articles with this tag.")] = None,
        source: Annotated[Optional[str], typer.Option("--source", help="Only articles from this source.")] = None,
        date_from: FromOpt = None,
        date_to: ToOpt = None,
        old_from: OldFromOpt = None,
        old_to: OldToOpt = None,
        fmt: Annotated[str, typer.Option("--format", "-f", help="html or md.")] = "html",
        out: Annotated[str, typer.Option("--out", "-o", help="Where to write the briefing.")] = "briefing.html",
        title: Annotated[Optional[str], typer.Option("--title", help="Heading of the briefing.")] = None,
        no_charts: Annotated[bool, typer.Option("--no-charts", help="Skip the PNG charts.")] = False,
    ) -> None:
        """Write a briefing: summaries, key figures and claims, entities, check findings, charts, comparison board."""
        from ..errors import ConfigError
        from ..report import FORMATS, build_briefing, write_briefing
        from ..report.sources import from_inputs, from_ledger

        date_from, date_to = date_range(date_from, date_to, old_from, old_to)
        if fmt not in FORMATS:
            raise ConfigError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
        if inputs:
            given = [n for n, v in (("--tag", tag), ("--source", source), ("--from", date_from), ("--to", date_to)) if v]
            if given:
                raise ConfigError(f"{', '.join(given)} select articles in the ledger, not in --input files: "
                                  "leave them out, or ingest the files and brief from the ledger")
            items = list(from_inputs(inputs))
            default_title = "Briefing: " + ", ".join(inputs)
        else:
            from ..store import Filters

            items = list(from_ledger(db, Filters(tag=tag, source=source, date_from=date_from, date_to=date_to)))
            parts = [f"{k} {v}" for k, v in (("tag", tag), ("source", source), ("from", date_from), ("to", date_to)) if v]
            default_title = "Briefing: " + (", ".join(parts) or "whole ledger")
        if not items:
            hint = f"; {UNDATED_HINT}" if date_from or date_to else ""
            raise ConfigError(f"nothing to brief: no articles matched (check the filters or --input files{hint})")
        b = build_briefing(items, title=title or default_title)
        path = write_briefing(b, out, fmt, charts=not no_charts)
        charts = "charts skipped" if no_charts else f"{len(b.charts)} charts in {path.parent / (path.stem + '_charts')}"
        typer.echo(f"wrote {path} ({b.totals['articles']} articles, {len(b.findings)} findings, {charts})")

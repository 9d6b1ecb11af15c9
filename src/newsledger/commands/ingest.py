"""``newsledger ingest PATH…``: read files, folders, globs, URLs or ``-`` (stdin) into the ledger.

A thin shell over :func:`newsledger.ingest.ingest`.  Exit 0 when anything could be read, even if
some records were rejected (they are listed); exit 2 when nothing could be read; 130 on Ctrl-C
(after printing what was committed).
"""
from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer


def print_problems(summary, limit: int = 50):  # noqa: ANN001, ANN201
    """The first ``limit`` problems of an ingest summary on stderr; returns that console."""
    from rich.console import Console

    err = Console(stderr=True)
    for e in summary.errors[:limit]:
        err.print(f"[yellow]{e['code']}[/] {e['message']}", markup=True, highlight=False, soft_wrap=True)
    if len(summary.errors) > limit:
        err.print(f"… and {len(summary.errors) - limit} more problems (use --json to see them all)")
    return err


def run_and_report(run, show, as_json: bool) -> None:  # noqa: ANN001
    """Run an ingest (``run()`` returns its summary) and print the summary with ``show``, also when
    Ctrl-C stops it (exit 130); exit 2 when nothing could be read.  ``ingest`` and ``batch`` share it."""
    from ..ingest import IngestInterrupted

    try:
        summary = run()
    except IngestInterrupted as stop:
        show(stop.summary, as_json)
        typer.echo("interrupted: everything listed as new was committed", err=True)
        sys.exit(130)
    show(summary, as_json)
    if summary.nothing_read:
        raise typer.Exit(2)


MODEL_HELP = ("Find names with the statistical NER model (default). --no-model uses the gazetteer and patterns "
              "only: ingest runs about 1.4x as fast, but finds known names only (entity F1 on MSRA 0.51 against 0.89).")


def extract_options(model: bool = True):  # noqa: ANN201
    """The extraction options of an ingest: the full pipeline, or without the NER model."""
    from ..extract import ExtractOptions

    return ExtractOptions(model=model)


def _print(summary, as_json: bool) -> None:  # noqa: ANN001
    from rich.console import Console

    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    from ..ingest import summary_table

    err = print_problems(summary)
    if summary.stages_missing:
        err.print(f"[red]extraction stages not available:[/] {', '.join(summary.stages_missing)}")
    Console().print(summary_table(summary))


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: Annotated[list[str], typer.Argument(help="Files (digest, plain text, HTML, RSS/Atom, JSON lines), folders, globs, http(s) URLs, or - for stdin; a text not in digest form is one article (see extract --help).")],
        db: Annotated[Optional[str], typer.Option("--db", envvar="NEWSLEDGER_DB",
                                                  help="Ledger URL or SQLite path (default sqlite:///newsledger.db).")] = None,
        tag: Annotated[Optional[str], typer.Option("--tag", help="Label every article with this tag.")] = None,
        date: Annotated[Optional[str], typer.Option("--date", help="Date (YYYY-MM-DD) for articles whose source has none.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
        progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")] = True,
        model: Annotated[bool, typer.Option("--model/--no-model", help=MODEL_HELP)] = True,
    ) -> None:
        """Read news into the ledger: each article stored once, with all its figures, times and entities."""
        from ..ingest import ingest as run
        from ..store import Ledger
        from .search import date_option

        date_option(date, "--date")  # a mistyped date is named as the option, before the ledger is opened

        with Ledger(db) as ledger:
            run_and_report(lambda: run(paths, ledger, tag=tag, published=date, progress=progress and not as_json,
                                               options=extract_options(model)),
                           _print, as_json)

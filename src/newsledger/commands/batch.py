"""``newsledger batch PATH…``: a large ingest on Dask workers (see :mod:`newsledger.scale`).

Same input, same ledger content and same summary as ``newsledger ingest``; workers read and
extract in parallel, this process writes.  Exit 0 when anything could be read, 2 when nothing
could, 130 on Ctrl-C (after printing what was committed).
"""
from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from .ingest import MODEL_HELP


def _print(summary, as_json: bool) -> None:  # noqa: ANN001
    from rich.console import Console

    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    from ..ingest import summary_table
    from .ingest import print_problems

    print_problems(summary)
    table = summary_table(summary)
    table.title = f"batch ({summary.scheduler}, {summary.workers} workers, {summary.partitions} partitions)" + (
        " (interrupted)" if summary.interrupted else "")
    table.add_row("cluster start", f"{summary.startup_seconds:.1f} s")
    Console().print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def batch(
        paths: Annotated[list[str], typer.Argument(help="Files (digest, plain text, HTML, RSS/Atom, JSON lines), folders, globs, http(s) URLs, or - for stdin; a text not in digest form is one article (see extract --help).")],
        db: Annotated[Optional[str], typer.Option("--db", envvar="NEWSLEDGER_DB",
                                                  help="Ledger URL or SQLite path (default sqlite:///newsledger.db).")] = None,
        workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes of the local cluster.")] = 2,
        scheduler: Annotated[str, typer.Option(
            "--scheduler", help="local (a local cluster), threads, sync (no cluster), or a Dask scheduler address "
                                "tcp://host:port whose workers see the same files and ledger.")] = "local",
        partition_size: Annotated[Optional[int], typer.Option(
            "--partition-size", min=1, help="Articles per Dask task (default 100).")] = None,
        tag: Annotated[Optional[str], typer.Option("--tag", help="Label every article with this tag.")] = None,
        date: Annotated[Optional[str], typer.Option("--date", help="Date (YYYY-MM-DD) for articles whose source has none.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
        progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")] = True,
        model: Annotated[bool, typer.Option("--model/--no-model", help=MODEL_HELP)] = True,
    ) -> None:
        """Ingest a large batch on Dask workers: the same result as ingest, extracted in parallel."""
        from ..scale import DEFAULT_PARTITION_SIZE, run_batch
        from .ingest import extract_options, run_and_report
        from .search import date_option

        date_option(date, "--date")  # a mistyped date is named as the option, before any worker starts

        run_and_report(lambda: run_batch(paths, db, scheduler=scheduler, workers=workers,
                                         partition_size=partition_size or DEFAULT_PARTITION_SIZE, tag=tag,
                                         published=date, progress=progress and not as_json,
                                         options=extract_options(model)),
                       _print, as_json)

"""``newsledger digest``: write ledger articles (or files) back as a digest, in either script."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .search import UNDATED_HINT, FromOpt, OldFromOpt, OldToOpt, ToOpt, date_range


def register(app: typer.Typer) -> None:
    @app.command()
    def digest(
        db: Annotated[Optional[str], typer.Option("--db", envvar="NEWSLEDGER_DB",
                      help="Ledger URL or SQLite path (default sqlite:///newsledger.db).")] = None,
        inputs: Annotated[Optional[list[str]], typer.Option("--input", "-i",
                          help="Read these files instead of the ledger.")] = None,
        tag: Annotated[Optional[str], typer.Option("--tag", help="Only articles with this tag (in the ledger); also the #tag line written.")] = None,
        source: Annotated[Optional[str], typer.Option("--source", help="Only articles from this source.")] = None,
        date_from: FromOpt = None,
        date_to: ToOpt = None,
        old_from: OldFromOpt = None,
        old_to: OldToOpt = None,
        script: Annotated[Optional[str], typer.Option("--script", help="trad (s2twp) or simp (tw2sp): converts the #tag line, titles and bodies; source names are kept as stored. Default: as stored.")] = None,
        out: Annotated[Optional[str], typer.Option("--out", "-o", help="Write here instead of stdout.")] = None,
    ) -> None:
        """Write articles in the digest format (#tag, title, body (source)), converting script with OpenCC."""
        from ..digest_writer import SCRIPTS, write_digest
        from ..errors import ConfigError

        date_from, date_to = date_range(date_from, date_to, old_from, old_to)
        if script is not None and script not in SCRIPTS:  # before reading anything
            raise ConfigError(f"--script {script!r} is not a script: use trad or simp (or leave it out to keep "
                              "each article as stored)")
        if inputs:
            from ..sources import read

            arts = [a for p in inputs for a in read(p)]
            if source:
                arts = [a for a in arts if a.source == source]
            if date_from or date_to:  # as the ledger filter: an undated article is outside any range
                arts = [a for a in arts if a.published and (date_from is None or a.published >= date_from)
                        and (date_to is None or a.published <= date_to)]
        else:
            from ..store import Filters, Ledger, require_existing

            require_existing(db)
            with Ledger(db) as ledger:
                ids = [r["id"] for r in ledger.iter_articles(Filters(tag=tag, source=source, date_from=date_from,
                                                                     date_to=date_to))]
                arts = [ledger.get(i).article for i in ids]
        if not arts:
            hint = f" ({UNDATED_HINT})" if date_from or date_to else ""
            raise ConfigError(f"no articles matched: check the filters, the --db or the --input files{hint}")
        text = write_digest(arts, script=script, tag=tag)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            typer.echo(f"wrote {len(arts)} articles to {out}", err=True)
        else:
            typer.echo(text, nl=False)

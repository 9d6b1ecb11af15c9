"""``newsledger extract FILE…``: the figures, times and entities of each article, as tables or JSON.

A thin shell over :func:`newsledger.read` and :func:`newsledger.extract`.  Stages whose module
is not installed yet are skipped, so the command works while the pipeline grows.
"""
from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import sys
from typing import Any, Optional

import typer

from ..errors import NewsledgerError

_STAGES = {"figures": "newsledger.extract.figures", "times": "newsledger.extract.times",
           "entities": "newsledger.extract.entities", "claims": "newsledger.claims"}
_COLUMNS = {
    "figures": ("text", "kind", "value", "high", "unit", "approx"),
    "times": ("text", "type", "value", "relative"),
    "entities": ("text", "type", "canonical", "ticker"),
}


def _options(region: str | None):
    from ..extract import ExtractOptions

    have = {name: importlib.util.find_spec(mod) is not None for name, mod in _STAGES.items()}
    return ExtractOptions(figures=have["figures"], times=have["times"], entities=have["entities"],
                          claims=have["claims"] and have["figures"], region=region)


def _extracted(extract_many, articles: list, options, has_own_title):  # noqa: ANN001, ANN202
    """(article, extraction of its body, extraction of its own headline or None), in order.

    Bodies and headlines (as ingest stores them; not a title read from the body's first sentence)
    are extracted with ``extract_many`` in ingest's batches: the same results as one by one,
    about twice as fast on short articles; the output streams a batch at a time."""
    from ..ingest import batches

    for batch in batches(articles):
        texts, refs, titled = [], [], []
        for art in batch:
            texts.append(art.body)
            refs.append(art.published)
            titled.append(has_own_title(art))
            if titled[-1]:
                texts.append(art.title)
                refs.append(art.published)
        exts = iter(extract_many(texts, ref_dates=refs, options=options))
        for art, has_title in zip(batch, titled):
            ext = next(exts)
            yield art, ext, next(exts) if has_title else None


def _articles(files: list[str], published: _dt.date | None, fmt: str | None, errors: list) -> list:
    from ..sources import read, read_bytes

    from pathlib import Path

    from ..errors import FormatError

    out = []
    for name in files:
        seen = len(errors)
        if name == "-":
            data = typer.get_binary_stream("stdin").read()
            got = read_bytes(data, "<stdin>", published=published, fmt=fmt, errors=errors)
        else:
            got = read(Path(name), published=published, fmt=fmt, errors=errors)
        if not got and len(errors) == seen:  # say so, rather than print nothing at all
            errors.append(FormatError(f"{'<stdin>' if name == '-' else name}: no articles found in it (it is empty, "
                                      "or holds only a #tag line or a feed with no entries)", origin=name))
        out.extend(got)
    return out


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.6g}"
    return str(v)


def _print_tables(console, art, ext, explain: bool, title_ext=None) -> None:  # noqa: ANN001
    """The article's header line, then a table a stage: the headline's spans first (``title_ext``)."""
    from rich.text import Text

    head = Text(art.title, style="bold")
    head.append(f"  [{art.id}]", style="dim")
    head.append(f"  {art.source or 'no source'}", style="italic")
    if art.tag:
        head.append(f"  #{art.tag}", style="cyan")
    if art.published:
        head.append(f"  {art.published.isoformat()}", style="dim")
    console.rule(head, align="left")
    shown = False
    for part, where in ((title_ext, "title "), (ext, "")):
        for stage in ("figures", "times", "entities"):
            items = getattr(part, stage) if part is not None else ()
            if not items:
                continue
            shown = True
            _print_stage(console, f"{where}{stage} ({len(items)})", stage, items, explain)
    if not shown:
        console.print(Text("(nothing found)", style="dim"))


def _print_stage(console, title: str, stage: str, items, explain: bool) -> None:  # noqa: ANN001
    from rich.table import Table
    from rich.text import Text

    cols = _COLUMNS[stage] + (("rule",) if explain else ())
    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold cyan")
    for col in cols:
        table.add_column(col, overflow="fold")  # wrap, never cut a figure short
    for item in items:
        table.add_row(*(Text(_cell(getattr(item, c, None))) for c in cols))  # data, never markup
    console.print(table)


# the help, one paragraph per string: rich's help keeps the line breaks inside a paragraph
_HELP = "\n\n".join((
    "Print the figures, times and entities of each article in FILE…",
    "Tables by default; with --json one line per article: {\"id\", \"title\", \"source\", \"tag\", "
    "\"published\", \"figures\", \"times\", \"entities\", \"title_spans\"}, where every start/end offset is "
    "relative to the article body, and those in title_spans (figures, times and entities of the headline) to "
    "the title.",
    "Text (.txt, .md or standard input) is read as a digest, one article per title line and body line, "
    "when its first line is a #tag line, or when every line read as a title is a headline (at most 60 "
    "characters, no 。) followed by its body. Any other text (a paragraph, a single line, an article in "
    "paragraphs) is extracted as one text: the whole text is the body and its first sentence the title. "
    "--format digest or --format text forces either reading.",
))


def register(app: typer.Typer) -> None:
    @app.command(help=_HELP)
    def extract(
        files: list[str] = typer.Argument(..., metavar="FILE…", help="digest, plain-text, HTML, feed or JSON-lines files; - reads standard input"),
        as_json: bool = typer.Option(False, "--json", help="one JSON object per article per line; offsets are relative to the article body"),
        explain: bool = typer.Option(False, "--explain", help="show the rule that produced each figure, time and entity"),
        date: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="publication date for articles without one: resolves 明年, 去年同期..."),
        fmt: Optional[str] = typer.Option(None, "--format", help="force the input format: digest, text (one article), html, feed, jsonl"),
        region: Optional[str] = typer.Option(None, "--region", help="what a bare 元 means: CN, TW or HK (default: detect)"),
    ) -> None:
        """Print the figures, times and entities of each article in FILE… (help: ``_HELP``)."""
        from rich.console import Console

        from ..model import to_dict

        # import the module itself: ``from .. import extract`` recurses through
        # newsledger.__getattr__ while the subpackage is not loaded yet
        _pkg = importlib.import_module("newsledger.extract")

        from ..ingest import has_own_title

        err = Console(stderr=True, soft_wrap=True)
        try:
            from .search import date_option

            published = date_option(date, "--date")
            options = _options(region)
            problems: list[NewsledgerError] = []
            articles = _articles(files, published, fmt, problems)
            for p in problems:
                err.print(str(p), markup=False, highlight=False)
            console = Console()
            for art, ext, tx in _extracted(_pkg.extract_many, articles, options, has_own_title):
                if as_json:
                    row = {"id": art.id, "title": art.title, "source": art.source, "tag": art.tag,
                           "published": art.published.isoformat() if art.published else None,
                           "figures": [to_dict(f) for f in ext.figures],
                           "times": [to_dict(t) for t in ext.times],
                           "entities": [to_dict(e) for e in ext.entities],
                           "title_spans": {k: [to_dict(x) for x in getattr(tx, k)] if tx else []
                                           for k in ("figures", "times", "entities")}}
                    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
                else:
                    _print_tables(console, art, ext, explain, tx)
            if as_json:
                sys.stdout.flush()
        except NewsledgerError as exc:
            err.print(str(exc), markup=False, highlight=False)
            raise typer.Exit(2) from None

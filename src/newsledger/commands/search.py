"""``newsledger search QUERY``: ranked full-text search with snippets of the original text.

Also defines the filter options shared with ``export`` (``FilterOpts`` and :func:`make_filters`).
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Annotated, Optional

import typer

DbOpt = Annotated[Optional[str], typer.Option("--db", envvar="NEWSLEDGER_DB",
                                              help="Ledger URL or SQLite path (default sqlite:///newsledger.db).")]
TagOpt = Annotated[Optional[str], typer.Option("--tag", help="Only articles with this tag.")]
SourceOpt = Annotated[Optional[str], typer.Option("--source", help="Only articles from this source.")]
FromOpt = Annotated[Optional[str], typer.Option("--from", help="Published on or after (YYYY-MM-DD).")]
ToOpt = Annotated[Optional[str], typer.Option("--to", help="Published on or before (YYYY-MM-DD).")]
# the old names of --from/--to (brief and digest had them): hidden, so old scripts keep working
OldFromOpt = Annotated[Optional[str], typer.Option("--date-from", hidden=True, help="Old name of --from.")]
OldToOpt = Annotated[Optional[str], typer.Option("--date-to", hidden=True, help="Old name of --to.")]
EntityOpt = Annotated[Optional[str], typer.Option("--entity", help="Mentioning this entity (canonical name).")]
KindOpt = Annotated[Optional[str], typer.Option("--kind", help="Figure kind: money, percent, count...")]
UnitOpt = Annotated[Optional[str], typer.Option("--unit", help="Figure unit: USD, CNY, %, 家...")]
MinOpt = Annotated[Optional[float], typer.Option("--min", help="Figure value at least (e.g. 1e12).")]
MaxOpt = Annotated[Optional[float], typer.Option("--max", help="Figure value at most.")]
ArticleOpt = Annotated[Optional[str], typer.Option("--article", help="Only this article id.")]


UNDATED_HINT = ("articles without a publication date never match --from/--to; digests carry no date: give one "
                "with ingest --date YYYY-MM-DD")


def date_option(value: str | None, option: str) -> _dt.date | None:
    """The date given to ``option`` (``--date``, ``--from``…), or a ConfigError naming the option."""
    from ..errors import ConfigError

    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{option} {value!r} is not a date: write it as YYYY-MM-DD (e.g. 2025-11-30)") from None


def date_range(date_from: str | None, date_to: str | None, old_from: str | None = None,
               old_to: str | None = None) -> tuple[_dt.date | None, _dt.date | None]:
    """``--from``/``--to`` (merged with their old names ``--date-from``/``--date-to``) as dates,
    checked here so that a mistake is reported under the option's own name."""
    from ..errors import ConfigError

    out: list[_dt.date | None] = []
    for new, old, name in ((date_from, old_from, "from"), (date_to, old_to, "to")):
        if new is not None and old is not None and new != old:
            raise ConfigError(f"--{name} {new} and --date-{name} {old} disagree: --date-{name} is the old name of "
                              f"--{name}; give --{name} once")
        out.append(date_option(new if new is not None else old, f"--{name}"))
    if out[0] and out[1] and out[0] > out[1]:
        raise ConfigError(f"--from {out[0]} is after --to {out[1]}: nothing can match; swap them")
    return out[0], out[1]


def make_filters(tag=None, source=None, date_from=None, date_to=None, entity=None, kind=None, unit=None,  # noqa: ANN001
                 value_min=None, value_max=None, article_id=None):  # noqa: ANN001, ANN201
    from ..store import Filters

    return Filters(tag=tag, source=source, date_from=date_from, date_to=date_to, entity=entity, kind=kind,
                   unit=unit, value_min=value_min, value_max=value_max, article_id=article_id)


def _hit_json(hit) -> dict:  # noqa: ANN001
    a = hit.article
    return {"id": a.id, "title": a.title, "tag": a.tag, "source": a.source,
            "published": a.published.isoformat() if a.published else None, "url": a.url, "score": hit.score,
            "snippet": [[t, m] for t, m in hit.snippet], "snippet_field": hit.snippet_field,
            "snippet_start": hit.snippet_start, "snippet_end": hit.snippet_end}


def register(app: typer.Typer) -> None:
    @app.command()
    def search(
        query: Annotated[str, typer.Argument(help="Words in Traditional or Simplified script; leave out "
                                                  "to list the articles that pass the filters.")] = "",
        db: DbOpt = None, tag: TagOpt = None, source: SourceOpt = None, date_from: FromOpt = None,
        date_to: ToOpt = None, entity: EntityOpt = None, kind: KindOpt = None, unit: UnitOpt = None,
        value_min: MinOpt = None, value_max: MaxOpt = None, article: ArticleOpt = None,
        old_from: OldFromOpt = None, old_to: OldToOpt = None,
        limit: Annotated[int, typer.Option("--limit", min=1, help="How many results.")] = 10,
        offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many results.")] = 0,
        as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    ) -> None:
        """Search the ledger: ranked results with the matches marked in the original text."""
        from rich.console import Console
        from rich.text import Text

        from ..store import Ledger, require_existing

        date_from, date_to = date_range(date_from, date_to, old_from, old_to)
        from ..errors import ConfigError

        filters = make_filters(tag, source, date_from, date_to, entity, kind, unit, value_min, value_max, article)
        if not query.strip() and not filters.as_dict():
            raise ConfigError("nothing to search: give words to search for, or a filter (--tag, --source, --from, "
                              "--entity…) to list the articles that pass it")
        require_existing(db)
        with Ledger(db) as ledger:
            res = ledger.search(query, filters, limit=limit, offset=offset)
        if as_json:
            typer.echo(json.dumps({"query": query, "terms": list(res.terms), "total": res.total, "ranked": res.ranked,
                                   "filters": filters.as_dict(), "hits": [_hit_json(h) for h in res.hits]},
                                  ensure_ascii=False, indent=2))
            return
        console = Console()
        if query.strip():
            console.print(Text(f"{res.total} result(s) for ", style="bold").append(query, style="bold cyan")
                          .append(f"  (searched: {' '.join(res.terms) or '-'})", style="dim"))
        else:
            console.print(Text(f"{res.total} article(s) pass the filters", style="bold"))
        if not res.total and (date_from or date_to):
            console.print(Text(UNDATED_HINT, style="dim"))
        if res.ranked < res.total:
            console.print(Text(f"ranked the {res.ranked:,} most recently stored matches; narrow the search "
                               "(another word or filter) to rank every match", style="dim"))
        for i, hit in enumerate(res.hits, start=offset + 1):
            a = hit.article
            meta = " · ".join(x for x in (a.source, a.published.isoformat() if a.published else None, a.tag) if x)
            console.print(Text(f"\n{i}. ", style="bold").append(a.title, style="bold")
                          .append(f"  {meta}  [{hit.score:.3g}]  {a.id}", style="dim"))
            line = Text("   ")  # Text, not markup: article text is untrusted and printed as is
            if hit.snippet_start > 0:
                line.append("…")
            for piece, is_match in hit.snippet:
                piece = piece.replace("\n", " ")
                if is_match and not console.is_terminal:  # no colours in a pipe or file: mark with «»
                    piece = f"«{piece}»"
                line.append(piece, style="bold black on yellow" if is_match else None)
            field_len = len(a.title if hit.snippet_field == "title" else a.body)
            if hit.snippet_end < field_len:
                line.append("…")
            console.print(line)

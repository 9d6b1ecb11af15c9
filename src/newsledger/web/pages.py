"""The HTML pages: each renders the same context dict as its ``/api`` twin."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from . import context
from .api import Filters, Ledger, Sort
from .params import Page, PerPage, Script

router = APIRouter(include_in_schema=False)


def _render(request: Request, template: str, ctx: dict[str, Any], title: str) -> HTMLResponse:
    url = request.url
    json_url = "/api" + (url.path if url.path != "/" else "/home") + (f"?{url.query}" if url.query else "")
    return request.app.state.templates.TemplateResponse(
        request, template, {"ctx": ctx, "page_title": title, "json_url": json_url, "params": dict(request.query_params)}
    )


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, ledger: Ledger) -> HTMLResponse:
    return _render(request, "home.html", context.home(ledger, stats=request.app.state.stats.get(ledger)), "newsledger")


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, ledger: Ledger, article_id: Annotated[str, Path(max_length=64)],
                 script: Script = Script.orig) -> HTMLResponse:
    ctx = context.article(ledger, article_id, script.value)
    return _render(request, "article.html", ctx, ctx["title"])


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, ledger: Ledger, filters: Filters,
                q: Annotated[str | None, Query(max_length=500)] = None, page: Page = 1, per_page: PerPage = 20) -> HTMLResponse:
    ctx = context.search(ledger, q, filters, page, per_page)
    return _render(request, "search.html", ctx, f"{ctx['query']} — search" if ctx["query"] else "Search")


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, ledger: Ledger, filters: Filters, sort: Sort = None,
                 page: Page = 1, per_page: PerPage = 50) -> HTMLResponse:
    return _render(request, "figures.html", context.figures(ledger, filters, sort, page, per_page), "Figures")


CSV_COLUMNS = ("article_id", "article_title", "published", "source", "start", "end", "text", "kind", "value", "high",
               "unit", "approx", "sentence")


@router.get("/figures.csv")
def figures_csv(ledger: Ledger, filters: Filters) -> StreamingResponse:
    return stream_figures_csv(ledger, filters)


def _cell(v: Any) -> Any:
    """A CSV cell; untrusted text that a spreadsheet would run as a formula gets a leading quote."""
    if v is None:
        return ""
    if isinstance(v, str) and v[:1] in ("=", "+", "@", "\t", "\r"):
        return "'" + v
    return v


def stream_figures_csv(ledger: Any, filters: Any) -> StreamingResponse:
    """Every figure matching the filters, streamed as CSV (constant memory)."""
    rows = context.figure_rows(ledger, filters)

    def generate() -> Iterator[bytes]:
        buf = io.StringIO()
        w = csv.writer(buf)
        cols: list[str] | None = None
        n = 0
        for row in rows:
            if cols is None:
                extra = [k for k in row if k not in CSV_COLUMNS]
                cols = [c for c in CSV_COLUMNS if c in row] + extra
                buf.write("\ufeff")  # BOM: spreadsheet programs then read the CJK text as UTF-8
                w.writerow(cols)
            w.writerow([_cell(row.get(c)) for c in cols])
            n += 1
            if n % 500 == 0:
                yield buf.getvalue().encode("utf-8")
                buf.seek(0)
                buf.truncate()
        if cols is None:
            buf.write("\ufeff")
            w.writerow(CSV_COLUMNS)
        yield buf.getvalue().encode("utf-8")

    return StreamingResponse(generate(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="figures.csv"'})


@router.get("/entity/{canonical}", response_class=HTMLResponse)
def entity_page(request: Request, ledger: Ledger, canonical: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
    return _render(request, "entity.html", context.entity(ledger, canonical), canonical)

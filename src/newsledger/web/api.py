"""The JSON twins of the pages (``/api/...``) and the one write endpoint, ``POST /api/ingest``."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from . import context, schemas
from .errors import ERROR_RESPONSES
from .params import FilterParams, Page, PerPage, Script, filter_params

router = APIRouter(prefix="/api", tags=["api"])


def ledger_of(request: Request) -> Any:
    return request.app.state.ledger


Ledger = Annotated[Any, Depends(ledger_of)]
Filters = Annotated[FilterParams, Depends(filter_params)]
Sort = Annotated[str | None, Query(pattern=r"^-?(value|unit|kind|published)$",
                                   description="Sort column, '-' for descending: value, unit, kind, published")]


def _json(data: Any) -> JSONResponse:
    return JSONResponse(data)


@router.get("/home", summary="Totals, tags, sources and latest articles",
            responses={200: {"model": schemas.HomeOut}, **ERROR_RESPONSES})
def api_home(request: Request, ledger: Ledger, latest: Annotated[int, Query(ge=1, le=200)] = 20) -> JSONResponse:
    return _json(context.home(ledger, latest, request.app.state.stats.get(ledger)))


@router.get("/article/{article_id}", summary="One article with its highlighted figures, times, entities, claims, findings",
            responses={200: {"model": schemas.ArticleOut}, **ERROR_RESPONSES})
def api_article(
    ledger: Ledger,
    article_id: Annotated[str, Path(description="The article's 16-hex id", max_length=64)],
    script: Annotated[Script, Query(description="orig (as written), trad or simp")] = Script.orig,
) -> JSONResponse:
    return _json(context.article(ledger, article_id, script.value))


@router.get("/search", summary="Ranked full-text search in either script, with filters",
            responses={200: {"model": schemas.SearchOut}, **ERROR_RESPONSES})
def api_search(
    ledger: Ledger,
    filters: Filters,
    q: Annotated[str | None, Query(max_length=500, description="Query, in Traditional or Simplified")] = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> JSONResponse:
    return _json(context.search(ledger, q, filters, page, per_page))


@router.get("/figures", summary="A page of figures (value, unit, article, sentence), filterable and sortable",
            responses={200: {"model": schemas.FiguresOut}, **ERROR_RESPONSES})
def api_figures(ledger: Ledger, filters: Filters, sort: Sort = None, page: Page = 1, per_page: PerPage = 50) -> JSONResponse:
    return _json(context.figures(ledger, filters, sort, page, per_page))


@router.get("/entity/{canonical}", summary="Every mention of one canonical entity, with the figures in the same sentences",
            responses={200: {"model": schemas.EntityOut}, **ERROR_RESPONSES})
def api_entity(ledger: Ledger, canonical: Annotated[str, Path(max_length=200)]) -> JSONResponse:
    return _json(context.entity(ledger, canonical))


@router.get("/figures.csv", summary="Every figure matching the filters, as CSV (streamed; same as /figures.csv)",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV with a header row"}, **ERROR_RESPONSES})
def api_figures_csv(ledger: Ledger, filters: Filters) -> StreamingResponse:
    from .pages import stream_figures_csv

    return stream_figures_csv(ledger, filters)


from . import upload  # noqa: E402  (registers POST /api/ingest on this router)

router.add_api_route(
    "/ingest", upload.ingest_endpoint, methods=["POST"], summary=upload.SUMMARY, description=upload.DESCRIPTION,
    responses={200: {"model": schemas.IngestOut}, 401: ERROR_RESPONSES[400] | {"description": "Missing or wrong token"},
               403: {"model": ERROR_RESPONSES[400]["model"], "description": "Ingest disabled (no token configured)"},
               413: {"model": ERROR_RESPONSES[400]["model"], "description": "Body larger than the limit"},
               **ERROR_RESPONSES},
    openapi_extra=upload.OPENAPI_BODY,
)

"""One error shape for the web app, from one exception handler.

Every failure — a ``NewsledgerError`` from the library, an ``HTTPException`` (404 for unknown
routes, 405...), a request that fails validation, or an unexpected crash — goes through
:func:`handle_error`.  Under ``/api`` it answers ``{"error": {"code", "message", "detail"}}``;
for pages it renders ``error.html`` from the same dict, so a person and a program read the same
words.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from ..errors import NewsledgerError

log = logging.getLogger("newsledger.web")

_HTTP_MESSAGES = {
    400: "bad request",
    401: "authentication required",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    413: "request body too large",
    415: "unsupported media type",
}


class ErrorBody(BaseModel):
    code: str
    message: str
    detail: dict[str, Any] = {}


class ErrorResponse(BaseModel):
    """The shape of every API error."""

    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad parameters"},
    404: {"model": ErrorResponse, "description": "Not found"},
    422: {"model": ErrorResponse, "description": "Invalid parameters"},
    500: {"model": ErrorResponse, "description": "Server error"},
    503: {"model": ErrorResponse, "description": "Query stopped by the server's time limit"},
}


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or "request"


def error_dict(request: Request, exc: Exception) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(status, {"code", "message", "detail"}, extra headers) for any exception."""
    headers: dict[str, str] = {}
    if isinstance(exc, NewsledgerError):
        status = int(getattr(exc, "status", 400))
        body = {"code": exc.code, "message": exc.message, "detail": _jsonable(exc.detail)}
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return status, body, headers
    if isinstance(exc, RequestValidationError):
        problems = [
            {"param": _loc(e.get("loc", ())), "problem": e.get("msg", "invalid"), "got": _jsonable(e.get("input"))}
            for e in exc.errors()
        ]
        message = "; ".join(f"{p['param']}: {p['problem']}" for p in problems) or "invalid request"
        return 422, {"code": "E422", "message": f"invalid request parameters — {message}", "detail": {"errors": problems}}, headers
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        if isinstance(exc.detail, str) and exc.detail and exc.detail != _default_phrase(status):
            message = exc.detail
        elif status == 404:
            message = f"no page or endpoint at {request.url.path}: see / for pages and /docs for the API"
        elif status == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        else:
            message = _HTTP_MESSAGES.get(status, _default_phrase(status))
        headers.update(getattr(exc, "headers", None) or {})
        return status, {"code": f"E{status}", "message": message, "detail": {"path": request.url.path}}, headers
    from .timelimit import is_timeout

    if is_timeout(exc):
        limit = getattr(request.app.state, "time_limit_ms", None)
        return 503, {"code": "E503", "message": f"the query took longer than the server's limit of {limit:g} ms and "
                     "was stopped: narrow it with filters (tag, source, dates, kind, unit) or start the server "
                     "with a higher --time-limit-ms", "detail": {"path": request.url.path, "limit_ms": limit}}, headers
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return 500, {
        "code": "E500",
        "message": f"internal error ({type(exc).__name__}); the server log has the traceback",
        "detail": {"path": request.url.path},
    }, headers


def _default_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set)):
        return [_jsonable(x) for x in v]
    return str(v)


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/") or path in ("/openapi.json",) or path.endswith(".csv")


async def handle_error(request: Request, exc: Exception) -> Response:
    """The one exception handler: JSON under /api, an HTML page elsewhere; same words in both."""
    status, body, headers = error_dict(request, exc)
    if wants_json(request):
        return JSONResponse({"error": body}, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"error": body, "status": status, "json_url": None, "page_title": f"Error {status}", "params": {}}, status_code=status, headers=headers
    )


def install(app: Any) -> None:
    """Register :func:`handle_error` for every kind of exception the app can meet."""
    for exc_type in (NewsledgerError, StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(exc_type, handle_error)

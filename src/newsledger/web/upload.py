"""``POST /api/ingest``: the one write endpoint, off unless a token was set at start-up.

Accepts a JSON-lines body (``application/x-ndjson``, ``application/jsonl``, ``application/json`` or
``text/plain``) or a multipart upload with a ``file`` field (any format ``newsledger.read`` knows:
digest ``.txt``, HTML, feed, ``.jsonl``).  Checks, in order: ingest enabled (403), bearer token
(401), declared size (413), actual size while reading (413) — so no body is read for a caller who
may not write, and no body larger than the limit is ever held in memory.
"""
from __future__ import annotations

import hmac
import os
import tempfile
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import ConfigError, InputTooLarge, Unauthorized

SUMMARY = "Add articles to the ledger (needs the start-up token)"
DESCRIPTION = (
    "Send JSON lines (one object per line: title, body, source, published, url, tag) as the body, or "
    "a file as multipart/form-data field `file`. Requires `Authorization: Bearer <token>`; the server "
    "must have been started with --ingest-token (otherwise 403). Bodies over the size limit get 413."
)
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
                           "required": ["file"]}
            },
        },
    }
}
_SUFFIXES = {".txt", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".jsonl", ".ndjson", ".json"}


def _check_token(request: Request) -> None:
    expected = request.app.state.ingest_token
    if not expected:
        raise HTTPException(403, "ingest is disabled on this server: start it with --ingest-token TOKEN to allow POST /api/ingest")
    auth = request.headers.get("authorization", "")
    scheme, _, given = auth.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise Unauthorized("missing bearer token: send the header 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise Unauthorized("wrong ingest token: use the token the server was started with")


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise InputTooLarge(f"request body of {int(declared)} bytes exceeds the ingest limit of {limit} bytes; "
                                    "split the input into smaller uploads", limit=limit, size=int(declared))
        except ValueError:
            raise ConfigError(f"Content-Length {declared!r} is not a number") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputTooLarge(f"request body exceeds the ingest limit of {limit} bytes; split the input "
                                "into smaller uploads", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _multipart_file(request: Request, body: bytes) -> tuple[str, bytes]:
    from starlette.formparsers import MultiPartParser

    async def stream():
        yield body

    form = await MultiPartParser(request.headers, stream()).parse()
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ConfigError("multipart upload has no file field named 'file'", fields=list(form.keys()))
    data = await upload.read()
    await upload.close()
    return upload.filename or "upload.txt", data


def _ingest_file(ledger: Any, path: str, tag: str | None, published: str | None) -> dict[str, Any]:
    try:
        from ..ingest import ingest
    except ImportError:  # WORKAROUND until newsledger.ingest lands: read + extract + add, no dedup
        return _ingest_fallback(ledger, path, tag, published)
    summary = ingest([path], ledger, tag=tag, published=published, progress=False)
    return _plain(summary)


def _plain(v: Any) -> Any:
    """Any summary object as JSON-ready data (dataclasses, objects with __dict__, paths, dates)."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set)):
        return [_plain(x) for x in v]
    if hasattr(v, "__dataclass_fields__"):
        return {k: _plain(getattr(v, k)) for k in v.__dataclass_fields__}
    if hasattr(v, "__dict__"):
        return {k: _plain(x) for k, x in vars(v).items() if not k.startswith("_")}
    return str(v)


def _ingest_fallback(ledger: Any, path: str, tag: str | None, published: str | None) -> dict[str, Any]:
    from ..extract import extract
    from ..ingest import extraction_text
    from ..sources import read

    new = dup = 0
    for art in read(path, tag=tag, published=published):
        ext = extract(extraction_text(art), ref_date=art.published)
        if ledger.add(art, ext) == "new":
            new += 1
        else:
            dup += 1
    return {"new": new, "duplicate": dup, "rejected": 0, "errors": []}


async def ingest_endpoint(
    request: Request,
    tag: Annotated[str | None, Query(max_length=100, description="Tag for articles that carry none")] = None,
    published: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="Date for undated articles")] = None,
) -> JSONResponse:
    _check_token(request)
    body = await _read_limited(request, request.app.state.max_upload_bytes)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        filename, data = await _multipart_file(request, body)
        suffix = PurePath(filename).suffix.lower()
        suffix = suffix if suffix in _SUFFIXES else ".txt"
    elif ctype in ("application/x-ndjson", "application/jsonl", "application/json", "text/plain", ""):
        data, suffix = body, ".jsonl"
    else:
        raise HTTPException(415, f"unsupported Content-Type {ctype!r}: send application/x-ndjson (JSON lines) "
                                 "or multipart/form-data with a 'file' field")
    if not data.strip():
        raise ConfigError("empty ingest body: send JSON lines or a file")
    fd, path = tempfile.mkstemp(prefix="newsledger-upload-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        summary = await run_in_threadpool(_ingest_file, request.app.state.ledger, path, tag, published)
    finally:
        os.unlink(path)
        request.app.state.stats.clear()
    return JSONResponse(summary)

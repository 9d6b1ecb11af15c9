"""HTML article pages → an Article, with trafilatura.

trafilatura finds the main text (dropping menus, footers, comments) and the metadata: title, date
(htmldate), site name, canonical URL.  One page gives one article.  Chinese text is dense, so the
minimum extracted size is lowered from trafilatura's 250 characters (sized for English) to 20:
otherwise a short news item falls back to the whole page, menus included.
"""
from __future__ import annotations

import datetime as _dt
import threading

from ..errors import FormatError, NewsledgerError
from ..model import Article
from .jsonl import build_article, parse_date, report

__all__ = ["read_html", "looks_like_html", "MIN_EXTRACTED_CHARS"]

MIN_EXTRACTED_CHARS = 20

_config = None
_lock = threading.Lock()


def _trafilatura_config():
    global _config
    with _lock:
        if _config is None:
            from trafilatura.settings import use_config

            cfg = use_config()
            cfg.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_CHARS))
            cfg.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
            cfg.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its SIGALRM timeout breaks in threads
            _config = cfg
    return _config


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<html" in head or "<body" in head


def read_html(
    text: str,
    origin: str | None = None,
    published: _dt.date | None = None,
    tag: str | None = None,
    *,
    errors: list[NewsledgerError] | None = None,
) -> list[Article]:
    """The main text and metadata of one HTML page as a one-Article list.

    The date is the page's own (metadata, then htmldate's reading of the page) and ``published``
    only when the page has none.  FormatError naming the page when no main text is found.
    """
    import trafilatura

    name = origin or "<html>"
    url_hint = origin if origin and origin.startswith(("http://", "https://")) else None
    try:
        doc = trafilatura.bare_extraction(
            text, url=url_hint, with_metadata=True, include_comments=False, include_tables=True,
            config=_trafilatura_config(),
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura raises assorted lxml/ValueError types
        raise FormatError(f"{name}: the HTML could not be parsed ({exc})", origin=origin) from None
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len("".join(body.split())) < MIN_EXTRACTED_CHARS:  # nothing, or only a menu's few words
        raise FormatError(
            f"{name}: no main text found in the page (at least {MIN_EXTRACTED_CHARS} characters); "
            "is it an article page (not a list, a menu or a login page)?",
            origin=origin,
        )
    title = (doc.title or "").strip()
    lines = body.split("\n")
    if title and lines[0].strip() == title:  # trafilatura repeats the <h1> as the first line
        body = "\n".join(lines[1:]).strip() or body
    if not title:
        title = lines[0].strip()[:200]
    date = None
    if doc.date:
        try:
            date = parse_date(doc.date)
        except ValueError:
            report(errors, FormatError(f"{name}: page date {doc.date!r} not understood; date left empty", origin=origin))
    return [build_article(
        title, body, tag=tag,
        source=(doc.sitename or doc.hostname or None),
        published=date or published,
        url=doc.url or url_hint,
        origin=origin,
    )]

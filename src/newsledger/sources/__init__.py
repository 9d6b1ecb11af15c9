"""Reading news into Articles: ``read()`` dispatches to one reader per format.

Formats: digest (``.txt``, ``.md``: see :mod:`.digest`), plain text (``text``: a ``.txt``,
``.md`` or sniffed text that is not in digest form is one article, see
:func:`.digest.is_digest` and :func:`.digest.read_text`), HTML (``.html``, ``.htm``: :mod:`.html`),
RSS/Atom feeds (``.xml``, ``.rss``, ``.atom``: :mod:`.feed`), JSON lines (``.jsonl``,
``.ndjson``: :mod:`.jsonl`).  Without a known extension the text is sniffed.  Readers are imported
on first use.  Bytes are decoded by :func:`.encoding.decode` (UTF-8, then detection).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import inspect
import os
import re
from pathlib import Path
from typing import Any, Callable

from ..errors import ConfigError, FormatError, InputTooLarge, NewsledgerError, NotFound
from ..model import Article

__all__ = ["read", "read_bytes", "make_article", "article_id", "FORMATS", "detect_format", "MAX_FILE_BYTES"]

FORMATS = ("digest", "text", "html", "feed", "jsonl")
MAX_FILE_BYTES = 512 * 1024 * 1024
_EXTENSIONS = {
    ".txt": "digest", ".md": "digest", ".digest": "digest",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}
_HAN = re.compile(r"[\u3400-\u9fff]")


def article_id(title: str, body: str) -> str:
    """Stable id: 16 hex characters of SHA-256 over the normalised title and body."""
    from ..text.script import normalise

    key = normalise(title) + "\n" + normalise(body)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def make_article(
    title: str,
    body: str,
    *,
    tag: str | None = None,
    source: str | None = None,
    published: _dt.date | None = None,
    url: str | None = None,
    origin: str | None = None,
    title_start: int = 0,
    title_end: int = 0,
    body_start: int = 0,
    body_end: int = 0,
) -> Article:
    """An Article with its stable id and detected script; every reader builds articles here."""
    from ..text.script import detect_script

    return Article(
        id=article_id(title, body), title=title, body=body, tag=tag, source=source,
        published=_as_date(published), url=url, script=detect_script(title + "\n" + body),
        title_start=title_start, title_end=title_end, body_start=body_start, body_end=body_end,
        origin=origin,
    )


def _as_date(value: Any) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ConfigError(f"published date {value!r} is not a date: write it as YYYY-MM-DD (e.g. 2025-11-30)",
                          published=str(value)) from None


def _reader(fmt: str) -> Callable[..., list[Article]]:
    if fmt == "digest":
        from .digest import read_digest as fn
    elif fmt == "text":
        from .digest import read_text as fn
    elif fmt == "html":
        from .html import read_html as fn
    elif fmt == "feed":
        from .feed import read_feed as fn
    elif fmt == "jsonl":
        from .jsonl import read_jsonl as fn
    else:
        raise ConfigError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}", fmt=fmt)
    return fn


def detect_format(text: str, name: str | None = None) -> str:
    """The format of ``text`` from the extension of ``name``, else by sniffing the text.

    Text that would be a digest (by its ``.txt``/``.md`` name or by sniffing) but does not have
    the digest's shape is ``text``: one article (see :func:`.digest.is_digest`).
    """
    if name:
        ext = os.path.splitext(name.split("?", 1)[0])[1].lower()
        if ext in _EXTENSIONS:
            return _digest_or_text(text) if _EXTENSIONS[ext] == "digest" else _EXTENSIONS[ext]
    head = text[:4096].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<?xml", "<rss", "<feed", "<rdf")):
        if "<html" in head[:1024] and "<rss" not in head and "<feed" not in head:
            return "html"
        return "feed"
    if head.startswith(("<!doctype html", "<html")) or "<body" in head[:2048]:
        return "html"
    if head.startswith("{"):
        return "jsonl"
    return _digest_or_text(text)


def _digest_or_text(text: str) -> str:
    from .digest import is_digest

    return "digest" if is_digest(text) else "text"


def _is_path_like(s: str) -> bool:
    """A one-line string that names a file rather than holding a digest: ``news/a.txt``."""
    s = s.strip()
    if not s or len(s) > 1024 or any(ch.isspace() for ch in s):
        return False
    if os.path.splitext(s)[1].lower() in _EXTENSIONS:
        return True
    return ("/" in s or "\\" in s) and not _HAN.search(s)


def _call(fn: Callable[..., list[Article]], data: Any, origin: str | None, published: _dt.date | None,
          tag: str | None, errors: list[NewsledgerError] | None) -> list[Article]:
    kwargs: dict[str, Any] = {"origin": origin, "published": published, "tag": tag}
    if errors is not None and "errors" in inspect.signature(fn).parameters:
        kwargs["errors"] = errors
    return fn(data, **kwargs)


def read(
    path_or_text: str | os.PathLike | bytes,
    *,
    published: _dt.date | str | None = None,
    tag: str | None = None,
    fmt: str | None = None,
    errors: list[NewsledgerError] | None = None,
) -> list[Article]:
    """The Articles of a file, URL, text or bytes.

    ``path_or_text``: a ``Path`` (or a one-line ``str`` naming an existing file) is read as
    bytes and decoded; an http(s) URL is fetched; ``bytes`` are decoded; any other ``str`` is the
    text itself (``-`` is not special here: the CLI reads stdin).  ``published`` dates articles
    that carry no date of their own; ``tag`` labels every article; ``fmt`` forces a format
    (``digest``, ``text``, ``html``, ``feed``, ``jsonl``; without it a text not in digest form
    is read as one article, see :func:`.digest.is_digest`).  Per-article problems go into ``errors`` when
    given (else warnings); a file that cannot be read at all raises a NewsledgerError.
    """
    from .encoding import decode

    pub = _as_date(published)
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}", fmt=fmt)

    if isinstance(path_or_text, bytes):
        return _read_bytes(path_or_text, "<bytes>", pub, tag, fmt, errors, decode)
    if isinstance(path_or_text, os.PathLike):
        return _read_path(Path(path_or_text), pub, tag, fmt, errors, decode)
    if not isinstance(path_or_text, str):
        raise ConfigError(f"read() wants a path, a str or bytes, got {type(path_or_text).__name__}")
    s = path_or_text
    from .feed import is_url

    if is_url(s):
        from .feed import fetch

        data, ctype = fetch(s.strip())
        if fmt is None and "html" in ctype.lower():
            fmt = "html"
        return _read_bytes(data, s.strip(), pub, tag, fmt, errors, decode)
    if "\n" not in s and "\r" not in s and len(s) < 4096:
        try:
            if os.path.exists(s):
                return _read_path(Path(s), pub, tag, fmt, errors, decode)
        except (OSError, ValueError):
            pass
        if _is_path_like(s):
            raise NotFound(f"no such file: {s}; check the path (or pass the text itself)", path=s)
    return _call(_reader(fmt or detect_format(s)), s, None, pub, tag, errors)


def _read_path(path: Path, pub, tag, fmt, errors, decode) -> list[Article]:
    name = str(path)
    if path.is_dir():
        raise FormatError(f"{name} is a folder: give the files in it (e.g. {name}/*.txt)", origin=name)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputTooLarge(f"{name}: {size} bytes is over the {MAX_FILE_BYTES}-byte limit; split it", origin=name)
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no such file: {name}; check the path", path=name) from None
    except OSError as exc:
        raise FormatError(f"{name}: cannot read ({exc.strerror or exc}); check its permissions", origin=name) from None
    return _read_bytes(data, name, pub, tag, fmt, errors, decode)


def _read_bytes(data: bytes, name: str, pub, tag, fmt, errors, decode) -> list[Article]:
    ext = os.path.splitext(name.split("?", 1)[0])[1].lower()
    data = _trim_cut_utf8(data)
    sniffed = None if fmt or ext in _EXTENSIONS else detect_format(data[:4096].decode("utf-8", "replace"))
    if (fmt or _EXTENSIONS.get(ext) or sniffed) == "feed":  # feedparser honours the XML encoding declaration: give it the bytes
        return _call(_reader("feed"), data, name, pub, tag, errors)
    text = decode(data, name)
    return _call(_reader(fmt or detect_format(text, name)), text, name, pub, tag, errors)


def _trim_cut_utf8(data: bytes) -> bytes:
    """UTF-8 ``data`` less a character that a cut (a half-written file, a truncated download)
    split at its very end, so that the rest decodes instead of failing as a whole."""
    if not data or data[-1] < 0x80:  # ends in ASCII (a newline, a tag): nothing was split
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start]
    return data


def read_bytes(
    data: bytes,
    origin: str,
    *,
    published: _dt.date | str | None = None,
    tag: str | None = None,
    fmt: str | None = None,
    errors: list[NewsledgerError] | None = None,
) -> list[Article]:
    """The Articles in ``data`` (e.g. standard input), decoded and sniffed; ``origin`` names it."""
    from .encoding import decode

    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}", fmt=fmt)
    return _read_bytes(data, origin, _as_date(published), tag, fmt, errors, decode)

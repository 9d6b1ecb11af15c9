"""JSON lines → Articles: one object per line with ``title``, ``body``, ``source``, ``published``,
``url``, ``tag``.

A bad line (not JSON, not an object, no title or body, a date that is not a date) is reported with
its line number and skipped; the other lines go on.  Problems go to the ``errors`` list when one is
given (the ingester counts them), else they are issued as warnings.

This module also holds the few helpers the HTML and feed readers share (date parsing, building an
Article, reporting a record problem), so that each reader stays one small job.
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import FormatError, NewsledgerError
from ..model import Article

__all__ = ["read_jsonl", "parse_line", "iter_jsonl", "parse_date", "build_article", "report"]

FIELDS = ("title", "body", "source", "published", "url", "tag")

_CJK_DATE = re.compile(r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})")


def parse_date(value: Any) -> _dt.date | None:
    """A date from metadata: ISO 8601 (date or date-time), RFC 822 (feeds), 2025/12/27, 2025年12月27日.

    The date is the one written in the source, in the source's own time zone: converting
    "07:30 +0800" to UTC would move the article to the day before.  None when ``value`` is empty;
    ValueError when it is not a date.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    s = str(value).strip()
    if not s:
        return None
    try:
        return _dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    m = _CJK_DATE.match(s)
    if m:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        parsed = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date()
    raise ValueError(f"{s!r} is not a date (use YYYY-MM-DD or ISO 8601)")


def build_article(
    title: str,
    body: str,
    *,
    tag: str | None,
    source: str | None,
    published: _dt.date | None,
    url: str | None,
    origin: str | None,
    title_start: int = 0,
    title_end: int = 0,
    body_start: int = 0,
    body_end: int = 0,
) -> Article:
    """Build an Article through ``newsledger.sources.make_article`` (stable id, script)."""
    from . import make_article

    return make_article(
        title, body, tag=tag, source=source, published=published, url=url, origin=origin,
        title_start=title_start, title_end=title_end, body_start=body_start, body_end=body_end,
    )


def report(errors: list[NewsledgerError] | None, err: NewsledgerError) -> None:
    """Record a per-record problem: into ``errors`` when the caller collects them, else a warning."""
    if errors is not None:
        errors.append(err)
    else:
        warnings.warn(str(err), stacklevel=3)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _locate(line: str, value: str, field: str) -> tuple[int, int]:
    """Offsets of ``value`` in its line: exact when the JSON literal has no escapes, else the span
    of the literal (escapes make the decoded text differ from the raw bytes)."""
    raw = json.dumps(value, ensure_ascii=False)[1:-1]
    i = line.find(raw)
    if i >= 0:
        return i, i + len(raw)
    m = re.search(r'"%s"\s*:\s*"((?:[^"\\]|\\.)*)"' % re.escape(field), line)
    if m:
        return m.start(1), m.end(1)
    return 0, len(line)


def parse_line(
    line: str,
    lineno: int,
    *,
    origin: str | None = None,
    published: _dt.date | None = None,
    tag: str | None = None,
    offset: int = 0,
) -> Article | None:
    """One JSON line → an Article (None for a blank line); FormatError naming file and line if bad.

    ``tag``, when given, labels the article (as for digests); else the record's own ``tag``.
    ``published`` dates a record that has no date of its own.  ``offset`` is the index of the line's first character in the whole text, so that the Article's
    title/body offsets point into the file.
    """
    where = f"{origin or '<text>'}:{lineno}"
    s = line.strip()
    if not s:
        return None
    try:
        rec = json.loads(s)
    except json.JSONDecodeError as exc:
        lead = len(line) - len(line.lstrip())  # the error's position is in the stripped line
        at = "" if exc.msg.endswith(" at") else " at"  # "Unterminated string starting at" has its own
        raise FormatError(
            f"{where}: not valid JSON ({exc.msg}{at} column {exc.colno + lead}); each line must be one JSON "
            "object; line skipped",
            origin=origin, line=lineno, offset=offset + lead + exc.pos,
        ) from None
    if not isinstance(rec, dict):
        raise FormatError(
            f"{where}: a JSON {type(rec).__name__} where an object with title and body was expected; line skipped",
            origin=origin, line=lineno, offset=offset,
        )
    title, body = rec.get("title"), rec.get("body")
    missing = [k for k, v in (("title", title), ("body", body)) if not isinstance(v, str) or not v.strip()]
    if missing:
        raise FormatError(
            f"{where}: missing or empty {' and '.join(missing)}; every line needs a non-empty title and body; line skipped",
            origin=origin, line=lineno, offset=offset,
        )
    try:
        date = parse_date(rec.get("published")) or published
    except ValueError as exc:
        raise FormatError(f"{where}: published {exc}; line skipped", origin=origin, line=lineno, offset=offset) from None
    title, body = title.strip(), body.strip()
    ts, te = _locate(line, title, "title")
    bs, be = _locate(line, body, "body")
    return build_article(
        title,
        body,
        tag=tag or _clean(rec.get("tag")),
        source=_clean(rec.get("source")),
        published=date,
        url=_clean(rec.get("url")),
        origin=origin,
        title_start=offset + ts, title_end=offset + te,
        body_start=offset + bs, body_end=offset + be,
    )


def iter_jsonl(
    lines: Iterable[str],
    *,
    origin: str | None = None,
    published: _dt.date | None = None,
    tag: str | None = None,
    errors: list[NewsledgerError] | None = None,
) -> Iterator[Article]:
    """Articles from an iterable of lines (without their newline), reporting bad lines and going on."""
    offset = 0
    for lineno, line in enumerate(lines, 1):
        try:
            art = parse_line(line, lineno, origin=origin, published=published, tag=tag, offset=offset)
        except FormatError as err:
            report(errors, err)
            art = None
        if art is not None:
            yield art
        offset += len(line) + 1


def read_jsonl(
    text: str,
    origin: str | None = None,
    published: _dt.date | None = None,
    tag: str | None = None,
    *,
    errors: list[NewsledgerError] | None = None,
) -> list[Article]:
    """Every good line of a JSON-lines text as an Article; bad lines are reported and skipped.

    Lines are split on ``\\n`` only: JSON strings may legally hold U+2028 and friends, which
    ``str.splitlines`` would split on.
    """
    return list(iter_jsonl(text.split("\n"), origin=origin, published=published, tag=tag, errors=errors))

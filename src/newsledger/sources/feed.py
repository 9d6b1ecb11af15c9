"""RSS and Atom feeds → Articles, with feedparser.

Each entry becomes an Article: title, body (the longest of the entry's content and summary, HTML
stripped to text with one line per block), published date (as written in the feed, in the feed's
own time zone), link, and source = the feed's title.  A feed can be read from text or fetched from
an http(s) URL (stdlib, with a timeout and a size limit).

A half-written feed (truncated XML) is what feedparser calls "bozo": what parsed is used and the
problem is reported once, with its line, the number of entries read and what to do; an entry the
cut split in two is dropped (its text would be short or missing); when nothing parsed,
FormatError names the file.
"""
from __future__ import annotations

import datetime as _dt
import re
import urllib.request
from typing import Any

from ..errors import FormatError, InputTooLarge, NewsledgerError
from ..model import Article
from .jsonl import build_article, parse_date, report

__all__ = ["read_feed", "fetch", "html_to_text", "is_url", "looks_like_feed"]

FETCH_TIMEOUT = 20.0  # seconds, connect and read
MAX_FETCH_BYTES = 32 * 1024 * 1024  # a feed or page larger than this is refused (InputTooLarge)
USER_AGENT = "newsledger (+https://example.invalid/newsledger)"

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section article header footer figure figcaption".split()
)
_URL = re.compile(r"^https?://\S+$", re.I)
_FEED_SNIFF = re.compile(r"<(rss|feed|rdf:RDF|channel)\b", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def is_url(s: str) -> bool:
    return bool(_URL.match(s.strip())) and "\n" not in s.strip()


def looks_like_feed(text: str) -> bool:
    """True when the first few KB hold an RSS, Atom or RDF root element."""
    return bool(_FEED_SNIFF.search(text[:4096]))


def fetch(url: str, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_FETCH_BYTES) -> tuple[bytes, str]:
    """GET ``url`` → (body bytes, content type). Network failures raise FormatError naming the URL."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) checked by is_url
            data = resp.read(max_bytes + 1)
            ctype = resp.headers.get("Content-Type", "")
    except (OSError, ValueError) as exc:
        raise FormatError(f"{url}: could not fetch ({exc}); check the address and the network", origin=url) from None
    if len(data) > max_bytes:
        raise InputTooLarge(f"{url}: larger than {max_bytes} bytes; save it and split it first", origin=url)
    return data, ctype


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed summaries and content): tags dropped, entities decoded, one
    line per block element, blank runs collapsed.  lxml does the parsing; only the block-to-newline
    rule is ours, since lxml's ``text_content`` runs paragraphs together."""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(fragment)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _entry_body(entry: Any) -> str:
    candidates = [c.get("value", "") for c in entry.get("content", []) or []]
    candidates.append(entry.get("summary", "") or "")
    texts = [html_to_text(c) for c in candidates if c]
    return max(texts, key=len, default="")


def _entry_date(entry: Any, where: str, errors: list[NewsledgerError] | None) -> _dt.date | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            try:
                return parse_date(raw)
            except ValueError:
                parsed = entry.get(f"{key}_parsed")
                if parsed:  # feedparser understood a format we do not: take its (UTC) reading
                    return _dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
                report(errors, FormatError(f"{where}: {key} date {raw!r} not understood; date left empty"))
    return None


def _bozo_message(exc: BaseException | None) -> tuple[str, int | None]:
    line = None
    if exc is not None and hasattr(exc, "getLineNumber"):
        try:
            line = exc.getLineNumber()
        except Exception:  # noqa: BLE001 - SAX locators can be gone
            line = None
    msg = ("XML parser: " + _SAX_WHERE.sub("", str(exc))) if exc else "malformed feed"  # not "<unknown>:5:84: …"
    return msg, line


_SAX_WHERE = re.compile(r"^<[^>]*>:\d+:\d+:\s*")
_ENTRY_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")
_XML_ENCODING = re.compile(rb"""^[^>]*encoding\s*=\s*["']([\w.:-]+)["']""")


def _trim_cut_character(data: bytes) -> bytes:
    """``data`` less a multi-byte character split by a cut at its very end.

    A feed cut mid-character is not valid in its own encoding, and feedparser then falls back to
    another encoding and returns every entry as mojibake; dropping the partial character keeps
    the text readable (the cut itself is still reported).
    """
    m = _XML_ENCODING.match(data[:200].lstrip(b"\xef\xbb\xbf \t\r\n"))
    enc = m.group(1).decode("ascii") if m else "utf-8"
    try:
        data.decode(enc)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 4:
            return data[: exc.start]
    except LookupError:
        pass
    return data


def _cut_at_end(text: str | bytes, line: int | None) -> bool:
    """Whether the parser stopped on the last line: the file ends before its closing tags."""
    if line is None:
        return False
    nl = b"\n" if isinstance(text, bytes) else "\n"
    return line >= text.rstrip().count(nl) + 1


def read_feed(
    text: str | bytes,
    origin: str | None = None,
    published: _dt.date | None = None,
    tag: str | None = None,
    *,
    errors: list[NewsledgerError] | None = None,
    timeout: float = FETCH_TIMEOUT,
) -> list[Article]:
    """Articles of an RSS or Atom feed given as text (or bytes), or as an http(s) URL to fetch.

    ``published`` is the date for entries that carry none; ``tag`` labels every entry (an entry's
    first category is used when no tag is given).
    """
    import feedparser

    if isinstance(text, str) and is_url(text):
        origin = origin or text.strip()
        text, _ = fetch(text.strip(), timeout=timeout)
    name = origin or "<feed>"
    if isinstance(text, bytes):
        text = _trim_cut_character(text)
    parsed = feedparser.parse(text)
    bozo_exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(bozo_exc, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        bozo_exc = None  # benign: we handed feedparser text it had to re-encode
    msg, line = _bozo_message(bozo_exc)
    if line:  # the parser counts a line past the end of a file cut without its final newline
        nl = b"\n" if isinstance(text, bytes) else "\n"
        line = min(line, text.count(nl) + (0 if text.endswith(nl) else 1))
    where = f"{name}:{line}" if line else name
    cut = bozo_exc is not None and _cut_at_end(text, line)
    if not parsed.entries:
        if cut and (parsed.get("version") or parsed.feed):
            raise FormatError(
                f"{where}: the feed is cut short: the file ends before its first entry ({msg}); nothing could be "
                "read from it: download or save the whole feed again", origin=origin, line=line)
        if bozo_exc is not None or not (parsed.get("version") or parsed.feed):
            raise FormatError(
                f"{where}: not a readable RSS or Atom feed ({msg}); nothing could be read from it",
                origin=origin, line=line,
            )
        return []
    # a cut inside an entry leaves it half read (its text short or missing): that entry is dropped
    complete = len(_ENTRY_CLOSE.findall(text if isinstance(text, bytes) else text.encode("utf-8")))
    split_entry = len(parsed.entries) if cut and complete < len(parsed.entries) else None
    source = html_to_text(parsed.feed.get("title", "") or "") or None
    out: list[Article] = []
    for i, entry in enumerate(parsed.entries, 1):
        if i == split_entry:
            break
        where = f"{name} entry {i}"
        title = html_to_text(entry.get("title", "") or "").replace("\n", " ")
        body = _entry_body(entry)
        if not title or not body:
            missing = " and ".join(k for k, v in (("title", title), ("text", body)) if not v)
            report(errors, FormatError(f"{where}: no {missing}; entry skipped", origin=origin, entry=i))
            continue
        entry_tag = tag
        if entry_tag is None and entry.get("tags"):
            entry_tag = (entry.tags[0].get("term") or "").strip() or None
        out.append(build_article(
            title, body, tag=entry_tag, source=source,
            published=_entry_date(entry, where, errors) or published,
            url=entry.get("link") or None, origin=origin,
        ))
    if split_entry == 1:  # the cut fell inside the first entry: nothing whole was read
        raise FormatError(
            f"{where}: the feed is cut short: the file ends inside its first entry ({msg}); nothing could be read "
            "from it: download or save the whole feed again", origin=origin, line=line)
    if bozo_exc is not None:
        report(errors, FormatError(_damage_message(name, line, msg, cut, split_entry, len(out), len(parsed.entries)),
                                   origin=origin, line=line))
    return out


def _damage_message(name: str, line: int | None, msg: str, cut: bool, split_entry: int | None, kept: int,
                    last: int) -> str:
    """One message for a damaged feed: what was wrong, how much was read, what to do."""
    where = f"{name}:{line}" if line else name
    entries = f"{kept} {'entry' if kept == 1 else 'entries'}"
    if not cut:
        return (f"{where}: the feed's XML is malformed ({msg}); read the {entries} that parsed, others may be "
                "missing: check the feed at that line")
    if split_entry is not None:
        return (f"{where}: the feed is cut short: the file ends inside entry {split_entry} ({msg}); read the "
                f"{entries} before the cut and skipped entry {split_entry}, which the cut split; download or save "
                "the whole feed again to read the rest")
    return (f"{where}: the feed is cut short: the file ends after entry {last} ({msg}); read the {entries} before "
            "the cut, any later ones are missing: download or save the whole feed again to read the rest")

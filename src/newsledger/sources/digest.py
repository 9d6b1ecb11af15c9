"""The digest format: an optional ``#tag`` line, then a title line and a body line per article.

Blank lines may appear anywhere.  A body usually ends with its source in ASCII or full-width
parentheses, ``(第一財經資訊)`` / ``（…）``, possibly after spaces, but not always; bodies hold
parentheses mid-text and titles may hold ``:``, ``─`` and quotes.  The format is our own, so no
library parses it.

Offsets (``title_start`` ... ``body_end``) index the text given; the body excludes its trailing
source and the spaces before it.  Oddities do not stop the file: they are reported (into
``errors`` when the caller collects them, else as warnings) and the rest is read:

- a line ``#tag`` where a title is expected starts a new tag (concatenated digests);
- a line where a title is expected that looks like a body (very long, or ending with a source)
  continues the previous body (a body written over several lines);
- a title with no body line (at the end of the file, or followed by another short title line and
  then a long body) is skipped with a FormatError naming its line.

Text that does not have the digest's shape (:func:`is_digest`: no ``#tag`` line, and a line
taken as a title is a sentence rather than a headline) is plain text: :func:`read_text` reads it
as one article instead of rejecting its lines one by one.
"""
from __future__ import annotations

import datetime as _dt
import re
import warnings
from dataclasses import dataclass

from ..errors import FormatError, NewsledgerError
from ..model import Article

__all__ = ["read_digest", "read_text", "is_digest", "split_source", "MAX_TITLE_CHARS", "PLAIN_TITLE_CHARS"]

MAX_TITLE_CHARS = 150  # a "title" line longer than this is body text
MAX_SOURCE_CHARS = 30
PLAIN_TITLE_CHARS = 60  # the title of a plain text: its first sentence, cut here

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TAG = re.compile(r"^[#＃]\s*(\S{1,40})$")
# the trailing parenthetical: spaces, ( or （, a short inside with no brackets, ) or ）, spaces
_TRAILING = re.compile(r"[ \t\u3000\u00a0]*[(（]([^()（）\r\n]{1,%d})[)）][ \t\u3000\u00a0]*$" % MAX_SOURCE_CHARS)
_SENTENCE_PUNCT = set("。，,；;！？!?、：:")
_SENTENCE_END = set("。！？!?…”」』\"'）)】.")
_NOT_SOURCES = {"完", "全文完", "待續", "待续", "續", "续", "圖", "图", "注", "註", "略", "下同", "同上"}
_TITLE_END_PUNCT = set("。！!；;")
_SENTENCE_STOP = re.compile(r"[。！？!?]")
_CREDIT = re.compile(r"^(圖|图|圖片|图片|照片|攝影|摄影|資料照|资料照)\s*[/／:：]")  # photo credits


@dataclass(slots=True)
class _Line:
    no: int  # 1-based line number
    start: int  # offsets of the stripped content
    end: int
    text: str


def split_source(body: str) -> tuple[int, str | None]:
    """``(body_end, source)``: where the body proper ends and the source that follows, if any.

    The trailing parenthetical counts as the source when it is short, holds no sentence
    punctuation and is not only numbers (``(1.4%)``), and when it stands apart from the sentence:
    after spaces, or right after sentence-final punctuation or a closing quote.  ``增速(1.4%)`` or
    ``他說(大意)`` at the end are part of the sentence; ``(圖/…)`` is a photo credit and ``(完)``
    an end mark.
    """
    m = _TRAILING.search(body)
    if not m:
        return len(body), None
    inner = m.group(1).strip()
    head = body[: m.start()]
    if not inner or not head.strip():
        return len(body), None
    if any(ch in _SENTENCE_PUNCT for ch in inner) or inner in _NOT_SOURCES or _CREDIT.match(inner):
        return len(body), None
    if not any(ch.isalpha() for ch in inner):  # (1.4%), (2025), (-)
        return len(body), None
    spaced = m.group(0)[0] in " \t\u3000\u00a0"
    if not spaced and head[-1] not in _SENTENCE_END:
        return len(body), None
    return len(head.rstrip(" \t\u3000\u00a0")), inner


def _lines(text: str) -> list[_Line]:
    out = []
    for no, m in enumerate(_LINE.finditer(text), start=1):
        raw = m.group().rstrip("\r\n")
        if m.start() == len(text) and not raw:
            break
        s = m.start()
        e = s + len(raw)
        while s < e and (text[s].isspace() or text[s] == "\ufeff"):
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append(_Line(no, s, e, text[s:e]))
    return out


def _looks_like_body(line: _Line) -> bool:
    return len(line.text) > MAX_TITLE_CHARS or split_source(line.text)[1] is not None


def _looks_like_title(line: _Line) -> bool:
    return (len(line.text) <= 60 and split_source(line.text)[1] is None
            and line.text[-1] not in _TITLE_END_PUNCT and "。" not in line.text)


def _report(errors: list[NewsledgerError] | None, err: NewsledgerError) -> None:
    if errors is not None:
        errors.append(err)
    else:
        warnings.warn(str(err), stacklevel=5)


@dataclass(slots=True)
class _Parse:
    pairs: list[tuple[_Line, list[_Line], str | None]]  # title, body lines, tag
    titles: list[_Line]  # every line taken as a title, skipped ones included
    continued: int  # lines read as the continuation of a body


def _parse(text: str, name: str, errors: list[NewsledgerError] | None) -> _Parse:
    """Pair the lines of ``text`` into articles, reporting oddities (see the module docstring)."""
    lines = _lines(text)
    out = _Parse([], [], 0)
    pairs = out.pairs
    file_tag: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _TAG.match(line.text)
        if m and (i == 0 or i + 1 >= len(lines) or _looks_like_title(lines[i + 1])):
            file_tag = m.group(1)
            i += 1
            continue
        if pairs and _looks_like_body(line):
            pairs[-1][1].append(line)  # a body written over several lines
            out.continued += 1
            _report(errors, FormatError(
                f"{name}, line {line.no}: a body line where a title was expected; "
                "read it as the continuation of the previous article's body",
                origin=name, line=line.no))
            i += 1
            continue
        out.titles.append(line)
        if i + 1 >= len(lines):
            hint = "" if _looks_like_title(line) else " (or, if it is plain text, read it with format text)"
            _report(errors, FormatError(
                f"{name}, line {line.no}: title {line.text[:40]!r} has no body line (end of file); "
                f"the article was skipped: add its body on the next line{hint}",
                origin=name, line=line.no))
            break
        nxt = lines[i + 1]
        if (_looks_like_title(nxt) and i + 2 < len(lines) and len(lines[i + 2].text) > MAX_TITLE_CHARS
                and len(line.text) <= MAX_TITLE_CHARS):
            _report(errors, FormatError(
                f"{name}, line {line.no}: title {line.text[:40]!r} is followed by another title, not a body; "
                "the article was skipped: add its body on the next line",
                origin=name, line=line.no))
            i += 1
            continue
        pairs.append((line, [nxt], file_tag))
        i += 2
    return out


def is_digest(text: str) -> bool:
    """Whether ``text`` has the digest's shape, so that it is read as articles rather than one text.

    It has when it is blank, when its first line is a ``#tag`` line, or when the reader pairs it
    into at least one article, every line it takes as a title is a headline (at most 60
    characters, no 。, not ending in ！ or ；, no trailing source) and no line had to be read as
    the continuation of a body.  A paragraph, a single line or an article written in paragraphs
    is not a digest: see :func:`read_text`.
    """
    lines = _lines(text)
    if not lines or _TAG.match(lines[0].text):
        return True
    parsed = _parse(text, "<text>", [])
    return bool(parsed.pairs) and not parsed.continued and all(_looks_like_title(t) for t in parsed.titles)


def read_text(
    text: str,
    origin: str | None = None,
    published: _dt.date | None = None,
    tag: str | None = None,
    *,
    errors: list[NewsledgerError] | None = None,  # noqa: ARG001 - nothing in plain text is an error
) -> list[Article]:
    """Plain text (not a digest) as one article: the whole text is the body, its first sentence the title.

    The body runs from the first to the last non-blank character, less a trailing ``(source)``
    (see :func:`split_source`); the title is the first line up to its first 。！？!? (the 。
    itself dropped), at most :data:`PLAIN_TITLE_CHARS` characters.  The title lies inside the body,
    so its offsets overlap the body's; extraction works on the body alone.  A blank text gives no
    articles.
    """
    from . import make_article

    lines = _lines(text)
    if not lines:
        return []
    b0, b1 = lines[0].start, lines[-1].end
    cut, source = split_source(text[b0:b1])
    first = lines[0]
    t_end = min(first.end, b0 + cut, first.start + PLAIN_TITLE_CHARS)
    m = _SENTENCE_STOP.search(text, first.start, t_end)
    if m and m.start() > first.start:
        t_end = m.start() if m.group() == "。" else m.end()
    while t_end > first.start + 1 and text[t_end - 1].isspace():
        t_end -= 1
    return [make_article(
        text[first.start:t_end], text[b0:b0 + cut], tag=tag, source=source, published=published, url=None,
        origin=origin, title_start=first.start, title_end=t_end, body_start=b0, body_end=b0 + cut,
    )]


def read_digest(
    text: str,
    origin: str | None = None,
    published: _dt.date | None = None,
    tag: str | None = None,
    *,
    errors: list[NewsledgerError] | None = None,
) -> list[Article]:
    """The articles of a digest ``text``; ``tag`` (when given) overrides the file's ``#tag``.

    An empty or blank text gives no articles.  Problems with single articles are reported and
    the article skipped; see the module docstring.
    """
    from . import make_article

    name = origin or "<digest>"
    pairs = _parse(text, name, errors).pairs
    articles = []
    for title, body_lines, ftag in pairs:
        b0, b1 = body_lines[0].start, body_lines[-1].end
        body_text = text[b0:b1]
        cut, source = split_source(body_text)
        articles.append(make_article(
            title.text, text[b0:b0 + cut], tag=tag if tag is not None else ftag, source=source,
            published=published, url=None, origin=origin,
            title_start=title.start, title_end=title.end, body_start=b0, body_end=b0 + cut,
        ))
    return articles

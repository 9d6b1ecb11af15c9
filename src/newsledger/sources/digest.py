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
"""
from __future__ import annotations

import datetime as _dt
import re
import warnings
from dataclasses import dataclass

from ..errors import FormatError, NewsledgerError
from ..model import Article

__all__ = ["read_digest", "split_source", "MAX_TITLE_CHARS"]

MAX_TITLE_CHARS = 150  # a "title" line longer than this is body text
MAX_SOURCE_CHARS = 30

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TAG = re.compile(r"^[#＃]\s*(\S{1,40})$")
# the trailing parenthetical: spaces, ( or （, a short inside with no brackets, ) or ）, spaces
_TRAILING = re.compile(r"[ \t\u3000\u00a0]*[(（]([^()（）\r\n]{1,%d})[)）][ \t\u3000\u00a0]*$" % MAX_SOURCE_CHARS)
_SENTENCE_PUNCT = set("。，,；;！？!?、：:")
_SENTENCE_END = set("。！？!?…”」』\"'）)】.")
_NOT_SOURCES = {"完", "全文完", "待續", "待续", "續", "续", "圖", "图", "注", "註", "略", "下同", "同上"}
_TITLE_END_PUNCT = set("。！!；;")
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
        warnings.warn(str(err), stacklevel=4)


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
    lines = _lines(text)
    file_tag: str | None = None
    pairs: list[tuple[_Line, list[_Line], str | None]] = []  # title, body lines, tag
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
            _report(errors, FormatError(
                f"{name}, line {line.no}: a body line where a title was expected; "
                "read it as the continuation of the previous article's body",
                origin=name, line=line.no))
            i += 1
            continue
        if i + 1 >= len(lines):
            _report(errors, FormatError(
                f"{name}, line {line.no}: title {line.text[:40]!r} has no body line (end of file); "
                "the article was skipped: add its body on the next line",
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

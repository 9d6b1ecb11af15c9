"""Write articles back in the digest format, optionally converting script and regional vocabulary.

The format (read by :mod:`newsledger.sources.digest`): a ``#tag`` line, then per article a title
line and a body line that ends with `` (source)`` when the article has a source.  Script conversion
goes through :func:`newsledger.text.script.to_script` (OpenCC ``s2twp`` for Traditional with Taiwan
vocabulary, ``tw2sp`` for Simplified with mainland vocabulary), applied to the ``#tag`` line,
titles and bodies, which are prose.  Source names are publication names, proper names that keep
the spelling they were published under (a Taiwan paper's name is not "simplified"), so they are
written as stored.  Reading the written text with ``newsledger.read`` gives back the same
articles (titles, bodies, sources, tags; the same ids when the script is unchanged).

Articles are grouped by tag (one ``#tag`` line per group, as concatenated digests are) unless a tag
is forced.  Line breaks inside a title or body are folded to spaces: the format has one line each.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import ConfigError
from .model import Article

_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
SCRIPTS = ("trad", "simp")


def _line(s: str) -> str:
    return _BREAKS.sub(" ", s).strip()


def _conv(s: str | None, script: str | None) -> str | None:
    if s is None or script is None:
        return s
    from .text.script import to_script

    return to_script(s, script)


def write_digest(articles: Iterable[Article], *, script: str | None = None, tag: str | None = None) -> str:
    """The digest text of ``articles`` (``script``: "trad", "simp" or None to keep it as written)."""
    if script is not None and script not in SCRIPTS:
        raise ConfigError(f"unknown script {script!r}: use trad or simp (or leave it unset)", script=script)
    groups: dict[str | None, list[Article]] = {}
    for a in articles:  # grouped by the tag as written: 網路 and 网络 are one group in either script
        g = tag if tag is not None else a.tag
        groups.setdefault(_line(_conv(g, script)) if g else None, []).append(a)
    out: list[str] = []
    for g, arts in groups.items():
        if g:
            out.append(f"#{g}")
        for a in arts:
            title = _line(_conv(a.title, script))
            body = _line(_conv(a.body, script))
            if not title or not body:
                raise ConfigError(f"article {a.id} has an empty title or body: the digest format needs both",
                                  article_id=a.id)
            src = a.source  # a proper name: never converted
            out.append(title)
            out.append(f"{body} ({_line(src)})" if src else body)
    return "\n".join(out) + "\n"

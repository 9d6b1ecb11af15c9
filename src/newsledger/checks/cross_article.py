"""cross_article: the same subject, metric and period with values that disagree across articles.

Compares this article's level claims with ``context`` claims from other articles (the ledger or the
rest of a digest): same subject (canonical), same metric (t2s-equal), same period (resolved value, or
the same text when unresolved and not relative), same unit.  Values whose rounding intervals do not
overlap disagree: a warning naming both sources.  Values that agree give a verified info finding
("confirmed by …").

Positive: article A ``甲公司2024年營收為120億元``, article B ``甲公司2024年營收為150億元``.
Negative: same metric in different years; ``120億元`` vs ``約120億元``; different subjects.
"""
from __future__ import annotations

from ..model import Claim, Finding
from . import register
from ._numbers import fmt, interval, norm, subject_key


def _key(c: Claim):
    if c.subject is None or not c.metric or c.period is None or c.relation not in ("level", None):
        return None
    if c.figure.high is not None:
        return None
    if c.period.value:
        period = c.period.value
    elif not c.period.relative:
        period = norm(c.period.text)
    else:
        return None
    return (subject_key(c), norm(c.metric), period, c.figure.unit)


def _index(claims) -> dict[tuple, list[Claim]]:
    index: dict[tuple, list[Claim]] = {}
    for o in claims:
        k = _key(o)
        if k is not None:
            index.setdefault(k, []).append(o)
    return index


@register("cross_article")
def check(claims, text, context) -> list[Finding]:
    """Same subject+metric+period in another article with a value beyond rounding."""
    if not context.claims:
        return []
    index = context.cached("cross_article", lambda: _index(context.claims))
    out = []
    for c in claims:
        k = _key(c)
        if k is None or k not in index:
            continue
        lo, hi = interval(c.figure)
        for o in index[k]:
            if o.article_id is not None and o.article_id == c.article_id:
                continue
            olo, ohi = interval(o.figure)
            src = context.source_of(o.article_id)
            what = f"{c.subject.text} {c.metric} ({c.period.text})"
            if hi < olo or lo > ohi:
                out.append(Finding(
                    kind="cross_article_conflict", severity="warning", check="cross_article",
                    message=(f"{what} is {c.figure.text} here ({context.source_of(c.article_id)}) but "
                             f"{o.figure.text} in {src}: {fmt(c.figure.value)} vs {fmt(o.figure.value)}, "
                             f"beyond rounding."),
                    spans=((c.figure.start, c.figure.end),), article_id=c.article_id))
            else:
                out.append(Finding(
                    kind="cross_article_agree", severity="info", check="cross_article", verified=True,
                    message=f"{what} {c.figure.text} agrees with {o.figure.text} in {src}.",
                    spans=((c.figure.start, c.figure.end),), article_id=c.article_id))
    return out

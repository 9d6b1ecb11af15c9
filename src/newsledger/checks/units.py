"""units: the same metric of the same subject given in incompatible units or currencies.

Level claims with the same subject, the same metric (t2s-equal) and the same period whose figures
are of different kinds (money vs count vs percent) or different currencies (USD vs CNY) cannot be
compared as written; a reader (or a chart) adding them up would be wrong.  Conversions given on
purpose ("2.1兆美元(約合15兆人民幣)", "折合", "相當於") are not flagged.

Positive: ``甲公司營收為120億元……甲公司營收達18億美元`` (CNY and USD for one metric).
Negative: ``投資2.1兆美元(約合15兆人民幣)``; ``營收72億元……營收增長18%`` (a change, not a level).
"""
from __future__ import annotations

import re

from ..model import Claim, Finding
from . import register
from ._numbers import norm, subject_key

_CONVERSION = re.compile(r"(約合|约合|折合|合計約|相當於|相当于|換算|换算|[（(]\s*(約|约)?合?)\s*$")


def _period_key(c: Claim) -> str:
    if c.period is None:
        return ""
    return c.period.value or norm(c.period.text)


def _dimension(c: Claim) -> str:
    f = c.figure
    if f.kind == "money":
        return f"money:{f.unit}"
    if f.kind in ("percent", "percentage_point", "multiplier", "fraction"):
        return f.kind
    return f"count:{f.unit}" if f.unit else "number"


@register("units")
def check(claims, text, context) -> list[Finding]:
    """Same subject, metric and period in incompatible units or currencies."""
    out = []
    groups: dict[tuple[str, str, str], list[Claim]] = {}
    for c in claims:
        if c.relation in ("level", None) and c.metric and c.subject is not None:
            groups.setdefault((subject_key(c), norm(c.metric), _period_key(c)), []).append(c)
    for (subj, metric, _), group in groups.items():
        dims: dict[str, Claim] = {}
        for c in sorted(group, key=lambda c: c.figure.start):
            d = _dimension(c)
            if text is not None:
                left = text[max(0, c.figure.start - 6) : c.figure.start]
                if _CONVERSION.search(left):
                    continue
            dims.setdefault(d, c)
        money = [d for d in dims if d.startswith("money:")]
        kinds = {d.split(":")[0] for d in dims}
        if len(money) > 1 or ("money" in kinds and len(kinds) > 1):
            cs = list(dims.values())
            desc = ", ".join(f"{c.figure.text} ({c.figure.unit or c.figure.kind})" for c in cs)
            what = "currencies" if len(money) > 1 and len(kinds) == 1 else "units"
            out.append(Finding(
                kind="unit_mismatch", severity="warning", check="units",
                message=(f"{cs[0].subject.text}'s {cs[0].metric} is given in different {what}: {desc}; "
                         f"these cannot be compared or added as written."),
                spans=tuple((c.figure.start, c.figure.end) for c in cs), article_id=cs[0].article_id))
    return out

"""growth_arithmetic: does a stated change match the values it relates?

In one sentence, a new value, a base value marked as the base ("比上期的1.68億元", "較去年的",
"從X增至Y") and a percentage change: recompute the change from the two values over their rounding
intervals (2.9 stands for 2.85–2.95) and compare with the stated percentage (and its own rounding;
"約" widens it).  Also a level, an absolute change and a percentage change ("產量14130億斤,比上年
增加221.8億斤,增長1.6%": 221.8 / (14130 − 221.8)).  Consistent → an ``info`` finding with
``verified=True``; inconsistent → a ``warning`` naming the implied figure.

Positive (flag): ``營收12億元,較上年的10億元增長35%`` (implied +20%).
Verified: ``資產減值2.9億元,比上期的1.68億元增加約73%``.
Negative (nothing to check): ``營收81億元,年增19.9%`` (no base value).
"""
from __future__ import annotations

import re

from ..model import Claim, Finding
from . import register
from ._numbers import fmt, interval, signed_change

_BASE = re.compile(r"(比|較|较|相比|相較|相较|上期|上年|去年|前年|同期|從|从|由)[^,，;；。]{0,8}$")


def _is_base(c: Claim, text: str) -> bool:
    left = text[max(c.sentence_start, c.figure.start - 10) : c.figure.start]
    return bool(_BASE.search(left))


def _pct_interval(lo_new, hi_new, lo_old, hi_old) -> tuple[float, float]:
    if lo_old <= 0:
        return float("-inf"), float("inf")
    cands = [(n - o) / o * 100 for n in (lo_new, hi_new) for o in (lo_old, hi_old) if o > 0]
    return min(cands), max(cands)


def _verdict(change: Claim, implied: tuple[float, float], point: float, what: str, spans, article_id):
    s_lo, s_hi = interval(change.figure, signed_change(change))
    if change.direction == "down":
        s_lo, s_hi = min(s_lo, s_hi), max(s_lo, s_hi)
    ok = not (s_hi < implied[0] or s_lo > implied[1])
    stated = change.figure.text
    if ok:
        return Finding(kind="growth_consistent", severity="info", check="growth_arithmetic", verified=True,
                       message=(f"{what} is a change of {point:+.1f}% ({implied[0]:+.1f}% to {implied[1]:+.1f}% "
                                f"given the rounding); the stated {stated} agrees."),
                       spans=spans, article_id=article_id)
    return Finding(kind="growth_mismatch", severity="warning", check="growth_arithmetic",
                   message=(f"{what} is a change of {point:+.1f}% ({implied[0]:+.1f}% to {implied[1]:+.1f}% "
                            f"given the rounding), but the text states {stated}"
                            f"{' (a fall)' if change.direction == 'down' else ''}."),
                   spans=spans, article_id=article_id)


@register("growth_arithmetic")
def check(claims, text, context) -> list[Finding]:
    """Recompute stated percentage changes from the values they relate (tolerance from the digits)."""
    if not text:
        return []
    out = []
    by_sentence: dict[int, list[Claim]] = {}
    for c in claims:
        by_sentence.setdefault(c.sentence_start, []).append(c)
    for group in by_sentence.values():
        group.sort(key=lambda c: c.figure.start)
        for i, ch in enumerate(group):
            if ch.relation != "change" or ch.figure.unit != "%" or ch.direction is None:
                continue
            before = [c for c in group[:i] if c.figure.unit not in ("%", "pp", "x", None) and c.figure.high is None]
            levels = [c for c in before if c.relation in ("level", None)]
            absolute = [c for c in before if c.relation == "change"]
            spans = None
            # (a) a value and its base value
            if len(levels) >= 2:
                base = next((c for c in reversed(levels) if _is_base(c, text)), None)
                new = next((c for c in reversed(levels) if c is not base and c.figure.unit == (base.figure.unit if base else None)), None)
                if base is not None and new is not None:
                    imp = _pct_interval(*interval(new.figure), *interval(base.figure))
                    point = (new.figure.value - base.figure.value) / base.figure.value * 100
                    spans = tuple((c.figure.start, c.figure.end) for c in (new, base, ch))
                    what = f"{new.figure.text} against {base.figure.text}"
                    out.append(_verdict(ch, imp, point, what, spans, ch.article_id))
                    continue
            # (b) a level and the absolute change that led to it
            if levels and absolute and absolute[-1].figure.unit == levels[-1].figure.unit:
                lv, ab = levels[-1], absolute[-1]
                sign = -1 if ab.direction == "down" else 1
                l_lo, l_hi = interval(lv.figure)
                a_lo, a_hi = interval(ab.figure)
                cands = []
                for L in (l_lo, l_hi):
                    for A in (a_lo, a_hi):
                        base_v = L - sign * A
                        if base_v > 0:
                            cands.append(sign * A / base_v * 100)
                if not cands:
                    continue
                base_pt = lv.figure.value - sign * ab.figure.value
                point = sign * ab.figure.value / base_pt * 100
                spans = tuple((c.figure.start, c.figure.end) for c in (lv, ab, ch))
                what = f"{ab.figure.text} on a base of {fmt(base_pt)} ({lv.figure.text} {'+' if sign < 0 else '−'} {ab.figure.text})"
                out.append(_verdict(ch, (min(cands), max(cands)), point, what, spans, ch.article_id))
    return out

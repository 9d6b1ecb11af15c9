"""range_magnitude: the two ends of a range differ absurdly.

A range whose high end is more than ``RATIO`` times its low end is almost always a magnitude word
written on one end only, or the wrong one.  Flag it and say what was probably meant.

Positive: ``投資將達3萬—4兆美元`` (30,000 to 4×10^12: probably 3–4 兆).
Negative: ``新增債務13兆元至16兆元之間``, ``3至5億元``, ``70%—80%``, ``10到20家``.
"""
from __future__ import annotations

import math
import re

from ..model import Finding
from . import register
from ._numbers import fmt

RATIO = 1000.0
# magnitude words and their size, to name the likely reading (both scripts)
_MAG = {"十": 1e1, "百": 1e2, "千": 1e3, "萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8, "兆": 1e12, "萬億": 1e12, "万亿": 1e12}
_MAG_RE = re.compile(r"(萬億|万亿|兆|億|亿|萬|万|千|百)")


@register("range_magnitude")
def check(claims, text, context) -> list[Finding]:
    """Flag ranges whose ends differ by more than 1000×: 3萬—4兆美元 → probably 3–4 兆."""
    out = []
    seen = set()
    for c in claims:
        f = c.figure
        if f.high is None or (f.start, f.end) in seen or f.value <= 0 or f.high <= 0:
            continue
        seen.add((f.start, f.end))
        ratio = f.high / f.value
        if ratio < RATIO:
            continue
        mags = _MAG_RE.findall(f.text)
        hint = ""
        if mags:
            last = mags[-1]
            scale = _MAG[last]
            # read the low end with the high end's magnitude word
            low_digits = re.search(r"\d+(?:\.\d+)?", f.text)
            if low_digits:
                lo = float(low_digits.group()) * scale
                if lo <= f.high and f.high / lo < 100:
                    hint = f"; probably {low_digits.group()}–{fmt(f.high / scale)} {last} ({fmt(lo)} to {fmt(f.high)})"
        unit = f" {f.unit}" if f.unit else ""
        out.append(Finding(
            kind="range_magnitude", severity="warning", check="range_magnitude",
            message=(f"The range {f.text} runs from {fmt(f.value)} to {fmt(f.high)}{unit}: its ends differ "
                     f"{fmt(ratio)}-fold (10^{int(math.log10(ratio))}), which no real estimate spans{hint}."),
            spans=((f.start, f.end),), article_id=c.article_id,
        ))
    return out

"""Rounding intervals: what range of true values a figure as written stands for.

"2.9億元" stands for 2.85–2.95億 (half a unit of its last digit); "1500輛" for 1495–1505 (trailing
zeros may be rounding, one order below them is allowed); "約73.1%" for a little more (one unit either side); "近3倍" for
somewhat under 3; "超過60%" for anything from 60% up.  Checks compare intervals, never points, so
they do not flag what rounding explains.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from ..claims_rules import to_simp
from ..model import Claim, Figure

_NUM = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")
# a Chinese-numeral figure (三成, 近四成, 兩倍) carries about one significant digit
_CN_REL_TOL = 0.10


def half_ulp(f: Figure, value: float | None = None) -> float:
    """Half a unit of the last written digit, in the figure's own scale (never zero)."""
    v = f.value if value is None else value
    m = _NUM.search(f.text)
    if not m:
        return abs(v) * _CN_REL_TOL or 0.5
    whole, dec = m.group(1).replace(",", ""), m.group(2)
    try:
        written = float(whole + ("." + dec if dec else ""))
    except ValueError:
        return abs(v) * _CN_REL_TOL or 0.5
    scale = abs(v) / written if written else 1.0
    if dec:
        step = 10 ** (-len(dec))
    else:
        # trailing zeros may be rounding (1500 for 1,480): allow one order below them
        zeros = len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0
        step = 10 ** (zeros - 1) if zeros >= 2 else 1
    return 0.5 * step * (scale or 1.0)


def interval(f: Figure, value: float | None = None) -> tuple[float, float]:
    """The values the figure can stand for, given its digits and its qualifier (約, 近, 超過...)."""
    v = f.value if value is None else value
    h = half_ulp(f, v)
    ap = f.approx
    if ap == "approx":
        h = max(2 * h, abs(v) * 0.02)
    lo, hi = v - h, v + h
    if ap in ("more_than", "at_least"):
        hi = math.inf
    elif ap in ("less_than", "at_most"):
        lo = -math.inf
    if ap == "approx" and f.text.lstrip().startswith(("近", "將近", "将近", "接近")):
        lo = min(lo, v * 0.85)
    return lo, hi


def signed_change(c: Claim) -> float:
    """A change claim's value with its sign from the direction (下降152.38% → -152.38)."""
    v = c.figure.value
    return -abs(v) if c.direction == "down" else v


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def _norm(s: str) -> str:
    return _SPACE.sub("", to_simp(s))


def norm(s: str | None) -> str:
    """A subject or metric as compared: Simplified script, no spaces.  The same few names and
    metrics are compared over and over (each OpenCC call costs ~8 µs), so results are cached."""
    return _norm(s) if s else ""


def subject_key(c: Claim) -> str:
    return norm(c.subject.canonical or c.subject.text) if c.subject else ""


def char_f1(a: str, b: str) -> float:
    """Character-overlap F1 of two strings (how alike two metric phrases are)."""
    from collections import Counter

    ca, cb = Counter(a), Counter(b)
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / sum(ca.values()), common / sum(cb.values())
    return 2 * p * r / (p + r)


def fmt(v: float) -> str:
    """A readable number: 30,000 / 4×10^12 / 72.6."""
    if v == 0 or (1e-3 <= abs(v) < 1e7):
        return f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.0f}"
    e = int(math.floor(math.log10(abs(v))))
    mant = v / 10**e
    return f"{mant:.3g}×10^{e}"

"""ratios: "A是B的N倍" against values of A and B stated elsewhere (article or ledger).

A ratio claim has a subject A, an ``other`` B and a metric.  When level claims with the same metric
(character overlap ≥ 0.5 after t2s), the same unit and subjects A and B are found in the article or
in ``context``, the actual ratio A/B (over the rounding intervals of both) is compared with N and its
qualifier (近3倍: under 3; 約: ±15%; 超過: at least).  "比B多N倍" is ambiguous in Chinese usage
(N or N+1 times), so either reading is accepted.  Consistent → verified info; else a warning.

Positive: ``甲國軍費8000億美元,乙國軍費2000億美元,甲國軍費是乙國的8倍`` (actual 4×).
Verified: ``甲國軍費8000億美元,乙國2000億美元,甲國軍費是乙國的4倍``.
Negative (no values to compare): ``甲國電網的裝機總量約是乙國的近3倍``.
"""
from __future__ import annotations

import math

from ..model import Claim, Finding
from . import register
from ._numbers import char_f1, interval, norm, subject_key

_TOL = {"approx": 0.15}


def _same_metric(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return char_f1(norm(a), norm(b)) >= 0.5


def _levels_by_subject(claims) -> dict[str, list[Claim]]:
    idx: dict[str, list[Claim]] = {}
    for c in claims:
        if (c.relation in ("level", None) and c.subject is not None and c.figure.unit not in ("x", None)
                and c.figure.high is None and c.metric):
            idx.setdefault(subject_key(c), []).append(c)
    return idx


def _find_level(local, ledger, subj: str, metric: str | None, unit: str | None) -> Claim | None:
    """The last matching level claim, preferring this article's own over the ledger's."""
    for pool in (local, ledger):
        best = None
        for c in pool.get(subj, ()):
            if c.figure.unit == unit and _same_metric(c.metric, metric):
                best = c
        if best is not None:
            return best
    return None


@register("ratios")
def check(claims, text, context) -> list[Finding]:
    """Compare stated multiples (A是B的N倍) with the values of A and B found elsewhere."""
    out = []
    todo = [c for c in claims if c.relation in ("ratio", "comparison") and c.figure.unit == "x"
            and c.subject is not None and c.other is not None]
    if not todo:
        return out
    local = _levels_by_subject(claims)
    ledger = context.cached("ratios", lambda: _levels_by_subject(context.claims))
    for c in todo:
        a_key, b_key = subject_key(c), norm(c.other.canonical or c.other.text)
        units = {p.figure.unit for p in local.get(a_key, ())} | {p.figure.unit for p in ledger.get(a_key, ())}
        for unit in sorted(units):
            a = _find_level(local, ledger, a_key, c.metric, unit)
            b = _find_level(local, ledger, b_key, c.metric, unit)
            if a is None or b is None:
                continue
            a_lo, a_hi = interval(a.figure)
            b_lo, b_hi = interval(b.figure)
            if b_lo <= 0:
                continue
            act_lo, act_hi = a_lo / b_hi, a_hi / b_lo
            n_lo, n_hi = interval(c.figure)
            if c.figure.approx in _TOL:
                n_lo = min(n_lo, c.figure.value * (1 - _TOL["approx"]))
                n_hi = max(n_hi, c.figure.value * (1 + _TOL["approx"]))
            readings = [(n_lo, n_hi)]
            if c.relation == "comparison":
                readings.append((n_lo + 1, n_hi + 1 if not math.isinf(n_hi) else n_hi))
            ok = any(not (hi < act_lo or lo > act_hi) for lo, hi in readings)
            actual = a.figure.value / b.figure.value
            spans = tuple(sorted({(x.figure.start, x.figure.end) for x in (c, a, b) if x.article_id == c.article_id}))
            src = "" if a.article_id == b.article_id == c.article_id else " (values from the ledger)"
            what = f"{c.subject.text} {a.figure.text} against {c.other.text} {b.figure.text} is {actual:.2f}×{src}"
            if ok:
                out.append(Finding(kind="ratio_consistent", severity="info", check="ratios", verified=True,
                                   message=f"{what}; the stated {c.figure.text} agrees.", spans=spans,
                                   article_id=c.article_id))
            else:
                out.append(Finding(kind="ratio_mismatch", severity="warning", check="ratios",
                                   message=f"{what}, but the text says {c.figure.text}.", spans=spans,
                                   article_id=c.article_id))
            break
    return out

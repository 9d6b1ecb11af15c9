"""Where a text comes from (CN, TW, HK): it decides what a bare 元 means.

Script is no evidence (mainland news is often republished in Traditional script with Taiwan
vocabulary), so this counts weighted marker words from ``data/regions.yaml`` — 新臺幣, 行政院 for
Taiwan; 港府, 本港 for Hong Kong; 人民幣, 國務院 for the mainland — with one regex
pass (the table is small) and picks the heaviest side that reaches the threshold, else CN.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .figures_data import longest_first, table

REGIONS = ("CN", "TW", "HK")


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], dict[str, tuple[str, int]], int, str]:
    data = table("regions")
    weights: dict[str, tuple[str, int]] = {}
    for region, markers in data["markers"].items():
        for word, w in markers.items():
            weights[str(word)] = (region, int(w))
    pattern = re.compile("|".join(re.escape(w) for w in longest_first(weights)))
    return pattern, weights, int(data.get("threshold", 1)), str(data.get("default", "CN"))


def region_scores(text: str) -> dict[str, int]:
    """Total marker weight per region found in ``text``."""
    pattern, weights, _, _ = _compiled()
    scores = dict.fromkeys(REGIONS, 0)
    for m in pattern.finditer(text):
        region, w = weights[m.group()]
        scores[region] += w
    return scores


def detect_region(text: str) -> str:
    """``"TW"``, ``"HK"`` or ``"CN"``: the region whose markers weigh most in ``text`` (CN on a tie
    or when no side reaches the threshold)."""
    _, _, threshold, default = _compiled()
    scores = region_scores(text)
    best = max(REGIONS, key=lambda r: (scores[r], r == default))
    if best != default and scores[best] >= threshold and scores[best] > scores[default]:
        return best
    return default


__all__ = ["detect_region", "region_scores", "REGIONS"]

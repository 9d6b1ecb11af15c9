"""detect_region: marker words, not script, decide where a text is from."""
from __future__ import annotations

import pytest

from newsledger.extract.figures_data import table
from newsledger.extract.region import detect_region, region_scores


@pytest.mark.parametrize("ex", [pytest.param(e, id=e["text"][:10]) for e in table("regions")["examples"]])
def test_examples(ex):
    assert detect_region(ex["text"]) == ex["region"]


def test_traditional_script_alone_is_not_taiwan():
    assert detect_region("中國財政部表示，明年將實施更加積極的財政政策，支出340662億元。") == "CN"


def test_default_is_mainland():
    assert detect_region("") == "CN"
    assert detect_region("今天天氣很好。") == "CN"


def test_hong_kong():
    assert detect_region("港府今日公布，本港失業率維持在3%。") == "HK"


def test_scores_add_up():
    s = region_scores("新臺幣 新臺幣 人民幣")
    assert s["TW"] == 10 and s["CN"] == 3

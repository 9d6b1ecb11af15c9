"""Accuracy of find_figures on the real sample digest, against sentence-by-sentence expectations.

The sample is read at run time from ../shared/seed (never copied into the project); the expected
figures live in corpus/sample_expectations.yaml.  Run with ``-s`` to see precision and recall.
"""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
import yaml

from newsledger.extract.figures import find_figures

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_f01c30d3e8acb4b2.txt"
EXPECT = yaml.safe_load((Path(__file__).parent / "corpus" / "sample_expectations.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the sample digest (../shared/seed) is not here")


def _lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def _key(text, kind, value, high, unit, approx):
    r = lambda v: None if v is None else round(float(v), 9)  # noqa: E731
    return (str(text), kind, r(value), r(high), unit, approx)


def _scores():
    lines = _lines()
    expected, found = Counter(), Counter()
    for no, line in enumerate(lines, start=1):
        for e in EXPECT["lines"].get(no, []):
            expected[(no, *_key(*e))] += 1
        for f in find_figures(line):
            found[(no, *_key(f.text, f.kind, f.value, f.high, f.unit, f.approx))] += 1
    hit = sum((expected & found).values())
    return expected, found, hit


def test_precision_and_recall():
    expected, found, hit = _scores()
    precision = hit / max(1, sum(found.values()))
    recall = hit / max(1, sum(expected.values()))
    print(f"\nsample figures: expected {sum(expected.values())}, found {sum(found.values())}, "
          f"correct {hit}; precision {precision:.3f}, recall {recall:.3f}")
    missing = expected - found
    extra = found - expected
    assert recall >= 0.97, f"missed: {sorted(missing)}"
    assert precision >= 0.97, f"spurious or wrong: {sorted(extra)}"


def test_offsets_hold_on_sample():
    for line in _lines():
        for f in find_figures(line):
            assert line[f.start:f.end] == f.text


@pytest.mark.parametrize("needle", [str(x) for x in EXPECT["absent"]])
def test_never_a_figure(needle):
    for line in _lines():
        figs = find_figures(line)
        start = line.find(needle)
        while start >= 0:
            end = start + len(needle)
            clash = [f.text for f in figs if f.start < end and start < f.end]
            assert not clash, f"{needle!r} overlaps figures {clash}"
            start = line.find(needle, end)


def test_whole_digest_at_once_keeps_regions():
    """Run over the whole file: the Taiwan article's bare 元 stays TWD, the mainland ones CNY."""
    text = SEED.read_text(encoding="utf-8")
    money = [f for f in find_figures(text) if f.kind == "money" and f.text.endswith("億元")]
    by_text = {f.text: f.unit for f in money}
    assert by_text["逾23.7億元"] == "TWD"
    assert by_text["340662億元"] == "CNY"
    assert by_text["-8.65億元"] == "CNY"
    assert all(math.isfinite(f.value) for f in money)

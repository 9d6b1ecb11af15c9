"""Checks on the real sample digest: flag the defective range, confirm the consistent growth, cry no wolf.

Reads ../shared/seed at run time (skips when absent); nothing from the sample is copied here.
"""
from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
SAMPLES = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
pytestmark = pytest.mark.skipif(not SAMPLES, reason="../shared/seed is not present")


@pytest.fixture(scope="module")
def findings():
    from newsledger.checks import run_checks
    from newsledger.extract import extract
    from newsledger.sources import read

    out = []
    for path in SAMPLES:
        for a in read(str(path)):
            ext = extract(a.body)
            for f in run_checks(ext.claims, a.body):
                out.append((a, f, [a.body[s:e] for s, e in f.spans]))
    return out


def test_defective_range_is_flagged(findings):
    hits = [f for a, f, spans in findings if f.kind == "range_magnitude"]
    assert any("3萬" in s and "4兆" in s for a, f, spans in findings if f.kind == "range_magnitude" for s in spans)
    assert all(f.severity == "warning" for f in hits)
    assert any("兆" in f.message for f in hits)  # says what was probably meant


def test_consistent_growth_is_verified(findings):
    ok = [(f, spans) for a, f, spans in findings if f.check == "growth_arithmetic" and f.verified]
    assert any({"2.9億元", "1.68億元"} <= set(spans) for f, spans in ok), [f.message for f, _ in ok]


def test_no_wolf_cried(findings, capsys):
    """Every warning on the sample is the known defect; the rest are confirmations (listed)."""
    warnings = [(f, spans) for a, f, spans in findings if f.severity != "info"]
    assert [f.kind for f, _ in warnings] == ["range_magnitude"], [f.message for f, _ in warnings]
    with capsys.disabled():
        print("\nsample findings:")
        for a, f, spans in findings:
            print(f"  [{'verified' if f.verified else 'flagged'}] {f.check}: {' / '.join(spans)} — {a.title[:20]}")

"""The store with the real pipeline: read() → extract() → add() → get()/search(), on both engines."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.extract import extract
from newsledger.model import Extraction
from newsledger.sources import read
from newsledger.store import Filters

import _store_examples as ex

SEED = Path(__file__).resolve().parents[2] / "../shared/seed"


def test_real_extraction_round_trips(ledger):
    for build in ex.ALL:
        a, _ = build()
        ext = extract(a.body, ref_date=a.published)
        assert ledger.add(a, ext) == "new"
        got = ledger.get(a.id).extraction
        assert got.figures == sorted(ext.figures, key=lambda f: f.start)
        assert sorted(got.entities, key=lambda e: (e.start, e.end)) == sorted(ext.entities, key=lambda e: (e.start, e.end))
        assert sorted(got.times, key=lambda t: (t.start, t.end)) == sorted(ext.times, key=lambda t: (t.start, t.end))
        assert len(got.claims) == len(ext.claims)
        for c in got.claims:
            assert a.body[c.figure.start:c.figure.end] == c.figure.text


def test_sample_digest(ledger):
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not files:
        pytest.skip("the sample digest (../shared/seed) is not here")
    arts = read(str(files[0]))
    for a in arts:
        assert ledger.add(a, extract(a.body, ref_date=a.published)) in ("new", "exists")
    stats = ledger.stats()
    assert stats["articles"] == len({a.id for a in arts}) and stats["figures"] > 0
    # every stored span still points at its text in the stored field
    for what in ("figures", "times", "entities"):
        for r in ledger.iter_rows(what):
            art = ledger.get(r["article_id"]).article
            text = art.title if r["field"] == "title" else art.body
            assert text[r["start"]:r["end"]] == r["text"]
    # a Simplified query finds the Traditional sample, with the original wording marked
    res = ledger.search("人工智能")
    assert res.total >= 1
    for h in res.hits:
        field = h.article.title if h.snippet_field == "title" else h.article.body
        assert "".join(t for t, _ in h.snippet) == field[h.snippet_start:h.snippet_end]
        assert {t for t, m in h.snippet if m} <= {"人工智慧", "人工", "智慧", "人工智能"}
        assert any(m for _, m in h.snippet)
    assert ledger.search("稀土").total >= 1
    # the sample's range 3萬—4兆美元 is money in USD reaching 10^12
    big = list(ledger.iter_figures(Filters(kind="money", unit="USD", value_min=1e12)))
    assert big, "no USD figure of 10^12 or more in the sample"
    assert all(r["value"] >= 1e12 or (r["high"] or 0) >= 1e12 for r in big)


def test_empty_extraction_is_fine(ledger):
    a, _ = ex.article_3()
    assert ledger.add(a, Extraction(text=a.body)) == "new"
    assert ledger.search("互联网").total == 1
    assert ledger.stats()["figures"] == 0

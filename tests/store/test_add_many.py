"""Ledger.add_many: one transaction per batch, the same rows as add() one by one, duplicates and
bad articles handled per article, nothing half-stored.  Both engines."""
from __future__ import annotations

import dataclasses

import pytest

from newsledger.model import Claim, Extraction
from newsledger.store import Filters, Ledger

import _store_examples as ex


def _content(led: Ledger) -> dict:
    """Every article as get() returns it, and the stats."""
    ids = sorted(r["id"] for r in led.iter_articles())
    stats = {k: v for k, v in led.stats().items() if k != "engine"}
    return {"stats": stats, "articles": {i: (led.get(i).article, led.get(i).extraction) for i in ids}}


def test_add_many_stores_what_add_stores(ledger, tmp_path):
    items = [(*build(), b"sig%d" % i) for i, build in enumerate(ex.ALL)]
    assert ledger.add_many(items) == ["new"] * len(items)
    with Ledger(str(tmp_path / "one_by_one.db")) as other:
        for a, ext, sig in items:
            assert other.add(a, ext, signature=sig) == "new"
        assert _content(ledger) == _content(other)
        assert dict(ledger.signatures()) == dict(other.signatures())
        for f in (Filters(tag="科技"), Filters(entity="台积电"), Filters(kind="money", unit="USD", value_min=1e11)):
            assert [h.article.id for h in ledger.search("投资", f).hits] == [h.article.id for h in other.search("投资", f).hits]
            assert ledger.search("数据", f).total == other.search("数据", f).total


def test_facets_in_memory_equal_facets_from_the_stored_rows(ledger):
    a, ext = ex.article_1()
    only_claimed = ex.fig(a.body, "30%", "percent", 30.0, "%", approx="approx")
    ext = dataclasses.replace(ext, figures=[f for f in ext.figures if f != only_claimed])  # a figure only a claim names
    assert any(c.figure == only_claimed for c in ext.claims)
    a2, ext2 = ex.article_2()
    assert ledger.add_many([(a, ext, None), (a2, ext2, None)]) == ["new", "new"]
    with ledger.engine.connect() as conn:
        for art, e in ((a, ext), (a2, ext2)):
            pk = next(r["pk"] for r in conn.exec_driver_sql("SELECT pk, id FROM articles").mappings() if r["id"] == art.id)
            stored = ledger._facets_of(conn, [(pk, art.id, art.tag, art.source, art.published)])[pk]
            assert stored == ledger._prepare(art, e, None).facets and stored
    assert ledger.stats()["figures"] == len(ext.figures) + 1 + len(ext2.figures)
    got = ledger.get(a.id).extraction
    assert sorted(c.figure.text for c in got.claims) == sorted(c.figure.text for c in ext.claims)


def test_duplicates_in_the_batch_and_in_the_ledger(ledger):
    (a1, e1), (a2, e2), (a3, e3) = ex.article_1(), ex.article_2(), ex.article_3()
    assert ledger.add(a1, e1) == "new"
    assert ledger.add_many([(a2, e2, None), (a1, e1, None), (a2, e2, None), (a3, e3, None)]) == \
        ["new", "exists", "exists", "new"]
    assert ledger.stats()["articles"] == 3
    assert ledger.stats()["figures"] == len(e1.figures) + len(e2.figures) + len(e3.figures)
    assert ledger.add_many([(a3, e3, None)]) == ["exists"]
    assert ledger.add_many([]) == []


def test_a_bad_article_costs_only_itself(ledger):
    (a1, e1), (a2, e2), (a3, e3) = ex.article_1(), ex.article_2(), ex.article_3()
    shifted = dataclasses.replace(e2.figures[0], start=e2.figures[0].start + 1, end=e2.figures[0].end + 1)
    bad = dataclasses.replace(e2, figures=[shifted])  # refused before anything is written
    out = ledger.add_many([(a1, e1, None), (a2, bad, None), (a3, e3, None)])
    assert out[0] == "new" and out[2] == "new"
    assert isinstance(out[1], Exception) and "does not match" in str(out[1])
    assert not ledger.has(a2.id) and ledger.stats()["articles"] == 2


def test_a_failing_write_rolls_the_batch_back_then_stores_the_others_one_by_one(ledger, monkeypatch):
    (a1, e1), (a2, e2), (a3, e3) = ex.article_1(), ex.article_2(), ex.article_3()
    real = ledger.fts.index
    poison = ledger._prepare(a2, e2, None).doc

    def index(conn, rows):
        rows = list(rows)
        if any(doc == poison for _, doc, _ in rows):
            raise ValueError("the index refused this article")
        return real(conn, rows)

    monkeypatch.setattr(ledger.fts, "index", index)
    out = ledger.add_many([(a1, e1, None), (a2, e2, None), (a3, e3, None)])
    assert out[0] == "new" and out[2] == "new" and isinstance(out[1], ValueError)
    stats = ledger.stats()
    assert stats["articles"] == 2 and not ledger.has(a2.id)
    assert stats["figures"] == len(e1.figures) + len(e3.figures)  # nothing of a2 left behind
    assert stats["times"] == len(e1.times) + len(e3.times) and stats["claims"] == len(e1.claims)


def test_keyboard_interrupt_rolls_the_whole_batch_back(ledger, monkeypatch):
    def stop(conn, rows):
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger.fts, "index", stop)
    with pytest.raises(KeyboardInterrupt):
        ledger.add_many([(*ex.article_1(), None), (*ex.article_2(), None)])
    stats = ledger.stats()
    assert (stats["articles"], stats["figures"], stats["entities"], stats["claims"]) == (0, 0, 0, 0)


def test_batch_with_title_spans_and_claims_round_trips(ledger):
    title, body = "2024年營收成長12%", "台積電去年營收達到新臺幣2.9兆元，成長12%。"
    a = ex.make(title, body, tag="科技", source="經濟日報", published="2025-02-01")
    whole = f"{title}\n{body}"
    year, money = ex.tim(whole, "2024年", "year", "2024"), ex.fig(whole, "新臺幣2.9兆元", "money", 2.9e12, "TWD")
    pct_t, pct_b = ex.fig(whole, "12%", "percent", 12.0, "%"), ex.fig(whole, "12%", "percent", 12.0, "%", nth=1)
    tsmc = ex.ent(whole, "台積電", "COMPANY", "台积电")
    s0 = whole.index("台積電")
    claims = [Claim(figure=money, subject=tsmc, metric="營收", period=year, sentence_start=s0,
                    sentence_end=len(whole), article_id=a.id),
              Claim(figure=pct_t, subject=None, metric="營收", period=year, sentence_start=0, sentence_end=len(title),
                    article_id=a.id)]
    ext = Extraction(text=whole, figures=[pct_t, money, pct_b], times=[year], entities=[tsmc], claims=claims)
    other_a, other_e = ex.article_4()
    assert ledger.add_many([(other_a, other_e, None), (a, ext, None)]) == ["new", "new"]
    got = ledger.get(a.id).extraction
    assert got.text == whole and got.claims == claims
    assert sorted(got.figures, key=lambda f: f.start) == [pct_t, money, pct_b]

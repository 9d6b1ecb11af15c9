"""Ledger storage on SQLite and PostgreSQL: round trips, atomicity, idempotence, schema version."""
from __future__ import annotations

import dataclasses
import threading

import pytest
from sqlalchemy import create_engine, text

from newsledger.errors import NotFound, StoreError
from newsledger.model import Entity, Extraction, Figure
from newsledger.store import SCHEMA_VERSION, Ledger
from newsledger.store.engine import normalise_url

import _store_examples as ex


def _sorted(spans):
    return sorted(spans, key=lambda s: (s.start, s.end, s.text))


def test_round_trip_article_and_extraction(ledger):
    a, ext = ex.article_1()
    assert ledger.add(a, ext, signature=b"\x01\x02sig") == "new"
    got = ledger.get(a.id)
    assert got.article == a
    assert got.extraction.text == a.body
    assert _sorted(got.extraction.figures) == _sorted(ext.figures)
    assert _sorted(got.extraction.times) == _sorted(ext.times)
    assert _sorted(got.extraction.entities) == _sorted(ext.entities)
    assert got.extraction.claims == ext.claims
    assert got.extraction.findings == ext.findings
    for span in (*got.extraction.figures, *got.extraction.times, *got.extraction.entities):
        assert a.body[span.start:span.end] == span.text
    assert dict(ledger.signatures()) == {a.id: b"\x01\x02sig"}


def test_every_example_round_trips(ledger):
    for build in ex.ALL:
        a, ext = build()
        ledger.add(a, ext)
        got = ledger.get(a.id)
        assert got.article == a
        assert _sorted(got.extraction.figures) == _sorted(ext.figures)
        assert _sorted(got.extraction.entities) == _sorted(ext.entities)
        assert _sorted(got.extraction.times) == _sorted(ext.times)


def test_title_and_body_extraction_keeps_fields(ledger):
    a, _ = ex.article_3()
    whole = f"{a.title}\n{a.body}"
    e_title = ex.ent(whole, "美國", "GPE", "美国")  # first occurrence: in the title
    e_body = ex.ent(whole, "美國", "GPE", "美国", nth=1)
    f_body = ex.fig(whole, "93%", "percent", 93.0, "%")
    ext = Extraction(text=whole, figures=[f_body], entities=[e_title, e_body])
    ledger.add(a, ext)
    rows = {(r["field"], r["start"]) for r in ledger.iter_entities()}
    assert rows == {("title", 0), ("body", a.body.index("美國"))}
    fr = next(ledger.iter_figures())
    assert fr["field"] == "body" and a.body[fr["start"]:fr["end"]] == "93%"
    assert fr["sentence"] == a.body[fr["sentence_start"]:fr["sentence_end"]] and "93%" in fr["sentence"]
    got = ledger.get(a.id).extraction
    assert got.text == whole
    assert _sorted(got.entities) == _sorted([e_title, e_body])
    assert got.figures == [f_body]


def test_refuses_offsets_into_another_text(ledger):
    a, ext = ex.article_2()
    with pytest.raises(StoreError, match="extract"):
        ledger.add(a, Extraction(text=a.body + "!", figures=ext.figures))
    bad = dataclasses.replace(ext.figures[0], start=ext.figures[0].start + 1, end=ext.figures[0].end + 1)
    with pytest.raises(StoreError, match="does not match"):
        ledger.add(a, Extraction(text=a.body, figures=[bad]))
    assert not ledger.has(a.id)
    assert ledger.stats()["articles"] == 0


def test_adding_again_adds_nothing(ledger):
    a, ext = ex.article_2()
    assert ledger.add(a, ext) == "new"
    before = ledger.stats()
    assert ledger.add(a, ext) == "exists"
    assert ledger.add(a, Extraction(text=a.body)) == "exists"
    assert ledger.stats() == before
    assert before["figures"] == len(ext.figures) and before["entities"] == len(ext.entities)


def test_failure_mid_add_leaves_nothing(ledger, monkeypatch):
    a, ext = ex.article_1()

    def boom(conn, rows):  # runs after the article, figures, claims and findings were inserted
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ledger.fts, "index", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ledger.add(a, ext)
    monkeypatch.undo()
    assert not ledger.has(a.id)
    s = ledger.stats()
    assert all(s[k] == 0 for k in ("articles", "figures", "times", "entities", "claims", "findings"))
    assert s["tags"] == {} and s["sources"] == {}
    assert ledger.add(a, ext) == "new"  # and the ledger still works
    assert ledger.search("台積電").total == 1


def test_concurrent_adds_of_the_same_article(ledger_url):
    a, ext = ex.article_4()
    results = []

    def worker():
        with Ledger(ledger_url) as led:
            results.append(led.add(a, ext))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["exists"] * 3 + ["new"]
    with Ledger(ledger_url) as led:
        assert led.stats()["figures"] == len(ext.figures)


def test_duplicates_are_linked(ledger):
    a, ext = ex.article_2()
    ledger.add(a, ext)
    near = ex.make(a.title, a.body + "（转载）", tag=a.tag, source="人民网", published="2025-04-03", origin="x.txt")
    ledger.add_duplicate(near, a.id, 0.93)
    ledger.add_duplicate(near, a.id, 0.93)  # recording it twice keeps one link
    dups = ledger.get(a.id).duplicates
    assert [(d["article_id"], d["duplicate_of"], d["source"], d["origin"]) for d in dups] == [
        (near.id, a.id, "人民网", "x.txt")]
    assert dups[0]["similarity"] == pytest.approx(0.93)
    assert ledger.stats()["duplicates"] == 1
    with pytest.raises(NotFound):
        ledger.add_duplicate(near, "0" * 16, 0.9)


def test_get_unknown_raises_not_found(ledger):
    with pytest.raises(NotFound) as info:
        ledger.get("ffffffffffffffff")
    assert info.value.code == "E404"


def test_stats_latest_and_entity_view(ledger):
    arts = ex.fill(ledger)
    s = ledger.stats()
    assert s["articles"] == 4 and s["figures"] == 9 and s["entities"] == 6 and s["claims"] == 2
    assert s["tags"] == {"科技": 2, "互联网": 1, "美國": 1}
    assert s["sources"] == {"新华社": 2, "經濟日報": 1, "中央社": 1}
    assert [x.id for x in ledger.latest(3)] == [arts["a4"].id, arts["a3"].id, arts["a2"].id]
    view = ledger.entity("美国")
    assert view["articles"] == 2 and view["mentions_total"] == 2
    assert view["names"] == {"美國": 1, "美国": 1}
    by_article = {m["article_id"]: m for m in view["mentions"]}
    # 美國 in article 3 sits in the sentence with 650億美元, not with 93%
    assert [f["text"] for f in by_article[arts["a3"].id]["figures"]] == ["650億美元"]
    assert "650億美元" in by_article[arts["a3"].id]["sentence"]
    assert by_article[arts["a4"].id]["figures"] == []
    with pytest.raises(NotFound):
        ledger.entity("不存在的公司")


def test_claims_keep_their_figure_even_if_unlisted(ledger):
    a, ext = ex.article_1()
    lone = ext.claims[0]
    ext2 = Extraction(text=ext.text, figures=[], claims=[lone])
    ledger.add(a, ext2)
    got = ledger.get(a.id).extraction
    assert got.figures == [lone.figure] and got.claims == [lone]


def test_schema_version_mismatch_says_what_to_do(ledger_url):
    Ledger(ledger_url).close()
    eng = create_engine(normalise_url(ledger_url))
    with eng.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = 999"))
    with pytest.raises(StoreError, match="newer newsledger: upgrade") as info:
        Ledger(ledger_url)
    assert info.value.detail == {"found": 999, "expected": SCHEMA_VERSION}
    with eng.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = 0"))
    with pytest.raises(StoreError, match="older newsledger: ingest"):
        Ledger(ledger_url)
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE schema_version"))
    with pytest.raises(StoreError, match="not a newsledger ledger"):
        Ledger(ledger_url)
    eng.dispose()


def test_urls():
    assert normalise_url(None) == "sqlite:///newsledger.db"
    assert normalise_url("data/x.db") == "sqlite:///data/x.db"
    assert normalise_url("/abs/x.db") == "sqlite:////abs/x.db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    from newsledger.errors import ConfigError

    with pytest.raises(ConfigError):
        normalise_url("mysql://u@h/db")


def test_sqlite_settings(tmp_path):
    with Ledger(str(tmp_path / "plain.db")) as led:  # a bare path is SQLite
        with led.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    assert (tmp_path / "plain.db").exists()


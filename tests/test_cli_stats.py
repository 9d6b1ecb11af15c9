"""``newsledger stats``: the duplicate line says what the ledger records (near-duplicate links only)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.sources import make_article

runner = CliRunner()


def test_duplicates_line_counts_near_duplicate_links_and_says_so(tmp_path):
    from newsledger.extract import extract
    from newsledger.store import Ledger

    db = f"sqlite:///{tmp_path / 'l.db'}"
    a = make_article("甲公司營收成長", "甲公司第三季營收約120億元，年增8%，創同期新高。", source="某報")
    near = make_article("甲公司營收成長兩成", "甲公司第三季營收約120億元，年增8%，創同期新高紀錄。", source="另一報")
    with Ledger(db) as ledger:
        ledger.add(a, extract(a.body))
        assert ledger.add(a, extract(a.body)) == "exists"  # an exact re-ingest: not recorded
        ledger.add_duplicate(near, a.id, 0.9)
    r = runner.invoke(app, ["stats", "--db", db])
    assert r.exit_code == 0, r.output
    rows = {ln.split("│")[1].strip(): ln.split("│")[2].strip() for ln in r.stdout.splitlines() if ln.count("│") >= 3}
    assert rows["articles"] == "1"
    assert rows["near-duplicates linked"] == "1"
    assert "duplicates" not in rows  # the bare, ambiguous label is gone
    assert "exact re-ingests are not stored" in " ".join(r.stdout.split())
    as_json = json.loads(runner.invoke(app, ["stats", "--db", db, "--json"]).stdout)
    assert as_json["duplicates"] == 1  # the JSON key is the ledger's own, unchanged


def test_more_tags_than_top_says_how_many_are_hidden(tmp_path):
    from newsledger.extract import extract
    from newsledger.store import Ledger

    db = f"sqlite:///{tmp_path / 'l.db'}"
    with Ledger(db) as ledger:
        for i, tag in enumerate(("甲", "乙", "丙")):
            a = make_article(f"第{i}篇標題", f"第{i}篇內文，營收增長{i + 1}成。", tag=tag)
            ledger.add(a, extract(a.body))
    r = runner.invoke(app, ["stats", "--db", db, "--top", "1"])
    assert r.exit_code == 0, r.output
    assert "and 2 more tags" in r.stdout and "--top" in r.stdout

"""Digest writer: written digests read back into the same articles, in either script."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newsledger.digest_writer import write_digest
from newsledger.errors import ConfigError
from newsledger.sources import make_article, read

TRAD = [
    ("甲公司公佈第三季財報", "甲公司第三季營收120億元,年增8%,資料中心業務成長最快。", "某財經網"),
    ("網際網路平台擴大投資", "多家平台宣布明年在軟體與資料基礎設施上投入更多資金。", None),
    ("乙市:打造“智慧城市”", "乙市將在三年內新建500座5G基站(含室內站),並開放公共資料。", "乙市日報"),
]
SIMP = [
    ("丙集团发布年度计划", "丙集团计划明年营收增长15%,并在东南亚新设3家工厂。", "某证券报"),
]


def _articles(rows, tag):
    return [make_article(t, b, tag=tag, source=s, published=None, url=None, origin=None,
                         title_start=0, title_end=0, body_start=0, body_end=0) for t, b, s in rows]


def _same(a, b):
    return (a.title, a.body, a.source, a.tag) == (b.title, b.body, b.source, b.tag)


def test_round_trip_keeps_articles_and_ids():
    arts = _articles(TRAD, "創新")
    back = read(write_digest(arts))
    assert len(back) == len(arts)
    assert all(_same(x, y) for x, y in zip(arts, back))
    assert [a.id for a in arts] == [a.id for a in back]


def test_groups_by_tag():
    arts = _articles(TRAD, "創新") + _articles(SIMP, "财经")
    text = write_digest(arts)
    assert text.count("\n#") + text.startswith("#") == 2
    back = read(text)
    assert [a.tag for a in back] == [a.tag for a in arts]


@pytest.mark.parametrize("script,other", [("simp", "trad"), ("trad", "simp")])
def test_script_conversion_round_trips(script, other):
    from newsledger.text.script import detect_script, to_script

    arts = _articles(TRAD, "創新") + _articles(SIMP, "創新")
    text = write_digest(arts, script=script, tag="創新")
    back = read(text)
    assert len(back) == len(arts)
    for a, b in zip(arts, back):
        assert b.title == to_script(a.title, script)
        assert b.body == to_script(a.body, script)
        assert b.source == (to_script(a.source, script) if a.source else None)
        assert detect_script(b.body) in (script, "mixed")
    assert back[0].tag == to_script("創新", script)
    # converting back and forth again is stable
    again = read(write_digest(back, script=script))
    assert all(_same(x, y) for x, y in zip(back, again))


def test_regional_vocabulary_is_converted():
    text = write_digest(_articles(TRAD[1:2], None), script="simp")
    assert "互联网" in text and "網際網路" not in text


def test_line_breaks_are_folded_and_bad_script_rejected():
    arts = _articles([("標題", "第一行\n第二行內容比較長一些。", "來源")], None)
    back = read(write_digest(arts))
    assert back[0].body == "第一行 第二行內容比較長一些。"
    with pytest.raises(ConfigError):
        write_digest(arts, script="klingon")


def test_cli_writes_from_a_ledger(tmp_path):
    from newsledger.cli import app
    from newsledger.extract import extract
    from newsledger.store import Ledger

    db = f"sqlite:///{tmp_path / 'l.db'}"
    arts = _articles(TRAD, "創新")
    with Ledger(db) as ledger:
        for a in arts:
            ledger.add(a, extract(a.body))
    out = tmp_path / "out.txt"
    r = CliRunner().invoke(app, ["digest", "--db", db, "--tag", "創新", "--script", "simp", "--out", str(out)])
    assert r.exit_code == 0, r.output
    back = read(str(out))
    assert sorted(b.title for b in back) == sorted(a.title for a in read(write_digest(arts, script="simp")))

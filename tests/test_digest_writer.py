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
        assert b.source == a.source  # publication names are proper names: kept as stored
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


@pytest.mark.parametrize("script", ["simp", "trad"])
def test_source_names_are_kept_and_the_tag_line_is_converted(script):
    from newsledger.text.script import to_script

    arts = _articles(TRAD, "網路創新") + _articles(SIMP, "网络创新")
    text = write_digest(arts, script=script)
    for a in arts:
        if a.source:
            assert f"({a.source})" in text  # as stored, whatever the script asked for
    tag_lines = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert tag_lines == [f"#{to_script('網路創新', script)}"]  # one group: the two tags are one when written
    back = read(text)
    assert [b.source for b in back] == [a.source for a in arts]
    assert [b.tag for b in back] == [to_script(a.tag, script) for a in arts]


def test_cli_script_option_keeps_sources(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(write_digest(_articles(TRAD, "創新")), "utf-8")
    r = CliRunner().invoke(app_(), ["digest", "--input", str(src), "--script", "simp"])
    assert r.exit_code == 0, r.output
    assert "(某財經網)" in r.stdout and "(乙市日報)" in r.stdout and "#创新" in r.stdout
    assert "网际网路" not in r.stdout and "互联网" in r.stdout


def app_():
    from newsledger.cli import app

    return app

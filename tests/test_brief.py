"""Briefings: built from a digest written for the tests (own sentences), rendered as HTML and Markdown."""
from __future__ import annotations

import struct

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from newsledger.extract import extract
from newsledger.report import build_briefing, render, write_briefing
from newsledger.report.render import md_escape
from newsledger.report.summary import summarise
from newsledger.sources import read

DIGEST = """#測試
兩國算力競賽升溫
在全球算力市場上,美國佔60%,中國佔25%。中國的數據中心耗電量是美國的2倍,中國新增裝機容量是美國的5倍。預計到2030年,美國的算力投資將達到3萬—2兆美元。 (測試週報)
某公司減值擴大
到第三季末,某公司累計的資產減值為2.9億元,比上期的1.68億元增長約73%。公司營收81.5億元,年增19.9%。 (測試日報)
<script>alert(1)</script>標題
正文提到<b>粗體</b>與 | 管線符號,以及[連結](http://x)和日本的3家工廠。 (來源<i>)
"""


@pytest.fixture(scope="module")
def items():
    return [(a, extract(a.body)) for a in read(DIGEST)]


@pytest.fixture(scope="module")
def briefing(items):
    return build_briefing(items, title="測試簡報")


def test_sections_are_built(briefing):
    assert len(briefing.articles) == 3
    assert all(a.summary for a in briefing.articles)
    assert briefing.key_figures and all(r.anchor in briefing.sentences for r in briefing.key_figures)
    kinds = {f.kind for f in briefing.findings}
    assert "range_magnitude" in kinds  # 3萬—2兆美元
    assert any(f.check == "growth_arithmetic" and f.verified for f in briefing.findings)
    names = {n for n, *_ in briefing.entities}
    assert names & {"美國", "美国", "中國", "中国"}


def test_comparison_board_links_cells_to_sentences(briefing):
    assert briefing.boards, "no comparison board"
    board = briefing.boards[0]
    assert {"美國", "中國"} == set(board.subjects)
    cells = [c for _, row in board.rows for cs in row.values() for c in cs]
    assert cells and all(c.anchor in briefing.sentences for c in cells)
    for c in cells:  # the linked sentence holds the figure the cell shows
        fig = c.text.split(" ")[0].lstrip("↑↓")
        assert fig in briefing.sentences[c.anchor].text or c.text.startswith("1×")


def test_html_escapes_article_text(briefing):
    html = render(briefing, "html")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None and soup.find("i") is None
    assert "<script>alert(1)</script>標題" in soup.get_text()
    ids = {t.get("id") for t in soup.find_all(id=True)}
    for a in soup.select("table.board a"):
        assert a["href"].lstrip("#") in ids  # every board cell links to a source sentence


def test_markdown_escapes_article_text(briefing):
    md = render(briefing, "md")
    assert "<script>" not in md and "<b>" not in md
    assert "](http://x)" not in md  # an article's link syntax is neutralised
    for line in md.splitlines():
        if line.startswith("| ") and "管線符號" in line:
            assert line.count("|") == line.count(" | ") + 2  # no stray cell separators
    assert md_escape("a|b<c>") == "a&#124;b&#60;c&#62;"


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_charts_are_written(briefing, tmp_path):
    from newsledger.report.charts import setup

    assert setup() is not None or pytest.skip("no CJK font installed")
    out = write_briefing(briefing, tmp_path / "b.html", "html")
    pngs = sorted((tmp_path / "b_charts").glob("*.png"))
    assert pngs and len(pngs) == len(briefing.charts)
    w, h = _png_size(pngs[0])
    assert w > 300 and h > 100
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert {img["src"] for img in soup.find_all("img")} == {f"b_charts/{p.name}" for p in pngs}


def test_summary_is_an_extract_of_the_body():
    body = "短句。美國商務部公布,上月零售銷售增長0.6%,高於市場預期的0.3%。其他內容。"
    s = summarise(body, extract(body))
    assert s.rstrip("…") in body and "0.6%" in s


def test_cli_brief_from_input_and_ledger(tmp_path):
    from newsledger.cli import app
    from newsledger.store import Ledger

    src = tmp_path / "d.txt"
    src.write_text(DIGEST, encoding="utf-8")
    r = CliRunner().invoke(app, ["brief", "--input", str(src), "--format", "md", "--out", str(tmp_path / "b.md")])
    assert r.exit_code == 0, r.output
    assert "range_magnitude" in (tmp_path / "b.md").read_text(encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'l.db'}"
    with Ledger(db) as ledger:
        for a in read(DIGEST):
            ledger.add(a, extract(a.body))
    r = CliRunner().invoke(app, ["brief", "--db", db, "--tag", "測試", "--format", "html", "--no-charts",
                                 "--out", str(tmp_path / "l.html")])
    assert r.exit_code == 0, r.output
    soup = BeautifulSoup((tmp_path / "l.html").read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("#articles + table tr")) == 4  # header + 3 articles
    r = CliRunner().invoke(app, ["brief", "--db", db, "--tag", "沒有這個", "--out", str(tmp_path / "x.html")])
    assert r.exit_code != 0


def test_briefing_inputs_are_extracted_in_batches_as_ingest_does_one_by_one(monkeypatch):
    """from_inputs batches a file's articles: every extraction equals extract(title + body) alone."""
    from pathlib import Path

    from newsledger import ingest
    from newsledger.ingest import extraction_text
    from newsledger.model import to_dict
    from newsledger.report import sources

    monkeypatch.setattr(ingest, "EXTRACT_BATCH", 3)  # several batches from one example file
    path = Path(__file__).resolve().parents[1] / "examples" / "cn_digest.txt"
    got = list(sources.from_inputs([str(path)]))
    arts = read(str(path))
    assert len(got) == len(arts) > 3
    for (art, ext), want in zip(got, arts):
        assert art.id == want.id
        alone = extract(extraction_text(want), ref_date=want.published)
        assert to_dict(ext) == to_dict(alone)

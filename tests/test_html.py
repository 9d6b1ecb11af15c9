"""HTML reader: the main text of an article page without menus or footers, and its metadata."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsledger.errors import FormatError
from newsledger.sources import read
from newsledger.sources.html import read_html

CORPUS = Path(__file__).parent / "corpus" / "sources"


def test_article_page_in_traditional_utf8():
    arts = read_html((CORPUS / "article_trad_utf8.html").read_text("utf-8"), origin="article_trad_utf8.html")
    assert len(arts) == 1
    a = arts[0]
    assert a.title == "晶片廠第三季營收創新高"
    assert a.source == "產經快報"
    assert a.published == dt.date(2025, 11, 14)
    assert a.url == "https://news.example.tw/tech/20251114-chip"
    assert a.script == "trad"
    assert a.body.startswith("一家位於新竹的晶片代工廠")  # the <h1> is the title, not the body's first line
    assert "2,450億元" in a.body and "五成三" in a.body
    for boilerplate in ("登入", "熱門新聞", "版權所有", "颱風"):
        assert boilerplate not in a.body
    assert a.body.count("\n") == 3  # one line per paragraph


def test_page_in_gb18030_through_read():
    arts = read(CORPUS / "article_simp_gb18030.html", published="2025-11-20")
    assert len(arts) == 1
    a = arts[0]
    assert a.title == "某省前十个月外贸进出口增长"
    assert a.script == "simp"
    assert "1.86万亿元" in a.body and "58.2%" in a.body
    assert "首页" not in a.body and "版权所有" not in a.body
    assert a.source == "江城商报"
    assert a.published == dt.date(2025, 11, 20)  # the page has no date: the argument fills it
    assert a.origin.endswith("article_simp_gb18030.html")


def test_page_date_wins_over_the_argument():
    arts = read_html((CORPUS / "article_trad_utf8.html").read_text("utf-8"), published=dt.date(2020, 1, 1))
    assert arts[0].published == dt.date(2025, 11, 14)


def test_a_page_without_article_text_is_a_format_error():
    with pytest.raises(FormatError, match="menu_only.html"):
        read_html((CORPUS / "menu_only.html").read_text("utf-8"), origin="menu_only.html")


def test_tag_is_applied():
    arts = read_html((CORPUS / "article_trad_utf8.html").read_text("utf-8"), tag="半導體")
    assert arts[0].tag == "半導體"

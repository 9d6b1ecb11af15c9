"""Filters without a query: the home page's tag and source links list those articles, newest first,
on SQLite and on a real, throwaway PostgreSQL server (pages parsed with BeautifulSoup)."""
from __future__ import annotations

import datetime as dt
import os
from urllib.parse import parse_qs, urlsplit

import pytest
from fixture_ledger import soup

# our own short articles: tag, source, published, title, body
ARTICLES = [
    ("能源", "晨報", "2025-02-03", "風電裝機量再創新高", "今年一月新增風電裝機容量約為去年同期的兩倍。"),
    ("能源", "晚报", "2025-03-15", "光伏组件价格回落", "多家厂商下调报价，行业库存仍然偏高。"),
    ("能源", "晨報", None, "儲能電站陸續併網", "多個儲能項目在第一季度完成驗收並開始運行。"),
    ("汽车", "晚报", "2025-01-20", "新能源车销量走强", "一月份新能源汽车销量同比明显增长。"),
    ("汽车", "晨報", "2025-04-08", "車用晶片供應改善", "主要車廠表示晶片短缺問題已大致緩解。"),
]


@pytest.fixture(scope="module")
def pg_base():
    from newsledger.store import pgserver

    if os.environ.get("NEWSLEDGER_SKIP_PG") == "1":
        pytest.skip("NEWSLEDGER_SKIP_PG=1: PostgreSQL tests skipped")
    if pgserver.server_bin() is None:
        pytest.fail("PostgreSQL server binaries not found: run scripts/setup.sh (Debian's postgresql package) "
                    "or set NEWSLEDGER_SKIP_PG=1", pytrace=False)
    with pgserver.throwaway_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def browse(request, tmp_path_factory):
    """(client, stored articles by id) over a small ledger of our own on each engine."""
    from fastapi.testclient import TestClient

    from newsledger.model import Extraction
    from newsledger.sources import make_article
    from newsledger.store import Ledger
    from newsledger.web import create_app

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('browse') / 'ledger.db'}"
    else:
        from newsledger.store import pgserver

        url = pgserver.create_database(request.getfixturevalue("pg_base"), "browse")
    stored = {}
    with Ledger(url) as ledger:
        for tag, source, pub, title, body in ARTICLES:
            a = make_article(title, body, tag=tag, source=source, published=dt.date.fromisoformat(pub) if pub else None,
                             url=None, origin="test", title_start=0, title_end=len(title),
                             body_start=len(title) + 1, body_end=len(title) + 1 + len(body))
            assert ledger.add(a, Extraction(text=a.body)) == "new"
            stored[a.id] = a
        with TestClient(create_app(ledger), raise_server_exceptions=False) as client:
            yield client, stored


def _newest_first(arts):
    # dated articles newest first, undated last (then the most recently stored first)
    order = list(arts)
    dated = sorted((a for a in order if a.published), key=lambda a: a.published, reverse=True)
    return [a.id for a in dated] + [a.id for a in reversed(order) if not a.published]


@pytest.mark.parametrize("section, field", [("tags", "tag"), ("sources", "source")])
def test_home_links_list_the_articles_of_a_tag_or_source(browse, section, field):
    client, stored = browse
    home = soup(client.get("/"))
    links = home.select(f"section.{section} li a")
    assert len(links) == len({getattr(a, field) for a in stored.values()})
    for link in links:
        href = link["href"]
        parts = urlsplit(href)
        assert parts.path == "/search"
        (name,) = parse_qs(parts.query)[field]
        want = _newest_first([a for a in stored.values() if getattr(a, field) == name])
        page = soup(client.get(href))
        assert int(page.select_one("p.summary")["data-total"]) == len(want)
        items = page.select("ol.hits li.hit-item")
        assert [li.select_one("a")["href"] for li in items] == [f"/article/{i}" for i in want]
        for li, aid in zip(items, want):  # the snippet is the start of the body, nothing marked
            assert stored[aid].body.startswith(li.select_one("p.snippet").get_text())
            assert not li.select("mark")
        assert page.select_one(f'form.filters input[name="{field}"]')["value"] == name


def test_api_twin_lists_filtered_articles_and_pages(browse):
    client, stored = browse
    want = _newest_first([a for a in stored.values() if a.tag == "能源"])
    data = client.get("/api/search", params={"tag": "能源"}).json()
    assert data["total"] == len(want) and [h["article"]["id"] for h in data["hits"]] == want
    assert data["query"] == "" and data["filters"] == {"tag": "能源"}
    second = client.get("/api/search", params={"tag": "能源", "per_page": 1, "page": 2}).json()
    assert [h["article"]["id"] for h in second["hits"]] == want[1:2] and second["pages"] == len(want)
    both = client.get("/api/search", params={"tag": "能源", "source": "晚报"}).json()
    assert [h["article"]["id"] for h in both["hits"]] == [
        i for i in want if stored[i].source == "晚报"]


def test_no_query_and_no_filter_shows_the_form(browse):
    client, _ = browse
    page = soup(client.get("/search"))
    assert page.select_one("p.hint") is not None and not page.select("ol.hits li")
    assert client.get("/api/search").json()["total"] == 0

"""The HTML pages, parsed with BeautifulSoup: each shows what its JSON twin holds."""
from __future__ import annotations

import pytest
from fixture_ledger import soup


def _twin(client, page):
    link = page.select_one("footer a.json")
    assert link is not None, "page has no JSON twin link"
    resp = client.get(link["href"])
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
    return resp.json()


def test_home_shows_totals_tags_sources_latest(client):
    page = soup(client.get("/"))
    data = _twin(client, page)
    shown = {dd["data-total"]: dd.get_text() for dd in page.select("dd[data-total]")}
    assert shown["articles"].replace(",", "") == str(data["totals"]["articles"])
    assert [a.get_text() for a in page.select("section.tags li a")] == [f"#{t['name']}" for t in data["tags"]]
    assert [a.get_text() for a in page.select("section.sources li a")] == [s["name"] for s in data["sources"]]
    latest = page.select("section.latest li > a")
    assert [a["href"] for a in latest] == [f"/article/{a['id']}" for a in data["latest"]]


def test_article_page_highlights_figures_times_entities(client, articles):
    shown = 0
    for a in articles:
        page = soup(client.get(f"/article/{a['id']}"))
        data = _twin(client, page)
        body = page.select_one("div.body")
        assert body.get_text() == a["body"], "highlighting must not add or lose characters"
        marks = body.select("mark.fig")
        for m in marks:
            s, e = int(m["data-start"]), int(m["data-end"])
            assert m.get_text() == a["body"][s:e]
            assert m["tabindex"] == "0" and m["data-tip"] and m["title"] == m["data-tip"]
            assert float(m["data-value"]) == pytest.approx(next(
                f["value"] for f in data["figures"] if f["text"] == m.get_text()))
        for t in body.select("span.time"):
            assert t.get_text() == a["body"][int(t["data-start"]):int(t["data-end"])]
        for e in body.select("a.ent"):
            assert e["href"].startswith("/entity/") and e["data-canonical"]
        shown += len(marks)
        assert len(page.select("table.figs tbody tr td.num")) // 2 == len(data["figures"])
    assert shown, "no figure highlighted on any article page"


def test_tooltip_shows_value_unit_bounds(client, ledger, articles):
    for a in articles:
        data = client.get(f"/api/article/{a['id']}").json()
        # body marks count from the body; the API's offsets from the title when it has spans
        shift = len(data["article"]["title"]) + 1 if data["offsets"] == "title+body" else 0
        ranged = [f for f in data["figures"] if f["high"] is not None and f["unit"] and f["start"] >= shift]
        if ranged:
            f = ranged[0]
            page = soup(client.get(f"/article/{a['id']}"))
            m = page.select_one(f'div.body mark.fig[data-start="{f["start"] - shift}"]')
            assert m["data-unit"] == f["unit"] and float(m["data-high"]) == f["high"]
            assert f["unit"] in m["data-tip"] and "–" in m["data-tip"]
            return
    raise AssertionError("the examples hold a range figure with a unit (checks_demo.txt); none was shown")


def test_script_toggle(client, articles):
    trad = [a for a in articles if a["script"] == "trad"]
    if not trad:
        pytest.skip("no Traditional article in the examples")
    a = trad[0]
    page = soup(client.get(f"/article/{a['id']}", params={"script": "simp"}))
    assert page.select_one("article.doc")["data-script"] == "simp"
    assert page.select_one(".script-toggle a.on")["data-script"] == "simp"
    from newsledger.text.script import detect_script

    assert detect_script(page.select_one("div.body").get_text()) == "simp"
    assert {x["href"] for x in page.select(".script-toggle a")} == {"?script=orig", "?script=trad", "?script=simp"}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """A ledger whose articles carry check findings (run_checks over the examples' claims), and a
    client over it: the page must list findings whenever the ledger holds them."""
    from fastapi.testclient import TestClient
    from fixture_ledger import example_files

    from newsledger.checks import run_checks
    from newsledger.extract import extract
    from newsledger.sources import read
    from newsledger.store import Ledger
    from newsledger.web import create_app

    with Ledger(f"sqlite:///{tmp_path_factory.mktemp('checked') / 'c.db'}") as led:
        for path in example_files():
            for art in read(str(path)):
                ext = extract(art.body, ref_date=art.published)
                ext.findings = run_checks(ext.claims, text=art.body)
                led.add(art, ext)
        with TestClient(create_app(led)) as c:
            yield c, led


def test_findings_listed_when_present(checked):
    c, led = checked
    findings = list(led.iter_findings())
    if not any(not f["verified"] for f in findings):
        pytest.skip("no check flags anything in the examples")
    by_article: dict[str, list[dict]] = {}
    for f in findings:
        by_article.setdefault(f["article_id"], []).append(f)
    for aid, fs in by_article.items():
        page = soup(c.get(f"/article/{aid}"))
        items = page.select("section.findings li.finding")
        assert [i["data-kind"] for i in items] == [f["kind"] for f in fs]
        for item, f in zip(items, fs):
            assert f["message"] in item.get_text()
            assert ("verified" in item["class"]) == bool(f["verified"])
        flagged = page.select("div.body mark.fig.flagged")
        if any(not f["verified"] for f in fs):
            assert flagged, "figures named by a warning are marked"
            body = page.select_one("div.body")
            spans = [tuple(s) for f in fs if not f["verified"] for s in f["spans"]]
            for m in flagged:
                s, e = int(m["data-start"]), int(m["data-end"])
                assert any(a < e and s < b for a, b in spans)
            assert body.get_text() == led.get(aid).article.body


def test_search_page_marks_snippets_and_pages(client):
    page = soup(client.get("/search", params={"q": "公司", "per_page": 1}))
    data = _twin(client, page)
    assert int(page.select_one("p.summary")["data-total"]) == data["total"]
    items = page.select("ol.hits li.hit-item")
    assert len(items) == len(data["hits"]) == 1
    assert items[0].select("mark.hit"), "snippet matches are marked"
    assert page.select_one('form.filters input[name="q"]')["value"] == "公司"
    if data["pages"] > 1:
        nxt = page.select_one('nav.pager a[rel="next"]')
        assert "page=2" in nxt["href"] and "q=%E5%85%AC%E5%8F%B8" in nxt["href"]


def test_empty_form_fields_mean_no_filter(client):
    resp = client.get("/search?q=%E5%85%AC%E5%8F%B8&tag=&source=&date_from=&kind=&value_min=")
    assert resp.status_code == 200
    assert soup(resp).select("ol.hits li")


def test_figures_page_table_sort_links_and_csv(client):
    page = soup(client.get("/figures", params={"sort": "-value", "per_page": 10}))
    data = _twin(client, page)
    rows = page.select("table.figures tbody tr")
    assert len(rows) == len(data["rows"])
    shown = [float(r.select_one("td[data-value]")["data-value"]) for r in rows]
    assert shown == [r["value"] for r in data["rows"]]
    th = page.select_one('th[data-col="value"]')
    assert th["aria-sort"] == "descending" and "sort=value" in th.a["href"]
    assert page.select_one("a.csv")["href"].startswith("/figures.csv")
    assert all(r.select_one("td a")["href"].startswith("/article/") for r in rows)


def test_entity_page(client, ledger):
    ent = next(iter(ledger.iter_entities()), None)
    if ent is None:
        pytest.skip("no entities in the fixture ledger")
    page = soup(client.get(f"/entity/{ent['canonical']}"))
    data = _twin(client, page)
    assert page.h1.get_text() == ent["canonical"]
    assert len(page.select("li.mention")) == len(data["mentions"])


def test_unknown_article_page_says_what_was_wrong(client):
    resp = client.get("/article/0000000000000000")
    assert resp.status_code == 404
    from bs4 import BeautifulSoup

    page = BeautifulSoup(resp.text, "html.parser")
    assert page.select_one("section.error")["data-code"] == "E404"
    assert "0000000000000000" in page.select_one("p.message").get_text()

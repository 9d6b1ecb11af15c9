"""The pages in a real browser (headless Debian Chromium): home, search in both scripts, an article
with highlighted figures and their hover/focus tooltip, the script toggle, the CSV download."""
from __future__ import annotations

import csv
import io

import httpx
import pytest

pytestmark = pytest.mark.browser


def _api(base_url: str, path: str, **params) -> dict:
    resp = httpx.get(base_url + path, params=params, timeout=30)
    resp.raise_for_status()
    return resp.json()


def _articles(base_url: str) -> list[dict]:
    return _api(base_url, "/api/home", latest=200)["latest"]


def _traditional_with_simp_title(base_url: str) -> tuple[dict, str]:
    from newsledger.text.script import to_script

    for a in _articles(base_url):
        if a["script"] == "trad":
            simp = to_script(a["title"], "simp")
            if simp != a["title"]:
                return a, simp
    pytest.skip("no Traditional article whose title changes in Simplified")


def test_home_page(page, base_url, tmp_path):
    page.goto("/")
    assert page.locator("h1").inner_text() == "The ledger"
    assert page.locator("section.latest li").count() >= 2
    assert int(page.locator('dd[data-total="articles"]').inner_text().replace(",", "")) >= 2
    page.screenshot(path=tmp_path / "home.png", full_page=True)


@pytest.mark.parametrize("script", ["simp", "trad"])
def test_search_in_both_scripts_finds_the_traditional_article(page, base_url, tmp_path, script):
    article, simp_title = _traditional_with_simp_title(base_url)
    query = simp_title if script == "simp" else article["title"]
    page.goto("/")
    box = page.locator('header form.quick input[name="q"]')
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    links = page.locator("ol.hits li.hit-item > a")
    assert links.count() >= 1
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert f"/article/{article['id']}" in hrefs
    assert page.locator("ol.hits mark.hit").count() >= 1
    page.screenshot(path=tmp_path / f"search-{script}.png", full_page=True)


def _shift(data: dict) -> int:
    """Where the body starts in the offsets of /api/article (title + "\\n" + body when the title has spans)."""
    return len(data["article"]["title"]) + 1 if data["offsets"] == "title+body" else 0


def _article_with_figures(base_url: str) -> dict:
    best = None
    for a in _articles(base_url):
        data = _api(base_url, f"/api/article/{a['id']}")
        n = sum(1 for f in data["figures"] if f["start"] >= _shift(data))
        if best is None or n > best[0]:
            best = (n, data)
    assert best and best[0] > 0, "no article with figures in the fixture ledger"
    return best[1]


def test_article_highlights_and_tooltips(page, base_url, tmp_path):
    data = _article_with_figures(base_url)
    page.goto(f"/article/{data['article']['id']}")
    marks = page.locator("div.body mark.fig")
    assert marks.count() >= 1
    first = marks.first
    bg = first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent"), "figures must be visibly highlighted"
    tip = page.locator("#tip")
    assert tip.is_hidden()
    first.hover()
    tip.wait_for(state="visible")
    start = int(first.get_attribute("data-start"))
    fig = next(f for f in data["figures"] if f["start"] - _shift(data) == start)  # marks count from the body
    from newsledger.web.highlight import fmt_number

    assert fmt_number(fig["value"]) in tip.inner_text()
    if fig["unit"]:
        assert fig["unit"] in tip.inner_text()
    page.screenshot(path=tmp_path / "article-hover.png", full_page=False)
    page.mouse.move(0, 0)
    tip.wait_for(state="hidden")
    # keyboard: figures are focusable and show the same tooltip on focus
    last = marks.last
    last.focus()
    tip.wait_for(state="visible")
    assert tip.inner_text() == last.get_attribute("data-tip")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")


def test_script_toggle_keeps_highlights(page, base_url, tmp_path):
    article, _ = _traditional_with_simp_title(base_url)
    page.goto(f"/article/{article['id']}")
    before = page.locator("div.body").inner_text()
    n_marks = page.locator("div.body mark.fig").count()
    page.locator('.script-toggle a[data-script="simp"]').click()
    page.wait_for_url("**script=simp")
    after = page.locator("div.body").inner_text()
    assert after != before
    assert page.locator("div.body mark.fig").count() == n_marks
    assert page.locator(".script-toggle a.on").get_attribute("data-script") == "simp"
    page.screenshot(path=tmp_path / "article-simp.png", full_page=True)


def test_figures_csv_download(page, base_url, tmp_path):
    page.goto("/figures?sort=-value")
    rows = page.locator("table.figures tbody tr")
    assert rows.count() >= 1
    with page.expect_download() as info:
        page.locator("a.csv").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename == "figures.csv"
    parsed = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    total = _api(base_url, "/api/home")["totals"]["figures"]
    assert len(parsed) == total
    assert {"value", "unit", "sentence"} <= set(parsed[0])
    page.screenshot(path=tmp_path / "figures.png", full_page=False)

"""Filters match across scripts on both engines: tag, source, unit and entity, in search, the
iterators, the exports, the entity view and the web entity page.

The examples of ``_store_examples`` plus two of our own whose tag, source, unit and entity
spellings are written in the other script.  Expected answers come from an oracle that folds with
``newsledger.text.script.normalise`` (NFKC + t2s) in Python, independent of the store's SQL.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from newsledger.model import Claim, Extraction
from newsledger.store import Filters
from newsledger.text.script import normalise

import _store_examples as ex

T5 = "台積電擴大創新研發"
B5 = "台積電宣布明年將新設3個研發中心，並開出超過1200個工程職缺。公司表示研發預算會持續增加。"
T6 = "晶圆代工扩产计划"
B6 = "中芯国际今年新增产能约5万片，总投资达到75亿美元。台积电也在评估新的扩产计划。"


def article_5():
    a = ex.make(T5, B5, tag="創新", source="新華社", published="2025-07-01")
    three = ex.fig(B5, "3個", "count", 3.0, "個")
    jobs = ex.fig(B5, "1200個", "count", 1200.0, "個", approx="more_than")
    tsmc = ex.ent(B5, "台積電", "COMPANY", "台積電")  # canonical stored in Traditional
    s0, s1 = ex.sentence_of(B5, three.start)
    claim = Claim(figure=jobs, subject=tsmc, metric="職缺", period=None, sentence_start=s0, sentence_end=s1, article_id=a.id)
    return a, Extraction(text=B5, figures=[three, jobs], entities=[tsmc], claims=[claim])


def article_6():
    a = ex.make(T6, B6, tag="半导体", source="经济日报", published="2025-07-15")
    figs = [ex.fig(B6, "5万片", "count", 5e4, "片", approx="approx"), ex.fig(B6, "75亿美元", "money", 7.5e9, "USD")]
    ents = [ex.ent(B6, "中芯国际", "COMPANY", "中芯国际"), ex.ent(B6, "台积电", "COMPANY", "台积电")]
    return a, Extraction(text=B6, figures=figs, entities=ents)


@pytest.fixture
def filled(ledger):
    arts = ex.fill(ledger)
    for name, build in (("a5", article_5), ("a6", article_6)):
        a, ext = build()
        assert ledger.add(a, ext) == "new"
        arts[name] = a
    return ledger, arts


def _same(a, b) -> bool:
    return a is not None and b is not None and normalise(a) == normalise(b)


def _oracle_articles(ledger, arts, name, value):
    """Ids of the articles passing filter ``name=value``, folded in Python from the stored rows."""
    if name in ("tag", "source"):
        return {a.id for a in arts.values() if _same(getattr(a, name), value)}
    if name == "entity":
        return {r["article_id"] for r in ledger.iter_entities() if _same(r["canonical"], value)}
    return {r["article_id"] for r in ledger.iter_figures() if _same(r["unit"], value)}


def _hit_ids(res):
    return {h.article.id for h in res.hits}


CASES = [  # (filter, the value in one script, the same value in the other)
    ("tag", "创新", "創新"),
    ("source", "新华社", "新華社"),
    ("source", "经济日报", "經濟日報"),
    ("entity", "台积电", "台積電"),
    ("entity", "美國", "美国"),
    ("unit", "个", "個"),
]


@pytest.mark.parametrize("name, simp, trad", CASES)
def test_filters_find_both_scripts(filled, name, simp, trad):
    ledger, arts = filled
    want = _oracle_articles(ledger, arts, name, simp)
    # the stored values really are in both scripts (else this test proves nothing)
    stored = {getattr(a, name) for a in arts.values()} if name in ("tag", "source") else (
        {r["canonical"] for r in ledger.iter_entities()} if name == "entity" else {r["unit"] for r in ledger.iter_figures()})
    assert len(want) >= 1 and (simp in stored or trad in stored)
    for value in (simp, trad):
        f = Filters(**{name: value})
        browse = ledger.search("", f, limit=50)  # no words: the filtered articles
        assert _hit_ids(browse) == want and browse.total == len(want)
        assert {r["id"] for r in ledger.iter_articles(f)} == want


def test_tag_filter_with_words_and_hash(filled):
    ledger, arts = filled
    for tag in ("创新", "創新", "#创新", "＃創新"):
        res = ledger.search("研发", Filters(tag=tag))  # Simplified words, Traditional article and tag
        assert _hit_ids(res) == {arts["a5"].id} and res.total == 1
    assert ledger.search("研发", Filters(tag="半导体")).total == 0
    assert ledger.search("扩产", Filters(tag="半導體")).total == 1


def test_source_filter_with_words(filled):
    ledger, arts = filled
    for source in ("經濟日報", "经济日报"):
        assert _hit_ids(ledger.search("台積電", Filters(source=source))) == {arts["a1"].id, arts["a6"].id}
    assert _hit_ids(ledger.search("台积电", Filters(source="新华社"))) == {arts["a5"].id}


def test_entity_filter_with_words_and_rows(filled):
    ledger, arts = filled
    want = {arts["a1"].id, arts["a5"].id, arts["a6"].id}
    for name in ("台积电", "台積電", "臺積電"):
        assert _hit_ids(ledger.search("台积电", Filters(entity=name))) == want
        rows = list(ledger.iter_entities(Filters(entity=name)))
        assert {r["canonical"] for r in rows} == {"台积电", "台積電"}  # the stored spellings, as stored
        assert {r["article_id"] for r in rows} == want
        claims = list(ledger.iter_claims(Filters(entity=name)))
        assert {c["article_id"] for c in claims} == {arts["a1"].id, arts["a5"].id}


def test_unit_filter_restricts_figures_in_both_scripts(filled):
    ledger, arts = filled
    for unit in ("个", "個"):
        figs = list(ledger.iter_figures(Filters(unit=unit)))
        assert sorted(r["text"] for r in figs) == sorted(["2000个", "3個", "1200個"])
        big = list(ledger.iter_figures(Filters(kind="count", unit=unit, value_min=1000)))
        assert sorted(r["text"] for r in big) == ["1200個", "2000个"]
        assert _hit_ids(ledger.search("研发", Filters(kind="count", unit=unit, value_min=1000))) == {arts["a5"].id}
        page = ledger.page("figures", Filters(unit=unit), sort="-value")
        assert [r["value"] for r in page] == [2000.0, 1200.0, 3.0]
    assert list(ledger.iter_figures(Filters(unit="個", value_min=5000))) == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_exports_filter_across_scripts(filled, fmt):
    from newsledger.store.export import export

    ledger, arts = filled

    def rows(what, f):
        buf = io.StringIO()
        n = export(ledger, what, fmt, buf, f)
        text = buf.getvalue()
        out = [json.loads(x) for x in text.splitlines()] if fmt == "jsonl" else list(csv.DictReader(io.StringIO(text)))
        assert len(out) == n
        return out

    assert {r["id"] for r in rows("articles", Filters(tag="创新"))} == {arts["a5"].id}
    assert {r["id"] for r in rows("articles", Filters(source="經濟日報"))} == {arts["a1"].id, arts["a6"].id}
    assert sorted(r["text"] for r in rows("figures", Filters(unit="个"))) == sorted(["2000个", "3個", "1200個"])
    assert {r["canonical"] for r in rows("entities", Filters(entity="臺積電"))} == {"台积电", "台積電"}
    assert {r["article_id"] for r in rows("times", Filters(entity="台積電"))} == {arts["a1"].id}


def test_entity_view_finds_either_script_and_shows_stored_spelling(filled):
    ledger, arts = filled
    asked = ledger.entity("台積電")  # stored so (a5): shown as asked
    assert asked["canonical"] == "台積電" and asked["query"] == "台積電"
    assert asked["canonicals"] == {"台积电": 2, "台積電": 1}
    assert asked["mentions_total"] == 3 and asked["articles"] == 3
    assert {m["article_id"] for m in asked["mentions"]} == {arts["a1"].id, arts["a5"].id, arts["a6"].id}
    for m in asked["mentions"]:  # each mention keeps its own original text
        body = next(a.body for a in arts.values() if a.id == m["article_id"])
        assert body[m["start"]:m["end"]] == m["text"]
    other = ledger.entity("臺積電")  # a spelling the ledger does not hold: the most mentioned one is shown
    assert other["canonical"] == "台积电" and other["query"] == "臺積電"
    assert other["mentions_total"] == 3
    assert ledger.entity("美國")["canonical"] == "美国"


def test_entity_view_still_refuses_unknown_names(filled):
    from newsledger.errors import NotFound

    ledger, _ = filled
    for name in ("不存在的公司", "", "  "):
        with pytest.raises(NotFound):
            ledger.entity(name)


@pytest.mark.parametrize("path", ["/entity/{}", "/api/entity/{}"])
def test_web_entity_page_in_both_scripts(filled, path):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    ledger, arts = filled
    with TestClient(create_app(ledger), raise_server_exceptions=False) as client:
        for name in ("台积电", "台積電"):
            resp = client.get(path.format(name))
            assert resp.status_code == 200, resp.text
            if path.startswith("/api"):
                data = resp.json()
                assert data["canonical"] == name and data["mentions_total"] == 3
                assert set(data["canonicals"]) == {"台积电", "台積電"}
            else:
                from bs4 import BeautifulSoup

                page = BeautifulSoup(resp.text, "html.parser")
                assert page.h1.get_text() == name
                assert len(page.select("li.mention")) == 3
                assert [s.get_text() for s in page.select(".spellings .spelling")] == [
                    {"台积电": "台積電", "台積電": "台积电"}[name]]
        search = client.get("/api/search", params={"tag": "创新"}).json()
        assert [h["article"]["id"] for h in search["hits"]] == [arts["a5"].id]
        figs = client.get("/api/figures", params={"unit": "个", "per_page": 50}).json()
        assert sorted(r["text"] for r in figs["rows"]) == sorted(["2000个", "3個", "1200個"])
        assert client.get(path.format("臺灣積體電路")).status_code == 404


@pytest.mark.parametrize("filters", [Filters(tag="创新"), Filters(source="經濟日報"), Filters(entity="臺積電"),
                                     Filters(kind="count", unit="個"), Filters(unit="个"),
                                     Filters(kind="count", unit="个", value_min=1000)])
def test_full_text_index_narrows_by_spelled_facets(filled, filters):
    """The index match alone (before the exact SQL conditions) keeps every spelling's articles."""
    from sqlalchemy import select

    from newsledger.store import schema as S

    ledger, arts = filled
    ids = {a.id for a in arts.values()}
    assert _hit_ids(ledger.search("", filters, limit=50)) < ids
    from newsledger.store.fts import query_terms

    for q in ("研发", "台积电", "数据"):
        terms = query_terms(q)
        m = ledger.fts.matches(terms, ranked=False, filters=filters)
        with ledger.engine.connect() as conn:
            got = set(conn.execute(select(S.articles.c.id).join(m, m.c.pk == S.articles.c.pk)).scalars())
        assert got == _hit_ids(ledger.search(q, filters, limit=50))


def test_spellings_and_facets_without_a_ledger():
    import datetime as dt

    from newsledger.store.facets import article_facets, facet_query, facet_tsquery
    from newsledger.store.filters import spellings, tag_spellings

    assert spellings("个")[0] == "个" and "個" in spellings("个")
    assert set(spellings("台积电")) >= {"台积电", "台積電"} and "台积电" in spellings("臺積電")
    assert "資料" in spellings("数据") and "数据" in spellings("資料")  # regional vocabulary, as full text
    assert spellings("USD") == ("USD",) and spellings("%") == ("%",)
    assert "美元" not in spellings("美国") and "中国" not in spellings("美国")
    assert "创新" in tag_spellings("#創新")
    # the facets of an article keep their format (one token per stored spelling): a filter in the
    # other script asks for that token among its alternatives
    tokens = set(article_facets("創新", "新華社", dt.date(2025, 7, 1), ["台積電"], [("count", "個", 1200.0, None)]).split())

    def passes(f):
        expr = facet_query(f)[len("{facets}: "):].replace(" AND ", " and ").replace(" OR ", " or ")
        names = set(expr.replace("(", " ").replace(")", " ").split()) - {"and", "or"}
        return eval(expr, {}, {t: t in tokens for t in names})

    assert passes(Filters(tag="创新", source="新华社", entity="台积电", kind="count", unit="个", value_min=1000))
    assert not passes(Filters(tag="创业")) and not passes(Filters(unit="片"))
    assert not passes(Filters(kind="count", unit="个", value_min=1e5))  # one order of magnitude of slack
    tsq = facet_tsquery(Filters(tag="创新", unit="个"))
    assert all(t.isalnum() for t in tsq.replace("(", " ").replace(")", " ").replace("|", " ").replace("&", " ").split())
    # too many alternatives for one GIN scan fall back to the coarser kind|unit tokens
    long = facet_tsquery(Filters(kind="count", unit="个", value_min=1))
    assert long.count("fku") == len(spellings("个")) and "fmg" not in long


def test_web_home_groups_the_spellings_of_a_source(filled):
    from bs4 import BeautifulSoup
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    ledger, arts = filled
    with TestClient(create_app(ledger), raise_server_exceptions=False) as client:
        sources = {s["name"]: s for s in client.get("/api/home").json()["sources"]}
        assert sources["新华社"]["spellings"] == ["新華社"] and sources["新华社"]["count"] == 3
        assert {sources[n]["count"] for n in sources if n in ("經濟日報", "经济日报")} == {2}
        assert sum(s["count"] for s in sources.values()) == len(arts)
        page = BeautifulSoup(client.get("/").text, "html.parser")
        for li in page.select("section.sources li"):  # each link's count is what its search finds
            href = li.select_one("a")["href"]
            found = BeautifulSoup(client.get(href).text, "html.parser")
            assert found.select_one("p.summary")["data-total"] == li.select_one(".count").get_text()

"""The JSON twins: same data as the store, documented in the OpenAPI schema."""
from __future__ import annotations

import csv
import io

import pytest


def test_home_totals_match_the_store(client, ledger):
    data = client.get("/api/home").json()
    stats = ledger.stats()
    for name in ("articles", "figures", "times", "entities"):
        assert data["totals"][name] == stats[name]
    for key in ("tags", "sources"):  # the spellings of one name share a link, counted together
        listed = [n for t in data[key] for n in (t["name"], *t["spellings"])]
        assert sorted(listed) == sorted(stats[key])
        for t in data[key]:
            assert t["count"] == sum(stats[key][n] for n in (t["name"], *t["spellings"]))
    assert data["totals"]["articles"] >= 2
    assert len(data["latest"]) == min(20, stats["articles"])


def test_article_offsets_point_into_the_original_text(client, articles):
    for a in articles:
        data = client.get(f"/api/article/{a['id']}").json()
        assert data["article"]["id"] == a["id"]
        text = data["article"]["body"] if data["offsets"] == "body" else f"{a['title']}\n{a['body']}"
        for kind in ("figures", "times", "entities"):
            for span in data[kind]:
                assert text[span["start"]:span["end"]] == span["text"]


def _walk(nodes):
    for n in nodes:
        if "text" in n:
            yield n
        else:
            yield n
            yield from _walk(n["children"])


def _plain(nodes):
    return "".join(n["text"] for n in _walk(nodes) if "text" in n)


def test_segments_keep_every_character_and_mark_every_figure(client, articles):
    marked_any = False
    for a in articles:
        data = client.get(f"/api/article/{a['id']}").json()
        assert _plain(data["segments"]) == a["body"]
        marks = [n for n in _walk(data["segments"]) if n.get("mark") == "fig"]
        body_figs = [f for f in data["figures"] if data["offsets"] == "body"]
        if data["offsets"] == "body":
            assert len(marks) + data["dropped_highlights"] >= len(body_figs)
        for m in marks:
            assert _plain(m["children"]) == a["body"][m["start"]:m["end"]]
            assert m["attrs"]["value"] is not None and m["attrs"]["tip"]
        marked_any |= bool(marks)
    assert marked_any, "no article of the fixture ledger has a highlighted figure"


def test_simplified_view_keeps_highlights(client, articles):
    from newsledger.text.script import detect_script

    trad = [a for a in articles if a["script"] == "trad"]
    if not trad:
        pytest.skip("no Traditional article in the examples")
    a = trad[0]
    orig = client.get(f"/api/article/{a['id']}").json()
    simp = client.get(f"/api/article/{a['id']}", params={"script": "simp"}).json()
    assert simp["script"] == "simp"
    assert _plain(simp["segments"]) != a["body"]
    assert detect_script(_plain(simp["segments"])) == "simp"
    count = lambda d: sum(1 for n in _walk(d["segments"]) if "mark" in n)  # noqa: E731
    assert count(simp) == count(orig)


def test_simplified_query_finds_a_traditional_article(client, articles):
    from newsledger.text.script import to_script

    trad = [a for a in articles if a["script"] == "trad"]
    if not trad:
        pytest.skip("no Traditional article in the examples")
    for a in trad:
        simp_title = to_script(a["title"], "simp")
        if simp_title != a["title"]:
            break
    else:
        pytest.skip("no Traditional title that changes in Simplified")
    data = client.get("/api/search", params={"q": simp_title}).json()
    assert a["id"] in [h["article"]["id"] for h in data["hits"]]
    hit = next(h for h in data["hits"] if h["article"]["id"] == a["id"])
    assert any(p["match"] for p in hit["snippet"])
    original = a["title"] + "\n" + a["body"]
    for p in hit["snippet"]:
        assert p["text"].strip("…") in original  # snippets are cut from the ORIGINAL text


def test_search_paging_is_consistent(client, articles):
    # 公司 (company): common in business news, and in our own hostile record
    full = client.get("/api/search", params={"q": "公司", "per_page": 50}).json()
    if full["total"] < 2:
        pytest.skip("fewer than two hits to page through")
    ids = [h["article"]["id"] for h in full["hits"]]
    paged = [client.get("/api/search", params={"q": "公司", "per_page": 1, "page": i}).json() for i in (1, 2)]
    assert [p["hits"][0]["article"]["id"] for p in paged] == ids[:2]
    assert paged[0]["total"] == full["total"] and paged[0]["pages"] == full["total"]


def test_search_filters_restrict_hits(client, articles):
    tag = articles[0]["tag"]
    data = client.get("/api/search", params={"q": "公司", "tag": tag, "per_page": 50}).json()
    assert all(h["article"]["tag"] == tag for h in data["hits"])
    assert data["filters"] == {"tag": tag}


def test_figures_filter_and_sort(client, ledger):
    data = client.get("/api/figures", params={"sort": "-value", "per_page": 200}).json()
    values = [r["value"] for r in data["rows"]]
    assert values == sorted(values, reverse=True) and values
    asc = client.get("/api/figures", params={"sort": "value", "per_page": 5}).json()
    every = sorted(r["value"] for r in ledger.iter_figures())  # the page above holds 200 of them at most
    assert [r["value"] for r in asc["rows"]] == every[:5] and values == every[::-1][:200]
    kinds = {r["kind"] for r in data["rows"]}
    kind = sorted(kinds)[0]
    only = client.get("/api/figures", params={"kind": kind, "per_page": 200}).json()
    assert only["rows"] and all(r["kind"] == kind for r in only["rows"])
    from newsledger.store import Filters

    assert len(only["rows"]) == min(200, sum(1 for _ in ledger.iter_figures(Filters(kind=kind))))
    low = sorted(values)[len(values) // 2]
    above = client.get("/api/figures", params={"value_min": low, "per_page": 200}).json()
    assert all(r["value"] >= low or (r["high"] or 0) >= low for r in above["rows"])


def test_figures_paging(client):
    p1 = client.get("/api/figures", params={"per_page": 3, "page": 1}).json()
    p2 = client.get("/api/figures", params={"per_page": 3, "page": 2}).json()
    assert p1["has_next"]
    assert not {r["id"] for r in p1["rows"]} & {r["id"] for r in p2["rows"]}


def test_figures_csv_streams_every_matching_figure(client, ledger):
    resp = client.get("/figures.csv")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert len(rows) == sum(1 for _ in ledger.iter_figures())
    assert {"value", "unit", "article_id", "sentence", "text"} <= set(rows[0])
    for r in rows:
        assert r["text"] in r["sentence"] or not r["sentence"]
    money = list(csv.DictReader(io.StringIO(client.get("/figures.csv", params={"kind": "money"}).content.decode("utf-8-sig"))))
    assert all(r["kind"] == "money" for r in money)


def test_entity_twin_lists_mentions_with_sentence_figures(client, ledger):
    ents = list(ledger.iter_entities())
    if not ents:
        pytest.skip("no entities in the fixture ledger")
    from collections import Counter

    canonical, n = Counter(e["canonical"] for e in ents).most_common(1)[0]
    data = client.get(f"/api/entity/{canonical}").json()
    assert data["canonical"] == canonical
    assert data["mentions_total"] == n == len(data["mentions"])
    for m in data["mentions"]:
        for f in m["figures"]:
            assert f["article_id"] == m["article_id"] and f["sentence_start"] == m["sentence_start"]


def test_openapi_documents_every_api_route(client):
    from newsledger.web.api import router

    schema = client.get("/openapi.json").json()
    api_paths = {r.path for r in router.routes}
    assert len(api_paths) >= 7 and api_paths <= set(schema["paths"])
    assert not [p for p in schema["paths"] if not p.startswith("/api/")], "pages stay out of the API schema"
    for path in api_paths:
        for method, op in schema["paths"][path].items():
            assert op.get("summary"), f"{method.upper()} {path} has no summary"
            assert "422" in op["responses"] or "404" in op["responses"]
    home = schema["paths"]["/api/home"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert home["$ref"].endswith("/HomeOut")
    assert "ErrorResponse" in schema["components"]["schemas"]

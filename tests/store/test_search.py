"""Full-text search on both engines: across scripts and regional vocabulary, filters, snippets, safety."""
from __future__ import annotations

import pytest

from newsledger.errors import ConfigError
from newsledger.store import Filters

import _store_examples as ex


@pytest.fixture
def filled(ledger):
    return ledger, ex.fill(ledger)


def _ids(res):
    return {h.article.id for h in res.hits}


@pytest.mark.parametrize("query, expected", [
    ("数据", {"a1", "a3", "a4"}),      # Simplified query: 資料 (a1) and 數據 (a3) in Traditional articles
    ("資料", {"a1", "a3", "a4"}),      # Taiwanese word: finds mainland 数据 (a4) too
    ("互联网", {"a2", "a3"}),          # finds 網際網路 (a3)
    ("網際網路", {"a2", "a3"}),        # and the other way round
    ("人工智能", {"a1"}),              # finds 人工智慧
    ("统计", {"a2", "a3"}),            # two characters, inside 統計數據 too
    ("統計", {"a2", "a3"}),
    ("台积电", {"a1"}),
    ("美国 数据", {"a3", "a4"}),       # several words: all must occur
])
def test_search_across_scripts(filled, query, expected):
    ledger, arts = filled
    res = ledger.search(query)
    assert _ids(res) == {arts[k].id for k in expected}
    assert res.total == len(expected)


def test_ranking_prefers_more_mentions(filled):
    ledger, arts = filled
    res = ledger.search("数据")
    assert res.hits[0].article.id == arts["a4"].id  # five mentions against one or two
    scores = [h.score for h in res.hits]
    assert scores == sorted(scores, reverse=True)


def test_snippets_mark_matches_in_the_original(filled):
    ledger, arts = filled
    hit = ledger.search("人工智能").hits[0]
    body = hit.article.body
    assert hit.snippet_field == "body"
    assert "".join(t for t, _ in hit.snippet) == body[hit.snippet_start:hit.snippet_end]
    assert [t for t, m in hit.snippet if m] == ["人工智慧"]  # the original Traditional wording

    (hit3,) = [h for h in ledger.search("互联网").hits if h.article.id == arts["a3"].id]
    assert [t for t, m in hit3.snippet if m] == ["網際網路"]  # a phrase of another length

    (hit4,) = [h for h in ledger.search("資料").hits if h.article.id == arts["a4"].id]
    assert [t for t, m in hit4.snippet if m][:2] == ["数据", "数据"]


def test_snippet_from_title_when_body_lacks_the_term(ledger):
    a = ex.make("半导体出口创新高", "本月相关产品销量明显回升。", tag=None, source=None, published=None)
    from newsledger.model import Extraction

    ledger.add(a, Extraction(text=a.body))
    hit = ledger.search("半导体").hits[0]
    assert hit.snippet_field == "title"
    assert [t for t, m in hit.snippet if m] == ["半导体"]


def test_paging(filled):
    ledger, _ = filled
    full = ledger.search("数据", limit=10)
    page2 = ledger.search("数据", limit=1, offset=1)
    assert page2.total == 3 and [h.article.id for h in page2.hits] == [full.hits[1].article.id]
    assert ledger.search("数据", limit=0).hits == [] and ledger.search("数据", limit=0).total == 3


@pytest.mark.parametrize("query", ['"', '"数据', "数据 OR *", "NEAR(数据 中心)", "数据 -中心", "'; DROP TABLE articles; --",
                                   "a:b", "^数据", "数据)", "&|!", "NOT", "中心*"])
def test_queries_cannot_inject_syntax(filled, query):
    ledger, _ = filled
    res = ledger.search(query)  # must not raise
    assert res.total == len(res.hits)
    assert ledger.stats()["articles"] == 4


@pytest.mark.parametrize("query", ["", "   ", "，。！", "%"])
def test_empty_queries_find_nothing(filled, query):
    ledger, _ = filled
    res = ledger.search(query)
    assert res.total == 0 and res.hits == [] and res.terms == ()


@pytest.mark.parametrize("query", ["", "  ", "，。"])
@pytest.mark.parametrize("filters, keep", [
    (Filters(tag="科技"), lambda a, ents, usd: a.tag == "科技"),
    (Filters(source="新华社"), lambda a, ents, usd: a.source == "新华社"),
    (Filters(entity="美国"), lambda a, ents, usd: "美国" in ents[a.id]),
    (Filters(date_from="2025-04-01", date_to="2025-05-31"),
     lambda a, ents, usd: "2025-04-01" <= a.published.isoformat() <= "2025-05-31"),
    (Filters(kind="money", unit="USD"), lambda a, ents, usd: a.id in usd),
    (Filters(tag="科技", source="中央社"), lambda a, ents, usd: False),
])
def test_filters_without_words_list_the_filtered_articles(filled, query, filters, keep):
    ledger, arts = filled
    ents = {a.id: set() for a in arts.values()}
    for r in ledger.iter_entities():
        ents[r["article_id"]].add(r["canonical"])
    usd = {r["article_id"] for r in ledger.iter_figures() if r["kind"] == "money" and r["unit"] == "USD"}
    chosen = [a for a in arts.values() if keep(a, ents, usd)]
    want = [a.id for a in sorted(chosen, key=lambda a: a.published, reverse=True)]
    res = ledger.search(query, filters)
    assert res.total == len(want) and [h.article.id for h in res.hits] == want  # newest first
    assert res.terms == ()
    for h in res.hits:  # nothing to mark: the snippet is the start of the body
        assert h.score == 0.0 and h.snippet_field == "body" and h.snippet_start == 0 < h.snippet_end
        assert "".join(t for t, _ in h.snippet) == h.article.body[:h.snippet_end]
        assert not any(m for _, m in h.snippet)
    page = ledger.search(query, filters, limit=1, offset=1)
    assert page.total == len(want) and [h.article.id for h in page.hits] == want[1:2]
    assert ledger.search(query, filters, limit=0).hits == []


def test_no_words_and_no_filters_find_nothing(filled):
    ledger, _ = filled
    assert ledger.search("", Filters()).total == 0 and ledger.search("", None).hits == []


def test_filters_in_search(filled):
    ledger, arts = filled
    assert _ids(ledger.search("数据", Filters(tag="科技"))) == {arts["a1"].id, arts["a4"].id}
    assert _ids(ledger.search("数据", Filters(source="中央社"))) == {arts["a3"].id}
    assert _ids(ledger.search("数据", Filters(date_from="2025-05-01"))) == {arts["a3"].id, arts["a4"].id}
    assert _ids(ledger.search("数据", Filters(date_to="2025-05-20"))) == {arts["a1"].id, arts["a3"].id}
    assert _ids(ledger.search("数据", Filters(entity="美国"))) == {arts["a3"].id, arts["a4"].id}
    # money in USD of 10^11 and more: only the 4000億美元 of article 1
    assert _ids(ledger.search("数据", Filters(kind="money", unit="USD", value_min=1e11))) == {arts["a1"].id}
    assert _ids(ledger.search("数据", Filters(kind="money", unit="USD", value_max=1e11))) == {arts["a3"].id}
    assert _ids(ledger.search("数据", Filters(article_id=arts["a4"].id))) == {arts["a4"].id}
    assert ledger.search("数据", Filters(tag="科技", source="中央社")).total == 0


def test_filters_in_iterators(filled):
    ledger, arts = filled
    usd = list(ledger.iter_figures(Filters(kind="money", unit="USD")))
    assert sorted(r["text"] for r in usd) == ["4000億美元", "650億美元"]
    big = list(ledger.iter_figures(Filters(kind="money", value_min=1e12)))
    assert [r["text"] for r in big] == ["新臺幣1.2兆元"]
    assert {r["id"] for r in ledger.iter_articles(Filters(kind="money", unit="USD", value_min=1e11))} == {arts["a1"].id}
    ents = list(ledger.iter_entities(Filters(entity="中国")))
    assert {r["article_id"] for r in ents} == {arts["a2"].id, arts["a4"].id} and {r["text"] for r in ents} == {"中国"}
    times = list(ledger.iter_times(Filters(entity="美国")))
    assert {r["article_id"] for r in times} == {arts["a3"].id, arts["a4"].id}
    claims = list(ledger.iter_claims(Filters(entity="台积电", kind="percent")))
    assert [(c["figure_text"], c["direction"], c["period_text"]) for c in claims] == [("30%", "up", "去年")]
    assert list(ledger.iter_claims(Filters(entity="美国"))) == []
    findings = list(ledger.iter_findings(Filters(tag="科技")))
    assert [f["check"] for f in findings] == ["growth_arithmetic"] and findings[0]["verified"] is True
    assert list(ledger.iter_findings(Filters(tag="美國"))) == []
    figs_a2 = list(ledger.iter_figures(Filters(article_id=arts["a2"].id)))
    for r in figs_a2:
        assert arts["a2"].body[r["start"]:r["end"]] == r["text"]
        assert r["text"] in r["sentence"] and r["article_title"] == arts["a2"].title


def test_filters_are_validated():
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        Filters(date_from="last week")
    with pytest.raises(ConfigError, match="kind"):
        Filters(kind="dollars")
    with pytest.raises(ConfigError, match="swap"):
        Filters(value_min=10, value_max=1)
    with pytest.raises(ConfigError, match="number"):
        Filters(value_min="lots")
    f = Filters(tag=" 科技 ", date_from="2025-01-02", value_min="1e12")
    assert f.tag == "科技" and f.date_from.isoformat() == "2025-01-02" and f.value_min == 1e12
    assert f.as_dict() == {"tag": "科技", "date_from": "2025-01-02", "value_min": 1e12}


def test_reindex_rebuilds_the_index(filled):
    ledger, arts = filled
    with ledger.engine.begin() as conn:
        ledger.fts.drop(conn)
        ledger.fts.create(conn)
    assert ledger.search("数据").total == 0  # the index is derived data: empty now
    assert ledger.reindex(batch=3) == 4
    assert _ids(ledger.search("数据")) == {arts["a1"].id, arts["a3"].id, arts["a4"].id}


def test_pages_of_figures_sorted_in_sql(filled):
    ledger, arts = filled
    all_values = sorted(r["value"] for r in ledger.iter_figures())
    top = ledger.page("figures", sort="-value", limit=3)
    assert [r["value"] for r in top] == all_values[::-1][:3]
    nxt = ledger.page("figures", sort="-value", offset=3, limit=3)
    assert [r["value"] for r in nxt] == all_values[::-1][3:6]
    usd = ledger.page("figures", Filters(unit="USD"), sort="value")
    assert [r["text"] for r in usd] == ["650億美元", "4000億美元"]
    # high is empty for every figure here: ties keep insertion order
    assert [r["id"] for r in ledger.page("figures", sort="high")] == [r["id"] for r in ledger.iter_figures()]
    # columns of the joined article and computed columns sort too (the page's ids first, then its rows)
    for sort in ("published", "-article_title", "sentence"):
        name = sort.lstrip("-")
        rows = list(ledger.iter_figures())
        want = sorted(rows, key=lambda r: r["id"])
        want = sorted(want, key=lambda r: r[name], reverse=sort.startswith("-"))
        want = sorted(want, key=lambda r: r[name] is None)
        assert [r["id"] for r in ledger.page("figures", sort=sort, limit=len(rows))] == [r["id"] for r in want]
        assert ledger.page("figures", sort=sort, offset=2, limit=2) == ledger.page("figures", sort=sort)[2:4]
    assert ledger.page("figures", sort="value", offset=10_000) == []
    with pytest.raises(ConfigError, match="cannot sort"):
        ledger.page("figures", sort="value; DROP TABLE figures")


def test_snippet_marks_whole_words_before_their_parts():
    from newsledger.store.fts import query_terms
    from newsledger.store.snippets import find_matches

    text = "智慧手機銷量回升，人工智慧晶片供不應求。"
    spans = find_matches(text, query_terms("人工智能"))
    assert [text[s:e] for s, e in spans] == ["人工智慧"]  # not the 智慧 of 智慧手機
    spans = find_matches(text, ["人工", "智能", "人工智能"])  # search-mode parts too: the whole word wins
    assert [text[s:e] for s, e in spans] == ["人工智慧"]
    text2 = "人工成本上升，智能工厂加快建设。"  # only the parts occur: they are marked
    assert [text2[s:e] for s, e in find_matches(text2, ["人工", "智能", "人工智能"])] == ["人工", "智能"]


def test_rank_window_bounds_ranking_of_huge_unfiltered_matches(filled):
    ledger, arts = filled
    full = ledger.search("数据")
    assert full.ranked == full.total == 3
    ledger.rank_window = 2  # rank only the 2 most recently stored matches
    res = ledger.search("数据")
    assert res.total == 3 and res.ranked == 2
    assert _ids(res) == {arts["a3"].id, arts["a4"].id}
    ledger.rank_window = None
    assert ledger.search("数据").ranked == 3


def test_rank_window_bounds_ranking_of_filtered_matches(filled):
    """Filtered: the window is the most recently stored matches that PASS the filters (a4, the newest
    match, is dated too late here); the total stays exact."""
    ledger, arts = filled
    early = Filters(date_to="2025-05-20")  # 数据: a1 and a3 pass, a4 does not
    assert _ids(ledger.search("数据", early)) == {arts["a1"].id, arts["a3"].id}
    ledger.rank_window = 1
    res = ledger.search("数据", early)
    assert res.total == 2 and res.ranked == 1 and _ids(res) == {arts["a3"].id}
    allpass = ledger.search("数据", Filters(date_from="2025-01-01"))  # all three pass
    assert allpass.total == 3 and allpass.ranked == 1 and _ids(allpass) == {arts["a4"].id}
    ledger.rank_window = 2  # no more matches than the window: all ranked
    res = ledger.search("数据", early)
    assert res.total == res.ranked == 2 and _ids(res) == {arts["a1"].id, arts["a3"].id}
    ledger.rank_window = None
    res = ledger.search("数据", Filters(date_from="2025-01-01"))
    assert res.total == res.ranked == 3 and len(res.hits) == 3


def test_query_terms_drop_han_parts_of_longer_words():
    from newsledger.store.fts import query_terms

    from newsledger.store.fts import term_tokens

    assert query_terms("人工智能") == ["人工智能"]
    assert query_terms("網際網路") == ["互联网"]
    toks = term_tokens(query_terms("AI 晶片 aigc"))
    assert "ai" in toks and "aigc" in toks  # Latin words stay


@pytest.mark.parametrize("query, readings", [
    ("軟體", ["软件"]),              # Traditional script: Taiwan's vocabulary read as the mainland's
    ("软件", ["软件"]),              # Simplified script: read as written
    ("尼日利亚", ["尼日利亚"]),      # as written (tw2sp would make it 尼日尔利亚)
    ("程序", ["进程", "程序"]),      # no script-specific character: both readings
])
def test_query_readings_follow_the_query_script(query, readings):
    from newsledger.store.fts import alternatives, query_terms

    terms = query_terms(query)
    assert [" ".join(a) for t in terms for a in alternatives(t)] == readings


def test_regional_words_meet_when_tw2sp_rewrites_the_mainland_word(ledger):
    """OpenCC's tw2sp also rewrites mainland words that Taiwan spells differently (程序 → 进程,
    文件 → 文档, 尼日利亚 → 尼日尔利亚): the index keeps the words as written too, so a mainland
    word and its Taiwanese twin find each other from either side."""
    pairs = {"app": ("手机应用程序下载量大增", "手機應用程式下載量大增"),
             "file": ("公司提交的文件显示营收增长", "公司提交的檔案顯示營收成長"),
             "ng": ("尼日利亚经济增速放缓", "奈及利亞經濟成長放緩")}
    ids = {}
    for key, (cn, tw) in pairs.items():
        for side, body in (("cn", cn), ("tw", tw)):
            a = ex.make(f"{key} {side}", body, tag=None, source=None, published="2025-05-01")
            ledger.add(a, ex.Extraction(text=body))
            ids[key, side] = a.id
    for key, query in [("app", "应用程序"), ("app", "應用程式"), ("file", "文件"), ("file", "檔案"),
                       ("ng", "尼日利亚"), ("ng", "奈及利亞")]:
        got = {h.article.id for h in ledger.search(query).hits}
        assert got == {ids[key, "cn"], ids[key, "tw"]}, query
    (hit,) = [h for h in ledger.search("尼日利亚").hits if h.article.id == ids["ng", "cn"]]
    assert [t for t, m in hit.snippet if m] == ["尼日利亚"]  # marked in the original
    (hit,) = [h for h in ledger.search("应用程序").hits if h.article.id == ids["app", "tw"]]
    assert [t for t, m in hit.snippet if m] == ["應用程式"]


def test_an_index_of_an_older_tokeniser_is_rebuilt_on_open(ledger, ledger_url):
    """A ledger whose words were indexed before the two readings (no tokens version recorded, or an
    older one) is re-indexed once when it opens, and then finds what a new ledger finds."""
    from sqlalchemy import text as sql

    from newsledger.store import Ledger
    from newsledger.store.fts import TOKENS_VERSION, read_tokens_version

    body = "尼日利亚经济增速放缓"
    a = ex.make("old", body, tag=None, source=None, published="2025-05-01")
    ledger.add(a, ex.Extraction(text=body))
    with ledger.engine.begin() as conn:  # as an older newsledger left it: one reading, no record
        conn.execute(sql("DELETE FROM articles_fts_meta WHERE k = 'tokens_version'"))
        if ledger.dialect == "sqlite":
            conn.execute(sql("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')"))
            conn.execute(sql("INSERT INTO articles_fts(rowid, tokens, facets) SELECT pk, '尼日尔 利亚 经济', '' FROM articles"))
        else:
            conn.execute(sql("UPDATE articles_fts SET tsv = to_tsvector('simple', '尼日尔 利亚 经济')"))
    assert ledger.search("尼日利亚").total == 0
    ledger.close()
    with Ledger(ledger_url) as again:
        with again.engine.connect() as conn:
            assert read_tokens_version(conn) == TOKENS_VERSION
        assert [h.article.id for h in again.search("尼日利亚").hits] == [a.id]


def test_one_word_totals_match_the_index(filled):
    ledger, _ = filled
    # one-token queries count from the index vocabulary (SQLite), others by matching: same answers
    for q in ("数据", "美国", "统计", "互联网", "数据 美国"):
        assert ledger.search(q).total == ledger.search(q, Filters(date_from="1900-01-01")).total


def test_facets_are_a_necessary_condition_of_every_filter():
    import datetime as dt

    from newsledger.store.facets import article_facets, facet_query

    facets = set(article_facets("科技", "新华社", dt.date(2025, 3, 9), ["美国"],
                                [("money", "USD", 4e11, None), ("percent", "%", 30.0, 35.0)]).split())
    assert all(t.isalnum() for t in facets)

    def passes(f):  # evaluate the facet expression on this article's tokens
        expr = facet_query(f)
        assert expr.startswith("{facets}: ")
        py = expr[len("{facets}: "):].replace(" AND ", " and ").replace(" OR ", " or ")
        return eval(py, {}, {t: t in facets for t in set(py.replace("(", " ").replace(")", " ").split())
                             if t not in ("and", "or")})

    assert passes(Filters(tag="科技", entity="美国", source="新华社"))
    assert not passes(Filters(tag="财经"))
    assert not passes(Filters(date_from="2025-01-15", date_to="2025-02-28"))  # months are the grain
    assert passes(Filters(date_from="2025-01-15", date_to="2025-03-09"))
    assert passes(Filters(kind="money", unit="USD", value_min=1e11))
    assert passes(Filters(kind="money", unit="USD", value_min=4e11))  # an exact power boundary
    assert not passes(Filters(kind="money", unit="USD", value_min=1e13))
    assert passes(Filters(kind="percent", value_min=33))  # the high end of a range counts
    assert not passes(Filters(kind="money", unit="CNY"))
    assert facet_query(Filters()) is None and facet_query(None) is None


@pytest.mark.parametrize("filters", [Filters(tag="科技"), Filters(source="新华社"), Filters(entity="美国"),
                                     Filters(kind="money", unit="USD")])
def test_full_text_index_narrows_by_facets(filled, filters):
    """Both engines hold the filter tokens in the full-text index: the index match alone (before the
    exact SQL conditions) already leaves only articles passing these filters."""
    from sqlalchemy import select

    from newsledger.store import schema as S
    from newsledger.store.fts import query_terms

    ledger, arts = filled
    terms = query_terms("数据")
    m = ledger.fts.matches(terms, ranked=False, filters=filters)
    with ledger.engine.connect() as conn:
        got = set(conn.execute(select(S.articles.c.id).join(m, m.c.pk == S.articles.c.pk)).scalars())
    assert got == _ids(ledger.search("数据", filters)) and got < _ids(ledger.search("数据"))


def test_postgresql_gin_index_has_no_pending_list(ledger):
    """A GIN pending list makes the planner cost every index scan as reading it all (and pick a
    sequential scan over the tsvectors): the index is built without one."""
    if ledger.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    with ledger.engine.connect() as conn:
        opts = conn.exec_driver_sql(
            "SELECT reloptions FROM pg_class WHERE relname = 'ix_articles_fts_tsv'").scalar()
    assert "fastupdate=off" in (opts or [])


def test_a_snippet_opens_at_a_clause_not_mid_word():
    """The window starts after the punctuation mark nearest its left edge (伺服器, not 服器)."""
    from newsledger.store.snippets import cut

    text = "受需求帶動，伺服器出貨大增的廠商也加快推出新程式。"
    first = text.index("程式")
    pieces, start, end = cut(text, [(first, first + 2)], width=40)
    assert text[start - 1] in "，。" and start <= first
    assert "".join(t for t, _ in pieces) == text[start:end]
    assert [t for t, m in pieces if m] == ["程式"]
    long = "甲" * 50 + "程式"  # no mark to open at: the plain window
    pieces, start, _ = cut(long, [(50, 52)], width=40)
    assert start == 50 - 40 // 4

"""Filtered search through value-bucket facets (facet version 2): same answers as checking every match,
on both engines; an index of the older format is rebuilt when the ledger opens."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text

from newsledger.model import Extraction
from newsledger.store import Filters, Ledger
from newsledger.store.facets import EXP_MAX, FACET_VERSION, NOTHING, article_facets, bucket, facet_plan

import _store_examples as ex

WORDS = ["储能", "光伏", "芯片"]
UNITS = ["%", "USD", "个", "個", None]
KINDS = ["percent", "money", "count"]


def _eval(expr: str, tokens: set[str]) -> bool:
    """Evaluate a facets expression (AND, OR, parentheses) on one article's tokens."""
    assert expr.startswith("{facets}: ")
    py = expr[len("{facets}: "):].replace(" AND ", " and ").replace(" OR ", " or ")
    names = set(py.replace("(", " ").replace(")", " ").split()) - {"and", "or"}
    return eval(py, {}, {t: t in tokens for t in names})  # noqa: S307 - our own alphanumeric tokens


def test_buckets_follow_value_order_and_bound_their_values():
    rng = random.Random(3)
    vals = [rng.choice([1, 2, 5, 9.99, 10]) * 10.0 ** rng.randint(-8, 26) * rng.choice([1, 1 - 1e-15, 1 + 1e-15])
            for _ in range(3000)]
    vals += [10.0 ** e for e in range(-6, EXP_MAX + 1)] + [49.99, 50.0, 99.99999999999999, 1e10, 0.0, -3.0]
    vals.sort()
    buckets = [bucket(v) for v in vals]
    known = [b for b in buckets if b is not None]
    assert known == sorted(known)  # monotone: a larger value never falls in a lower bucket
    for v, b in zip(vals, buckets):
        if b is None:
            assert not v >= 1e-6
        else:
            e, d = b
            assert 1 <= d <= 9 and d * 10.0 ** e <= v  # the bucket's lower edge bounds the value
    assert bucket(50) == (1, 5) and bucket(49.99) == (1, 4) and bucket(1e10) == (10, 1) and bucket(1000) == (3, 1)


def _random_article(rng: random.Random):
    figs = [(rng.choice(KINDS), rng.choice(UNITS), v, rng.choice([None, None, v * rng.uniform(1, 3)]))
            for v in (rng.choice([0.5, 1, 7, 49.99, 50, 50.01, 99, 100, 3.5e10, 1e10, 9.99e9, 2e12, -4])
                      * rng.choice([1, 1, rng.uniform(0.5, 2)]) for _ in range(rng.randint(0, 4)))]
    return rng.choice(["科技", "創新", None]), dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)), figs


def _passes(f: Filters, tag, published, figs) -> bool:  # noqa: ANN001
    if f.tag is not None and tag not in f.forms("tag"):
        return False
    if f.date_from is not None and not published >= f.date_from:
        return False
    if f.date_to is not None and not published <= f.date_to:
        return False
    if not f.has_figure_filter:
        return True
    for kind, unit, value, high in figs:
        if f.kind is not None and kind != f.kind or f.unit is not None and unit not in f.forms("unit"):
            continue
        if f.value_min is not None and not (value >= f.value_min or high is not None and high >= f.value_min):
            continue
        if f.value_max is not None and not value <= f.value_max:
            continue
        return True
    return False


FILTERS = [Filters(kind="percent", value_min=50), Filters(kind="percent", value_min=49.995),
           Filters(unit="USD", value_min=1e10), Filters(kind="money", unit="USD", value_min=3.5e10),
           Filters(unit="個", value_min=7), Filters(kind="count", value_min=100, tag="科技"),
           Filters(kind="percent", value_min=50, value_max=99), Filters(kind="money", value_min=1e-9),
           Filters(date_from="2025-03-01", date_to="2025-06-30"), Filters(date_from="2025-03-02", date_to="2025-06-30"),
           Filters(tag="创新", unit="%"), Filters(date_from="2025-05-01")]
# answered by the index alone: bounds on a bucket's lower edge (50, 1e10, 7, 100), whole months
EXACT = [FILTERS[i] for i in (0, 2, 4, 5, 8, 10)]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.as_dict().items()))
def test_facet_plan_sure_implies_pass_implies_maybe(f):
    rng = random.Random(11)
    for _ in range(400):
        tag, published, figs = _random_article(rng)
        tokens = set(article_facets(tag, "新华社", published, [], figs).split())
        assert NOTHING not in tokens
        maybe, sure = facet_plan(f)
        ok = _passes(f, tag, published, figs)
        if maybe is not None and ok:
            assert _eval(maybe, tokens)  # a necessary condition
        if sure is not None and _eval(sure, tokens):
            assert ok  # a sufficient one
    maybe, sure = facet_plan(f)
    assert (sure is not None and sure == maybe) == (f in EXACT)  # the index alone answers these


@pytest.fixture
def numbered(ledger):
    """60 articles sharing one word, with percents, money and counts of varied sizes, in both scripts."""
    rng = random.Random(5)
    kept = []
    for i in range(60):
        word = WORDS[i % 3]
        figs, parts = [], []
        for j in range(rng.randint(1, 3)):
            kind, unit, value, text_ = rng.choice([
                ("percent", "%", rng.choice([12.5, 49.9, 50.0, 63.0, 88.0, 150.0]), None),
                ("money", "USD", rng.choice([9.9e9, 1e10, 3.4e10, 3.5e10, 2e11]), None),
                ("count", rng.choice(["个", "個"]), rng.choice([3.0, 99.0, 100.0, 1200.0]), None)])
            label = f"指标{i}甲{j}"
            parts.append(f"{label}为{value:g}。")
            figs.append((label, kind, unit, value))
        body = f"{word}相关报道第{i}篇，" + "".join(parts) + ("储能" * (i % 4))
        a = ex.make(f"{word}简讯{i}", body, tag=rng.choice(["科技", "創新"]), source="新华社",
                    published=f"2025-{1 + i % 12:02d}-{1 + i % 27:02d}")
        ext = Extraction(text=body, figures=[ex.fig(body, s, k, v, u) for s, k, u, v in figs])
        ledger.add(a, ext)
        kept.append(a)
    return ledger, kept


def _oracle(ledger, query: str, f: Filters) -> list[str]:  # noqa: ANN001
    """Every match ranked (no window), then the filters checked in Python on the stored rows."""
    ledger.rank_window = None
    allm = ledger.search(query, limit=10_000)
    ok = {r["id"] for r in ledger.iter_articles(f)}
    return [h.article.id for h in allm.hits if h.article.id in ok]


@pytest.mark.parametrize("f", FILTERS[:7] + [Filters(kind="count", unit="个", value_min=100, value_max=1200),
                                            Filters(date_from="2025-02-01", date_to="2025-05-31", unit="%")],
                         ids=lambda f: ",".join(f"{k}={v}" for k, v in f.as_dict().items()))
@pytest.mark.parametrize("query, few", [("储能", False), ("光伏", False), ("储能", True)])
def test_filtered_search_equals_ranking_every_match(numbered, f, query, few):
    ledger, _ = numbered
    if few:  # SQLite: ask the index for one candidate first, so the page is cut again as it grows
        ledger.fts.candidates = 1
    want = _oracle(ledger, query, f)
    for limit, offset in ((20, 0), (3, 0), (2, 5), (50, 1)):
        res = ledger.search(query, f, limit=limit, offset=offset)
        assert res.total == len(want)
        assert [h.article.id for h in res.hits] == want[offset:offset + limit]
        assert [h.score for h in res.hits] == sorted((h.score for h in res.hits), reverse=True)


@pytest.mark.parametrize("f", FILTERS[:7] + [Filters(date_from="2025-02-01", date_to="2025-05-31", unit="%"),
                               Filters(source="新华社")],  # every match passes: windows near all of them
                         ids=lambda f: ",".join(f"{k}={v}" for k, v in f.as_dict().items()))
@pytest.mark.parametrize("path", ["facets", "few", "version1"])
def test_rank_window_ranks_the_newest_passing_matches(numbered, f, path):
    """With more filtered matches than ``rank_window``: the page is the best of the ``rank_window``
    most recently stored matches passing the filters, in the order ranking every match gives them;
    ``total`` is exact and ``ranked`` is the window.  Facets alone, candidates cut small, or no
    value facets (every candidate checked in SQL): the same answer."""
    ledger, arts = numbered
    if path == "few":
        ledger.fts.candidates = 1
    if path == "version1":
        ledger.fts.facet_version = 1
    want = _oracle(ledger, "储能", f)  # every match ranked, filters checked in Python
    assert len(want) >= 4
    stored = {a.id: i for i, a in enumerate(arts)}  # the fixture stores them in this order
    cut = 0  # windows whose first page differs from ranking every match (the test can tell them apart)
    for window in (1, 3, len(want) // 2, len(want) - 1):
        ledger.rank_window = window
        newest = set(sorted(want, key=stored.__getitem__)[-window:])
        best = [i for i in want if i in newest]  # ranking a subset keeps its order
        cut += best[:2] != want[:2]
        for limit, offset in ((20, 0), (2, 0), (2, 1), (50, 1)):
            res = ledger.search("储能", f, limit=limit, offset=offset)
            assert res.total == len(want) and res.ranked == window
            assert [h.article.id for h in res.hits] == best[offset:offset + limit]
    assert cut
    for window in (len(want), len(want) + 1):  # not more matches than the window: every one ranked
        ledger.rank_window = window
        res = ledger.search("储能", f, limit=100)
        assert res.total == res.ranked == len(want) and [h.article.id for h in res.hits] == want
    ledger.rank_window = None
    res = ledger.search("储能", f, limit=100)
    assert res.total == res.ranked == len(want) and [h.article.id for h in res.hits] == want


def test_facets_index_built_on_open_for_an_older_ledger(numbered, ledger_url):
    """SQLite: a ledger indexed before facet version 2 gets its facets index built once, on open, from
    the stored rows; the words' index (and so every score) is left as it was."""
    ledger, arts = numbered
    if ledger.dialect != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's GIN index keeps version 1's tokens")
    f = Filters(kind="percent", value_min=50)
    want, plain = ledger.search("储能", f), ledger.search("储能", limit=100)
    assert ledger.fts.facet_version == FACET_VERSION
    with ledger.engine.begin() as conn:  # make it a ledger of facet version 1: no facets index, no record
        conn.execute(text("DELETE FROM articles_fts_meta"))
        conn.exec_driver_sql("DROP TABLE articles_facets")
    ledger.close()
    with Ledger(ledger_url) as again:  # opening builds it, once
        assert again.fts.facet_version == FACET_VERSION
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT v FROM articles_fts_meta WHERE k = 'facet_version'")).scalar() == str(
                FACET_VERSION)
            n = conn.execute(text("SELECT count(*) FROM articles_facets WHERE articles_facets MATCH :q"),
                             {"q": facet_plan(f)[0].split(": ", 1)[1]}).scalar()
        assert n == len({r["id"] for r in again.iter_articles(f)}) > 0
        res = again.search("储能", f)
        assert res.total == want.total and [h.article.id for h in res.hits] == [h.article.id for h in want.hits]
        again_plain = again.search("储能", limit=100)
        assert [(h.article.id, h.score) for h in again_plain.hits] == [(h.article.id, h.score) for h in plain.hits]
    with Ledger(ledger_url) as third:
        assert third.fts.facet_version == FACET_VERSION


def test_version_one_index_still_answers_exactly(numbered):
    """Before the rebuild (facet version 1) the orders of magnitude narrow and SQL checks every candidate."""
    ledger, _ = numbered
    ledger.fts.facet_version = 1
    for f in FILTERS[:4]:
        want = _oracle(ledger, "储能", f)
        res = ledger.search("储能", f, limit=5, offset=1)
        assert res.total == len(want) and [h.article.id for h in res.hits] == want[1:6]


@pytest.mark.parametrize("walk", [5000, 0])
def test_browse_through_the_facets_index_lists_what_sql_lists(numbered, walk):
    """Filters without words: the facets index counts and lists (walking the date index, or sorting a
    small set) exactly the articles the SQL conditions pass, newest first."""
    ledger, arts = numbered
    ledger.fts.browse_walk = walk
    by_id = {a.id: a for a in arts}
    for f in FILTERS:
        ok = {r["id"] for r in ledger.iter_articles(f)}
        stored = {r["id"]: r for r in ledger.iter_articles()}
        want = sorted(ok, key=lambda i: (by_id[i].published, stored[i]["ingested_at"], stored[i]["id"]), reverse=True)
        res = ledger.search("", f, limit=100)
        assert res.total == len(ok) and {h.article.id for h in res.hits} == ok
        assert [h.article.published for h in res.hits] == [by_id[i].published for i in want]
        page = ledger.search("", f, limit=4, offset=3)
        assert [h.article.id for h in page.hits] == [h.article.id for h in res.hits][3:7]


def test_words_index_keeps_version_one_tokens_only(numbered):
    """SQLite: the ranked index holds the words and version 1's facets only (so bm25 lengths, and
    scores, are as before); the value buckets are in the facets index."""
    ledger, _ = numbered
    if ledger.dialect != "sqlite":
        pytest.skip("SQLite only")
    from newsledger.store.facets import V2_PREFIXES

    with ledger.engine.connect() as conn:
        words = list(conn.execute(text("SELECT term FROM articles_fts_vocab")).scalars())
        conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fv USING fts5vocab(main, articles_facets, 'row')")
        facets = list(conn.execute(text("SELECT term FROM temp.fv")).scalars())
    assert words and not any(t.startswith(V2_PREFIXES) for t in words)
    assert any(t.startswith(V2_PREFIXES) for t in facets) and all(t.startswith("f") for t in facets)

"""The full-text index: derived data, one back end per engine, rebuilt by ``Ledger.reindex()``.

Both back ends index the same thing: ``newsledger.text.segment.index_text(title + "\\n" + body)``,
space-separated tokens of the Simplified, mainland-vocabulary view (資料 → 数据, 網際網路 →
互联网).  Queries go through the same function, so a query in either script or regional vocabulary
meets the same tokens, and a two-character word is a whole token (no trigram minimum).

- SQLite: a contentless FTS5 table ``articles_fts`` (rowid = ``articles.pk``), ranked with
  ``bm25``.  Contentless because the original text already sits in ``articles`` and snippets are
  cut from the original, not from the index.  Beside it, ``articles_facets``: every filter token
  (see :mod:`.facets`, version 2 with value buckets) in an index that is never ranked.  A filtered
  search matches the words in one, keeps the pks the filters' tokens match in the other, and ranks
  only those; what the tokens cannot decide is checked in SQL on the few candidates a page needs.
  More passing matches than ``Ledger.rank_window``: only the window's most recent ones are scored
  and ranked; the window's bound and the count of the older ones come from merging the two
  indexes' rowid lists (no scores).
- PostgreSQL: a table ``articles_fts(pk, tsv)`` with a ``tsvector`` in the ``simple``
  configuration (no stemming, no stop words: the tokens are already normalised) and a GIN index,
  ranked with ``ts_rank``; the facet tokens (see :mod:`.facets`) follow the words in the tsvector.

Query tokens are never spliced into FTS syntax: in SQLite each is a double-quoted FTS5 string
(quotes doubled) passed as a bound parameter; in PostgreSQL the tokens go to ``plainto_tsquery``,
which understands no operators.  Tokens are ANDed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import (Float, Integer, and_, bindparam, column, func, literal_column, or_, select, table, text,
                        values)
from sqlalchemy.engine import Connection

from . import schema as S
from .facets import FACET_VERSION, facet_plan, facet_query, facet_tsquery, v1_facets

#: Where the SQLite index records the version of its facet tokens (see .facets): a ledger indexed
#: before FACET_VERSION gets its facets index built when it opens (Ledger._build_facets).
META_TABLE = "articles_fts_meta"


def _read_version(conn: Connection, fresh: bool) -> int:
    """Record FACET_VERSION for a freshly created (empty) index; read it for an existing one (an
    index without the record predates versions: 1)."""
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (k VARCHAR(32) PRIMARY KEY, v TEXT NOT NULL)")
    if fresh:
        conn.execute(text(f"INSERT INTO {META_TABLE}(k, v) VALUES ('facet_version', :v) "
                          "ON CONFLICT (k) DO UPDATE SET v = excluded.v"), {"v": str(FACET_VERSION)})
        return FACET_VERSION
    v = conn.execute(text(f"SELECT v FROM {META_TABLE} WHERE k = 'facet_version'")).scalar()
    return int(v) if v is not None else 1


#: The tokeniser's version, recorded beside the index (both engines): an index written by an older
#: one is rebuilt when the ledger opens (Ledger.__init__).  2: documents hold two readings, tw2sp's
#: and the words as written (see segment.index_text).
TOKENS_VERSION = 2


def read_tokens_version(conn: Connection) -> int | None:
    """The recorded tokeniser version of the index (None: not recorded, an index older than versions).
    Reads only (a read-only ledger opens)."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table(META_TABLE):
        return None
    v = conn.execute(text(f"SELECT v FROM {META_TABLE} WHERE k = 'tokens_version'")).scalar()
    return int(v) if v is not None else None


def write_tokens_version(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":  # ledgers opening together: one creates the table (as ensure_schema)
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7391)")
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (k VARCHAR(32) PRIMARY KEY, v TEXT NOT NULL)")
    conn.execute(text(f"INSERT INTO {META_TABLE}(k, v) VALUES ('tokens_version', :v) "
                      "ON CONFLICT (k) DO UPDATE SET v = excluded.v"), {"v": str(TOKENS_VERSION)})


@lru_cache(maxsize=512)
def _facets_index_plan(filters) -> tuple[str | None, str | None]:  # noqa: ANN001
    """:func:`.facets.facet_plan` for ``articles_facets``: one column and no column filters there
    (detail=none), so without the ``{facets}: `` prefix.  Absent alternatives cost a b-tree probe
    each and this index is never ranked: nothing is pruned."""
    return tuple(e.split(": ", 1)[1] if e else e for e in facet_plan(filters))


def _page_rows(conn: Connection, cands: list[tuple[int, float]], where,  # noqa: ANN001, ANN202
               limit: int, offset: int):
    """Articles rows (with ``score``) of the candidates ``(pk, score)`` passing ``where``, best first."""
    c = values(column("pk", Integer), column("score", Float), name="c").data(cands).cte("c")
    stmt = (select(S.articles, c.c.score).select_from(c.join(S.articles, S.articles.c.pk == c.c.pk))
            .where(*where).order_by(c.c.score.desc(), S.articles.c.pk).limit(limit).offset(offset))
    return conn.execute(stmt).all()



def _count_then_page(fts, conn: Connection, terms: Sequence[str], filters, where,  # noqa: ANN001, ANN202
                     limit: int, offset: int, window: int | None):
    """``(total, rows, ranked)`` of a filtered search by the general route, on either engine: the
    exact count, the rank window's floor when more match, then one page ranked above it."""
    total = fts.count_filtered(conn, terms, filters, where)
    floor = None
    if limit and total and window and total > window:
        floor = fts.floor_filtered(conn, terms, filters, where, window)
    rows = fts.page_filtered(conn, terms, filters, where, limit, offset, floor) if limit and total else []
    return total, rows, total if floor is None else window


def index_text(s: str) -> str:
    """The contract's tokeniser (engineer R's module), imported on first use."""
    from ..text.segment import index_text as _index_text

    return _index_text(s)


def document_text(title: str, body: str) -> str:
    """What gets indexed for one article: title and body, segmented and normalised."""
    return index_text(f"{title}\n{body}")


_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def query_terms(query: str) -> list[str]:
    """The normalised tokens of a query, in order, without repeats or punctuation-only tokens.

    Search mode adds the dictionary words inside a long word (人工智能 → 人工 智能 人工智能) on
    both sides; a document holding the long word's token always holds those parts too, so a Han
    part of a longer Han query token adds nothing but ranking cost and is dropped.

    A query that can be read two ways (程序: as written, or as Taiwan's word for the mainland's
    进程; see ``segment.query_readings``) is ONE term of two alternatives, ``"进程|程序"``: each alternative is
    space-separated tokens that must all match, and either alternative may (see
    :func:`alternatives`).
    """
    from ..text.segment import query_readings

    readings = [_terms_of(r) for r in query_readings(query or "")]
    readings = [r for r in readings if r]
    if len(readings) < 2:
        return readings[0] if readings else []
    return ["|".join(" ".join(r) for r in readings)]


def _terms_of(tokens: str) -> list[str]:
    seen: dict[str, None] = {}
    for tok in tokens.split():
        if any(ch.isalnum() for ch in tok):
            seen.setdefault(tok, None)
    toks = list(seen)
    return [t for t in toks
            if not (_HAN.match(t) and any(len(u) > len(t) and t in u and _HAN.match(u) for u in toks))]


def alternatives(term: str) -> list[list[str]]:
    """A query term as its alternatives, each a list of tokens that must all match."""
    return [alt.split() for alt in term.split("|")] if "|" in term else [[term]]


def term_tokens(terms: Sequence[str]) -> list[str]:
    """Every token of ``terms``, alternatives flattened (for marking matches)."""
    return [tok for t in terms for alt in alternatives(t) for tok in alt]


class SqliteFTS:
    name = "sqlite"
    #: candidates first asked of the index for a filtered page when SQL must check them (grows 4x)
    candidates = 64
    #: browsing walks the date index when it expects to read fewer than this many rows per page row
    browse_walk = 5000

    def __init__(self) -> None:
        self.table = table("articles_fts", column("rowid"), column("tokens"))

    def create(self, conn: Connection) -> None:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles_fts'").first() is not None
        if not exists:
            # facets: filter tokens, weighed 0 by bm25 (see .facets)
            conn.exec_driver_sql(
                "CREATE VIRTUAL TABLE articles_fts USING fts5("
                "tokens, facets, content='', tokenize='unicode61 remove_diacritics 0')"
            )
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)')")
        # every facet token (version 2: value buckets too) in an index of its own.  Not in
        # articles_fts: bm25 counts the tokens of every column in a document's length, so more
        # tokens there would change every score.  Never ranked: no positions (detail=none), no sizes.
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_facets USING fts5("
            "facets, content='', columnsize=0, detail=none, tokenize='unicode61 remove_diacritics 0')")
        self.facet_version = _read_version(conn, fresh=not exists)
        # per-token document counts, read from the index itself: exact totals for one-word queries
        # without walking their (possibly huge) posting lists
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_vocab USING fts5vocab(articles_fts, 'row')")

    def drop(self, conn: Connection) -> None:
        for name in ("articles_fts_vocab", "articles_fts", "articles_facets"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")

    def index_facets(self, conn: Connection, rows: Iterable[tuple[int, str]], done: bool = False) -> None:
        """(Re)build the facets index of stored articles ``(pk, facets)`` without touching the words
        (a ledger of facet version 1 needs no re-segmentation); ``done`` records FACET_VERSION."""
        params = [{"pk": pk, "f": f} for pk, f in rows]
        if params:
            conn.execute(text("INSERT INTO articles_facets(rowid, facets) VALUES (:pk, :f)"), params)
        if done:
            _read_version(conn, fresh=True)
            self.facet_version = FACET_VERSION

    def clear_facets(self, conn: Connection) -> None:
        conn.exec_driver_sql("INSERT INTO articles_facets(articles_facets) VALUES ('delete-all')")

    def fast_count(self, conn: Connection, terms: Sequence[str]) -> int | None:
        """The number of articles holding a one-token query, from fts5vocab; None for other queries."""
        if len(terms) != 1 or not terms[0].isalnum():  # unicode61 would split it: a phrase, count by MATCH
            return None
        n = conn.execute(text("SELECT doc FROM articles_fts_vocab WHERE term = :t"), {"t": terms[0]}).scalar()
        return int(n or 0)

    def floor(self, conn: Connection, terms: Sequence[str], window: int) -> int | None:
        """The rowid of the ``window``-th most recent match (None when fewer match)."""
        return conn.execute(
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q ORDER BY rowid DESC LIMIT 1 OFFSET :o"),
            {"q": self.match_string(terms), "o": window - 1},
        ).scalar()

    def index(self, conn: Connection, rows: Iterable[tuple[int, str, str]]) -> None:
        """Index ``(pk, tokens, facets)`` rows: the words with version 1's facets (unchanged, so
        scores are too), and every facet in ``articles_facets``."""
        rows = list(rows)
        params = [{"pk": pk, "t": t, "f": v1_facets(f)} for pk, t, f in rows]
        if params:
            conn.execute(text("INSERT INTO articles_fts(rowid, tokens, facets) VALUES (:pk, :t, :f)"), params)
            self.index_facets(conn, [(pk, f) for pk, _, f in rows])

    @staticmethod
    def match_string(terms: Sequence[str], facets: str | None = None) -> str:
        def quote(t: str) -> str:
            return '"' + t.replace('"', '""') + '"'

        def one(t: str) -> str:
            if "|" not in t:
                return quote(t)
            return "(" + " OR ".join("(" + " AND ".join(map(quote, alt)) + ")" for alt in alternatives(t)) + ")"

        words = "{tokens}: (" + " AND ".join(one(t) for t in terms) + ")"
        return f"{words} AND {facets}" if facets else words

    def matches(self, terms: Sequence[str], ranked: bool = True, filters=None):  # noqa: ANN001, ANN201
        """A CTE ``m(pk, score)`` of the matching articles, score growing with relevance (``pk`` only
        when not ``ranked``: counting needs no scores).

        MATERIALIZED makes SQLite run the full-text match first and join articles by rowid after;
        otherwise its planner may start from a filter's index and probe FTS5 row by row.
        """
        cond = text("articles_fts MATCH :fts_query").bindparams(
            fts_query=self.match_string(terms, facet_query(filters)))
        # bm25() is negative, more negative = better: flip it so every engine's score grows with relevance
        score = (-literal_column("bm25(articles_fts, 1.0, 0.0)")).label("score")
        cols = [self.table.c.rowid.label("pk"), score] if ranked else [self.table.c.rowid.label("pk")]
        return select(*cols).where(cond).cte("m").prefix_with("MATERIALIZED")

    def top(self, terms: Sequence[str], limit: int, offset: int, floor: int | None = None):  # noqa: ANN201
        """A sub-query ``(pk, score)`` of one page of the best matches with ``rowid >= floor``,
        ranked inside FTS5 (``ORDER BY rank`` is FTS5's own sort; articles are joined for this page only)."""
        cond = text("articles_fts MATCH :fts_query").bindparams(fts_query=self.match_string(terms))
        rank = literal_column("articles_fts.rank")
        stmt = select(self.table.c.rowid.label("pk"), (-rank).label("score")).where(cond)
        if floor is not None:
            stmt = stmt.where(self.table.c.rowid >= floor)
        return stmt.order_by(rank).limit(limit).offset(offset).subquery("top")


    # ---- filtered search -----------------------------------------------------------------
    def plan(self, conn: Connection, filters) -> tuple[str | None, str | None]:  # noqa: ANN001
        """``(maybe, sure)`` facet expressions over ``articles_facets`` (see :func:`.facets.facet_plan`);
        before its facets are built (version 1), ``(None, None)``: every candidate is checked in SQL."""
        if self.facet_version < 2:
            return None, None
        return _facets_index_plan(filters)

    def _words(self, terms: Sequence[str], filters) -> str:  # noqa: ANN001
        """The words, narrowed by version 1's tokens of tag, source, entity and months (a necessary
        condition, evaluated by articles_fts itself); figure tokens narrow little and are left to
        the facets index."""
        coarse = None if filters is None else facet_query(
            replace(filters, kind=None, unit=None, value_min=None, value_max=None))
        return self.match_string(terms, coarse)

    @staticmethod
    def _in_facets(expr: str | None, key: str, negate: bool = False, rowids: str = "") -> str:
        """SQL: the row's pk is (not) among the articles matching ``expr`` in the facets index (a set
        built once per statement; the unary + keeps FTS5 from probing the index row by row).
        ``rowids`` (e.g. ``">= :floor"``) bounds the rows and the set alike: FTS5 reads that range only."""
        if expr is None:
            return ""
        op = "NOT IN" if negate else "IN"
        bound, inner = (f" AND articles_fts.rowid {rowids}", f" AND rowid {rowids}") if rowids else ("", "")
        return (f"{bound} AND +articles_fts.rowid {op} (SELECT rowid FROM articles_facets WHERE articles_facets "
                f"MATCH :{key}{inner})")

    def _count(self, conn: Connection, words: str, params: dict, extra: str, where=None) -> int:  # noqa: ANN001
        base = f"SELECT articles_fts.rowid AS pk FROM articles_fts WHERE articles_fts MATCH :words{extra}"
        if not where:
            return conn.execute(text(f"SELECT count(*) FROM ({base})"), {"words": words, **params}).scalar_one()
        m = text(base).bindparams(words=words, **params).columns(column("pk", Integer)).cte("m")
        m = m.prefix_with("MATERIALIZED")
        stmt = select(func.count()).select_from(m.join(S.articles, S.articles.c.pk == m.c.pk)).where(*where)
        return conn.execute(stmt).scalar_one()

    def count_filtered(self, conn: Connection, terms: Sequence[str], filters, where) -> int:  # noqa: ANN001
        """Exact number of matches passing ``where`` (the filters' SQL conditions).

        Matches holding the "sure" facets pass without a check: the two indexes count them.  Only
        those holding "maybe" and not "sure" (a boundary bucket, partial months) are joined to the
        exact SQL conditions; with no "sure" expression, every candidate is.
        """
        maybe, sure = self.plan(conn, filters)
        words = self._words(terms, filters)
        if sure is None:
            return self._count(conn, words, {"maybe": maybe} if maybe else {}, self._in_facets(maybe, "maybe"), where)
        n = self._count(conn, words, {"sure": sure}, self._in_facets(sure, "sure"))
        if maybe != sure:
            extra = self._in_facets(maybe, "maybe") + self._in_facets(sure, "sure", negate=True)
            n += self._count(conn, words, {"maybe": maybe, "sure": sure}, extra, where)
        return n

    def search_filtered(self, conn: Connection, terms: Sequence[str], filters, where,  # noqa: ANN001, ANN201
                        limit: int, offset: int, window: int | None = None):
        """``(total, rows, ranked)`` of a filtered search: the exact number of matches passing ``where``,
        one page of them (articles rows with ``score``), best first, and how many were ranked.

        With a ``window`` and more matches than that, only the ``window`` most recently stored
        matches passing the filters are ranked (see ``Ledger.rank_window``): the page is the best of
        those, ``ranked == window``.  When the facets answer the filters alone, the window's lowest
        rowid and the number of older matches come from merging the two indexes' rowid lists
        (:meth:`_both`, no scores), and only the window's rows are scored; with no more matches than
        a window, one statement ranks and counts them all (a window count over the rows the index
        keeps: the set of facet matches is built once), and with fewer than two windows of word
        matches (a one-word query's count is free), one statement scores them all and keeps the
        newest window.  Else see :meth:`count_filtered`,
        :meth:`floor_filtered` and :meth:`page_filtered`.
        """
        maybe, sure = self.plan(conn, filters)
        need = offset + limit
        if limit and sure is not None and sure == maybe:
            words = self._words(terms, filters)
            rank = ("SELECT articles_fts.rowid AS pk, bm25(articles_fts, 1.0, 0.0) AS b FROM articles_fts "
                    "WHERE articles_fts MATCH :words")
            p = {"words": words, "sure": sure, "n": need}
            seen = self.fast_count(conn, terms) if window else None  # the words alone (one token: from the vocabulary)
            few = seen is not None and seen < 2 * window  # scoring them all costs less than merging the indexes
            floor = conn.execute(text(f"{self._both()} ORDER BY 1 DESC LIMIT 1 OFFSET :o"),
                                 {**p, "o": window - 1}).scalar() if window and not few else None
            if few and seen > window:  # score every match, count them and keep the newest window, at once
                stmt = text(f"SELECT pk, b, total FROM (SELECT pk, b, count(*) OVER () AS total, row_number() OVER "
                            f"(ORDER BY pk DESC) AS k FROM ({rank}{self._in_facets(sure, 'sure')})) WHERE k <= :w "
                            "ORDER BY b, pk LIMIT :n")
                got = conn.execute(stmt, {**p, "w": window}).all()
                total = got[0][2] if got else 0
                got = [(pk, b) for pk, b, _ in got]
            elif floor is None:  # no window, or no more matches than one: every match is ranked and counted at once
                stmt = text(f"SELECT pk, b, count(*) OVER () FROM ({rank}{self._in_facets(sure, 'sure')}) "
                            "ORDER BY b, pk LIMIT :n")
                got = conn.execute(stmt, p).all()
                total = got[0][2] if got else 0
                got = [(pk, b) for pk, b, _ in got]
            else:  # the window's rows are scored; the older ones only counted
                p["floor"] = floor
                total = window + conn.execute(
                    text(f"SELECT count(*) FROM ({self._both(' AND rowid < :floor')} ORDER BY 1)"), p).scalar_one()
                stmt = text(f"SELECT pk, b FROM ({rank}{self._in_facets(sure, 'sure', rowids='>= :floor')}) "
                            "ORDER BY b, pk LIMIT :n")
                got = conn.execute(stmt, p).all()
            rows = _page_rows(conn, [(pk, -b) for pk, b in got], where, need, 0) if got else []
            if len(rows) == len(got):  # every candidate passed the SQL check, as the facets promised
                return total, rows[offset:need], min(total, window) if window else total
        return _count_then_page(self, conn, terms, filters, where, limit, offset, window)

    @staticmethod
    def _both(bound: str = "") -> str:
        """SQL: the rowids matching both the words (``:words``) and the facets (``:sure``), each
        within ``bound``.  A compound SELECT: ordered by rowid, SQLite merges the two rowid lists,
        which FTS5 hands over already sorted (linear, no temporary set; stops early under a LIMIT)."""
        return (f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH :words{bound} INTERSECT "
                f"SELECT rowid FROM articles_facets WHERE articles_facets MATCH :sure{bound}")

    def floor_filtered(self, conn: Connection, terms: Sequence[str], filters, where,  # noqa: ANN001
                       window: int) -> int | None:
        """The pk of the ``window``-th most recently stored match passing ``where`` (None when fewer pass).

        Walks the matches newest first and checks each against the SQL conditions (one pk probe of
        ``articles``), unless it holds the "sure" facets, until ``window`` have passed.
        """
        maybe, sure = self.plan(conn, filters)
        words = self._words(terms, filters)
        fts, a = self.table, S.articles
        conds = [text("articles_fts MATCH :words").bindparams(words=words)]
        if maybe is not None:
            conds.append(text(self._in_facets(maybe, "maybe")[len(" AND "):]).bindparams(maybe=maybe))
        passes = and_(*where)
        if sure is not None:
            in_sure = self._in_facets(sure, "sure")[len(" AND +"):]
            passes = or_(text(in_sure).bindparams(sure=sure), passes)
        stmt = (select(fts.c.rowid).select_from(fts.join(a, a.c.pk == fts.c.rowid)).where(*conds, passes)
                .order_by(fts.c.rowid.desc()).limit(1).offset(window - 1))
        return conn.execute(stmt).scalar()

    def browse_filtered(self, conn: Connection, filters, order, limit: int, offset: int):  # noqa: ANN001, ANN201
        """``(total, rows)`` of the articles passing ``filters`` in ``order``, when the facets index
        answers them alone (else None: the caller filters in SQL).

        The total is counted inside the index.  A large set is read by walking ``articles`` in date
        order (its index) and keeping members, which stops after a page; a small one is fetched and
        sorted.  The page's rows are checked against the exact SQL conditions all the same.
        """
        from .filters import article_conditions

        maybe, sure = self.plan(conn, filters)
        if sure is None or sure != maybe:
            return None
        q = "SELECT rowid FROM articles_facets WHERE articles_facets MATCH :sure"
        total = conn.execute(text(f"SELECT count(*) FROM ({q})"), {"sure": sure}).scalar_one()
        need = offset + limit
        if not limit or offset >= total:
            return total, []
        n = conn.execute(select(func.max(S.articles.c.pk))).scalar() or 0
        walk = need * n <= self.browse_walk * total  # a member every n/total rows: a short walk
        member = text(("+" if walk else "") + f"articles.pk IN ({q})").bindparams(sure=sure)
        rows = conn.execute(select(S.articles).where(member).order_by(*order).limit(limit).offset(offset)).all()
        pks = [r.pk for r in rows]
        ok = set(conn.execute(select(S.articles.c.pk).where(S.articles.c.pk.in_(pks),
                                                            *article_conditions(filters, correlated=True))).scalars())
        return (total, rows) if ok == set(pks) else None

    def page_filtered(self, conn: Connection, terms: Sequence[str], filters, where, limit: int,  # noqa: ANN001, ANN201
                      offset: int, floor: int | None = None):
        """One page of the best matches passing ``where`` (with ``pk >= floor``, when given: the rank
        window), ranked exactly as ranking all of them would.

        The facets index narrows the matches (bm25 is computed only for those kept) and articles_fts
        sorts them by bm25 (then pk), handing over only the best ``n``; the exact SQL conditions run
        on those.  When fewer than a page pass and more candidates exist, ``n`` grows fourfold: the
        first ``offset + limit`` passing candidates in (score, pk) order are the same as over all.
        """
        maybe, sure = self.plan(conn, filters)
        need = offset + limit
        n = need if sure is not None and sure == maybe else max(self.candidates, 2 * need)
        lo = "" if floor is None or maybe is not None else " AND articles_fts.rowid >= :floor"
        rowids = "" if floor is None else ">= :floor"
        stmt = text("SELECT articles_fts.rowid, bm25(articles_fts, 1.0, 0.0) FROM articles_fts "
                    f"WHERE articles_fts MATCH :words{lo}{self._in_facets(maybe, 'maybe', rowids=rowids)} "
                    "ORDER BY 2, 1 LIMIT :n")
        params = {"words": self._words(terms, filters), **({"maybe": maybe} if maybe else {}),
                  **({"floor": floor} if floor is not None else {})}
        while True:
            cands = [(pk, -b) for pk, b in conn.execute(stmt, {**params, "n": n})]
            if not cands:
                return []
            rows = _page_rows(conn, cands, where, need, 0)
            if len(rows) >= need or len(cands) < n:
                return rows[offset:need]
            n *= 4


class PostgresFTS:
    name = "postgresql"

    def __init__(self) -> None:
        self.table = table("articles_fts", column("pk"), column("tsv"))

    def create(self, conn: Connection) -> None:
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS articles_fts ("
            "pk integer PRIMARY KEY REFERENCES articles(pk) ON DELETE CASCADE, tsv tsvector NOT NULL)"
        )
        # fastupdate off: no pending list.  With one, new entries wait unsorted until the next
        # VACUUM, and the planner charges every GIN scan for reading the whole list: after an ingest
        # of 10,000 articles it chose a sequential scan (detoasting every tsvector, 22-38 ms per
        # query whatever the query) over the index (0.4-3 ms).  Each insert now updates the index
        # in place: a little slower to write, stable to read.
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_articles_fts_tsv ON articles_fts USING gin (tsv) "
                             "WITH (fastupdate = off)")
        # the GIN index answers filters well with version 1's tokens: no value buckets here
        self.facet_version = FACET_VERSION

    def drop(self, conn: Connection) -> None:
        conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")

    def index(self, conn: Connection, rows: Iterable[tuple[int, str, str]]) -> None:
        """Index ``(pk, tokens, facets)`` rows: the facet tokens (see .facets) go into the same
        tsvector, after the words.  ``ts_rank`` (normalisation 0) ignores document length, and the
        words are ranked with a query of the words alone, so facets change no score."""
        params = [{"pk": pk, "t": t, "f": v1_facets(f or "")} for pk, t, f in rows]
        if params:
            conn.execute(text(
                "INSERT INTO articles_fts(pk, tsv) VALUES (:pk, to_tsvector('simple', :t) || to_tsvector('simple', :f))"
            ), params)

    @staticmethod
    def _q(terms: Sequence[str]):  # noqa: ANN205
        if not any("|" in t for t in terms):
            return func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(terms))

        # alternatives (see query_terms): each token through plainto_tsquery (it splits and quotes
        # as the index did), combined with tsquery's own && and || operators
        def conj(tokens):  # noqa: ANN001, ANN202
            q = None
            for tok in tokens:
                one = func.plainto_tsquery(literal_column("'simple'::regconfig"), tok)
                q = one if q is None else q.op("&&")(one)
            return q

        out = None
        for t in terms:
            alts = [conj(a) for a in alternatives(t)]
            q = alts[0]
            for a in alts[1:]:
                q = q.op("||")(a)
            out = q if out is None else out.op("&&")(q)
        return out

    def fast_count(self, conn: Connection, terms: Sequence[str]) -> int | None:
        return None  # the GIN index answers counts quickly enough

    def count_filtered(self, conn: Connection, terms: Sequence[str], filters, where) -> int:  # noqa: ANN001
        """Exact number of matches passing ``where``: GIN match with the facets, then the SQL conditions."""
        c = self.matches(terms, ranked=False, filters=filters)
        stmt = select(func.count()).select_from(c.join(S.articles, S.articles.c.pk == c.c.pk)).where(*where)
        return conn.execute(stmt).scalar_one()

    def browse_filtered(self, conn: Connection, filters, order, limit: int, offset: int) -> None:  # noqa: ANN001
        return None  # the filters' SQL (IN sets over the indexed columns) serves

    def search_filtered(self, conn: Connection, terms: Sequence[str], filters, where,  # noqa: ANN001, ANN201
                        limit: int, offset: int, window: int | None = None):
        """``(total, rows, ranked)``: exact count, then one page of the best of the ``window`` most
        recently stored matches passing ``where`` when more pass (of all of them otherwise), and how
        many were ranked (see :meth:`count_filtered`, :meth:`floor_filtered`, :meth:`page_filtered`)."""
        return _count_then_page(self, conn, terms, filters, where, limit, offset, window)

    def floor_filtered(self, conn: Connection, terms: Sequence[str], filters, where,  # noqa: ANN001
                       window: int) -> int | None:
        """The pk of the ``window``-th most recently stored match passing ``where`` (None when fewer pass)."""
        m = self.matches(terms, ranked=False, filters=filters)
        stmt = (select(m.c.pk).select_from(m.join(S.articles, S.articles.c.pk == m.c.pk)).where(*where)
                .order_by(m.c.pk.desc()).limit(1).offset(window - 1))
        return conn.execute(stmt).scalar()

    def page_filtered(self, conn: Connection, terms: Sequence[str], filters, where, limit: int,  # noqa: ANN001, ANN201
                      offset: int, floor: int | None = None):
        """One page of the best matches passing ``where`` (with ``pk >= floor``, when given: the rank
        window); PostgreSQL's planner orders the work."""
        m = self.matches(terms, filters=filters, floor=floor)
        page = (select(S.articles, m.c.score).select_from(m.join(S.articles, S.articles.c.pk == m.c.pk))
                .where(*where).order_by(m.c.score.desc(), S.articles.c.pk).limit(limit).offset(offset))
        return conn.execute(page).all()

    def floor(self, conn: Connection, terms: Sequence[str], window: int) -> int | None:
        """The pk of the ``window``-th most recent match (None when fewer match)."""
        stmt = (select(self.table.c.pk).where(self.table.c.tsv.op("@@")(self._q(terms)))
                .order_by(self.table.c.pk.desc()).limit(1).offset(window - 1))
        return conn.execute(stmt).scalar()

    def matches(self, terms: Sequence[str], ranked: bool = True, filters=None,  # noqa: ANN001, ANN201
                floor: int | None = None):
        """A CTE ``m(pk, score)`` of the matching articles (with ``pk >= floor``, when given; inlined:
        PostgreSQL's planner picks the order).

        With filters, the facet tokens they imply are ANDed to the words in the GIN match (the
        index intersects the posting lists), so only articles that may pass are ranked.
        """
        q = self._q(terms)
        score = func.ts_rank(self.table.c.tsv, q).label("score")
        cols = [self.table.c.pk, score] if ranked else [self.table.c.pk]
        fq = facet_tsquery(filters)
        if fq:  # our own alphanumeric tokens, as a bound parameter
            q = q.op("&&")(func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("facet_q", fq)))
        stmt = select(*cols).where(self.table.c.tsv.op("@@")(q))
        if floor is not None:
            stmt = stmt.where(self.table.c.pk >= floor)
        return stmt.cte("m")

    def top(self, terms: Sequence[str], limit: int, offset: int, floor: int | None = None):  # noqa: ANN201
        """A sub-query ``(pk, score)`` of one page of the best matches with ``pk >= floor``."""
        q = self._q(terms)
        score = func.ts_rank(self.table.c.tsv, q).label("score")
        stmt = select(self.table.c.pk, score).where(self.table.c.tsv.op("@@")(q))
        if floor is not None:
            stmt = stmt.where(self.table.c.pk >= floor)
        return stmt.order_by(score.desc(), self.table.c.pk).limit(limit).offset(offset).subquery("top")


def reindex_progress(where: str):  # noqa: ANN201
    """A ``progress(done, total)`` for :meth:`Ledger.reindex` when a ledger opens with an index of an
    older facet format: a rich progress bar on stderr (the rebuild re-segments every article once)."""
    state: dict = {}

    def progress(done: int | None, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        if done is None:
            if "bar" in state:
                state["bar"].stop()
                Console(stderr=True).print(f"full-text index of {where} rebuilt ({total:,} articles, tokens "
                                           f"version {TOKENS_VERSION}, facet version {FACET_VERSION})")
            return
        if "bar" not in state:
            state["bar"] = Progress(TextColumn("updating the search index (once)"), BarColumn(), MofNCompleteColumn(),
                                    TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            state["task"] = state["bar"].add_task("reindex", total=total)
            state["bar"].start()
        state["bar"].update(state["task"], completed=done)

    return progress


def backend_for(dialect_name: str) -> SqliteFTS | PostgresFTS:
    if dialect_name == "sqlite":
        return SqliteFTS()
    if dialect_name == "postgresql":
        return PostgresFTS()
    from ..errors import ConfigError

    raise ConfigError(f"no full-text back end for {dialect_name!r}: use a sqlite:// or postgresql:// URL")


__all__ = ["index_text", "document_text", "query_terms", "alternatives", "term_tokens", "SqliteFTS", "PostgresFTS", "backend_for", "reindex_progress", "TOKENS_VERSION", "read_tokens_version",
           "write_tokens_version",
           "META_TABLE"]

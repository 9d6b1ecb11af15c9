"""The full-text index: derived data, one back end per engine, rebuilt by ``Ledger.reindex()``.

Both back ends index the same thing: ``newsledger.text.segment.index_text(title + "\\n" + body)``,
space-separated tokens of the Simplified, mainland-vocabulary view (資料 → 数据, 網際網路 →
互联网).  Queries go through the same function, so a query in either script or regional vocabulary
meets the same tokens, and a two-character word is a whole token (no trigram minimum).

- SQLite: a contentless FTS5 table ``articles_fts`` (rowid = ``articles.pk``), ranked with
  ``bm25``.  Contentless because the original text already sits in ``articles`` and snippets are
  cut from the original, not from the index.
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

from sqlalchemy import bindparam, column, func, literal_column, select, table, text
from sqlalchemy.engine import Connection



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
    """
    seen: dict[str, None] = {}
    for tok in index_text(query or "").split():
        if any(ch.isalnum() for ch in tok):
            seen.setdefault(tok, None)
    toks = list(seen)
    return [t for t in toks
            if not (_HAN.match(t) and any(len(u) > len(t) and t in u and _HAN.match(u) for u in toks))]


class SqliteFTS:
    name = "sqlite"

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
        # per-token document counts, read from the index itself: exact totals for one-word queries
        # without walking their (possibly huge) posting lists
        conn.exec_driver_sql("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts_vocab USING fts5vocab(articles_fts, 'row')")

    def drop(self, conn: Connection) -> None:
        conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts_vocab")
        conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")

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
        """Index ``(pk, tokens, facets)`` rows."""
        params = [{"pk": pk, "t": t, "f": f} for pk, t, f in rows]
        if params:
            conn.execute(text("INSERT INTO articles_fts(rowid, tokens, facets) VALUES (:pk, :t, :f)"), params)

    @staticmethod
    def match_string(terms: Sequence[str], facets: str | None = None) -> str:
        words = "{tokens}: (" + " AND ".join('"' + t.replace('"', '""') + '"' for t in terms) + ")"
        return f"{words} AND {facets}" if facets else words

    def matches(self, terms: Sequence[str], ranked: bool = True, filters=None):  # noqa: ANN001, ANN201
        """A CTE ``m(pk, score)`` of the matching articles, score growing with relevance (``pk`` only
        when not ``ranked``: counting needs no scores).

        MATERIALIZED makes SQLite run the full-text match first and join articles by rowid after;
        otherwise its planner may start from a filter's index and probe FTS5 row by row.
        """
        from .facets import facet_query

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

    def drop(self, conn: Connection) -> None:
        conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")

    def index(self, conn: Connection, rows: Iterable[tuple[int, str, str]]) -> None:
        """Index ``(pk, tokens, facets)`` rows: the facet tokens (see .facets) go into the same
        tsvector, after the words.  ``ts_rank`` (normalisation 0) ignores document length, and the
        words are ranked with a query of the words alone, so facets change no score."""
        params = [{"pk": pk, "t": t, "f": f or ""} for pk, t, f in rows]
        if params:
            conn.execute(text(
                "INSERT INTO articles_fts(pk, tsv) VALUES (:pk, to_tsvector('simple', :t) || to_tsvector('simple', :f))"
            ), params)

    @staticmethod
    def _q(terms: Sequence[str]):  # noqa: ANN205
        return func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(terms))

    def fast_count(self, conn: Connection, terms: Sequence[str]) -> int | None:
        return None  # the GIN index answers counts quickly enough

    def floor(self, conn: Connection, terms: Sequence[str], window: int) -> int | None:
        """The pk of the ``window``-th most recent match (None when fewer match)."""
        stmt = (select(self.table.c.pk).where(self.table.c.tsv.op("@@")(self._q(terms)))
                .order_by(self.table.c.pk.desc()).limit(1).offset(window - 1))
        return conn.execute(stmt).scalar()

    def matches(self, terms: Sequence[str], ranked: bool = True, filters=None):  # noqa: ANN001, ANN201
        """A CTE ``m(pk, score)`` of the matching articles (inlined: PostgreSQL's planner picks the order).

        With filters, the facet tokens they imply are ANDed to the words in the GIN match (the
        index intersects the posting lists), so only articles that may pass are ranked.
        """
        from .facets import facet_tsquery

        q = self._q(terms)
        score = func.ts_rank(self.table.c.tsv, q).label("score")
        cols = [self.table.c.pk, score] if ranked else [self.table.c.pk]
        fq = facet_tsquery(filters)
        if fq:  # our own alphanumeric tokens, as a bound parameter
            q = q.op("&&")(func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("facet_q", fq)))
        return select(*cols).where(self.table.c.tsv.op("@@")(q)).cte("m")

    def top(self, terms: Sequence[str], limit: int, offset: int, floor: int | None = None):  # noqa: ANN201
        """A sub-query ``(pk, score)`` of one page of the best matches with ``pk >= floor``."""
        q = self._q(terms)
        score = func.ts_rank(self.table.c.tsv, q).label("score")
        stmt = select(self.table.c.pk, score).where(self.table.c.tsv.op("@@")(q))
        if floor is not None:
            stmt = stmt.where(self.table.c.pk >= floor)
        return stmt.order_by(score.desc(), self.table.c.pk).limit(limit).offset(offset).subquery("top")


def backend_for(dialect_name: str) -> SqliteFTS | PostgresFTS:
    if dialect_name == "sqlite":
        return SqliteFTS()
    if dialect_name == "postgresql":
        return PostgresFTS()
    from ..errors import ConfigError

    raise ConfigError(f"no full-text back end for {dialect_name!r}: use a sqlite:// or postgresql:// URL")


__all__ = ["index_text", "document_text", "query_terms", "SqliteFTS", "PostgresFTS", "backend_for"]

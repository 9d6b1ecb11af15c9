"""The Ledger: articles with their figures, times, entities, claims and findings, searchable.

One :class:`Ledger` per database URL (see :mod:`.engine` for the URL rules).  Writes are one
transaction per article (:meth:`Ledger.add`) or per batch (:meth:`Ledger.add_many`, ``BEGIN
IMMEDIATE`` on SQLite): an article with every row, or nothing.
Reads stream (``yield_per``: server-side cursors on PostgreSQL) so exports run in constant memory.
Offsets of stored spans follow the convention in :mod:`.rows` (relative to the body, with the
field recorded).
"""
from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..errors import ConfigError, NotFound, StoreError
from ..model import Article, Extraction
from . import queries as Q
from . import rows as R
from . import schema as S
from .engine import ensure_schema, make_engine, now, write_connection
from .facets import FACET_VERSION, article_facets
from .fts import (TOKENS_VERSION, backend_for, document_text, query_terms, read_tokens_version,
                  reindex_progress, write_tokens_version)
from .filters import Filters
from .snippets import Piece, build_snippet

STREAM_BATCH = 1000


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float
    snippet: list[Piece]  # pieces of the original text: (text, is_match)
    snippet_field: str = "body"  # which field the snippet was cut from
    snippet_start: int = 0  # its offsets in that field (renderers add "…" when cut)
    snippet_end: int = 0


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    query: str = ""
    terms: tuple[str, ...] = ()  # the normalised tokens that were searched for
    ranked: int = 0  # how many of the matches were ranked (< total: see Ledger.rank_window)


@dataclass(slots=True)
class StoredArticle:
    article: Article
    extraction: Extraction
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    ingested_at: Any = None


@dataclass(slots=True)
class _Prepared:
    """One article ready to write: its rows (claims point at figures by index), index text, facets."""

    article: Article
    row: dict[str, Any]
    figures: list[dict[str, Any]]  # the extraction's figures, then those only claims name
    times: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    claims: list[tuple[int, dict[str, Any]]]  # (index into figures, row without figure_id)
    findings: list[dict[str, Any]]
    doc: str
    facets: str


class Ledger:
    """A ledger in SQLite (default ``sqlite:///newsledger.db``) or PostgreSQL (``postgresql://...``)."""

    #: A query matching more articles than this (after its filters, if any) ranks the best of the
    #: ``rank_window`` most recently stored matches that pass the filters (``SearchResult.ranked``
    #: says so; ``total`` stays exact): ranking costs per match, and a word found in most of the
    #: ledger (同比), even narrowed by a broad filter (percent >= 50), must not rank all of it.
    #: None ranks every match.
    rank_window: int | None = 5000

    def __init__(self, url: str | None = None) -> None:
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        self.fts = backend_for(self.dialect)
        self.url = self.engine.url.render_as_string(hide_password=True)
        try:
            self.schema_version = ensure_schema(self.engine, self.fts)
        except Exception:
            self.engine.dispose()
            raise
        if self._tokens_outdated():  # words indexed by an older tokeniser: the whole index, once
            self.reindex(progress=reindex_progress(self.url))
        elif self.fts.facet_version < FACET_VERSION:  # filter tokens of an older format: rebuilt once
            self._build_facets()
        # statements built once: parameters travel separately, so SQLAlchemy compiles each only once
        self._sql_exists = select(S.articles.c.pk).where(S.articles.c.id == bindparam("aid"))
        self._sql_tag = self._insert_ignore(S.tags)
        self._sql_source = self._insert_ignore(S.sources)
        self._sql_exists_many = select(S.articles.c.id).where(S.articles.c.id.in_(bindparam("ids", expanding=True)))
        self._sql_article = S.articles.insert()
        self._sql_findings = S.findings.insert()
        self._sql_returning: dict[str, Any] = {}
        self._sql_plain: dict[tuple, str] = {}

    # ---- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({self.url!r})"

    def _insert_ignore(self, tbl):  # noqa: ANN001, ANN202
        mod = sqlite_dialect if self.dialect == "sqlite" else pg_dialect
        return mod.insert(tbl).on_conflict_do_nothing()

    # ---- writing ---------------------------------------------------------------------------
    def add(self, article: Article, extraction: Extraction, *, signature: bytes | None = None) -> str:
        """Store an article with everything extracted from it, in one transaction: "new" or "exists"."""
        return self._add_prepared(self._prepare(article, extraction, signature))

    def add_many(self, items: Iterable[tuple[Article, Extraction, bytes | None]]) -> list[str | Exception]:
        """Store a batch of ``(article, extraction, signature)`` in one transaction; per item, in
        order, "new", "exists" or the exception that kept it out (as :meth:`add` would raise it).

        Each table gets one multi-row insert for the whole batch, facets are computed in memory
        and the full-text rows are indexed in one call: per article, a fraction of the round trips
        and commits of :meth:`add`.  An article is still stored whole or not at all: an item whose
        offsets do not check out is refused before anything is written, and when the batch write
        fails (a constraint, another writer, a broken row) it is rolled back and every article is
        stored again with :meth:`add`, so a bad article only costs itself.  A repeated id in the
        batch is "exists" after its first occurrence, as with :meth:`add` one after another.
        KeyboardInterrupt rolls back the batch (nothing of it is committed) and propagates.
        """
        items = list(items)
        out: list[str | Exception | None] = [None] * len(items)
        ready: list[tuple[int, _Prepared]] = []
        for k, (article, extraction, signature) in enumerate(items):
            try:
                ready.append((k, self._prepare(article, extraction, signature)))
            except Exception as exc:  # noqa: BLE001 - reported for this article only
                out[k] = exc
        if len(ready) == 1:
            k, prep = ready[0]
            out[k] = self._try_add(prep)
        elif ready:
            try:
                with write_connection(self.engine) as conn:
                    statuses = self._write(conn, [prep for _, prep in ready])
                for (k, _), status in zip(ready, statuses):
                    out[k] = status
            except Exception:  # noqa: BLE001 - rolled back: one transaction per article finds the culprit
                for k, prep in ready:
                    out[k] = self._try_add(prep)
        return out  # type: ignore[return-value]

    def _try_add(self, prep: _Prepared) -> str | Exception:
        try:
            return self._add_prepared(prep)
        except Exception as exc:  # noqa: BLE001 - add_many reports it for this article only
            return exc

    def _prepare(self, article: Article, extraction: Extraction, signature: bytes | None) -> _Prepared:
        """Every row of one article, checked, and its index document and facets: no database needed."""
        fm = R.FieldMap(article, extraction)  # validates the offset convention before any write
        aid = article.id
        figs = [R.figure_row(fm, aid, f) for f in extraction.figures]
        times = [R.time_row(fm, aid, t) for t in extraction.times]
        ents = [R.entity_row(fm, aid, e) for e in extraction.entities]
        claims: list[tuple[int, dict[str, Any]]] = []
        if extraction.claims:
            by_figure: dict[Any, int] = {}
            for i, f in enumerate(extraction.figures):
                by_figure.setdefault(f, i)
            for c in extraction.claims:
                i = by_figure.get(c.figure)
                if i is None:  # a claim about a figure the extraction did not list: store the figure too
                    i = by_figure[c.figure] = len(figs)
                    figs.append(R.figure_row(fm, aid, c.figure))
                claims.append((i, R.claim_row(fm, aid, c, None)))
        title_used = R.uses_title(figs, times, ents, [r for _, r in claims])
        findings = [R.finding_row(fm, aid, f, title_used) for f in extraction.findings]
        # facets from the rows themselves (figures that only claims name included): the same
        # tokens reindex() computes from the stored rows
        facets = article_facets(article.tag, article.source, article.published, (r["canonical"] for r in ents),
                                ((r["kind"], r["unit"], r["value"], r["high"]) for r in figs))
        return _Prepared(article=article, row={**R.article_row(article), "signature": signature}, figures=figs,
                         times=times, entities=ents, claims=claims, findings=findings,
                         doc=document_text(article.title, article.body), facets=facets)

    def _add_prepared(self, prep: _Prepared) -> str:
        aid = prep.article.id
        try:
            with write_connection(self.engine) as conn:
                return self._write(conn, [prep])[0]
        except IntegrityError as exc:
            if self.has(aid):  # another writer stored it first (PostgreSQL's unique id)
                return "exists"
            raise StoreError(f"article {aid} could not be stored: {exc.orig}", article_id=aid) from exc

    def _write(self, conn: Connection, preps: list[_Prepared]) -> list[str]:
        """Insert prepared articles in the open transaction, table by table; "new" or "exists" each."""
        ids = [p.article.id for p in preps]
        stored = set(conn.execute(self._sql_exists_many, {"ids": ids}).scalars())
        statuses, fresh = [], []
        for p in preps:
            if p.article.id in stored:
                statuses.append("exists")
            else:
                stored.add(p.article.id)
                statuses.append("new")
                fresh.append(p)
        if not fresh:
            return statuses
        stamp = now()
        for stmt, names in ((self._sql_tag, {p.article.tag for p in fresh}),
                            (self._sql_source, {p.article.source for p in fresh})):
            names.discard(None)
            names.discard("")
            if names:
                conn.execute(stmt, [{"name": n, "first_seen": stamp} for n in sorted(names)])
        pks = self._insert_returning(conn, S.articles.c.pk, [{**p.row, "ingested_at": stamp} for p in fresh])
        fig_ids = self._insert_returning(conn, S.figures.c.id, [r for p in fresh for r in p.figures])
        claims, base = [], 0
        for p in fresh:
            claims.extend({**row, "figure_id": fig_ids[base + i]} for i, row in p.claims)
            base += len(p.figures)
        for tbl, rows in ((S.times, [r for p in fresh for r in p.times]),
                          (S.entities, [r for p in fresh for r in p.entities]),
                          (S.claims, claims)):
            self._insert_plain(conn, tbl, rows)
        findings = [r for p in fresh for r in p.findings]
        if findings:  # JSON spans: through SQLAlchemy's type processing
            conn.execute(self._sql_findings, findings)
        self.fts.index(conn, [(pk, p.doc, p.facets) for pk, p in zip(pks, fresh)])
        return statuses

    def _insert_returning(self, conn: Connection, key, rows: list[dict[str, Any]]) -> list[int]:  # noqa: ANN001
        """Insert ``rows`` into ``key``'s table; their generated keys, in the order of ``rows``.

        PostgreSQL: one ``INSERT … RETURNING`` per batch of rows (SQLAlchemy's insertmanyvalues
        keeps the order).  SQLite has no such form: SQLAlchemy would fall back to one INSERT a row,
        so the keys are allocated here instead — ``max + 1`` onwards, which is what SQLite itself
        would give — safe because every write transaction holds the write lock from its first
        statement (BEGIN IMMEDIATE, see :func:`.engine.write_connection`).
        """
        if not rows:
            return []
        if self.dialect != "sqlite":
            stmt = self._sql_returning.get(key.table.name)
            if stmt is None:
                stmt = self._sql_returning[key.table.name] = key.table.insert().returning(
                    key, sort_by_parameter_order=True)
            return [r[0] for r in conn.execute(stmt, rows)]
        first = conn.execute(select(func.coalesce(func.max(key), 0))).scalar_one() + 1
        keys = list(range(first, first + len(rows)))
        if key.table is S.articles:  # dates, bytes: through SQLAlchemy's type processing
            conn.execute(self._sql_article, [{**r, key.name: k} for r, k in zip(rows, keys)])
        else:
            self._insert_plain(conn, key.table, rows, {key.name: keys})
        return keys

    def _insert_plain(self, conn: Connection, tbl, rows: list[dict[str, Any]],  # noqa: ANN001
                      extra: dict[str, list[Any]] | None = None) -> None:
        """One multi-row insert of rows holding numbers, text and booleans only.

        On SQLite the statement goes to the driver's ``executemany`` with the values as tuples: the
        rows need no type processing, and SQLAlchemy's per-row parameter handling cost more than
        the insert itself.  The SQL is built once per table and set of columns.
        """
        if not rows:
            return
        extra = extra or {}
        if self.dialect != "sqlite":
            conn.execute(tbl.insert(), [{**r, **{k: v[i] for k, v in extra.items()}} for i, r in enumerate(rows)]
                         if extra else rows)
            return
        cols = tuple(rows[0])
        sql = self._sql_plain.get((tbl.name, cols, tuple(extra)))
        if sql is None:
            q = conn.dialect.identifier_preparer.quote
            names = (*extra, *cols)
            sql = (f"INSERT INTO {q(tbl.name)} ({', '.join(q(n) for n in names)}) "
                   f"VALUES ({', '.join('?' for _ in names)})")
            self._sql_plain[(tbl.name, cols, tuple(extra))] = sql
        # itemgetter builds each row's tuple in C: ≈ half the cost of a generator per row
        get = operator.itemgetter(*cols)
        values = [(get(r),) for r in rows] if len(cols) == 1 else list(map(get, rows))
        if extra:
            values = [(*e, *v) for e, v in zip(zip(*extra.values()), values)]
        conn.exec_driver_sql(sql, values)

    def add_duplicate(self, article: Article, duplicate_of: str, similarity: float) -> None:
        """Record that ``article`` (not stored) is a near-duplicate of the stored ``duplicate_of``."""
        if not self.has(duplicate_of):
            raise NotFound(f"cannot link a duplicate to article {duplicate_of}: it is not in the ledger",
                           article_id=duplicate_of)
        with write_connection(self.engine) as conn:
            conn.execute(self._insert_ignore(S.duplicates).values(
                article_id=article.id, duplicate_of=duplicate_of, similarity=float(similarity),
                title=article.title, origin=article.origin, source=article.source, added_at=now()))

    def _tokens_outdated(self) -> bool:
        """Whether the index was written by an older tokeniser (see fts.TOKENS_VERSION).  An empty
        ledger just records the current version."""
        with self.engine.connect() as conn:
            v = read_tokens_version(conn)
            if v is not None:
                return v < TOKENS_VERSION
            empty = conn.execute(select(S.articles.c.pk).limit(1)).first() is None
        if empty:
            with write_connection(self.engine) as conn:
                write_tokens_version(conn)
        return not empty

    def reindex(self, batch: int = 500, progress=None) -> int:  # noqa: ANN001
        """Rebuild the full-text index from the stored text (after a tokeniser change); returns the
        count.  ``progress(done, total)`` is called after each batch and ``(None, total)`` at the end."""
        n = 0
        with write_connection(self.engine) as conn:
            total = conn.execute(select(func.count()).select_from(S.articles)).scalar_one() if progress else 0
            self.fts.drop(conn)
            self.fts.create(conn)
            last = 0
            while True:
                rows = conn.execute(
                    select(S.articles.c.pk, S.articles.c.id, S.articles.c.title, S.articles.c.body, S.articles.c.tag,
                           S.articles.c.source, S.articles.c.published)
                    .where(S.articles.c.pk > last).order_by(S.articles.c.pk).limit(batch)
                ).all()
                if not rows:
                    break
                facets = self._facets_of(conn, [(r.pk, r.id, r.tag, r.source, r.published) for r in rows])
                self.fts.index(conn, [(r.pk, document_text(r.title, r.body), facets[r.pk]) for r in rows])
                last = rows[-1].pk
                n += len(rows)
                if progress:
                    progress(n, total)
            write_tokens_version(conn)
        if progress:
            progress(None, total)
        return n

    def _build_facets(self, batch: int = 2000) -> int:
        """Build the filter-token index of a ledger indexed before facet version 2 (see fts.py), once,
        from the stored rows: the words' index stays as it is.  Shows progress on stderr."""
        progress, n, last = reindex_progress(self.url), 0, 0
        with write_connection(self.engine) as conn:
            total = conn.execute(select(func.count()).select_from(S.articles)).scalar_one()
            self.fts.clear_facets(conn)
            while rows := conn.execute(select(S.articles.c.pk, S.articles.c.id, S.articles.c.tag, S.articles.c.source,
                                              S.articles.c.published).where(S.articles.c.pk > last)
                                       .order_by(S.articles.c.pk).limit(batch)).all():
                self.fts.index_facets(conn, self._facets_of(conn, [tuple(r) for r in rows]).items())
                last, n = rows[-1].pk, n + len(rows)
                progress(n, total)
            self.fts.index_facets(conn, [], done=True)
        progress(None, total)
        return n

    @staticmethod
    def _facets_of(conn: Connection, arts: list[tuple]) -> dict[int, str]:
        """Facet tokens of stored articles ``(pk, id, tag, source, published)``, from their rows."""
        ids = [a[1] for a in arts]
        ents: dict[str, list[str]] = {i: [] for i in ids}
        figs: dict[str, list[tuple]] = {i: [] for i in ids}
        for aid, canonical in conn.execute(select(S.entities.c.article_id, S.entities.c.canonical)
                                           .where(S.entities.c.article_id.in_(ids))):
            ents[aid].append(canonical)
        F = S.figures.c
        for aid, *fig in conn.execute(select(F.article_id, F.kind, F.unit, F.value, F.high).where(F.article_id.in_(ids))):
            figs[aid].append(tuple(fig))
        return {pk: article_facets(tag, source, pub, ents[aid], figs[aid]) for pk, aid, tag, source, pub in arts}

    # ---- reading one article ---------------------------------------------------------------
    def has(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(S.articles.c.pk).where(S.articles.c.id == article_id)).first() is not None

    def get(self, article_id: str) -> StoredArticle:
        with self.engine.connect() as conn:
            row = conn.execute(select(S.articles).where(S.articles.c.id == article_id)).first()
            if row is None:
                raise NotFound(f"no article {article_id!r} in the ledger; search for it or list it with "
                               "newsledger export --what articles", article_id=article_id)
            art = R.article_from_row(row)

            def rows(tbl):  # noqa: ANN001, ANN202
                order = [tbl.c.field.desc(), tbl.c.start, tbl.c.id] if "start" in tbl.c else [tbl.c.id]
                return conn.execute(select(tbl).where(tbl.c.article_id == article_id).order_by(*order)).all()

            ext = R.extraction_from_rows(art, rows(S.figures), rows(S.times), rows(S.entities), rows(S.claims),
                                         rows(S.findings))
            dups = [dict(r._mapping) for r in conn.execute(
                select(S.duplicates).where(S.duplicates.c.duplicate_of == article_id).order_by(S.duplicates.c.id))]
        return StoredArticle(article=art, extraction=ext, duplicates=dups, ingested_at=row.ingested_at)

    def set_signatures(self, pairs: Iterable[tuple[str, bytes]]) -> int:
        """Replace the near-duplicate signatures of stored articles (one transaction); returns the count.

        ``dedup.NearDuplicateIndex.from_ledger`` calls this after recomputing signatures of an older
        version, so an old ledger is migrated once rather than at every ingest."""
        rows = [{"aid": aid, "sig": sig} for aid, sig in pairs]
        if not rows:
            return 0
        stmt = S.articles.update().where(S.articles.c.id == bindparam("aid")).values(signature=bindparam("sig"))
        with write_connection(self.engine) as conn:
            conn.execute(stmt, rows)
        return len(rows)

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        stmt = select(S.articles.c.id, S.articles.c.signature).where(S.articles.c.signature.is_not(None))
        for r in self._stream(stmt.order_by(S.articles.c.pk)):
            yield r[0], bytes(r[1])

    def latest(self, limit: int = 20) -> list[Article]:
        a = S.articles.c
        stmt = select(S.articles).order_by(a.published.desc().nulls_last(), a.ingested_at.desc(), a.pk.desc())
        with self.engine.connect() as conn:
            return [R.article_from_row(r) for r in conn.execute(stmt.limit(limit))]

    # ---- search ----------------------------------------------------------------------------
    def search(self, query: str, filters: Filters | None = None, limit: int = 20, offset: int = 0) -> SearchResult:
        """Ranked full-text search in either script; snippets come from the original text.

        ``total`` is exact; ranking covers every match passing ``filters``, except when more than
        :attr:`rank_window` articles do (see there).  A query without words lists the articles
        that pass ``filters`` instead (see :meth:`_browse`); with no filter either, it finds nothing.
        """
        terms = query_terms(query)
        limit, offset = max(0, int(limit)), max(0, int(offset))
        if not terms:
            if filters is None or not filters.as_dict():
                return SearchResult(total=0, hits=[], query=query, terms=())
            return self._browse(query, filters, limit, offset)
        where = Q.article_conditions(filters, correlated=True)
        floor = None
        with self.engine.connect() as conn:
            if where:  # facets narrow inside the index, SQL checks only what they cannot answer (fts.py)
                total, rows, ranked = self.fts.search_filtered(conn, terms, filters, where, limit, offset,
                                                               self.rank_window)
            else:
                total = self.fts.fast_count(conn, terms)
                if total is None:
                    c = self.fts.matches(terms, ranked=False)
                    total = conn.execute(select(func.count()).select_from(c)).scalar_one()
                rows = []
                if limit and total:  # rank inside the index (within the window), join articles for one page only
                    if self.rank_window and total > self.rank_window:
                        floor = self.fts.floor(conn, terms, self.rank_window)
                    t = self.fts.top(terms, limit, offset, floor)
                    page = (select(S.articles, t.c.score).select_from(t.join(S.articles, S.articles.c.pk == t.c.pk))
                            .order_by(t.c.score.desc(), S.articles.c.pk))
                    rows = conn.execute(page).all()
                ranked = total if floor is None else self.rank_window
        hits = []
        for r in rows:
            art = R.article_from_row(r)
            snip = build_snippet(art.title, art.body, terms)
            hits.append(SearchHit(article=art, score=float(r.score), snippet=snip.pieces, snippet_field=snip.field,
                                  snippet_start=snip.start, snippet_end=snip.end))
        return SearchResult(total=total, hits=hits, query=query, terms=tuple(terms), ranked=ranked)

    def _browse(self, query: str, filters: Filters, limit: int, offset: int) -> SearchResult:
        """The articles passing ``filters``, newest first (as :meth:`latest` orders them), with an
        exact total; score 0 and a snippet that is the start of the body (there is nothing to mark)."""
        a = S.articles.c
        order = (a.published.desc().nulls_last(), a.ingested_at.desc(), a.pk.desc())
        with self.engine.connect() as conn:
            got = self.fts.browse_filtered(conn, filters, order, limit, offset)  # the facets index, if it can
            if got is not None:
                total, rows = got
            else:
                where = Q.article_conditions(filters)  # IN sets: the filters drive, not a full-text match
                total = conn.execute(select(func.count()).select_from(S.articles).where(*where)).scalar_one()
                rows = [] if not limit or offset >= total else conn.execute(
                    select(S.articles).where(*where).order_by(*order).limit(limit).offset(offset)).all()
        hits = []
        for r in rows:
            art = R.article_from_row(r)
            snip = build_snippet(art.title, art.body, ())
            hits.append(SearchHit(article=art, score=0.0, snippet=snip.pieces, snippet_field=snip.field,
                                  snippet_start=snip.start, snippet_end=snip.end))
        return SearchResult(total=total, hits=hits, query=query, terms=(), ranked=total)

    # ---- streaming iterators ---------------------------------------------------------------
    def _stream(self, stmt) -> Iterator[Any]:  # noqa: ANN001
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
            try:
                yield from result
            finally:
                result.close()

    def iter_rows(self, what: str, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        """Flat dicts of one kind (articles, figures, times, entities, claims, findings), streamed."""
        for r in self._stream(Q.statement(what, filters)):
            yield dict(r._mapping)

    def page(self, what: str, filters: Filters | None = None, *, sort: str | None = None, offset: int = 0,
             limit: int = 50) -> list[dict[str, Any]]:
        """One page of ``what`` rows, ordered in SQL by column ``sort`` ("-value" = descending,
        empty values last; ties by id), for tables that page and sort (the web page's figures).

        A sorted page is read in two steps: the ids of the page first (a narrow sort: the sorter
        never copies sentences and titles), then the full rows of those ids.
        """
        stmt = Q.statement(what, filters)
        limit, offset = max(0, int(limit)), max(0, int(offset))
        with self.engine.connect() as conn:
            if not sort:
                return [dict(r._mapping) for r in conn.execute(stmt.limit(limit).offset(offset))]
            name = sort.lstrip("-")
            cols = stmt.selected_columns
            if name not in cols:
                raise ConfigError(f"cannot sort {what} by {name!r}: use one of {', '.join(c.key for c in cols)}",
                                  sort=sort)
            col, tie = cols[name], cols["id"]
            order = [col.is_(None), col.desc() if sort.startswith("-") else col.asc(), tie]
            ids_stmt = stmt.with_only_columns(tie).order_by(None).order_by(*order).limit(limit).offset(offset)
            ids = [r[0] for r in conn.execute(ids_stmt)]
            if not ids:
                return []
            rows = {r.id: dict(r._mapping) for r in conn.execute(stmt.order_by(None).where(tie.in_(ids)))}
        return [rows[i] for i in ids if i in rows]

    def columns(self, what: str) -> list[tuple[str, Any]]:
        """(name, SQLAlchemy type) of the dicts that ``iter_rows(what)`` yields, for typed exports."""
        return [(c.key, c.type) for c in Q.statement(what, None).selected_columns]

    def iter_articles(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        return self.iter_rows("articles", filters)

    def iter_figures(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        return self.iter_rows("figures", filters)

    def iter_times(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        return self.iter_rows("times", filters)

    def iter_entities(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        return self.iter_rows("entities", filters)

    def iter_claims(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        return self.iter_rows("claims", filters)

    def iter_findings(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        return self.iter_rows("findings", filters)

    # ---- summaries -------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        with self.engine.connect() as conn:
            for name in ("articles", "figures", "times", "entities", "claims", "findings", "duplicates"):
                out[name] = conn.execute(select(func.count()).select_from(S.metadata.tables[name])).scalar_one()
            for key, col in (("tags", S.articles.c.tag), ("sources", S.articles.c.source)):
                rows = conn.execute(select(col, func.count()).where(col.is_not(None)).group_by(col)
                                    .order_by(func.count().desc(), col)).all()
                out[key] = {r[0]: r[1] for r in rows}
        out["engine"] = self.dialect
        out["schema_version"] = self.schema_version
        return out

    def entity(self, canonical: str, limit: int = 200) -> dict[str, Any]:
        """Mentions of one canonical entity across articles, each with the figures of its sentence."""
        return Q.entity_view(self.engine, canonical, limit)


__all__ = ["Ledger", "SearchHit", "SearchResult", "StoredArticle", "Filters"]

"""The read-side SELECT statements: one flat statement per export kind, and the entity view.

Each kind (articles, figures, times, entities, claims, findings) is one SELECT whose columns are
the keys of the dicts that the ``Ledger.iter_*`` iterators yield and the columns of the exports.
Span rows carry their sentence's text and the article's title, tag, source and date so that a
figures table or CSV reads on its own.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.engine import Engine

from ..errors import ConfigError, NotFound
from . import schema as S
from .filters import Filters, article_conditions, claim_entity_condition, figure_conditions, one_of, spellings

A = S.articles
KINDS = ("articles", "figures", "times", "entities", "claims", "findings")


def _context() -> list[Any]:
    return [A.c.title.label("article_title"), A.c.tag, A.c.source, A.c.published]


def _sentence(tbl) -> Any:  # noqa: ANN001
    src = case((tbl.c.field == "title", A.c.title), else_=A.c.body)
    return func.substr(src, tbl.c.sentence_start + 1, tbl.c.sentence_end - tbl.c.sentence_start).label("sentence")


def _span_statement(tbl, f: Filters | None, **direct: bool):  # noqa: ANN001, ANN202
    return (select(*tbl.c, _sentence(tbl), *_context())
            .select_from(tbl.join(A, A.c.id == tbl.c.article_id))
            .where(*article_conditions(f, **direct)))


def statement(what: str, f: Filters | None):  # noqa: ANN201
    """The SELECT for one kind of row, with the filters applied, in a stable order."""
    if what == "articles":
        cols = [c for c in A.c if c.key not in ("pk", "signature")]
        return select(*cols).where(*article_conditions(f)).order_by(A.c.pk)
    if what == "figures":
        stmt = _span_statement(S.figures, f, figures_direct=True)
        if f is not None:
            stmt = stmt.where(*figure_conditions(f))
        return stmt.order_by(S.figures.c.id)
    if what == "times":
        return _span_statement(S.times, f).order_by(S.times.c.id)
    if what == "entities":
        stmt = _span_statement(S.entities, f, entities_direct=True)
        if f is not None and f.entity is not None:
            stmt = stmt.where(one_of(S.entities.c.canonical, f.forms("entity")))
        return stmt.order_by(S.entities.c.id)
    if what == "claims":
        C, F = S.claims, S.figures
        fig_cols = [F.c.text.label("figure_text"), F.c.kind, F.c.value, F.c.high, F.c.unit, F.c.approx]
        stmt = (select(*C.c, *fig_cols, _sentence(C), *_context())
                .select_from(C.join(F, F.c.id == C.c.figure_id).join(A, A.c.id == C.c.article_id))
                .where(*article_conditions(f, figures_direct=True, entities_direct=True)))
        if f is not None:
            stmt = stmt.where(*figure_conditions(f), *claim_entity_condition(f))
        return stmt.order_by(C.c.id)
    if what == "findings":
        return (select(*S.findings.c, *_context())
                .select_from(S.findings.join(A, A.c.id == S.findings.c.article_id))
                .where(*article_conditions(f)).order_by(S.findings.c.id))
    raise ConfigError(f"unknown kind of rows {what!r}: use one of {', '.join(KINDS)}", what=what)


def entity_view(engine: Engine, canonical: str, limit: int = 200) -> dict[str, Any]:
    """All mentions of ``canonical`` (newest articles first) with the figures of each mention's sentence.

    The name matches in either script (台積電 finds mentions stored as 台积电; see
    :func:`.filters.spellings`).  ``canonical`` in the answer is the stored spelling: the one
    asked for when the ledger holds it, else the most mentioned; ``canonicals`` counts each
    stored spelling and ``query`` is the name as asked.
    """
    E, F = S.entities, S.figures
    canonical = (canonical or "").strip()
    named = one_of(E.c.canonical, spellings(canonical)) if canonical else E.c.canonical.is_(None)
    with engine.connect() as conn:
        summary = conn.execute(select(func.count(), func.count(distinct(E.c.article_id))).where(named)).one()
        if summary[0] == 0:
            raise NotFound(f"no mention of entity {canonical!r} in the ledger (in either script); entity names are "
                           "canonical (look them up with newsledger export --what entities)", canonical=canonical)
        names = Counter()
        types = Counter()
        stored = Counter()
        for name, text, typ, n in conn.execute(
            select(E.c.canonical, E.c.text, E.c.type, func.count()).where(named)
            .group_by(E.c.canonical, E.c.text, E.c.type)
        ):
            names[text] += n
            types[typ] += n
            stored[name] += n
        rows = conn.execute(
            _span_statement(E, None).where(named)
            .order_by(A.c.published.desc().nulls_last(), A.c.pk.desc(), E.c.field, E.c.start).limit(limit)
        ).all()
        ids = sorted({r.article_id for r in rows})
        by_sentence: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
        if ids:
            for r in conn.execute(select(F).where(F.c.article_id.in_(ids)).order_by(F.c.article_id, F.c.start)):
                by_sentence[(r.article_id, r.field, r.sentence_start)].append(dict(r._mapping))
    mentions = []
    for r in rows:
        m = dict(r._mapping)
        key = (r.article_id, r.field, r.sentence_start)
        m["figures"] = by_sentence.get(key, []) if r.sentence_start is not None else []
        mentions.append(m)
    ranked = sorted(stored.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "canonical": canonical if canonical in stored else ranked[0][0],
        "query": canonical,
        "canonicals": dict(ranked),
        "type": types.most_common(1)[0][0],
        "names": dict(names.most_common()),
        "mentions_total": summary[0],
        "articles": summary[1],
        "mentions": mentions,
    }


__all__ = ["KINDS", "statement", "entity_view", "article_conditions"]

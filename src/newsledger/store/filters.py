"""Filters shared by search, the iterators and the exports, compiled to SQLAlchemy Core clauses.

One frozen :class:`Filters` object, validated once at the boundary (dates parsed, kinds checked,
value range ordered).  Article-level filters (tag, source, date range, article id) restrict the
articles; ``entity`` means "the article mentions this canonical entity"; ``kind``/``unit``/
``value_min``/``value_max`` mean "the article has one figure meeting all of them" — except in
the iterators over figures (and claims), where they restrict the figures themselves.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ..errors import ConfigError
from ..model import FIGURE_KINDS
from .schema import articles, claims, entities, figures


def _as_date(name: str, v: Any) -> _dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    try:
        return _dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError as exc:
        raise ConfigError(f"filter {name}={v!r} is not a date: write it as YYYY-MM-DD", **{name: str(v)}) from exc


def _as_float(name: str, v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(v)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"filter {name}={v!r} is not a number (e.g. 1e12)", **{name: str(v)}) from exc


@dataclass(frozen=True, slots=True)
class Filters:
    """Optional restrictions; an empty Filters() matches everything."""

    tag: str | None = None
    source: str | None = None
    date_from: _dt.date | None = None
    date_to: _dt.date | None = None
    entity: str | None = None  # canonical name
    kind: str | None = None  # figure kind
    unit: str | None = None  # figure unit (USD, %, 家...)
    value_min: float | None = None
    value_max: float | None = None
    article_id: str | None = None

    def __post_init__(self) -> None:
        for name in ("tag", "source", "entity", "kind", "unit", "article_id"):
            v = getattr(self, name)
            if v is not None:
                v = str(v).strip() or None
                object.__setattr__(self, name, v)
        object.__setattr__(self, "date_from", _as_date("date_from", self.date_from))
        object.__setattr__(self, "date_to", _as_date("date_to", self.date_to))
        object.__setattr__(self, "value_min", _as_float("value_min", self.value_min))
        object.__setattr__(self, "value_max", _as_float("value_max", self.value_max))
        if self.kind is not None and self.kind not in FIGURE_KINDS:
            raise ConfigError(
                f"unknown figure kind {self.kind!r}: use one of {', '.join(FIGURE_KINDS)}", kind=self.kind
            )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ConfigError(f"date_from {self.date_from} is after date_to {self.date_to}: swap them")
        if self.value_min is not None and self.value_max is not None and self.value_min > self.value_max:
            raise ConfigError(f"value_min {self.value_min} is above value_max {self.value_max}: swap them")

    @property
    def has_figure_filter(self) -> bool:
        return any(v is not None for v in (self.kind, self.unit, self.value_min, self.value_max))

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, JSON-ready (for the web page's query string and the API)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None:
                out[f.name] = v.isoformat() if isinstance(v, _dt.date) else v
        return out


def figure_conditions(f: Filters, table=figures, probe: bool = False) -> list[ColumnElement]:
    """Conditions on one figure row (kind, unit, value range).

    ``probe``: written so that no index serves them (``kind || ''``), which leaves the planner the
    article-id index: the right one when checking a few candidate articles.
    """
    out: list[ColumnElement] = []
    kind, unit = (table.c.kind.concat(""), table.c.unit.concat("")) if probe else (table.c.kind, table.c.unit)
    if f.kind is not None:
        out.append(kind == f.kind)
    if f.unit is not None:
        out.append(unit == f.unit)
    if f.value_min is not None:
        # a range figure qualifies when any part of it reaches the bound
        out.append(or_(table.c.value >= f.value_min, and_(table.c.high.is_not(None), table.c.high >= f.value_min)))
    if f.value_max is not None:
        out.append(table.c.value <= f.value_max)
    return out


def article_conditions(
    f: Filters | None, *, figures_direct: bool = False, entities_direct: bool = False, correlated: bool = False,
) -> list[ColumnElement]:
    """Conditions over ``articles`` (joined by the caller) for the given filters.

    ``figures_direct``/``entities_direct``: the query already ranges over figures/entities rows and
    applies those filters itself, so no EXISTS sub-query is added for them.
    """
    if f is None:
        return []
    out: list[ColumnElement] = []
    if f.article_id is not None:
        out.append(articles.c.id == f.article_id)
    if f.tag is not None:
        out.append(articles.c.tag == f.tag)
    if f.source is not None:
        out.append(articles.c.source == f.source)
    if f.date_from is not None:
        out.append(articles.c.published >= f.date_from)
    if f.date_to is not None:
        out.append(articles.c.published <= f.date_to)
    # Over all articles (exports): IN (uncorrelated sub-query), the set computed once from the
    # (canonical) / (kind, unit, value) indexes.  Over a few candidates (``correlated``: search, where
    # the full-text index already narrowed them): EXISTS, one index probe per candidate.
    if f.entity is not None and not entities_direct:
        if correlated:
            out.append(exists(select(1).where(entities.c.canonical == f.entity, entities.c.article_id == articles.c.id)))
        else:
            out.append(articles.c.id.in_(select(entities.c.article_id).where(entities.c.canonical == f.entity)))
    if f.has_figure_filter and not figures_direct:
        if correlated:
            out.append(exists(select(1).where(figures.c.article_id == articles.c.id,
                                              *figure_conditions(f, probe=True))))
        else:
            out.append(articles.c.id.in_(select(figures.c.article_id).where(*figure_conditions(f))))
    return out


def claim_entity_condition(f: Filters) -> list[ColumnElement]:
    if f.entity is None:
        return []
    return [or_(claims.c.subject_canonical == f.entity, claims.c.other_canonical == f.entity)]


__all__ = ["Filters", "article_conditions", "figure_conditions", "claim_entity_condition"]

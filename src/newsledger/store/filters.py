"""Filters shared by search, the iterators and the exports, compiled to SQLAlchemy Core clauses.

One frozen :class:`Filters` object, validated once at the boundary (dates parsed, kinds checked,
value range ordered).  Article-level filters (tag, source, date range, article id) restrict the
articles; ``entity`` means "the article mentions this canonical entity"; ``kind``/``unit``/
``value_min``/``value_max`` mean "the article has one figure meeting all of them" — except in
the iterators over figures (and claims), where they restrict the figures themselves.

Tag, source, entity and unit match across scripts and regional spellings, as the full-text query
does: ``--tag 创新`` finds articles tagged 創新, ``--unit 个`` figures counted in 個, ``--entity 台積電``
mentions stored as 台积电.  The stored columns hold the original spelling, so a filter value is
expanded into its :func:`spellings` (OpenCC conversions of it, kept when they fold to the same key)
and compared with ``IN``: the column indexes still serve, and the full-text facets (see
:mod:`.facets`) hold one token per stored spelling, so ledgers indexed before this need no rebuild.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
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


_WS = re.compile(r"\s+")
_TAG_MARKS = ("#", "\uff03")  # a digest writes its tag line as #創新 (or with a full-width ＃)
SPELLED = ("tag", "source", "entity", "unit")  # the filters compared across spellings


def _keys(s: str) -> tuple[str, str]:
    """Two fold keys: the script fold (NFKC, ``t2s``) and the script-and-vocabulary fold (NFKC,
    OpenCC ``tw2sp``, as the full-text index folds: 資料 → 数据).  Two spellings match when either
    key agrees: 资料 and 資料 share the first, 資料 and 数据 the second."""
    from ..text.script import normalise, to_script

    n = unicodedata.normalize("NFKC", s)
    return normalise(n), _WS.sub(" ", to_script(n, "simp")).strip()


@lru_cache(maxsize=4096)
def spellings(value: str) -> tuple[str, ...]:
    """``value`` first, then its other spellings in either script that fold to the same key.

    OpenCC converts each way (Simplified; OpenCC, Taiwan and Hong Kong Traditional; mainland and
    Taiwan vocabulary), so 台积电 gives 台積電 and 臺積電, 个 gives 個.  No library folds a SQL
    column, and the ledger stores original spellings, so the filter lists them instead; a
    spelling that mixes both scripts inside one value is the one case this does not reach.
    """
    from ..text.script import converter, normalise, to_script

    base = {value, _WS.sub(" ", unicodedata.normalize("NFKC", value)).strip()}
    simp = {normalise(b) for b in base} | {_WS.sub(" ", to_script(b, "simp")).strip() for b in base}
    trad = {converter(c).convert(x) for x in simp for c in ("s2t", "s2tw", "s2hk")}
    trad |= {to_script(x, "trad") for x in simp}
    key = _keys(value)
    others = sorted(v for v in (base | simp | trad) - {value}
                    if v and any(a == b for a, b in zip(_keys(v), key)))
    return (value, *others)


def tag_spellings(value: str) -> tuple[str, ...]:
    """Spellings of a tag; a leading ``#`` (as pages and digests write tags) may be left out."""
    out = list(spellings(value))
    bare = value.lstrip("".join(_TAG_MARKS)).strip()
    if bare and bare != value:
        out += [v for v in spellings(bare) if v not in out]
    return tuple(out)


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

    def forms(self, name: str) -> tuple[str, ...] | None:
        """The stored spellings that filter ``name`` (tag, source, entity, unit) accepts; None when unset."""
        v = getattr(self, name)
        if v is None:
            return None
        return tag_spellings(v) if name == "tag" else spellings(v)

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


def one_of(col: Any, forms: tuple[str, ...]) -> ColumnElement:
    """``col = x`` for one spelling, ``col IN (...)`` for several (both seek the column's index)."""
    return col == forms[0] if len(forms) == 1 else col.in_(forms)


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
        out.append(one_of(unit, f.forms("unit")))
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
        out.append(one_of(articles.c.tag, f.forms("tag")))
    if f.source is not None:
        out.append(one_of(articles.c.source, f.forms("source")))
    if f.date_from is not None:
        out.append(articles.c.published >= f.date_from)
    if f.date_to is not None:
        out.append(articles.c.published <= f.date_to)
    # Over all articles (exports): IN (uncorrelated sub-query), the set computed once from the
    # (canonical) / (kind, unit, value) indexes.  Over a few candidates (``correlated``: search, where
    # the full-text index already narrowed them): EXISTS, one index probe per candidate.
    if f.entity is not None and not entities_direct:
        named = one_of(entities.c.canonical, f.forms("entity"))
        if correlated:
            out.append(exists(select(1).where(named, entities.c.article_id == articles.c.id)))
        else:
            out.append(articles.c.id.in_(select(entities.c.article_id).where(named)))
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
    forms = f.forms("entity")
    return [or_(one_of(claims.c.subject_canonical, forms), one_of(claims.c.other_canonical, forms))]


__all__ = ["Filters", "SPELLED", "spellings", "tag_spellings", "one_of", "article_conditions", "figure_conditions",
           "claim_entity_condition"]

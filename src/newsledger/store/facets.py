"""Filter tokens ("facets") stored beside the text in the full-text index (both engines).

A filtered search must rank only the articles that pass the filters, but bm25 can only be computed
inside the FTS5 query: without help, SQLite ranks every match of the words and filters afterwards
(a common word with a tag filter ranked 70,000 rows to keep 7,000).  So each article's index row
also holds tokens for its tag, source, month, entities and figures (kind, unit, order of magnitude),
in a second column that bm25 weighs 0, and a filter adds the matching tokens to the MATCH
expression: the index intersects the posting lists and ranks only what is left.  Tokens hash the
stored spelling (創新, 個, 台积电 as written); a filter matches any of its value's spellings in
either script, so it asks for the token of each (an OR) rather than for one folded token: the
format of the index is unchanged and ledgers indexed earlier keep working without a rebuild.

Facets are a necessary condition only (an article lacking the token cannot pass the filter); the
exact SQL conditions still apply, so a facet never changes an answer, only its cost.  Tokens are a
letter prefix and a short hash or number: alphanumeric, so unicode61 and PostgreSQL's parser keep
each whole and no user text reaches the FTS5 or tsquery syntax.  In SQLite they sit in a second
column that bm25 weighs 0; in PostgreSQL after the words in the same tsvector (ranked with a query
of the words alone).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
from collections.abc import Iterable

from .filters import Filters

EXP_MIN, EXP_MAX = -6, 24  # orders of magnitude kept apart; beyond, clamped
MAX_MONTHS = 60  # a longer date range is left to SQL alone


def _h(s: str) -> str:
    return hashlib.blake2b(s.encode("utf-8"), digest_size=6).hexdigest()


def _exp(v: float) -> str:
    if not v > 0 or math.isinf(v):
        return "n" if not v > 0 else str(EXP_MAX)
    return str(min(EXP_MAX, max(EXP_MIN, math.floor(math.log10(v))))).replace("-", "m")


def _month(d: _dt.date) -> str:
    return f"fym{d.year:04d}{d.month:02d}"


def article_facets(tag: str | None, source: str | None, published: _dt.date | None, canonicals: Iterable[str],
                   figures: Iterable[tuple[str, str | None, float, float | None]]) -> str:
    """The facet tokens of one article, space-separated (the index's second column)."""
    toks: set[str] = set()
    if tag:
        toks.add("ftag" + _h(tag))
    if source:
        toks.add("fsrc" + _h(source))
    if published:
        toks.add(_month(published))
    for c in canonicals:
        toks.add("fent" + _h(c))
    for kind, unit, value, high in figures:
        top = max(value, high) if high is not None else value
        toks.add("fkd" + _h(kind))
        toks.add("fkx" + _h(kind) + "e" + _exp(top))
        if unit is not None:
            toks.add("fun" + _h(unit))
            toks.add("fku" + _h(f"{kind}|{unit}"))
            toks.add("fmg" + _h(f"{kind}|{unit}") + "e" + _exp(top))
    return " ".join(sorted(toks))


def _exps_from(value_min: float) -> list[str]:
    if not value_min > 0:
        return []
    lo = max(EXP_MIN, math.floor(math.log10(value_min)) - 1)  # one below: float rounding at exact powers
    return [str(e).replace("-", "m") for e in range(lo, EXP_MAX + 1)]


TSQUERY_MAX_OR = 4  # longer alternatives make PostgreSQL cost the GIN scan above a sequential scan


def _facet_parts(f: Filters | None) -> list[tuple[list[str], list[str]]]:
    """The facet tokens every article passing ``f`` holds: an AND of groups, each a list of
    alternatives and a list of coarser tokens such that every article holding one of the
    alternatives holds one of them too (empty when there is none).

    Tag, source, entity and unit filters accept every spelling of their value (see
    :func:`.filters.spellings`): one alternative per spelling, each the token the article was
    indexed with (the stored spelling), so both scripts meet without re-indexing.
    """
    if f is None:
        return []
    parts: list[tuple[list[str], list[str]]] = []
    for prefix, name in (("ftag", "tag"), ("fsrc", "source"), ("fent", "entity")):
        forms = f.forms(name)
        if forms is not None:
            parts.append(([prefix + _h(v) for v in forms], []))
    if f.date_from is not None and f.date_to is not None:
        months, d = [], f.date_from.replace(day=1)
        while d <= f.date_to and len(months) <= MAX_MONTHS:
            months.append(_month(d))
            d = (d.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
        if len(months) <= MAX_MONTHS:
            parts.append((months, []))
    exps = _exps_from(f.value_min) if f.value_min is not None else []
    units = f.forms("unit")
    if f.kind is not None and units is not None:
        keys = [_h(f"{f.kind}|{u}") for u in units]
        coarse = ["fku" + k for k in keys]
        parts.append(([f"fmg{k}e{e}" for k in keys for e in exps], coarse) if exps else (coarse, []))
    elif f.kind is not None:
        key = _h(f.kind)
        parts.append(([f"fkx{key}e{e}" for e in exps], ["fkd" + key]) if exps else (["fkd" + key], []))
    elif units is not None:
        parts.append((["fun" + _h(u) for u in units], []))
    return parts


def facet_query(f: Filters | None) -> str | None:
    """An FTS5 expression over the facets column that every article passing ``f`` satisfies."""
    parts = [alts for alts, _ in _facet_parts(f)]
    if not parts:
        return None
    return "{facets}: (" + " AND ".join(p[0] if len(p) == 1 else "(" + " OR ".join(p) + ")" for p in parts) + ")"


def facet_tsquery(f: Filters | None) -> str | None:
    """The same condition as a PostgreSQL ``to_tsquery('simple', ...)`` string (our tokens only:
    alphanumeric, so no user text reaches the tsquery syntax).

    PostgreSQL's planner costs a GIN scan per alternative: a long list of them (orders of
    magnitude from 10^10 up, the months of a year, many spellings) is replaced by its coarser
    tokens, or left out (the exact SQL conditions still apply).
    """
    parts = []
    for alts, coarse in _facet_parts(f):
        if len(alts) > TSQUERY_MAX_OR:
            alts = coarse if len(coarse) <= TSQUERY_MAX_OR else []
        if alts:
            parts.append(alts)
    if not parts:
        return None
    return " & ".join(p[0] if len(p) == 1 else "(" + " | ".join(p) + ")" for p in parts)


__all__ = ["article_facets", "facet_query", "facet_tsquery"]

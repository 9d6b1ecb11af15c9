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
from functools import lru_cache

from .filters import Filters

EXP_MIN, EXP_MAX = -6, 24  # orders of magnitude kept apart; beyond, clamped
MAX_MONTHS = 60  # a longer date range is left to SQL alone


@lru_cache(maxsize=1 << 14)
def _h(s: str) -> str:
    # cached: an ingest hashes the same tags, sources, entities, kinds and units over and over
    # (blake2 per token was about a tenth of Ledger.add_many's time)
    return hashlib.blake2b(s.encode("utf-8"), digest_size=6).hexdigest()


def _exp(v: float) -> str:
    if not v > 0 or math.isinf(v):
        return "n" if not v > 0 else str(EXP_MAX)
    return str(min(EXP_MAX, max(EXP_MIN, math.floor(math.log10(v))))).replace("-", "m")


def _month(d: _dt.date) -> str:
    return f"fym{d.year:04d}{d.month:02d}"


def article_facets(tag: str | None, source: str | None, published: _dt.date | None, canonicals: Iterable[str],
                   figures: Iterable[tuple[str, str | None, float, float | None]]) -> str:
    """The facet tokens of one article, space-separated (the index's second column): version 1's
    tokens, unchanged (an older newsledger reads the index as before), and :func:`value_facets`."""
    toks: set[str] = set()
    if tag:
        toks.add("ftag" + _h(tag))
    if source:
        toks.add("fsrc" + _h(source))
    if published:
        toks.add(_month(published))
    for c in canonicals:
        toks.add("fent" + _h(c))
    seen: set[tuple] = set()
    for kind, unit, value, high in figures:
        top = max(value, high) if high is not None else value
        if (kind, unit, top) not in seen:  # figures of one family and value share their tokens
            seen.add((kind, unit, top))
            toks.update(_figure_tokens(kind, unit, top))
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



# ---- version 2: value buckets that make a value_min filter exact inside the index ---------------
#
# Orders of magnitude (above) only narrow: "同比, percent >= 50" kept every article with a percent
# of 1 or more (70,000 of 100,000) and the exact check then ran per article.  Version 2 adds, per
# figure family (kind; kind|unit; unit), the figure's bucket: its decade and its leading digit,
# computed so that bucket order is value order (``bucket`` below).  Every article holding a bucket
# above the bound's bucket passes ``value_min`` for sure, and so does the bound's own bucket when
# the bound is its lower edge (50, 1e10): the index alone then answers the filter, and the exact
# SQL check runs only on the articles of the one boundary bucket.  In SQLite these tokens live in
# their own index (``articles_facets``, see fts.py): in the ranked one they would lengthen every
# document and so change every bm25 score.  PostgreSQL keeps version 1's tokens only.
FACET_VERSION = 2  # recorded with the SQLite index (see fts.py); an older ledger gets its facets index on open
NOTHING = "fnone0"  # a token no article holds: an expression that matches nothing


V2_PREFIXES = ("fkw", "fkv", "fmw", "fmv", "fuw", "fuv")


def v1_facets(facets: str) -> str:
    """The version-1 tokens of a facets string (what the words' index holds, see fts.py)."""
    return " ".join(t for t in facets.split() if not t.startswith(V2_PREFIXES))


def bucket(v: float) -> tuple[int, int] | None:
    """``(e, d)``, the largest with ``d * 10.0**e <= v`` (d in 1..9, e clamped to EXP_MIN..EXP_MAX);
    None below ``10**EXP_MIN`` (and for 0, negatives, NaN).  Monotone in ``v``: computed with the
    same float products the bound is compared with, so no rounding of log10 can misplace a value."""
    if not v >= 10.0 ** EXP_MIN:
        return None
    if math.isinf(v) or v >= 10.0 ** (EXP_MAX + 1):
        return EXP_MAX, 9
    e = min(EXP_MAX, max(EXP_MIN, math.floor(math.log10(v))))
    while e > EXP_MIN and 10.0 ** e > v:
        e -= 1
    while e < EXP_MAX and 10.0 ** (e + 1) <= v:
        e += 1
    d = 1
    while d < 9 and (d + 1) * 10.0 ** e <= v:
        d += 1
    return e, d


def _e(e: int) -> str:
    return str(e).replace("-", "m")


@lru_cache(maxsize=1 << 12)
def _families(kind: str, unit: str | None) -> tuple[tuple[str, str], ...]:
    """``(x, hash)`` of a figure's families: k (kind), and with a unit m (kind|unit) and u (unit).
    Cached: articles repeat a few kinds and units, and each costs blake2 otherwise."""
    if unit is None:
        return (("k", _h(kind)),)
    return ("k", _h(kind)), ("m", _h(f"{kind}|{unit}")), ("u", _h(unit))


@lru_cache(maxsize=1 << 12)
def _top_parts(top: float) -> tuple[str, tuple[str, int] | None]:
    """The order of magnitude of version 1 (``_exp``) and the bucket of version 2 (decade as
    written in tokens, leading digit; None for no bucket) of a figure's top value; cached (round
    values recur)."""
    b = bucket(top) if top is not None else None
    return _exp(top), None if b is None else (_e(b[0]), b[1])


def _figure_tokens(kind: str, unit: str | None, top: float) -> tuple[str, ...]:
    """Every facet token of one figure: version 1's (kind, kind+magnitude and, with a unit, unit,
    kind|unit, kind|unit+magnitude), then version 2's (see :func:`value_facets`)."""
    return _bucket_tokens(kind, unit, *_top_parts(top))


@lru_cache(maxsize=1 << 12)
def _bucket_tokens(kind: str, unit: str | None, ex: str, b: tuple[str, int] | None) -> tuple[str, ...]:
    # cached: the tokens depend on the value through its magnitude and bucket only, and the
    # families of an ingest times their buckets are few (this was most of article_facets' time)
    fams = _families(kind, unit)
    hk = fams[0][1]
    toks = ["fkd" + hk, f"fkx{hk}e{ex}"]
    if unit is not None:
        hm = fams[1][1]
        toks += ["fun" + fams[2][1], "fku" + hm, f"fmg{hm}e{ex}"]
    if b is not None:
        toks += _v2_tokens(kind, unit, b)
    return tuple(toks)


@lru_cache(maxsize=1 << 12)
def _v2_tokens(kind: str, unit: str | None, b: tuple[str, int]) -> tuple[str, ...]:
    """Version 2's tokens of a figure in bucket ``b`` (decade as written in tokens, leading digit)."""
    e, d = b
    return tuple(t for x, k in _families(kind, unit) for t in (f"f{x}w{k}e{e}", f"f{x}v{k}e{e}d{d}"))


def value_facets(figures: Iterable[tuple[str, str | None, float, float | None]]) -> set[str]:
    """Version-2 tokens of an article's figures: ``fXw<key>e<E>`` (decade) and ``fXv<key>e<E>d<D>``
    (decade and leading digit) of each figure's top value, X = k (kind), m (kind|unit), u (unit)."""
    toks: set[str] = set()
    for kind, unit, value, high in figures:
        top = max(value, high) if high is not None else value
        b = _top_parts(top)[1] if top is not None else None
        if b is not None:
            toks.update(_v2_tokens(kind, unit, b))
    return toks


def _value_tokens(x: str, keys: list[str], vmin: float) -> tuple[list[str], list[str]] | None:
    """(sure, boundary) tokens of ``top >= vmin`` for family ``x``: holders of a sure token pass;
    holders of a boundary token may.  None when buckets cannot express the bound (below 10^EXP_MIN)."""
    b = bucket(vmin)
    if b is None:
        return None
    e0, d0 = b
    edge = d0 * 10.0 ** e0 == vmin  # the bound is its bucket's lower edge: that bucket passes too
    sure, edge_toks = [], []
    for k in keys:
        sure += [f"f{x}w{k}e{_e(e)}" for e in range(e0 + 1, EXP_MAX + 1)]
        sure += [f"f{x}v{k}e{_e(e0)}d{d}" for d in range(d0 + 1, 10)]
        (sure if edge else edge_toks).append(f"f{x}v{k}e{_e(e0)}d{d0}")
    return sure, edge_toks


def _or(toks: list[str]) -> str:
    return toks[0] if len(toks) == 1 else "(" + " OR ".join(toks) + ")"


def facet_plan(f: Filters | None) -> tuple[str | None, str | None]:
    """``(maybe, sure)`` FTS5 expressions over the facets column of a version-2 index.

    ``maybe``: every article passing ``f`` matches it (None: no narrowing).  ``sure``: every
    article matching it passes ``f`` (None: no such expression, the exact SQL conditions must run on
    every candidate); ``sure == maybe`` when the index alone answers ``f``.

    Answered by the index: tag, source, entity (a token per stored spelling), kind, unit, a date
    range of whole months, ``value_min`` (but for the bound's own bucket when the bound is not its
    lower edge).  Only narrowed or checked in SQL: ``value_max``, partial months, one-sided dates,
    ``article_id``.  Tokens hash stored spellings (48 bits): "sure" takes two spellings of the ledger
    never to share a hash.
    """
    if f is None:
        return None, None

    def pick(toks: list[str]) -> str:
        return _or(toks or [NOTHING])

    groups: list[tuple[str | None, str | None]] = []  # (maybe, sure) of each condition
    for prefix, name in (("ftag", "tag"), ("fsrc", "source"), ("fent", "entity")):
        forms = f.forms(name)
        if forms is not None:
            e = pick([prefix + _h(v) for v in forms])
            groups.append((e, e))
    if f.date_from is not None or f.date_to is not None:
        months: list[str] = []
        if f.date_from is not None and f.date_to is not None:
            d = f.date_from.replace(day=1)
            while d <= f.date_to and len(months) <= MAX_MONTHS:
                months.append(_month(d))
                d = (d.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
        if months and len(months) <= MAX_MONTHS:
            e = pick(months)
            whole = f.date_from.day == 1 and (f.date_to + _dt.timedelta(days=1)).day == 1
            groups.append((e, e if whole else None))
        else:
            groups.append((None, None))
    if f.has_figure_filter:
        units = f.forms("unit")
        if f.kind is not None and units is not None:
            x, keys = "m", [_h(f"{f.kind}|{u}") for u in units]
            plain = ["fku" + k for k in keys]
        elif f.kind is not None:
            x, keys, plain = "k", [_h(f.kind)], ["fkd" + _h(f.kind)]
        else:
            x, keys, plain = "u", [_h(u) for u in units], ["fun" + _h(u) for u in units]
        vt = _value_tokens(x, keys, f.value_min) if f.value_min is not None else None
        if vt is not None:  # with a boundary bucket, "sure" is the buckets above it
            groups.append((pick(vt[0] + vt[1]), pick(vt[0])))
        else:
            e = pick(plain)
            groups.append((e, e if f.value_min is None else None))
        if f.value_max is not None:
            groups[-1] = (groups[-1][0], None)
    if f.article_id is not None:
        groups.append((None, None))
    maybes = [m for m, _ in groups if m is not None]
    if not maybes:
        return None, None
    maybe = "{facets}: (" + " AND ".join(maybes) + ")"
    if any(s is None for _, s in groups):
        return maybe, None
    if all(m == s for m, s in groups):
        return maybe, maybe
    return maybe, "{facets}: (" + " AND ".join(s for _, s in groups) + ")"


__all__ = ["article_facets", "facet_query", "facet_tsquery", "facet_plan", "bucket", "v1_facets",
           "FACET_VERSION"]

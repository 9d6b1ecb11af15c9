"""Context builders: one plain dict per page, shared by the HTML page and its ``/api`` twin.

Each function takes the ledger and validated parameters and returns JSON-ready data (the page
template renders exactly this dict; the API returns it as is), so the two views cannot drift.
"""
from __future__ import annotations

import math
from typing import Any

from ..model import to_dict
from .highlight import build_segments, convert_segments
from .params import FilterParams

SORTS = ("value", "-value", "unit", "-unit", "kind", "-kind", "published", "-published")


def article_summary(article: Any) -> dict[str, Any]:
    d = to_dict(article)
    body = d.pop("body", "") or ""
    d["excerpt"] = body[:120] + ("…" if len(body) > 120 else "")
    d["chars"] = len(body)
    return d


class StatsCache:
    """``ledger.stats()`` counts every table: on a 100,000-article ledger that is most of a home
    request.  Totals a few seconds old are fine for a page; ingest through the API clears it."""

    def __init__(self, ttl: float = 5.0) -> None:
        import threading

        self.ttl, self._value, self._at, self._lock = ttl, None, 0.0, threading.Lock()

    def get(self, ledger: Any) -> dict[str, Any]:
        import time

        from .timelimit import deadline

        with self._lock:  # one request counts; the others wait for its answer
            if self._value is None or time.monotonic() - self._at > self.ttl:
                token = deadline.set(None)  # bounded work (counts), shared by every request: no limit
                try:
                    self._value, self._at = dict(ledger.stats()), time.monotonic()
                finally:
                    deadline.reset(token)
            return dict(self._value)

    def clear(self) -> None:
        with self._lock:
            self._value = None


def home(ledger: Any, latest: int = 20, stats: dict[str, Any] | None = None) -> dict[str, Any]:
    stats = dict(stats if stats is not None else ledger.stats())
    tags = stats.pop("tags", {}) or {}
    sources = stats.pop("sources", {}) or {}
    totals = {k: v for k, v in stats.items() if isinstance(v, int) and not isinstance(v, bool) and k != "schema_version"}
    info = {k: v for k, v in stats.items() if k not in totals}
    return {
        "totals": totals,
        "info": info,
        "tags": spelled_groups(tags, "tag"),
        "sources": spelled_groups(sources, "source"),
        "latest": [article_summary(a) for a in ledger.latest(limit=latest)],
    }


def spelled_groups(counts: dict[str, int], name: str) -> list[dict[str, Any]]:
    """Tag or source counts with the spellings of one name together (創新 and 创新 are one link).

    A filter matches every spelling of its value in either script (``Filters.forms``), so each
    link shows the most used spelling, the others in ``spellings``, and the count its filter
    finds.  Most articles first.
    """
    from ..store import Filters

    out: list[dict[str, Any]] = []
    shown: set[str] = set()
    for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        if k in shown:
            continue
        forms = [f for f in Filters(**{name: k}).forms(name) or (k,) if f in counts]
        if k not in forms:  # a name the filter would strip (spaces): keep it as its own link
            forms = [k]
        shown.update(forms)
        out.append({"name": k, "count": sum(counts[f] for f in forms), "spellings": [f for f in forms if f != k]})
    return out


def _split_fields(art: Any, ext: Any) -> tuple[str, list[dict], list[dict], list[dict], int]:
    """(body text, figures, times, entities, shift): the spans in body offsets.

    Ingest extracts from the body; an extraction made on ``title + "\n" + body`` is accepted by the
    store too, so its spans are shifted into the body (``shift`` = where the body starts).
    """
    text = getattr(ext, "text", None) or art.body
    shift = len(art.title) + 1 if text != art.body and text == f"{art.title}\n{art.body}" else 0
    out = []
    for spans in (ext.figures, ext.times, ext.entities):
        out.append([_flat(s) for s in spans])
    return text, out[0], out[1], out[2], shift


def _flat(span: Any) -> dict[str, Any]:
    """A span record as a dict: Figure/TimeExpr/Entity hold only scalars, so the model's generic
    (recursive) to_dict is not needed here — this is 5× cheaper on articles with hundreds of spans."""
    return {name: getattr(span, name) for name in span.__dataclass_fields__}


def _part(items: list[dict], lo: int, hi: int, shift: int) -> list[dict]:
    return [{**d, "start": d["start"] - shift, "end": d["end"] - shift} for d in items if lo <= d["start"] and d["end"] <= hi]


def article(ledger: Any, article_id: str, script: str = "orig") -> dict[str, Any]:
    stored = ledger.get(article_id)  # raises NotFound (404) with a message naming the id
    art, ext = stored.article, stored.extraction
    text, figures, times, entities, shift = _split_fields(art, ext)
    findings = [to_dict(f) for f in ext.findings]
    for f in findings:
        f["quotes"] = [text[a:b] for a, b in f.get("spans") or () if 0 <= a < b <= len(text)]
    flagged = [(a - shift, b - shift) for f in findings if not f.get("verified") for a, b in f.get("spans") or ()]
    body = art.body
    segments, dropped = build_segments(
        body, _part(figures, shift, len(text), shift), _part(times, shift, len(text), shift),
        _part(entities, shift, len(text), shift), flagged)
    title_segments: list[dict] = [{"text": art.title}]
    if shift:
        title_segments, d2 = build_segments(art.title, _part(figures, 0, shift - 1, 0), _part(times, 0, shift - 1, 0),
                                            _part(entities, 0, shift - 1, 0))
        dropped += d2
    title = art.title
    if script in ("trad", "simp"):
        from ..text.script import to_script

        segments = convert_segments(segments, script)
        title_segments = convert_segments(title_segments, script)
        title = to_script(title, script)
    claims = []
    for c in ext.claims:
        d = to_dict(c)
        d["sentence"] = text[c.sentence_start:c.sentence_end]
        claims.append(d)
    dups = [_jsonable_tree(d) for d in getattr(stored, "duplicates", None) or ()]
    return {
        "article": to_dict(art),
        "script": script,
        "title": title,
        "title_segments": title_segments,
        "segments": segments,
        "offsets": "title+body" if shift else "body",
        "dropped_highlights": dropped,
        "counts": {"figures": len(figures), "times": len(times), "entities": len(entities),
                   "claims": len(claims), "findings": len(findings)},
        "figures": figures,
        "times": times,
        "entities": entities,
        "claims": claims,
        "findings": findings,
        "duplicates": dups,
    }


def search(ledger: Any, q: str | None, filters: FilterParams, page: int = 1, per_page: int = 20) -> dict[str, Any]:
    q = (q or "").strip()
    ctx: dict[str, Any] = {"query": q, "filters": filters.active(), "page": page, "per_page": per_page,
                           "total": 0, "pages": 0, "hits": []}
    if not q and not ctx["filters"]:
        return ctx  # nothing asked: the page shows the empty form (filters alone list their articles)
    res = ledger.search(q, filters.to_store(), limit=per_page, offset=(page - 1) * per_page)
    ctx["total"] = int(res.total)
    ctx["pages"] = math.ceil(res.total / per_page) if res.total else 0
    ctx["hits"] = [
        {"article": article_summary(h.article), "score": float(h.score),
         "snippet": [{"text": t, "match": bool(m)} for t, m in h.snippet]}
        for h in res.hits
    ]
    return ctx


def figure_rows(ledger: Any, filters: FilterParams) -> Any:
    return ledger.iter_figures(filters.to_store())


def figures(ledger: Any, filters: FilterParams, sort: str | None = None, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """One page of figures, sorted and paged in SQL by the store (one row more than the page tells
    whether a next page exists)."""
    window = ledger.page("figures", filters.to_store(), sort=sort, offset=(page - 1) * per_page, limit=per_page + 1)
    rows = [dict(r) for r in window[:per_page]]
    return {"filters": filters.active(), "sort": sort, "page": page, "per_page": per_page,
            "has_next": len(window) > per_page, "rows": [_jsonable_row(r) for r in rows]}


def _jsonable_row(r: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}


def entity(ledger: Any, canonical: str) -> dict[str, Any]:
    data = ledger.entity(canonical)  # raises NotFound for an entity never seen
    return {"canonical": canonical, **_jsonable_tree(data)}


def _jsonable_tree(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable_tree(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable_tree(x) for x in v]
    if hasattr(v, "__dataclass_fields__"):
        return to_dict(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v

"""Turning an Article and its Extraction into rows, and rows back into the data model.

Offset convention: ingest calls ``extract(title + "\\n" + body)`` (``extract(body)`` when there
is no title).  Spans inside the title get ``field="title"``, spans in the body are shifted to body
offsets (``field="body"``); an Extraction whose ``text`` is the body alone is stored as is, every
span in the body.  Anything else is refused (the offsets would point into a text the ledger does
not have).  Every span is checked (``text[start:end] == span.text``) before it is written.

A claim's own spans (subject, other entity, period) are stored as offsets from the start of the
claim's field in the extraction text, so a claim in the body whose period is in the title (the
article's period, taken from the title) has negative period offsets; they read back exactly.
Findings keep the extraction text's offsets, shifted to body offsets when nothing of the article
is in the title (the extraction then reads back as made on the body).
:func:`extraction_from_rows` gives back an Extraction in the form it was given (or, for a
title + body extraction with nothing in the title, the same spans on the body).
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from ..errors import StoreError
from ..model import Article, Claim, Entity, Extraction, Figure, Finding, TimeExpr


def _sentences(text: str) -> list[tuple[int, int]]:
    from ..text.sentences import split_sentences

    return split_sentences(text)


class FieldMap:
    """Where a span of the extraction text lies: (field, offset shift, field text)."""

    def __init__(self, article: Article, ext: Extraction) -> None:
        self.title, self.body = article.title or "", article.body or ""
        if ext.text == self.body:
            self.cut = None  # everything is body
        elif ext.text == f"{self.title}\n{self.body}":
            self.cut = len(self.title)
        else:
            raise StoreError(
                f"article {article.id}: the extraction was made on a text that is neither the article body nor "
                "title + '\\n' + body; call extract(article.body) so that offsets point into the stored text",
                article_id=article.id,
            )
        self._sent: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def locate(self, start: int, end: int, what: str) -> tuple[str, int, int]:
        if self.cut is None:
            return "body", start, end
        if end <= self.cut:
            return "title", start, end
        if start > self.cut:
            return "body", start - self.cut - 1, end - self.cut - 1
        raise StoreError(f"{what} [{start}:{end}] straddles the title and the body; split it", start=start, end=end)

    def relative(self, field: str, start: int, end: int) -> tuple[int, int]:
        """Offsets of a span from the start of ``field`` in the extraction text (see the module docstring)."""
        if self.cut is None or field == "title":
            return start, end
        d = self.cut + 1
        return start - d, end - d

    def text_of(self, field: str) -> str:
        return self.title if field == "title" else self.body

    def sentence(self, field: str, start: int) -> tuple[int | None, int | None]:
        if field not in self._sent:
            sents = _sentences(self.text_of(field))
            self._sent[field] = ([s for s, _ in sents], sents)
        starts, sents = self._sent[field]
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and sents[i][0] <= start < max(sents[i][1], sents[i][0] + 1):
            return sents[i]
        return None, None


def span_row(fm: FieldMap, article_id: str, span: Any, what: str) -> dict[str, Any]:
    field, s, e = fm.locate(span.start, span.end, what)
    if fm.text_of(field)[s:e] != span.text:
        raise StoreError(
            f"article {article_id}: {what} {span.text!r} at [{span.start}:{span.end}] does not match the text "
            "there; offsets must index the text given to extract()",
            article_id=article_id,
        )
    ss, se = fm.sentence(field, s)
    return {"article_id": article_id, "field": field, "start": s, "end": e, "text": span.text,
            "sentence_start": ss, "sentence_end": se}


# The row builders run for every span of every stored article (≈ 40 an article): they add to the
# span's dict in place rather than copying it into a new one ({**row, ...}); claim rows are made
# from column names listed once.  Column order is unchanged.

def figure_row(fm: FieldMap, aid: str, f: Figure) -> dict[str, Any]:
    row = span_row(fm, aid, f, "figure")
    row.update(kind=f.kind, value=float(f.value), high=None if f.high is None else float(f.high), unit=f.unit,
               approx=f.approx, per=f.per, rule=f.rule or "")
    return row


def time_row(fm: FieldMap, aid: str, t: TimeExpr) -> dict[str, Any]:
    row = span_row(fm, aid, t, "time")
    row.update(type=t.type, value=t.value, relative=bool(t.relative), rule=t.rule or "")
    return row


def entity_row(fm: FieldMap, aid: str, e: Entity) -> dict[str, Any]:
    row = span_row(fm, aid, e, "entity")
    row.update(type=e.type, canonical=e.canonical or e.text, ticker=e.ticker, rule=e.rule or "")
    return row


def _inline_entity(fm: FieldMap, e: Entity | None, field: str) -> tuple[Any, ...]:
    """The values of a claim's inline entity columns (text, start, end, type, canonical, ticker, rule)."""
    if e is None:
        return _NO_ENTITY
    s, end = fm.relative(field, e.start, e.end)
    return e.text, s, end, e.type, e.canonical or e.text, e.ticker, e.rule


_NO_ENTITY = (None,) * 7
_NO_PERIOD = (None,) * 7
_CLAIM_KEYS = ("article_id", "field", "figure_id",
               *(f"subject_{k}" for k in ("text", "start", "end", "type", "canonical", "ticker", "rule")),
               "metric", "period_text", "period_start", "period_end", "period_type", "period_value",
               "period_relative", "period_rule", "sentence_start", "sentence_end", "relation", "direction",
               *(f"other_{k}" for k in ("text", "start", "end", "type", "canonical", "ticker", "rule")))


def claim_row(fm: FieldMap, aid: str, c: Claim, figure_id: int) -> dict[str, Any]:
    # one dict from the column names (listed once) and a tuple of values: a claim row has 29 columns
    field, ss, se = fm.locate(c.sentence_start, c.sentence_end, "claim sentence")
    p = c.period
    if p is None:
        period = _NO_PERIOD
    else:
        ps, pe = fm.relative(field, p.start, p.end)
        period = (p.text, ps, pe, p.type, p.value, bool(p.relative), p.rule)
    return dict(zip(_CLAIM_KEYS, (aid, field, figure_id, *_inline_entity(fm, c.subject, field), c.metric, *period,
                                  ss, se, c.relation, c.direction, *_inline_entity(fm, c.other, field)), strict=True))


def uses_title(*row_lists: Sequence[dict[str, Any]]) -> bool:
    """True when a span row lies in the title: the extraction then reads back as title + body."""
    return any(r["field"] == "title" for rows in row_lists for r in rows)


def finding_row(fm: FieldMap, aid: str, f: Finding, title_used: bool = True) -> dict[str, Any]:
    # finding spans stay in the extraction text's offsets (they may cover several fields), unless
    # nothing is stored in the title: then the extraction reads back as the body's, and so must they
    d = fm.cut + 1 if fm.cut is not None and not title_used else 0
    return {"article_id": aid, "kind": f.kind, "severity": f.severity, "message": f.message,
            "spans": [[a - d, b - d] for a, b in f.spans], "check": f.check or "", "verified": bool(f.verified)}


def article_row(a: Article) -> dict[str, Any]:
    return {"id": a.id, "tag": a.tag, "title": a.title, "body": a.body, "source": a.source,
            "published": a.published, "url": a.url, "script": a.script or "mixed", "origin": a.origin,
            "title_start": a.title_start, "title_end": a.title_end, "body_start": a.body_start,
            "body_end": a.body_end}


# ---- rows → model ---------------------------------------------------------------------------

def article_from_row(r: Any) -> Article:
    m = r._mapping if hasattr(r, "_mapping") else r
    return Article(id=m["id"], title=m["title"], body=m["body"], tag=m["tag"], source=m["source"],
                   published=m["published"], url=m["url"], script=m["script"], title_start=m["title_start"],
                   title_end=m["title_end"], body_start=m["body_start"], body_end=m["body_end"],
                   origin=m["origin"])


def _entity_from(m: Any, prefix: str, shift: int) -> Entity | None:
    if m[f"{prefix}_text"] is None:
        return None
    return Entity(start=m[f"{prefix}_start"] + shift, end=m[f"{prefix}_end"] + shift, text=m[f"{prefix}_text"],
                  type=m[f"{prefix}_type"], canonical=m[f"{prefix}_canonical"], ticker=m[f"{prefix}_ticker"],
                  rule=m[f"{prefix}_rule"] or "")


def extraction_from_rows(
    a: Article, figs: Sequence[Any], tms: Sequence[Any], ents: Sequence[Any], clms: Sequence[Any],
    fnds: Sequence[Any],
) -> Extraction:
    """The Extraction as it was added: on the body, or on title + "\\n" + body if any span is in the title."""
    with_title = any(r.field == "title" for rows in (figs, tms, ents, clms) for r in rows)
    text = f"{a.title}\n{a.body}" if with_title else a.body
    body_shift = len(a.title) + 1 if with_title else 0

    def shift(field: str) -> int:
        return 0 if field == "title" else body_shift

    fig_by_id: dict[int, Figure] = {}
    figures = []
    for r in figs:
        d = shift(r.field)
        f = Figure(start=r.start + d, end=r.end + d, text=r.text, kind=r.kind, value=r.value, high=r.high,
                   unit=r.unit, approx=r.approx, per=r.per, rule=r.rule)
        fig_by_id[r.id] = f
        figures.append(f)
    times = [TimeExpr(start=r.start + shift(r.field), end=r.end + shift(r.field), text=r.text, type=r.type,
                      value=r.value, relative=bool(r.relative), rule=r.rule) for r in tms]
    ents_out = [Entity(start=r.start + shift(r.field), end=r.end + shift(r.field), text=r.text, type=r.type,
                       canonical=r.canonical, ticker=r.ticker, rule=r.rule) for r in ents]
    claims = []
    for r in clms:
        m = r._mapping
        d = shift(r.field)  # claims keep everything in one field's offsets
        period = None
        if m["period_text"] is not None:
            period = TimeExpr(start=m["period_start"] + d, end=m["period_end"] + d, text=m["period_text"],
                              type=m["period_type"], value=m["period_value"], relative=bool(m["period_relative"]),
                              rule=m["period_rule"] or "")
        claims.append(Claim(figure=fig_by_id[r.figure_id], subject=_entity_from(m, "subject", d), metric=r.metric,
                            period=period, sentence_start=r.sentence_start + d, sentence_end=r.sentence_end + d,
                            relation=r.relation, direction=r.direction, other=_entity_from(m, "other", d),
                            article_id=a.id))
    findings = [Finding(kind=r.kind, severity=r.severity, message=r.message,
                        spans=tuple(tuple(s) for s in (r.spans or ())), article_id=a.id, check=r.check,
                        verified=bool(r.verified)) for r in fnds]
    return Extraction(text=text, figures=figures, times=times, entities=ents_out, claims=claims, findings=findings)


__all__ = ["FieldMap", "uses_title", "figure_row", "time_row", "entity_row", "claim_row", "finding_row", "article_row",
           "article_from_row", "extraction_from_rows"]

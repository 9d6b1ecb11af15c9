"""Assemble a briefing from articles and their extractions: plain data, rendered by templates.

``build_briefing(items)`` takes ``(Article, Extraction)`` pairs (a digest read in memory, or a
ledger selection) and returns a :class:`Briefing`: the articles with one-line summaries, a table of
key figures with their claims and sources, the most mentioned entities, the findings of the checks
(each article checked against the others for cross-article conflicts), chart specifications and a
comparison board.  Every figure, finding and board cell points at its source sentence (``anchor``).
Work is linear in the number of claims; the per-article lists are capped so 10,000 articles stay
readable.
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..checks import CheckContext, run_checks
from ..checks._numbers import norm
from ..model import Article, Claim, Extraction, Finding
from .summary import summarise

KEY_FIGURES = 40
KEY_PER_ARTICLE = 6
TOP_ENTITIES = 20
MAX_CHARTS = 6
BOARD_ROWS = 40


@dataclass
class SentenceRef:
    anchor: str
    text: str
    article: int  # index into Briefing.articles


@dataclass
class ArticleRow:
    index: int
    id: str
    title: str
    source: str | None
    published: str | None
    summary: str
    figures: int
    claims: int
    anchor: str


@dataclass
class FigureRow:
    figure: str
    subject: str | None
    metric: str | None
    period: str | None
    relation: str
    direction: str | None
    other: str | None
    article: int
    source: str | None
    anchor: str


@dataclass
class FindingRow:
    severity: str
    check: str
    kind: str
    verified: bool
    message: str
    quotes: list[str]
    article: int
    source: str | None
    anchor: str


@dataclass
class ChartSpec:
    title: str
    labels: list[str]
    values: list[float]
    value_labels: list[str]
    unit_label: str
    anchors: list[str]
    path: str | None = None  # filled in when the PNG is written


@dataclass
class BoardCell:
    text: str
    anchor: str
    title: str  # the sentence, for a tooltip


@dataclass
class Board:
    subjects: list[str]
    rows: list[tuple[str, dict[str, list[BoardCell]]]]


@dataclass
class Briefing:
    title: str
    articles: list[ArticleRow] = field(default_factory=list)
    key_figures: list[FigureRow] = field(default_factory=list)
    entities: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, type, mentions, articles
    findings: list[FindingRow] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    sentences: dict[str, SentenceRef] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)


def _name(e) -> str | None:
    return (e.canonical or e.text) if e is not None else None


def _importance(c: Claim) -> float:
    f = c.figure
    s = 0.0
    s += 2.0 if c.subject is not None else 0.0
    s += 1.0 if c.metric else 0.0
    s += 0.5 if c.period is not None else 0.0
    s += {"money": 1.5, "percent": 1.0, "multiplier": 1.0, "count": 0.5}.get(f.kind, 0.0)
    s += 0.5 if c.relation in ("share", "ratio", "change", "comparison") else 0.0
    if f.kind == "count" and f.value < 20:
        s -= 2.0  # "三個觀點", "兩條主線": small counts are rarely key figures
    return s


class _Builder:
    def __init__(self, title: str) -> None:
        self.b = Briefing(title=title)
        self.claims_by_article: list[list[Claim]] = []
        self.bodies: list[str] = []
        self.display: dict[str, str] = {}  # canonical name -> the spelling most used in these articles

    def anchor(self, i: int, start: int, end: int) -> str:
        a = f"s{i}-{start}"
        if a not in self.b.sentences:
            self.b.sentences[a] = SentenceRef(a, self.bodies[i][start:end].strip(), i)
        return a

    def claim_anchor(self, i: int, c: Claim) -> str:
        return self.anchor(i, c.sentence_start, c.sentence_end)

    def span_anchor(self, i: int, start: int) -> str:
        for c in self.claims_by_article[i]:
            if c.sentence_start <= start < c.sentence_end:
                return self.claim_anchor(i, c)
        return f"a{i}"


def build_briefing(items: Iterable[tuple[Article, Extraction]], *, title: str = "newsledger briefing",
                   context: CheckContext | None = None) -> Briefing:
    """Everything a briefing shows, as plain data (see module docstring)."""
    bd = _Builder(title)
    b = bd.b
    ent_mentions: Counter = Counter()
    ent_articles: Counter = Counter()
    ent_type: dict[str, str] = {}
    ent_text: dict[str, Counter] = defaultdict(Counter)
    key_heap: list[tuple[float, int, int, Claim]] = []
    n_figs = n_claims = 0
    for i, (art, ext) in enumerate(items):
        text = ext.text or art.body  # the text the offsets count in: title + "\n" + body when ingested
        bd.bodies.append(text)
        claims = [c if c.article_id else _with_article(c, art.id) for c in ext.claims]
        bd.claims_by_article.append(claims)
        n_figs += len(ext.figures)
        n_claims += len(claims)
        b.articles.append(ArticleRow(i, art.id, art.title, art.source,
                                     art.published.isoformat() if art.published else None,
                                     summarise(text, ext), len(ext.figures), len(claims), f"a{i}"))
        seen = set()
        for e in ext.entities:
            name = _name(e)
            ent_mentions[name] += 1
            ent_text[name][e.text] += 1
            ent_type.setdefault(name, e.type)
            if name not in seen:
                ent_articles[name] += 1
                seen.add(name)
        ranked = sorted(claims, key=_importance, reverse=True)[:KEY_PER_ARTICLE]
        for c in ranked:
            item = (_importance(c), -i, -c.figure.start, c)
            if len(key_heap) < KEY_FIGURES:
                heapq.heappush(key_heap, item)
            elif item[:3] > key_heap[0][:3]:
                heapq.heapreplace(key_heap, item)
    b.totals = {"articles": len(b.articles), "figures": n_figs, "claims": n_claims}
    for _, negi, _, c in sorted(key_heap, key=lambda t: (t[1], -t[2]), reverse=True):
        i = -negi
        b.key_figures.append(FigureRow(
            c.figure.text, c.subject.text if c.subject else None, c.metric,
            c.period.text if c.period else None, c.relation or "level", c.direction,
            c.other.text if c.other else None, i, b.articles[i].source, bd.claim_anchor(i, c)))
    for name, spellings in ent_text.items():
        bd.display[name] = spellings.most_common(1)[0][0]
    b.entities = [(n, ent_type[n], m, ent_articles[n]) for n, m in ent_mentions.most_common(TOP_ENTITIES)]
    _findings(bd, context)
    _charts(bd)
    _boards(bd)
    b.totals["findings"] = len(b.findings)
    b.totals["flagged"] = sum(1 for f in b.findings if not f.verified)
    b.totals["verified"] = sum(1 for f in b.findings if f.verified)
    return b


def _with_article(c: Claim, article_id: str) -> Claim:
    from dataclasses import replace

    return replace(c, article_id=article_id)


def _findings(bd: _Builder, context: CheckContext | None) -> None:
    b = bd.b
    sources = {a.id: f"{a.source or 'no source'}: {a.title}" for a in b.articles}
    if context is not None:
        sources.update(context.sources)
    all_claims = [c for cs in bd.claims_by_article for c in cs]
    extra = list(context.claims) if context is not None else []
    ctx = CheckContext(claims=all_claims + extra, sources=sources)
    for i, claims in enumerate(bd.claims_by_article):
        found: list[Finding] = run_checks(claims, bd.bodies[i], ctx)
        for f in found:
            quotes = [bd.bodies[i][s:e] for s, e in f.spans]
            anchor = bd.span_anchor(i, f.spans[0][0]) if f.spans else f"a{i}"
            b.findings.append(FindingRow(f.severity, f.check, f.kind, f.verified, f.message, quotes, i,
                                         b.articles[i].source, anchor))
    b.findings.sort(key=lambda r: (r.verified, {"error": 0, "warning": 1, "info": 2}[r.severity], r.article))


def _charts(bd: _Builder) -> None:
    """Shares by subject (one whole), amounts by subject (one unit, nearby), multiples A over B."""
    b = bd.b
    specs: list[ChartSpec] = []
    for i, claims in enumerate(bd.claims_by_article):
        groups: dict[tuple, list[Claim]] = defaultdict(list)
        for c in claims:
            if c.relation == "share" and c.figure.unit == "%" and c.subject is not None and c.metric:
                groups[("share", c.sentence_start, norm(c.metric))].append(c)
        for key, cs in groups.items():
            subs = {_name(c.subject) for c in cs}
            if len(subs) >= 2 and len(subs) == len(cs):
                specs.append(ChartSpec(f"{cs[0].metric}(%)", [c.subject.text for c in cs],
                                       [c.figure.value for c in cs], [c.figure.text for c in cs], "%",
                                       [bd.claim_anchor(i, c) for c in cs]))
        # amounts: level claims of one unit with different subjects, close together
        lv = [c for c in claims if c.relation in ("level", None) and c.subject is not None
              and c.figure.kind in ("money", "count") and c.figure.high is None and c.figure.value >= 20]
        cluster: list[Claim] = []
        for c in lv + [None]:
            if cluster and (c is None or c.figure.unit != cluster[-1].figure.unit
                            or c.figure.start - cluster[-1].figure.end > 200):
                subs = {_name(x.subject) for x in cluster}
                if len(subs) >= 2 and len(subs) == len(cluster):
                    unit = cluster[0].figure.unit or ""
                    metric = Counter(x.metric for x in cluster if x.metric).most_common(1)
                    specs.append(ChartSpec(f"{metric[0][0] if metric else unit}({unit})",
                                           [x.subject.text for x in cluster], [x.figure.value for x in cluster],
                                           [x.figure.text for x in cluster], unit,
                                           [bd.claim_anchor(i, x) for x in cluster]))
                cluster = []
            if c is not None:
                cluster.append(c)
        # multiples of one subject over another
        pairs: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for c in claims:
            if c.relation == "ratio" and c.figure.unit == "x" and c.subject is not None and c.other is not None:
                pairs[(c.subject.text, c.other.text)].append(c)
        for (a, o), cs in pairs.items():
            if len(cs) >= 2:
                specs.append(ChartSpec(f"{a} ÷ {o}(×)", [c.metric or c.figure.text for c in cs],
                                       [c.figure.value for c in cs], [c.figure.text for c in cs], f"× {o}",
                                       [bd.claim_anchor(i, c) for c in cs]))
    b.charts = specs[:MAX_CHARTS]


def _boards(bd: _Builder) -> None:
    """Subjects side by side: the pair compared most often (ratios, comparisons, shares)."""
    b = bd.b
    pair_count: Counter = Counter()
    subj_count: Counter = Counter()
    for claims in bd.claims_by_article:
        for c in claims:
            if c.subject is not None:
                subj_count[_name(c.subject)] += 1
            if c.subject is not None and c.other is not None:
                pair_count[tuple(sorted((_name(c.subject), _name(c.other))))] += 2
        shares = defaultdict(set)
        for c in claims:
            if c.relation == "share" and c.subject is not None and c.metric:
                shares[(c.sentence_start, norm(c.metric))].add(_name(c.subject))
        for subs in shares.values():
            s = sorted(subs)
            for x in range(len(s)):
                for y in range(x + 1, len(s)):
                    pair_count[(s[x], s[y])] += 1
    if not pair_count:
        return
    (sa, sb), n = pair_count.most_common(1)[0]
    if n < 2:
        return
    subjects = sorted((sa, sb), key=lambda s: -subj_count[s])
    rows: dict[str, dict[str, list[BoardCell]]] = {}
    order: list[str] = []
    for i, claims in enumerate(bd.claims_by_article):
        present = {_name(c.subject) for c in claims}
        if not set(subjects) <= present:
            continue  # only articles that speak of both sides
        for c in claims:
            s = _name(c.subject)
            if s not in subjects or (not c.metric and c.relation != "ratio"):
                continue
            if c.figure.kind == "count" and c.figure.value < 20:
                continue
            metric = c.metric or c.figure.text
            key = norm(metric)
            if key not in rows:
                rows[key] = {x: [] for x in subjects}
                order.append(key)
                rows[key]["_label"] = metric  # type: ignore[assignment]
            anchor = bd.claim_anchor(i, c)
            rows[key][s].append(BoardCell(_cell_text(c), anchor, b.sentences[anchor].text))
            o = _name(c.other)
            if c.relation == "ratio" and o in subjects and o != s:
                rows[key][o].append(BoardCell(f"1× (base of {c.figure.text})", anchor, b.sentences[anchor].text))
    out = []
    for key in order[:BOARD_ROWS]:
        r = rows[key]
        label = r.pop("_label")  # type: ignore[arg-type]
        out.append((label, {bd.display.get(s, s): v for s, v in r.items()}))
    b.boards = [Board([bd.display.get(s, s) for s in subjects], out)]


def _cell_text(c: Claim) -> str:
    t = c.figure.text
    if c.relation == "share":
        t = f"{t} share"
    elif c.relation == "change":
        t = f"{'↑' if c.direction == 'up' else '↓'} {t}"
    elif c.relation in ("ratio", "comparison") and c.other is not None:
        t = f"{t} × {c.other.text}" if c.relation == "ratio" else f"{t} vs {c.other.text}"
    if c.period is not None and c.sentence_start <= c.period.start < c.sentence_end:
        t += f" ({c.period.text})"  # only a period stated in the same sentence
    return t

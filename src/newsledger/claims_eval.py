"""Scoring claims against a hand-annotated gold set (tests/corpus/claims/gold.yaml).

Two modes:

- ``pipeline``: ``newsledger.extract(text)`` runs every available stage (figures, times, entities)
  and ``build_claims`` links them — the end-to-end accuracy a user sees;
- ``oracle``: figures, times and entities are built from the gold annotation itself (the spans of
  the gold figure, subject/other and period texts), so only the linking of ``build_claims`` is
  measured.  Oracle entities are only the annotated ones, so subject scores are optimistic.

Per field (subject, metric, period): precision = correct predictions / non-null predictions,
recall = correct predictions / non-null gold values, over the gold claims whose figure was found.
A gold claim whose figure is not found counts against recall.  Metric matching: ``strict`` =
identical after t2s; ``lenient`` = character F1 ≥ 0.5 (wording of a metric varies: 營收 vs 總營收).
Relation and direction are scored as accuracy over found figures.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks._numbers import char_f1
from .claims import build_claims
from .claims_rules import to_simp
from .datafiles import load_yaml
from .model import Claim, Entity, Extraction, Figure, TimeExpr

FIELDS = ("subject", "metric", "period")


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    return load_yaml(Path(path).read_text(encoding="utf-8"))


def _norm(s: str | None) -> str | None:
    if s is None:
        return None
    return re.sub(r"\s+", "", to_simp(str(s)))


def _guess_kind(t: str) -> tuple[str, str | None]:
    if "倍" in t:
        return "multiplier", "x"
    if "百分点" in t or "百分點" in t:
        return "percentage_point", "pp"
    if "%" in t or "成" in t or "一半" in t:
        return "percent", "%"
    if any(c in t for c in ("元", "美元", "日圓", "令吉")):
        return "money", "CNY"
    if re.search(r"[\u4e00-\u9fff]$", t):
        return "count", t[-1]
    return "number", None


def oracle_extraction(item: dict[str, Any]) -> Extraction:
    """Figures, entities and times taken from the gold annotation of one example."""
    text = item["text"]
    figs, ents, times = {}, {}, {}
    for c in item["claims"]:
        ft = str(c["figure"])
        i = text.find(ft)
        kind, unit = _guess_kind(ft)
        figs[i] = Figure(i, i + len(ft), ft, kind, 1.0, unit=unit)
        for key in ("subject", "other"):
            name = c.get(key)
            if name:
                for m in re.finditer(re.escape(name), text):
                    ents[m.start()] = Entity(m.start(), m.end(), name, "GPE", name)
        if c.get("period"):
            p = c["period"]
            for m in re.finditer(re.escape(p), text):
                times[m.start()] = TimeExpr(m.start(), m.end(), p, "period", None)
    return Extraction(
        text=text,
        figures=sorted(figs.values(), key=lambda f: f.start),
        entities=sorted(ents.values(), key=lambda e: e.start),
        times=sorted(times.values(), key=lambda t: t.start),
    )


def _find_claim(text: str, gold: dict[str, Any], claims: list[Claim]) -> Claim | None:
    ft = str(gold["figure"])
    i = text.find(ft)
    j = i + len(ft)
    best, best_ov = None, 0
    for c in claims:
        ov = min(j, c.figure.end) - max(i, c.figure.start)
        if ov > best_ov:
            best, best_ov = c, ov
    return best


@dataclass
class Score:
    gold: Counter = field(default_factory=Counter)
    pred: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    n: int = 0
    found: int = 0
    relation_ok: int = 0
    direction_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def p(self, k: str) -> float:
        return self.correct[k] / self.pred[k] if self.pred[k] else 0.0

    def r(self, k: str) -> float:
        return self.correct[k] / self.gold[k] if self.gold[k] else 0.0

    def as_dict(self) -> dict[str, float]:
        d: dict[str, float] = {"claims": self.n, "figures_found": self.found}
        for k in ("subject", "metric", "metric_strict", "period"):
            d[f"{k}_precision"] = round(self.p(k), 4)
            d[f"{k}_recall"] = round(self.r(k), 4)
        d["relation_accuracy"] = round(self.relation_ok / self.found, 4) if self.found else 0.0
        d["direction_accuracy"] = round(self.direction_ok / self.found, 4) if self.found else 0.0
        return d


def _subject_ok(pred: Entity | None, gold: str) -> bool:
    if pred is None:
        return False
    g = _norm(gold)
    return g in (_norm(pred.text), _norm(pred.canonical))


def score(gold_items: list[dict[str, Any]], mode: str = "pipeline") -> Score:
    from .extract import extract

    sc = Score()
    for item in gold_items:
        text = item["text"]
        if mode == "oracle":
            ext = oracle_extraction(item)
            claims = build_claims(text, ext)
        else:
            claims = extract(text).claims
        for g in item["claims"]:
            sc.n += 1
            for k in FIELDS:
                if g.get(k):
                    sc.gold[k] += 1
            if g.get("metric"):
                sc.gold["metric_strict"] += 1
            c = _find_claim(text, g, claims)
            if c is None:
                sc.errors.append(f"MISSING figure {g['figure']} in {text[:30]}")
                continue
            sc.found += 1
            if c.subject is not None:
                sc.pred["subject"] += 1
                if g.get("subject") and _subject_ok(c.subject, g["subject"]):
                    sc.correct["subject"] += 1
                else:
                    sc.errors.append(f"subject {c.subject.text} != {g.get('subject')} [{g['figure']}]")
            elif g.get("subject"):
                sc.errors.append(f"subject None != {g['subject']} [{g['figure']}]")
            if c.metric:
                sc.pred["metric"] += 1
                sc.pred["metric_strict"] += 1
                gm, pm = _norm(g.get("metric")), _norm(c.metric)
                if gm and pm == gm:
                    sc.correct["metric_strict"] += 1
                if gm and char_f1(pm, gm) >= 0.5:
                    sc.correct["metric"] += 1
                else:
                    sc.errors.append(f"metric {c.metric} != {g.get('metric')} [{g['figure']}]")
            elif g.get("metric"):
                sc.errors.append(f"metric None != {g['metric']} [{g['figure']}]")
            if c.period is not None:
                sc.pred["period"] += 1
                if g.get("period") and _norm(c.period.text) == _norm(g["period"]):
                    sc.correct["period"] += 1
                else:
                    sc.errors.append(f"period {c.period.text} != {g.get('period')} [{g['figure']}]")
            elif g.get("period"):
                sc.errors.append(f"period None != {g['period']} [{g['figure']}]")
            if (c.relation or "level") == g.get("relation", "level"):
                sc.relation_ok += 1
            else:
                sc.errors.append(f"relation {c.relation} != {g.get('relation')} [{g['figure']}]")
            if c.direction == g.get("direction"):
                sc.direction_ok += 1
            else:
                sc.errors.append(f"direction {c.direction} != {g.get('direction')} [{g['figure']}]")
    return sc

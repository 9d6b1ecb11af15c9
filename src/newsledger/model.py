"""The public data model: the one hard contract of newsledger.

Every span carries ``start``/``end`` offsets (Python ``str`` indices, end exclusive) into the text
it was found in, so ``text[start:end] == span.text`` always holds.  Normalised forms (values, ISO
dates, canonical names) are derived and sit beside the original, never in place of it.

All records are frozen dataclasses with ``slots``: cheap to build in hot loops, hashable, picklable
(they travel to Dask workers) and turned into JSON with :func:`to_dict`, whose keys are the field
names below.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Literal

FigureKind = Literal["money", "percent", "percentage_point", "multiplier", "fraction", "count", "number"]
Approx = Literal["exact", "approx", "more_than", "at_least", "less_than", "at_most"]
TimeType = Literal["date", "year", "month", "quarter", "period", "duration", "relative"]
EntityType = Literal["PERSON", "ORG", "COMPANY", "GPE", "LOC"]
Script = Literal["trad", "simp", "mixed"]

FIGURE_KINDS: tuple[str, ...] = ("money", "percent", "percentage_point", "multiplier", "fraction", "count", "number")
APPROX_VALUES: tuple[str, ...] = ("exact", "approx", "more_than", "at_least", "less_than", "at_most")
TIME_TYPES: tuple[str, ...] = ("date", "year", "month", "quarter", "period", "duration", "relative")
ENTITY_TYPES: tuple[str, ...] = ("PERSON", "ORG", "COMPANY", "GPE", "LOC")


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with what it counts: ``3萬—4兆美元`` → money, 3e4 .. 4e12, USD."""

    start: int
    end: int
    text: str
    kind: str
    value: float
    high: float | None = None
    unit: str | None = None
    approx: str = "exact"
    per: str | None = None  # the thing a per-unit figure is per: 每股0.35元 → "股", 人均 → "人"
    rule: str = ""  # name of the rule that produced it (provenance, `extract --explain`)


@dataclass(frozen=True, slots=True)
class TimeExpr:
    start: int
    end: int
    text: str
    type: str
    value: str | None  # ISO 8601: date, interval "a/b", duration "P15Y"; None when unresolved
    relative: bool = False
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    text: str
    type: str
    canonical: str
    ticker: str | None = None
    rule: str = ""  # "gazetteer", "model", "pattern:<name>"


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure with what it is about: subject, metric, period, and its sentence."""

    figure: Figure
    subject: Entity | None
    metric: str | None
    period: TimeExpr | None
    sentence_start: int
    sentence_end: int
    relation: str | None = None  # "share", "change", "ratio", "comparison", ... (see claims.py)
    direction: str | None = None  # "up", "down" for changes
    other: Entity | None = None  # the second subject of a comparison ("是美國的近3倍")
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    severity: Literal["info", "warning", "error"]
    message: str
    spans: tuple[tuple[int, int], ...] = ()
    article_id: str | None = None
    check: str = ""
    verified: bool = False  # True for a check that confirmed consistency (severity "info")


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    body: str
    tag: str | None = None
    source: str | None = None
    published: _dt.date | None = None
    url: str | None = None
    script: str = "mixed"
    title_start: int = 0
    title_end: int = 0
    body_start: int = 0
    body_end: int = 0
    origin: str | None = None  # the file or URL it was read from


@dataclass(slots=True)
class Extraction:
    """What :func:`newsledger.extract` finds in one text."""

    text: str
    figures: list[Figure] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        d = {
            "figures": [to_dict(f) for f in self.figures],
            "times": [to_dict(t) for t in self.times],
            "entities": [to_dict(e) for e in self.entities],
            "claims": [to_dict(c) for c in self.claims],
            "findings": [to_dict(f) for f in self.findings],
        }
        if include_text:
            d["text"] = self.text
        return d


def _jsonable(v: Any) -> Any:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return to_dict(v)
    return v


def to_dict(obj: Any) -> dict[str, Any]:
    """A record as a JSON-ready dict whose keys are the field names of the data model."""
    return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}

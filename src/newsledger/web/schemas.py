"""Response models: they document the JSON twins in the OpenAPI schema.

Routes return the context dicts directly (no per-request re-validation: it would cost latency and
the contexts are built by code, not users); these models say what the dicts hold.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class NameCount(BaseModel):
    name: str  # the most used spelling
    count: int  # articles its filter finds: every spelling, either script
    spellings: list[str] = []  # the other stored spellings counted with it (創新 for 创新)


class ArticleSummary(_Open):
    id: str
    title: str
    tag: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    script: str
    excerpt: str
    chars: int


class HomeOut(BaseModel):
    totals: dict[str, int]
    info: dict[str, Any]
    tags: list[NameCount]
    sources: list[NameCount]
    latest: list[ArticleSummary]


class FigureOut(_Open):
    start: int
    end: int
    text: str
    kind: str
    value: float
    high: float | None = None
    unit: str | None = None
    approx: str = "exact"


class Segment(_Open):
    """Either ``{"text"}`` (plain text) or ``{"mark": "fig"|"time"|"ent", "start", "end", "attrs", "children"}``."""

    text: str | None = None
    mark: str | None = None
    start: int | None = None
    end: int | None = None
    attrs: dict[str, Any] | None = None
    children: list[Segment] | None = None


class ArticleOut(BaseModel):
    article: dict[str, Any]
    script: str
    title: str
    title_segments: list[Segment]
    segments: list[Segment]
    offsets: str
    dropped_highlights: int
    counts: dict[str, int]
    figures: list[FigureOut]
    times: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    duplicates: list[Any]


class SnippetPiece(BaseModel):
    text: str
    match: bool


class Hit(BaseModel):
    article: ArticleSummary
    score: float
    snippet: list[SnippetPiece]


class SearchOut(BaseModel):
    query: str
    filters: dict[str, Any]
    page: int
    per_page: int
    total: int
    pages: int
    hits: list[Hit]


class FiguresOut(BaseModel):
    filters: dict[str, Any]
    sort: str | None
    page: int
    per_page: int
    has_next: bool
    rows: list[dict[str, Any]]


class EntityOut(_Open):
    canonical: str


class IngestOut(_Open):
    new: int
    duplicate: int
    rejected: int

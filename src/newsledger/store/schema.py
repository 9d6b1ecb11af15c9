"""The ledger's one schema (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Conventions:

- ``articles.pk`` is a small integer key (the FTS5 rowid in SQLite, the key of the tsvector table
  in PostgreSQL); ``articles.id`` is the stable 16-hex content id of the data model, and child rows
  refer to it (``article_id``) so that exports and joins speak the public id.
- Span rows (figures, times, entities) keep the offsets the extractor produced, relative to the
  text of the field named in ``field``: ``"body"`` (the normal case: ingest extracts the body) or
  ``"title"``.  ``sentence_start``/``sentence_end`` are the sentence around the span in the same
  field, so "figures in the same sentence as this entity" is a join, not a re-parse.
- Claims copy their subject, other subject and period inline (a claim may name an entity found
  elsewhere) and point to their figure by ``figure_id``.
- The full-text index is derived data and lives outside this metadata (see :mod:`.fts`).

Bump :data:`SCHEMA_VERSION` on any change; :func:`newsledger.store.Ledger` refuses to open a
ledger of another version and says what to do.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# 2: the SQLite full-text index holds facets (filter tokens); 3: figure indexes below;
# 4: the PostgreSQL tsvector holds the facets too, its GIN index has no pending list
SCHEMA_VERSION = 4

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("created_at", DateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(32), nullable=False, unique=True),
    Column("tag", Text),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("source", Text),
    Column("published", Date),
    Column("url", Text),
    Column("script", String(8), nullable=False),
    Column("origin", Text),
    Column("title_start", Integer, nullable=False, default=0),
    Column("title_end", Integer, nullable=False, default=0),
    Column("body_start", Integer, nullable=False, default=0),
    Column("body_end", Integer, nullable=False, default=0),
    Column("signature", LargeBinary),
    Column("ingested_at", DateTime, nullable=False),
    Index("ix_articles_tag", "tag"),
    Index("ix_articles_source", "source"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_ingested_at", "ingested_at"),
)


def _article_ref() -> Column:
    return Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False)


def _span_columns() -> list[Column]:
    return [
        Column("field", String(8), nullable=False, default="body"),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("text", Text, nullable=False),
        Column("sentence_start", Integer),
        Column("sentence_end", Integer),
    ]


figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _article_ref(),
    *_span_columns(),
    Column("kind", String(24), nullable=False),
    Column("value", Float, nullable=False),
    Column("high", Float),
    Column("unit", String(24)),
    Column("approx", String(16), nullable=False, default="exact"),
    Column("per", Text),
    Column("rule", Text, nullable=False, default=""),
    # article_id first (an article's figures), then the filter columns: the per-candidate probe of a
    # filtered search ("has this article a figure of this kind, unit, value?") reads the index only
    Index("ix_figures_article", "article_id", "kind", "unit", "value", "high"),
    # kind (alone, with unit, with a value range): the figures of a kind across the ledger
    Index("ix_figures_kind_unit_value", "kind", "unit", "value", "article_id"),
    # unit without kind (USD above 10^10): the composite above cannot seek without its kind
    Index("ix_figures_unit_value", "unit", "value", "article_id"),
)

times = Table(
    "times",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _article_ref(),
    *_span_columns(),
    Column("type", String(16), nullable=False),
    Column("value", Text),
    Column("relative", Boolean, nullable=False, default=False),
    Column("rule", Text, nullable=False, default=""),
    Index("ix_times_article", "article_id"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _article_ref(),
    *_span_columns(),
    Column("type", String(16), nullable=False),
    Column("canonical", Text, nullable=False),
    Column("ticker", Text),
    Column("rule", Text, nullable=False, default=""),
    Index("ix_entities_article", "article_id"),
    Index("ix_entities_canonical", "canonical", "article_id"),
)


def _inline_entity(prefix: str) -> list[Column]:
    return [
        Column(f"{prefix}_text", Text),
        Column(f"{prefix}_start", Integer),
        Column(f"{prefix}_end", Integer),
        Column(f"{prefix}_type", String(16)),
        Column(f"{prefix}_canonical", Text),
        Column(f"{prefix}_ticker", Text),
        Column(f"{prefix}_rule", Text),
    ]


claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _article_ref(),
    Column("field", String(8), nullable=False, default="body"),
    Column("figure_id", Integer, ForeignKey("figures.id", ondelete="CASCADE"), nullable=False),
    *_inline_entity("subject"),
    Column("metric", Text),
    Column("period_text", Text),
    Column("period_start", Integer),
    Column("period_end", Integer),
    Column("period_type", String(16)),
    Column("period_value", Text),
    Column("period_relative", Boolean),
    Column("period_rule", Text),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("relation", String(24)),
    Column("direction", String(8)),
    *_inline_entity("other"),
    Index("ix_claims_article", "article_id"),
    Index("ix_claims_subject", "subject_canonical"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _article_ref(),
    Column("kind", String(48), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("spans", JSON, nullable=False),
    Column("check", String(48), nullable=False, default=""),
    Column("verified", Boolean, nullable=False, default=False),
    Index("ix_findings_article", "article_id"),
)

tags = Table(
    "tags",
    metadata,
    Column("name", Text, primary_key=True),
    Column("first_seen", DateTime, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("name", Text, primary_key=True),
    Column("first_seen", DateTime, nullable=False),
)

duplicates = Table(
    "duplicates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False),  # the id of the near-duplicate (not stored)
    Column("duplicate_of", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("similarity", Float, nullable=False),
    Column("title", Text),
    Column("origin", Text),
    Column("source", Text),
    Column("added_at", DateTime, nullable=False),
    Index("ix_duplicates_of", "duplicate_of"),
    Index("ix_duplicates_article", "article_id", "duplicate_of", unique=True),
)

SPAN_TABLES = {"figures": figures, "times": times, "entities": entities}

__all__ = [
    "SCHEMA_VERSION", "metadata", "schema_version", "articles", "figures", "times", "entities", "claims",
    "findings", "tags", "sources", "duplicates", "SPAN_TABLES",
]

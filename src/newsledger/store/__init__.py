"""The ledger: SQLite or PostgreSQL storage of articles and everything extracted from them.

``Ledger(url)`` opens (and on first use creates) a ledger; ``Filters`` restricts search, the
iterators and exports; ``SearchResult``/``SearchHit`` are what ``Ledger.search`` returns;
``StoredArticle`` is what ``Ledger.get`` returns.  Stored span offsets are relative to the
article's body (or title, as the row's ``field`` says): see :mod:`newsledger.store.rows`.
"""
from __future__ import annotations

from .engine import require_existing
from .filters import Filters
from .ledger import Ledger, SearchHit, SearchResult, StoredArticle
from .schema import SCHEMA_VERSION

__all__ = ["require_existing", "Ledger", "Filters", "SearchHit", "SearchResult", "StoredArticle", "SCHEMA_VERSION"]

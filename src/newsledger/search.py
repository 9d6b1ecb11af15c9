"""Search over the ledger: re-exported from :mod:`newsledger.store` (where the index lives)."""
from __future__ import annotations

from .store import Filters, Ledger, SearchHit, SearchResult

__all__ = ["Filters", "Ledger", "SearchHit", "SearchResult"]

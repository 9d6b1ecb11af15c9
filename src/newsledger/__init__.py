"""newsledger: read Chinese-language news as data.

Public API::

    import newsledger
    articles = newsledger.read("digest.txt")          # Articles, with offsets into the file
    ext = newsledger.extract(articles[0].body)         # figures, times, entities, claims
    ledger = newsledger.Ledger("sqlite:///newsledger.db")

Imports are lazy so that ``import newsledger`` stays cheap (jieba, OpenCC and the NER model load
only when a stage needs them).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Article, Claim, Entity, Extraction, Figure, Finding, TimeExpr, to_dict

__version__ = "0.1.0"

__all__ = [
    "Article", "Claim", "Entity", "Extraction", "Figure", "Finding", "TimeExpr", "to_dict",
    "read", "extract", "Ledger", "ExtractOptions", "__version__",
]

if TYPE_CHECKING:  # pragma: no cover
    from .extract import ExtractOptions, extract
    from .sources import read
    from .store import Ledger


def __getattr__(name: str) -> Any:
    if name in ("extract", "ExtractOptions"):
        import importlib

        # importlib, not "from . import extract": the attribute lookup of that form would
        # re-enter this __getattr__ before the subpackage is bound, and recurse.
        return getattr(importlib.import_module(".extract", __name__), name)
    if name == "read":
        from .sources import read

        return read
    if name == "Ledger":
        from .store import Ledger

        return Ledger
    raise AttributeError(f"module 'newsledger' has no attribute {name!r}")

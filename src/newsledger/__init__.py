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
    "read", "extract", "extract_many", "Ledger", "ExtractOptions", "__version__",
]

# ``newsledger.extract`` is the extraction subpackage, and calling it runs the pipeline:
# ``newsledger.extract(text)`` (see extract/__init__.py: the module is made callable, so that the
# public function and the subpackage can share the name the architecture gives them).
from . import extract  # noqa: E402
from .extract import ExtractOptions, extract_many  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from .sources import read
    from .store import Ledger


def __getattr__(name: str) -> Any:
    if name == "read":
        from .sources import read

        return read
    if name == "Ledger":
        from .store import Ledger

        return Ledger
    raise AttributeError(f"module 'newsledger' has no attribute {name!r}")

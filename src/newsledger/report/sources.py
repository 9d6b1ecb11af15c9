"""Where a briefing's articles come from: digest files read in memory, or a ledger selection."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Article, Extraction


def from_inputs(paths: Iterable[str]) -> Iterator[tuple[Article, Extraction]]:
    """Read each file (any format ``newsledger.read`` knows) and extract every article in memory."""
    from ..extract import extract
    from ..ingest import extraction_text
    from ..sources import read

    for p in paths:
        for a in read(p):
            yield a, extract(extraction_text(a), ref_date=a.published)  # as ingest does


def from_ledger(url: str | None, filters) -> Iterator[tuple[Article, Extraction]]:  # noqa: ANN001
    """Articles of a ledger selection with their stored extraction (claims and all)."""
    from ..store import Ledger, require_existing

    require_existing(url)
    with Ledger(url) as ledger:
        ids = [row["id"] for row in ledger.iter_articles(filters)]
        for aid in ids:
            st = ledger.get(aid)
            yield st.article, st.extraction

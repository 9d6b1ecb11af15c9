"""Where a briefing's articles come from: digest files read in memory, or a ledger selection."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..model import Article, Extraction


def from_inputs(paths: Iterable[str]) -> Iterator[tuple[Article, Extraction]]:
    """Read each file (any format ``newsledger.read`` knows) and extract every article in memory,
    as ingest does: ``title + "\\n" + body``, in ingest's batches through ``extract_many`` (the
    same results as one by one, about twice as fast on short articles)."""
    from ..extract import extract_many
    from ..ingest import batches, extraction_text
    from ..sources import read

    for p in paths:
        for batch in batches(read(p)):
            yield from zip(batch, extract_many([extraction_text(a) for a in batch],
                                               ref_dates=[a.published for a in batch]))



def from_ledger(url: str | None, filters) -> Iterator[tuple[Article, Extraction]]:  # noqa: ANN001
    """Articles of a ledger selection with their stored extraction (claims and all)."""
    from ..store import Ledger, require_existing

    require_existing(url)
    with Ledger(url) as ledger:
        ids = [row["id"] for row in ledger.iter_articles(filters)]
        for aid in ids:
            st = ledger.get(aid)
            yield st.article, st.extraction

"""Builds the web tests' ledger once: the bundled examples plus one hostile article of our own.

Shared by tests/web and tests/e2e (imported by path from their conftest files).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = Path(os.environ.get("NEWSLEDGER_EXAMPLES", ROOT / "examples"))  # override: another folder of digests

# Our own hostile record: markup in the title and the body must come out as text, never as HTML.
HOSTILE = {
    "title": "測試標題<script>alert(1)</script>營收報告",
    "body": "某科技公司今年營收達到3億元,同比成長12%。<script>alert(1)</script><img src=x onerror=alert(2)>"
            "公司表示將再投資5000萬元建設新廠。",
    "source": "安全測試",
    "published": "2026-01-05",
    "tag": "安全",
    "url": "javascript:alert(document.cookie)",
}


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*.txt") if p.is_file())


def build(db_path: Path) -> str:
    """Ingest the examples and the hostile record into a new SQLite ledger; return its URL."""
    files = example_files()
    if not files:
        raise RuntimeError(f"no example digests in {EXAMPLES}: the web tests need examples/*.txt")
    hostile = db_path.parent / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    url = f"sqlite:///{db_path}"
    from newsledger.store import Ledger

    with Ledger(url) as ledger:
        try:
            from newsledger.ingest import ingest
        except ImportError:
            ingest = None
        paths = [str(p) for p in files] + [str(hostile)]
        if ingest is not None:
            ingest(paths, ledger, progress=False)
        else:  # before newsledger.ingest exists: the same three library calls it makes
            from newsledger.extract import extract
            from newsledger.sources import read

            for path in paths:
                for art in read(path):
                    ledger.add(art, extract(art.body, ref_date=art.published))
    return url


def soup(resp):
    from bs4 import BeautifulSoup

    assert resp.status_code == 200, resp.text[:500]
    assert resp.headers["content-type"].startswith("text/html")
    return BeautifulSoup(resp.text, "html.parser")

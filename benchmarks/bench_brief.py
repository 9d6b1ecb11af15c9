"""Briefing generation time for N articles (default 10,000).

    nice -n 10 .venv/bin/python benchmarks/bench_brief.py [--n 10000] [--ledger] [--out DIR]

Articles come from ``benchmarks/gen_corpus.py`` (engineer I) when present, else from the generated
sentences of ``benchmarks/figure_corpus.py`` (grouped six to an article).  Extraction is timed
separately from the briefing itself (build: summaries, key figures, entities, checks with the whole
selection as cross-article context, charts, board; render: HTML and Markdown).  ``--ledger`` also
stores the articles in a temporary SQLite ledger and times a briefing read back from it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def articles(n: int, per: int = 6):
    from newsledger.sources import make_article

    try:
        import gen_corpus  # engineer I's generator, when it exists

        gen = getattr(gen_corpus, "generate_articles", None)
    except ImportError:
        gen = None
    if gen is not None:
        yield from gen(n)
        return
    from figure_corpus import generate

    sents = [t for t, _ in generate(n * per, seed=7)]
    for i in range(n):
        body = "".join(s if s.endswith("。") else s + "。" for s in sents[i * per : i * per + per])
        yield make_article(f"第{i}號測試報導", body, tag="bench", source=f"來源{i % 17}", published=None, url=None,
                           origin=None, title_start=0, title_end=0, body_start=0, body_end=0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--ledger", action="store_true")
    ap.add_argument("--out", default=None)
    ap.add_argument("--sentences", type=int, default=6, help="generated sentences per article")
    ap.add_argument("--model", action="store_true",
                    help="use the statistical NER model while extracting (slow; the briefing time does not depend on it)")
    a = ap.parse_args()
    from newsledger.extract import ExtractOptions, extract
    from newsledger.report import build_briefing, render, write_briefing

    out = Path(a.out or tempfile.mkdtemp(prefix="bench_brief_"))
    arts = list(articles(a.n, a.sentences))
    opts = ExtractOptions(model=a.model)
    chars = sum(len(x.body) for x in arts)
    t = time.perf_counter()
    items = [(x, extract(x.body, options=opts)) for x in arts]
    t_ext = time.perf_counter() - t
    n_claims = sum(len(e.claims) for _, e in items)
    print(f"{len(arts)} articles, {chars:,} chars, {n_claims:,} claims")
    print(f"extract (figures, times, entities{'' if a.model else ' without the NER model'}, claims): {t_ext:.1f}s ({chars / t_ext:,.0f} chars/s)")
    t = time.perf_counter()
    b = build_briefing(items, title="bench")
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    write_briefing(b, out / "brief.html", "html")
    t_html = time.perf_counter() - t
    t = time.perf_counter()
    (out / "brief.md").write_text(render(b, "md"), encoding="utf-8")
    t_md = time.perf_counter() - t
    print(f"briefing build (summaries, checks, charts specs, board): {t_build:.2f}s; findings {len(b.findings)}")
    print(f"render html + {len(b.charts)} PNG charts: {t_html:.2f}s; render md: {t_md:.2f}s")
    print(f"briefing total (build + html): {t_build + t_html:.2f}s for {len(arts)} articles -> {out}")
    if a.ledger:
        from newsledger.report.sources import from_ledger
        from newsledger.store import Filters, Ledger

        db = f"sqlite:///{out / 'bench.db'}"
        t = time.perf_counter()
        with Ledger(db) as ledger:
            for x, e in items:
                ledger.add(x, e)
        print(f"ledger add: {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()
        got = list(from_ledger(db, Filters(tag="bench")))
        t_read = time.perf_counter() - t
        t = time.perf_counter()
        b2 = build_briefing(got, title="bench")
        write_briefing(b2, out / "ledger.html", "html")
        print(f"from the ledger: read {t_read:.1f}s, build + html {time.perf_counter() - t:.2f}s")


if __name__ == "__main__":
    main()

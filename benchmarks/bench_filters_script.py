"""Cost of matching filters across scripts: filtered searches with literal vs spelled filters.

    .venv/bin/python benchmarks/bench_filters_script.py --db /tmp/bench100k.db [--repeat 7]

On an existing ledger (build one with bench_search.py), runs filtered searches (tag, source,
entity, unit, kind+unit+value) with the value in Simplified and in Traditional, twice: once with
the filter compared literally (the old behaviour, emulated by giving each value no other
spelling) and once across spellings.  Prints matches found and CPU milliseconds of this process
(time.process_time) per search, median of --repeat runs.  Asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import time
from unittest import mock

from newsledger.store import Filters, Ledger
from newsledger.store import filters as F

CASES = [
    ("数据", {"tag": "创新"}), ("数据", {"tag": "創新"}),
    ("营收", {"source": "经济日报"}), ("營收", {"source": "經濟日報"}),
    ("出口", {"entity": "美国"}), ("出口", {"entity": "美國"}),
    ("投资", {"unit": "吨"}), ("投資", {"unit": "噸"}),
    ("营收", {"kind": "money", "unit": "USD", "value_min": 1e10}),
    ("增长", {"kind": "count", "unit": "辆", "value_min": 1e4}),
    ("", {"tag": "半導體"}), ("", {"unit": "臺"}),
]


def run(ledger: Ledger, repeat: int) -> list[tuple[int, float]]:
    out = []
    for q, kw in CASES:
        f = Filters(**kw)
        times, total = [], 0
        for _ in range(repeat):
            t = time.process_time()
            total = ledger.search(q, f, limit=20).total
            times.append(time.process_time() - t)
        out.append((total, statistics.median(times) * 1000))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with Ledger(args.db) as ledger:
        ledger.search("数据", Filters(tag="创新"))  # warm caches (jieba, OpenCC, SQLite pages)
        with mock.patch.object(F, "spellings", lambda v: (v,)):
            literal = run(ledger, args.repeat)
        F.spellings.cache_clear()
        spelled = run(ledger, args.repeat)
    print(f"{'query':6} {'filter':42} {'literal':>16} {'spelled':>16}")
    for (q, kw), (n0, t0), (n1, t1) in zip(CASES, literal, spelled):
        print(f"{q or '-':6} {str(kw):42} {n0:7} {t0:6.1f}ms {n1:7} {t1:6.1f}ms")


if __name__ == "__main__":
    main()

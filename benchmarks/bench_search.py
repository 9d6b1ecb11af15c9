"""Search latency and ledger size on a generated corpus (SQLite by default; any ledger URL works).

    .venv/bin/python benchmarks/bench_search.py --n 100000 --db /tmp/bench100k.db
    .venv/bin/python benchmarks/bench_search.py --n 10000 --pg      # a throwaway PostgreSQL server
    .venv/bin/python benchmarks/bench_search.py --n 10000 --db postgresql://user@host/db

Builds a ledger of N generated digest articles (half Traditional, half Simplified) with their
figures, times and gazetteer entities (``--full`` adds the NER model and claims), unless the
ledger already holds N articles; then runs 20 queries (both scripts, two-character words,
several words, with and without filters) and prints p50/p95 latency of ``Ledger.search`` (ranking,
count, and snippets mapped back to the original text), build throughput and the size on disk.
Prints figures; asserts nothing.

The articles come from ``benchmarks/gen_corpus.py`` (``generate(n, seed)``: digest articles in both
scripts) when it is there, else from the small generator below (templates and vocabulary of our
own, every other article converted to Traditional with OpenCC s2twp).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsledger.store import Filters, Ledger  # noqa: E402

TAGS = ["科技", "经济", "能源", "金融", "国际", "汽车", "半导体", "互联网", "医疗", "农业", "地产", "贸易"]
SOURCES = ["新华社", "经济日报", "中央社", "联合报", "财新", "第一财经", "路透", "彭博", "南华早报", "界面新闻"]
SUBJECTS = ["中国", "美国", "日本", "德国", "印度", "台湾", "香港", "欧盟", "韩国", "越南", "腾讯", "阿里巴巴",
            "华为", "比亚迪", "台积电", "英伟达", "苹果", "特斯拉", "宁德时代", "小米", "联发科", "三星电子"]
METRICS = ["营收", "净利润", "出口额", "进口额", "研发投入", "用户规模", "装机容量", "市场份额", "资本支出",
           "财政支出", "发电量", "销量", "出货量", "存款余额", "贷款余额", "外汇储备", "就业人数", "出生人数"]
FIELDS = ["人工智能", "数据中心", "互联网", "云计算", "半导体", "新能源汽车", "光伏", "储能", "稀土", "芯片",
          "软件", "机器人", "生物医药", "跨境电商", "数字经济", "量子计算", "卫星通信", "智能手机", "电网", "算力"]
PERIODS = ["2024年", "2025年上半年", "今年前三季度", "去年同期", "第二季度", "今年1至10月", "过去五年", "2023年"]
UNITS = [("亿元", 1e8), ("万亿元", 1e12), ("亿美元", 1e8), ("万辆", 1e4), ("万人", 1e4), ("吨", 1), ("家", 1)]
VERBS = ["增长", "下降", "提升", "达到", "超过", "回落"]
FILLERS = ["业内人士认为，这一趋势仍将延续。", "分析师指出，政策支持力度持续加大。", "市场对此反应积极。",
           "相关部门表示将进一步完善监管规则。", "专家提醒，外部环境的不确定性依然较大。",
           "企业负责人透露，明年将继续扩大投资。", "统计显示，行业集中度明显提高。", "报告同时披露了多项数据。"]


def _sentence(rng: random.Random) -> str:
    s, m, f = rng.choice(SUBJECTS), rng.choice(METRICS), rng.choice(FIELDS)
    unit, _ = rng.choice(UNITS)
    v = round(rng.uniform(1, 9999), rng.choice([0, 1, 2]))
    pct = round(rng.uniform(0.5, 80), 1)
    return rng.choice([
        f"{rng.choice(PERIODS)}，{s}{f}领域{m}{rng.choice(VERBS)}{v}{unit}，同比{rng.choice(['增长', '下降'])}{pct}%。",
        f"{s}在{f}方面的{m}占全球的{pct}%，较{rng.choice(PERIODS)}提高{round(pct / 10, 1)}个百分点。",
        f"据{rng.choice(SOURCES)}报道，{s}计划在{f}上投入{v}{unit}，预计{rng.choice(PERIODS)}完成。",
        f"{s}的{f}{m}是{rng.choice(SUBJECTS)}的{round(rng.uniform(1.1, 9), 1)}倍。",
        rng.choice(FILLERS),
    ])


def private_articles(n: int, seed: int = 7):
    """(title, body, tag, source, published) tuples; every other article in Traditional script."""
    from newsledger.text.script import to_script

    rng = random.Random(seed)
    base = dt.date(2023, 1, 1)
    for i in range(n):
        title = f"{rng.choice(SUBJECTS)}{rng.choice(FIELDS)}{rng.choice(METRICS)}{rng.choice(VERBS)}"
        body = "".join(_sentence(rng) for _ in range(rng.randint(4, 10)))
        tag, source = rng.choice(TAGS), rng.choice(SOURCES)
        if i % 2:
            title, body, tag, source = (to_script(x, "trad") for x in (title, body, tag, source))
        yield title, body, tag, source, base + dt.timedelta(days=rng.randrange(1000))


def articles(n: int, seed: int = 7):
    """(title, body, tag, source, published) tuples from gen_corpus.generate, else the private generator."""
    try:
        from gen_corpus import generate  # engineer I's generator of digest articles
    except ImportError:
        yield from private_articles(n, seed)
        return
    for d in generate(n, seed):
        yield d["title"], d["body"], d["tag"], d["source"], d["published"]


def build(ledger: Ledger, n: int, full: bool) -> tuple[float, int]:
    from newsledger.extract import ExtractOptions, extract
    from newsledger.sources import make_article

    opts = ExtractOptions() if full else ExtractOptions(claims=False, model=False)
    have = ledger.stats()["articles"]
    t0, added = time.perf_counter(), 0
    for i, item in enumerate(articles(n)):
        if i < have:
            continue
        title, body, tag, source, pub = item
        a = make_article(title, body, tag=tag, source=source, published=pub, url=None, origin="bench",
                         title_start=0, title_end=len(title), body_start=len(title) + 1,
                         body_end=len(title) + 1 + len(body))
        if ledger.add(a, extract(a.body, ref_date=a.published, options=opts)) == "new":
            added += 1
        if added and added % 10000 == 0:
            rate = added / (time.perf_counter() - t0)
            print(f"  built {have + added:,} articles ({rate:.0f}/s)", flush=True)
    return time.perf_counter() - t0, added


QUERIES = [
    "人工智能", "人工智慧", "数据中心", "資料中心", "互联网", "網際網路", "营收", "營收", "光伏 储能",
    "台积电 资本支出", "新能源汽车", "统计", "跨境电商", "英伟达 市场份额", "出生人数", "同比", "美国",
    "财政 支出", "就業人數", "无人机",
]
FILTERED = [("人工智能", Filters(tag="科技")), ("光伏", Filters(date_from="2024-06-01", date_to="2024-12-31")),
            ("营收", Filters(kind="money", unit="USD", value_min=1e10)), ("互联网", Filters(entity="美国")),
            ("营收", Filters(unit="USD", value_min=1e10)), ("同比", Filters(kind="percent", value_min=50))]
# filters without words: the articles passing them, newest first (the home page's tag and source links)
BROWSE = [Filters(tag="科技"), Filters(source="经济日报"), Filters(entity="美国"),
          Filters(kind="money", unit="USD", value_min=1e10), Filters(unit="USD", value_min=1e10)]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def db_size(ledger: Ledger, url: str) -> int:
    if ledger.dialect == "sqlite":
        path = Path(ledger.engine.url.database)
        with ledger.engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with ledger.engine.connect() as c:
        return c.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000, help="articles in the ledger")
    ap.add_argument("--db", default=None, help="ledger URL or path (default /tmp/newsledger-bench-N.db)")
    ap.add_argument("--full", action="store_true", help="full extraction (NER model, claims) while building")
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the 20 queries")
    ap.add_argument("--export", action="store_true", help="also time a Parquet export of every figure")
    ap.add_argument("--pg", action="store_true", help="run on a throwaway PostgreSQL server (removed after)")
    args = ap.parse_args()
    if args.pg:
        from newsledger.store.pgserver import create_database, throwaway_server

        with throwaway_server() as base:
            run(args, create_database(base, "bench"))
    else:
        run(args, args.db or f"/tmp/newsledger-bench-{args.n}.db")


def run(args: argparse.Namespace, url: str) -> None:
    with Ledger(url) as ledger:
        secs, added = build(ledger, args.n, args.full)
        st = ledger.stats()
        print(f"ledger {ledger.url}: {st['articles']:,} articles, {st['figures']:,} figures, {st['times']:,} times, "
              f"{st['entities']:,} entities")
        if added:
            print(f"build: {added:,} articles in {secs:.1f} s = {added / secs:.0f} articles/s "
                  f"(extract + add, one process)")
        print(f"size on disk: {db_size(ledger, url) / 2**20:.1f} MiB "
              f"({db_size(ledger, url) / max(1, st['articles']):.0f} bytes/article)")
        for q in QUERIES:  # warm-up: caches, segmenter, OpenCC
            ledger.search(q)
        lat, cpu, totals = [], [], {}
        for _ in range(args.rounds):
            for q in QUERIES:
                t, c = time.perf_counter(), time.process_time()
                res = ledger.search(q, limit=20)
                lat.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                totals[q] = f"{res.total:,}" + (f" (ranked {res.ranked:,})" if res.ranked < res.total else "")
        print(f"search, 20 queries x {args.rounds}: p50 {statistics.median(lat):.1f} ms, p95 {pct(lat, 95):.1f} ms, "
              f"max {max(lat):.1f} ms wall  (limit 20, with total count and snippets)")
        print(f"  this process's CPU time per query: p50 {statistics.median(cpu):.1f} ms, p95 {pct(cpu, 95):.1f} ms"
              f"{'' if ledger.dialect == 'sqlite' else ' (the server works in other processes)'}; "
              f"load average before: {os.getloadavg()[0]:.1f}")
        print("  matches: " + ", ".join(f"{q} {n}" for q, n in totals.items()))
        timed("filtered search", ledger, [(q, f) for q, f in FILTERED], args.rounds)
        timed("filters without words", ledger, [("", f) for f in BROWSE], args.rounds)
        if args.export:
            export_figures(ledger)
        print(f"engine {ledger.dialect}; cpu count {os.cpu_count()}")


def _label(q: str, f: Filters) -> str:
    return " ".join([q] * bool(q) + [f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in f.as_dict().items()])


def timed(title: str, ledger: Ledger, cases: list[tuple[str, Filters]], rounds: int) -> None:
    """p50/p95 over every case, then each case's median and total (the slow one stands out)."""
    each: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    cpu: dict[int, list[float]] = {i: [] for i in range(len(cases))}
    totals: dict[int, str] = {}
    for i, (q, f) in enumerate(cases):  # warm-up
        ledger.search(q, f, limit=20)
    for _ in range(rounds):
        for i, (q, f) in enumerate(cases):
            t, c = time.perf_counter(), time.process_time()
            res = ledger.search(q, f, limit=20)
            each[i].append((time.perf_counter() - t) * 1000)
            cpu[i].append((time.process_time() - c) * 1000)
            totals[i] = f"{res.total:>7,}" + (f" (ranked {res.ranked:,})" if res.ranked < res.total else "")
    flat = [x for xs in each.values() for x in xs]
    flat_cpu = [x for xs in cpu.values() for x in xs]
    print(f"{title} ({len(cases)} queries x {rounds}): p50 {statistics.median(flat):.1f} ms, p95 {pct(flat, 95):.1f} ms"
          f" wall; CPU of this process p50 {statistics.median(flat_cpu):.1f} ms, p95 {pct(flat_cpu, 95):.1f} ms")
    for i, (q, f) in enumerate(cases):
        print(f"  {statistics.median(each[i]):7.1f} ms  ({statistics.median(cpu[i]):6.1f} ms CPU)  "
              f"{totals[i]} articles  {_label(q, f)}")


def export_figures(ledger: Ledger) -> None:
    """Stream every figure to Parquet and report time and peak memory (it must not grow with N)."""
    import resource
    import tempfile

    from newsledger.store.export import export

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        n = export(ledger, "figures", "parquet", os.path.join(d, "f.parquet"))
        secs = time.perf_counter() - t
        size = os.path.getsize(os.path.join(d, "f.parquet"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"export: {n:,} figures to Parquet in {secs:.1f} s ({n / secs:,.0f} rows/s, {size / 2**20:.1f} MiB); "
          f"peak RSS {peak:.0f} MiB (was {before:.0f} MiB before the export)")


if __name__ == "__main__":
    main()

"""Batch throughput on Dask vs a plain ingest, on a generated corpus (prints a table; no timed tests).

    .venv/bin/python benchmarks/bench_scale.py                 # 2,000 articles
    .venv/bin/python benchmarks/bench_scale.py -n 10000 --workers 1 2 4
    .venv/bin/python benchmarks/bench_scale.py --format digest --partition-size 200

The corpus (``gen_corpus.generate``, seeded) is written once, as one JSON-lines file (or digest
files of 50 articles).  Each run happens in a fresh Python process and starts cold (fresh ledger;
models loaded in the ingesting process or in each worker) and is timed wall-clock end to end,
cluster start included: that is what a user waits for.  Rows: plain ``ingest()``; ``run_batch`` with the "sync" scheduler (the batch path with no
parallelism: its overhead); ``run_batch`` on a LocalCluster with 1, 2… worker processes.

The machine is shared: the load average before each run is printed, and the speed-up can only be
read against it (2 cores: 2 workers plus the writing driver compete for them).  "CPU ms/article"
adds the CPU time of the worker processes (reaped children), so the cost of the distributed path
shows even when the machine is too busy for a speed-up to.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_corpus  # noqa: E402


def _write(n: int, seed: int, folder: Path, fmt: str) -> list[str]:
    arts = gen_corpus.generate(n, seed)
    if fmt == "jsonl":
        p = folder / "corpus.jsonl"
        with p.open("w", encoding="utf-8") as fh:
            gen_corpus.write_jsonl(arts, fh)
        return [str(p)]
    gen_corpus.write_digests(arts, folder / "digests", per_file=50)
    return [str(folder / "digests")]


def _measure(kind: str, paths: list[str], db: str, workers: int, psize: int) -> dict:
    """One run in this (fresh) process: "ingest", "sync" or "local"."""
    from newsledger.ingest import ingest
    from newsledger.scale import run_batch
    from newsledger.store import Ledger

    cpu0, t0 = time.process_time(), time.perf_counter()
    if kind == "ingest":
        with Ledger(db) as led:
            s = ingest(paths, led, progress=False)
    else:
        s = run_batch(paths, db, scheduler=kind, workers=workers, partition_size=psize)
    import resource

    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, once the cluster is closed
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - cpu0,
            "cpu_all": time.process_time() - cpu0 + kids.ru_utime + kids.ru_stime, "new": s.new,
            "articles": s.articles, "rejected": s.rejected, "start": getattr(s, "startup_seconds", 0.0),
            "task_cpu": getattr(s, "worker_cpu_seconds", 0.0), "writing": getattr(s, "writer_seconds", 0.0),
            "writing_cpu": getattr(s, "writer_cpu_seconds", 0.0)}


def _run(label: str, kind: str, paths: list[str], db: Path, workers: int, psize: int, n: int, rows: list) -> None:
    """Run one measurement in a fresh Python process, so that every run pays its own cold start."""
    load = os.getloadavg()[0]
    cmd = [sys.executable, __file__, "--one", kind, "--db", str(db), "--workers", str(workers),
           "--partition-size", str(psize), *paths]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    assert r["articles"] + r["rejected"] == n, f"{label}: {r['articles'] + r['rejected']} of {n} articles accounted for"
    rows.append((label, r["wall"], r["new"], r["articles"] / r["wall"], r["start"], r["cpu"],
                 r["cpu_all"] * 1000 / n, load, r["writing_cpu"] * 1000 / n))
    wcpu = r["writing_cpu"]
    extra = (f"; tasks {r['task_cpu'] * 1000 / n:.1f} CPU ms/article, driver writing {r['writing'] * 1000 / n:.1f} "
             f"ms/article wall, {wcpu * 1000 / n:.2f} CPU ms/article = {n / wcpu if wcpu else 0:.0f} articles per "
             "writer CPU second" if kind != "ingest" else "")
    print(f"  {label}: {r['wall']:.1f} s, {r['articles'] / r['wall']:.0f} articles/s (load before {load:.2f}){extra}",
          file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=2000, help="articles in the corpus (default 2000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--format", choices=("jsonl", "digest"), default="jsonl")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="LocalCluster sizes to run (default 1 2)")
    ap.add_argument("--partition-size", type=int, default=None, help="articles per Dask task (default: the library's)")
    ap.add_argument("--no-sync", action="store_true", help="skip the single-process batch run")
    ap.add_argument("--one", choices=("ingest", "sync", "local"), help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    from newsledger.scale import DEFAULT_PARTITION_SIZE

    psize = args.partition_size or DEFAULT_PARTITION_SIZE
    if args.one:
        print(json.dumps(_measure(args.one, args.paths, args.db, args.workers[0], psize)))
        return 0
    rows: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
        work = Path(tmp)
        paths = _write(args.n, args.seed, work, args.format)
        print(f"corpus: {args.n} articles as {args.format}, partition size {psize}, {os.cpu_count()} CPUs",
              file=sys.stderr)
        _run("ingest (1 process)", "ingest", paths, work / "ingest.db", 1, psize, args.n, rows)
        if not args.no_sync:
            _run("batch sync", "sync", paths, work / "sync.db", 1, psize, args.n, rows)
        for w in args.workers:
            _run(f"batch local, {w} worker{'s' if w > 1 else ''}", "local", paths, work / f"local{w}.db", w, psize,
                 args.n, rows)

    base = rows[0][3]
    print(f"\n{args.n} generated articles ({args.format}), partition size {psize}, {os.cpu_count()} CPUs\n")
    print(f"| {'run':<24} | {'wall s':>7} | {'new':>6} | {'articles/s':>10} | {'vs ingest':>9} | "
          f"{'cluster start s':>15} | {'driver CPU s':>12} | {'CPU ms/article':>14} | {'articles/CPU s':>14} | "
          f"{'writer CPU ms/art':>17} | {'load before':>11} |")
    print(f"|{'-' * 26}|{'-' * 9}|{'-' * 8}|{'-' * 12}|{'-' * 11}|{'-' * 17}|{'-' * 14}|{'-' * 16}|{'-' * 16}|"
          f"{'-' * 19}|{'-' * 13}|")
    for label, wall, new, rate, start, cpu, cpu_art, load, w_art in rows:
        writer = f"{w_art:>17.2f}" if not label.startswith("ingest") else f"{'-':>17}"
        print(f"| {label:<24} | {wall:>7.1f} | {new:>6} | {rate:>10.0f} | {rate / base:>8.2f}x | {start:>15.1f} | "
              f"{cpu:>12.1f} | {cpu_art:>14.1f} | {1000 / cpu_art:>14.0f} | {writer} | {load:>11.2f} |")
    print("\nCPU ms/article and articles/CPU s: all processes (driver + workers), cold starts included; "
          "writer CPU ms/art: CPU of the driver's writing thread (time.thread_time) per article; "
          "load before: 1-minute load average of the machine when the run started.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingest throughput, ledger size and memory on a generated corpus (no timed tests: this prints).

    .venv/bin/python benchmarks/bench_ingest.py            # 10,000 articles
    .venv/bin/python benchmarks/bench_ingest.py -n 1000
    .venv/bin/python benchmarks/bench_ingest.py --full     # 100,000 articles (run it in the background)
    .venv/bin/python benchmarks/bench_ingest.py --no-model # without the statistical NER model

The corpus (``gen_corpus.generate``, seeded) is written as ``--chunks`` JSON-lines files (or
digests with ``--format digest``) and ingested one file per ``ingest()`` call into one SQLite
ledger, as a news feed would arrive: each call rebuilds the near-duplicate index from the ledger,
so that cost is included.  Full extraction (figures, times, entities, claims) on one core.

Measured:
- throughput: articles per CPU second of this process (one core), and per wall second;
- ledger size on disk (database + WAL), and per article;
- peak memory: ``ru_maxrss`` for the whole run, and the tracemalloc peak of a small traced
  ingest (300 fresh articles) after the first, middle and last chunks (tracing slows Python
  down, so it is kept out of the throughput): those peaks include rebuilding the dedup index from
  the ledger, the one structure that grows with it (~0.6 KB an article, also printed).
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_corpus  # noqa: E402

PROBE = 300  # articles in each traced probe ingest


def _size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def _write_chunks(n: int, chunks: int, seed: int, folder: Path, fmt: str) -> list[Path]:
    arts = gen_corpus.generate(n, seed)
    per = -(-n // chunks)
    paths = []
    for i in range(chunks):
        take = min(per, n - i * per)
        if take <= 0:
            break
        piece = (next(arts) for _ in range(take))
        if fmt == "jsonl":
            p = folder / f"chunk_{i:03d}.jsonl"
            with p.open("w", encoding="utf-8") as fh:
                gen_corpus.write_jsonl(piece, fh)
        else:
            p = folder / f"chunk_{i:03d}"
            gen_corpus.write_digests(piece, p, per_file=200)
        paths.append(p)
    return paths


def _breakdown(path: Path, work: Path, n: int = 300) -> None:
    """CPU milliseconds an article in each stage, on the first ``n`` articles of the corpus; the
    ceiling adds the stages as ingest runs them (batched extraction, signature, add_many)."""
    from newsledger import dedup
    from newsledger.extract import ExtractOptions, extract, extract_many
    from newsledger.ingest import EXTRACT_BATCH, extraction_text
    from newsledger.sources import read
    from newsledger.store import Ledger

    arts = read(path)[:n] if path.is_file() else [a for f in sorted(path.iterdir()) for a in read(f)][:n]

    def cpu(fn):  # noqa: ANN001, ANN202
        c = time.process_time()
        out = [fn(a) for a in arts]
        return (time.process_time() - c) * 1000 / len(arts), out

    t_ext, exts = cpu(lambda a: extract(extraction_text(a), ref_date=a.published))
    t_nomodel, _ = cpu(lambda a: extract(extraction_text(a), ref_date=a.published,
                                         options=ExtractOptions(model=False)))
    c = time.process_time()
    batched = extract_many([extraction_text(a) for a in arts], ref_dates=[a.published for a in arts])
    t_many = (time.process_time() - c) * 1000 / len(arts)
    assert len(batched) == len(arts)
    t_sig, sigs = cpu(lambda a: dedup.signature(a.title, a.body))
    items = [(a, e, dedup.to_bytes(m)) for a, e, m in zip(arts, exts, sigs)]
    it = iter(items)
    with Ledger(str(work / "breakdown.db")) as led:
        t_add, _ = cpu(lambda a: led.add(*(p := next(it))[:2], signature=p[2]))
    with Ledger(str(work / "breakdown_many.db")) as led:
        c = time.process_time()
        for i in range(0, len(items), EXTRACT_BATCH):
            led.add_many(items[i:i + EXTRACT_BATCH])
        t_add_many = (time.process_time() - c) * 1000 / len(arts)
    stages = _stages([extraction_text(a) for a in arts], [a.published for a in arts])
    chars = sum(len(a.title) + 1 + len(a.body) for a in arts) / len(arts)
    print(f"\nper-article CPU cost on {len(arts)} articles ({chars:.0f} characters of title + body on average):")
    print(f"  extract (full pipeline)            {t_ext:7.2f} ms   ({chars / t_ext * 1000:,.0f} chars/s)")
    print(f"  extract_many (batched, as ingest)  {t_many:7.2f} ms")
    print(f"  extract without the NER model      {t_nomodel:7.2f} ms")
    print(f"  dedup signature (MinHash)          {t_sig:7.2f} ms")
    print(f"  ledger.add (SQLite, FTS, one txn)  {t_add:7.2f} ms")
    print(f"  ledger.add_many ({EXTRACT_BATCH} a txn, as ingest) {t_add_many:7.2f} ms")
    print(f"  => ceiling {1000 / (t_many + t_sig + t_add_many):,.0f} articles / CPU s (extract_many + signature + add_many)")
    print("  extract_many's stages, each run alone over the same articles (best of 3):")
    for name, ms in stages.items():
        print(f"    {name:<34}{ms:7.2f} ms")
    print(f"    {'sum':<34}{sum(stages.values()):7.2f} ms")


def _stages(texts: list[str], refs: list, rounds: int = 3) -> dict[str, float]:
    """CPU ms an article of each stage of batched extraction, run stage by stage over ``texts`` in
    batches as ingest makes them: where the time of a full extraction goes."""
    from newsledger.checks import run_checks
    from newsledger.claims import build_claims
    from newsledger.extract import ExtractOptions, extract_many, ner
    from newsledger.extract.entities import find_entities
    from newsledger.extract.figures import find_figures
    from newsledger.extract.times import find_times
    from newsledger.ingest import EXTRACT_BATCH
    from newsledger.model import Extraction

    full = extract_many(texts, ref_dates=refs, options=ExtractOptions(checks=False))
    exts = [Extraction(text=t, figures=x.figures, times=x.times, entities=x.entities, claims=x.claims)
            for t, x in zip(texts, full)]
    figures = [x.figures for x in exts]
    no_model = ExtractOptions(model=False)
    batches = [texts[i:i + EXTRACT_BATCH] for i in range(0, len(texts), EXTRACT_BATCH)]
    work = {
        "figures": lambda: [find_figures(t) for t in texts],
        "times": lambda: [find_times(t, ref_date=r, figures=f) for t, r, f in zip(texts, refs, figures)],
        "NER model (tag_many, batched)": lambda: [ner.tagger().tag_many(b) for b in batches],
        "entities without the model": lambda: [find_entities(t, no_model) for t in texts],
        "claims": lambda: [build_claims(x.text, x) for x in exts],
        "checks": lambda: [run_checks(x.claims, x.text) for x in exts],
    }
    out = {}
    for name, fn in work.items():
        best = float("inf")
        for _ in range(rounds):
            c = time.process_time()
            fn()
            best = min(best, time.process_time() - c)
        out[name] = best * 1000 / len(texts)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="newsledger ingest benchmark")
    ap.add_argument("-n", type=int, default=10_000, help="articles (default 10,000)")
    ap.add_argument("--full", action="store_true", help="100,000 articles")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--chunks", type=int, default=10, help="files, one ingest() call each")
    ap.add_argument("--format", choices=("jsonl", "digest"), default="jsonl")
    ap.add_argument("--db", default=None, help="SQLite file (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and the ledger")
    ap.add_argument("--no-model", action="store_true",
                    help="ingest without the statistical NER model (ingest --no-model): the rest of the pipeline's cost")
    args = ap.parse_args(argv)
    n = 100_000 if args.full else args.n

    from newsledger.extract import ExtractOptions, extract
    from newsledger.dedup import NearDuplicateIndex
    from newsledger.ingest import ingest
    from newsledger.store import Ledger

    work = Path(tempfile.mkdtemp(prefix="nl_bench_ingest_"))
    db = Path(args.db) if args.db else work / "ledger.db"
    t = time.perf_counter()
    paths = _write_chunks(n, args.chunks, args.seed, work, args.format)
    gen_s = time.perf_counter() - t
    corpus_bytes = sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.iterdir()))
    print(f"corpus: {n:,} articles, {len(paths)} {args.format} chunks, {corpus_bytes / 1e6:.1f} MB, "
          f"generated in {gen_s:.1f} s  ({work})", flush=True)

    t, c = time.perf_counter(), time.process_time()
    extract("华为公司今年前三季度营收增长12%,达到三千五百亿元。", ref_date="2025-12-27")  # load models
    print(f"warm-up (jieba, OpenCC, NER model): {time.perf_counter() - t:.1f} s wall, "
          f"{time.process_time() - c:.1f} s CPU", flush=True)

    options = ExtractOptions(model=not args.no_model)
    print(f"extraction: {'figures, times, entities (gazetteer and patterns, no NER model), claims, checks' if args.no_model else 'full (figures, times, entities with the NER model, claims, checks)'}")
    probes = {0, len(paths) // 2, len(paths) - 1}
    rows = []
    totals = dict(new=0, duplicate=0, near_duplicate=0, rejected=0, figures=0, times=0, entities=0)
    done, cpu_total, wall_total = 0, 0.0, 0.0
    with Ledger(str(db)) as ledger:
        for i, p in enumerate(paths):
            t, c = time.perf_counter(), time.process_time()
            s = ingest([str(p)], ledger, progress=False, options=options)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            done += s.articles + s.rejected
            cpu_total += cpu
            wall_total += wall
            for k in totals:
                totals[k] += getattr(s, k)
            if s.errors:
                print(f"  chunk {i}: {len(s.errors)} problems, first: {s.errors[0]['message']}", flush=True)
            peak = None
            if i in probes:  # a small traced ingest: its peak includes rebuilding the dedup index
                probe = work / f"probe_{i}.jsonl"
                with probe.open("w", encoding="utf-8") as fh:
                    gen_corpus.write_jsonl(gen_corpus.generate(PROBE, seed=10_000 + i), fh)
                tracemalloc.start()
                ps = ingest([str(probe)], ledger, progress=False, options=options)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                for k in totals:
                    totals[k] += getattr(ps, k)
            stored = totals["new"]
            maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append((i, stored, peak))
            print(f"  chunk {i:>3}: ledger {stored:>7,}  {s.articles:>6,} articles  {wall:6.1f} s wall "
                  f"{cpu:6.1f} s CPU  {s.articles / cpu if cpu else 0:6.0f}/CPU s  maxrss {maxrss:6.0f} MiB"
                  + (f"  traced probe of {PROBE}: peak {peak / 2**20:6.1f} MiB" if peak is not None else ""), flush=True)
        tracemalloc.start()
        idx = NearDuplicateIndex.from_ledger(ledger)
        index_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del idx

    size = _size(db)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"{'articles':<34}{n:>14,}  (+ {PROBE} x {len(probes)} traced probe articles)")
    for k, v in totals.items():
        print(f"{'  ' + k:<34}{v:>14,}")
    print(f"{'throughput, one core':<34}{done / cpu_total if cpu_total else 0:>14,.0f} articles / CPU s")
    print(f"{'throughput, wall':<34}{done / wall_total if wall_total else 0:>14,.0f} articles / s "
          f"(machine load {os.getloadavg()[0]:.1f})")
    print(f"{'ledger on disk':<34}{size / 2**20:>14,.1f} MiB  ({size / max(totals['new'], 1) / 1024:.1f} KiB an article)")
    print(f"{'peak RSS (ru_maxrss)':<34}{maxrss:>14,.0f} MiB")
    for _, stored, peak in rows:
        if peak is not None:
            print(f"{'tracemalloc peak, ledger ' + format(stored, ','):<34}{peak / 2**20:>14,.1f} MiB")
    print(f"{'dedup index for the ledger':<34}{index_bytes / 2**20:>14,.1f} MiB  "
          f"({index_bytes / max(totals['new'], 1):.0f} B an article)")
    _breakdown(paths[0], work)
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

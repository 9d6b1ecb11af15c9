"""Near-duplicate detection: speed of a signature, recall on script-converted reposts, false positives.

    .venv/bin/python benchmarks/bench_dedup.py [-n 5000]

1. CPU ms per ``dedup.signature`` on 2,000 generated articles (min of 3 runs).
2. Recall: every article of examples/*.txt (and the sample digest in ../shared/seed when present)
   converted by OpenCC (tw2sp, s2twp, s2t, t2s, s2hk, hk2s), plain and with small edits (a digit
   changed, a byline added, a sentence mark turned into a comma), must be found as a near-duplicate
   of its original; distinct articles must not match each other.
3. On ``gen_corpus.generate(n, seed=0)``, decisions as ingest makes them: reposts found / missed and
   false positives (``gen_corpus._repost`` is wrapped to record which article a repost copies).
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_corpus  # noqa: E402

import newsledger  # noqa: E402
from newsledger import dedup  # noqa: E402
from newsledger.text.script import converter  # noqa: E402


def speed() -> None:
    arts = [(a["title"], a["body"]) for a in gen_corpus.generate(2000, seed=0)]
    for t, b in arts[:50]:
        dedup.signature(t, b)
    runs = []
    for _ in range(3):
        t0 = time.process_time()
        for t, b in arts:
            dedup.signature(t, b)
        runs.append((time.process_time() - t0) / len(arts) * 1e3)
    chars = sum(len(t) + len(b) + 1 for t, b in arts) / len(arts)
    print(f"signature: {min(runs):.3f} CPU ms per article ({chars:.0f} chars on average, min of 3 runs)")


def _edit(b: str) -> str:
    b = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), b, count=1)
    return b.replace("。", ",", 1) + "（記者 林某某／編譯）"


def recall() -> None:
    files = sorted((HERE.parent / "examples").glob("*.txt")) + sorted((HERE.parents[1] / "shared" / "seed").glob("*.txt"))
    arts = [(a.title, a.body) for f in files for a in newsledger.read(str(f))]
    idx = dedup.NearDuplicateIndex()
    sigs = []
    for i, (t, b) in enumerate(arts):
        sigs.append(dedup.signature(t, b))
        idx.add(f"a{i}", sigs[-1])
    for edited in (False, True):
        miss = tot = 0
        for cfg in ("tw2sp", "s2twp", "s2t", "t2s", "s2hk", "hk2s"):
            conv = converter(cfg).convert
            for i, (t, b) in enumerate(arts):
                t2, b2 = conv(t), conv(b)
                if (t2, b2) == (t, b):
                    continue
                tot += 1
                found = idx.find(dedup.signature(t2, _edit(b2) if edited else b2))
                miss += not found or found[0] != f"a{i}"
        print(f"converted reposts{' + edits' if edited else ''}: found {tot - miss}/{tot} "
              f"({len(arts)} articles from {len(files)} files)")
    fp = sum(idx.find(sigs[i], exclude=f"a{i}") is not None for i in range(len(arts)))
    print(f"distinct articles matched to another: {fp}")


def generated(n: int) -> None:
    orig = gen_corpus._repost

    def tagged(rng, art, outlets):  # noqa: ANN001, ANN202
        out = orig(rng, art, outlets)
        out["_of"] = (art["title"], art["body"])
        return out

    gen_corpus._repost = tagged
    try:
        idx = dedup.NearDuplicateIndex()
        seen: set[tuple[str, str]] = set()
        group_of: dict[str, tuple[str, str]] = {}
        found = missed = fp = reposts = 0
        for k, a in enumerate(gen_corpus.generate(n, seed=0)):
            key = (a["title"], a["body"])
            if key in seen:  # an exact copy has the same id: caught before dedup
                continue
            group = a.get("_of", key)
            reposts += "_of" in a
            sig = dedup.signature(*key)
            hit = idx.find(sig)
            if hit is not None:
                if group_of[hit[0]] == group:
                    found += 1
                else:
                    fp += 1
                continue
            missed += "_of" in a
            seen.add(key)
            idx.add(f"a{k}", sig)
            group_of[f"a{k}"] = group
    finally:
        gen_corpus._repost = orig
    print(f"generated corpus ({n} articles): reposts {reposts}, found {found}, missed {missed}, false positives {fp}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5000)
    args = ap.parse_args()
    speed()
    recall()
    generated(args.n)


if __name__ == "__main__":
    main()

"""Claim accuracy on the gold set: precision/recall of subject, metric and period; and speed.

    .venv/bin/python benchmarks/bench_claims.py [--mode pipeline|oracle|both] [--errors]
    .venv/bin/python benchmarks/bench_claims.py --speed 2000   # CPU ms per generated article

``--speed N`` extracts N generated articles (benchmarks/gen_corpus.py, seed 0, body with its
published date) without claims, then times ``build_claims`` alone on each, in CPU seconds of this
process: the first call (which loads OpenCC, the cue tables and the POS tokenizer) and the rest.

``pipeline`` runs newsledger.extract() (every stage that exists) then build_claims; ``oracle``
feeds build_claims the gold spans to isolate the linking step (see newsledger.claims_eval).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsledger.claims_eval import load_gold, score

GOLD = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "claims" / "gold.yaml"


def pin(d: dict) -> None:
    import hashlib

    path = GOLD.with_name("floors.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["gold_sha256"] = hashlib.sha256(GOLD.read_bytes()).hexdigest()
    old = doc.get("floors", {})
    # a floor never goes down: new examples that the linker gets wrong must not lower the bar
    doc["floors"] = {k: max(old.get(k, 0.0), round(max(0.0, v - 0.02), 3)) for k, v in d.items()
                     if k.endswith(("_precision", "_recall", "_accuracy")) and "strict" not in k}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("  pinned floors in", path)


def speed(n: int) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import gen_corpus

    from newsledger.claims import build_claims
    from newsledger.extract import ExtractOptions, extract_many

    arts = list(gen_corpus.generate(n, seed=0))
    opts = ExtractOptions(claims=False, checks=False)
    exts = []
    for i in range(0, n, 64):
        batch = arts[i : i + 64]
        exts += extract_many([a["body"] for a in batch], [a["published"] for a in batch], opts)
    times = []
    for a, e in zip(arts, exts):
        t = time.process_time()
        build_claims(a["body"], e)
        times.append(time.process_time() - t)
    rest = times[1:] or [0.0]
    print(f"build_claims on {n} generated articles ({sum(len(e.figures) for e in exts) / n:.1f} figures each): "
          f"{sum(times):.3f} CPU s = {sum(times) / n * 1000:.3f} ms/article; first call {times[0] * 1000:.0f} ms, "
          f"then {sum(rest) / len(rest) * 1000:.3f} ms/article")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="both", choices=["pipeline", "oracle", "both"])
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--pin", action="store_true",
                    help="write the pipeline scores (minus 0.02, never below the current floors) "
                         "as floors to tests/corpus/claims/floors.json")
    ap.add_argument("--speed", type=int, metavar="N", help="time build_claims on N generated articles instead")
    a = ap.parse_args()
    if a.speed:
        speed(a.speed)
        return
    gold = load_gold(GOLD)
    print(f"gold set: {len(gold)} texts, {sum(len(g['claims']) for g in gold)} claims ({GOLD.name})")
    for mode in (["oracle", "pipeline"] if a.mode == "both" else [a.mode]):
        t = time.perf_counter()
        try:
            sc = score(gold, mode)
        except ImportError as exc:
            print(f"[{mode}] skipped: a stage is missing ({exc})")
            continue
        d = sc.as_dict()
        print(f"\n[{mode}] {time.perf_counter() - t:.2f}s")
        print(f"  figures found {d['figures_found']}/{d['claims']}")
        for k in ("subject", "metric", "metric_strict", "period"):
            print(f"  {k:14s} P {d[k + '_precision']:.3f}  R {d[k + '_recall']:.3f}")
        print(f"  relation accuracy {d['relation_accuracy']:.3f}  direction accuracy {d['direction_accuracy']:.3f}")
        print("  json:", json.dumps(d, ensure_ascii=False))
        if a.pin and mode == "pipeline":
            pin(d)
        if a.errors:
            for e in sc.errors:
                print("   ", e)


if __name__ == "__main__":
    main()

"""Claim accuracy on the gold set: precision/recall of subject, metric and period.

    .venv/bin/python benchmarks/bench_claims.py [--mode pipeline|oracle|both] [--errors]

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="both", choices=["pipeline", "oracle", "both"])
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--pin", action="store_true",
                    help="write the pipeline scores (minus 0.02, never below the current floors) "
                         "as floors to tests/corpus/claims/floors.json")
    a = ap.parse_args()
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

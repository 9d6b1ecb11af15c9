"""Figures: newsledger against Microsoft Recognizers-Text and JioNLP, in one run.

Two measurements:

1. **Spec agreement.** Recognizers-Text's own Chinese specs (Number, Percent and Currency models,
   from ``../shared/peers/recognizers-text``) are run through ``find_figures``; a case agrees when
   the multiset of values we return equals the spec's (and, for currency, the ISO currencies).
   No spec input is special-cased anywhere in newsledger.
2. **Speed, precision and recall on a generated corpus** (``figure_corpus.py``: gold figures with
   exact offsets, Simplified and Traditional, with distractors), for newsledger, Recognizers-Text
   (Chinese culture: number, percentage and currency models) and JioNLP's money extractor.
   A prediction is correct when it overlaps a gold figure of the same kind with the same value
   (and the same high end, and currency for money).

Usage::

    .venv/bin/pip install recognizers-text-suite 'emoji<1.0' jionlp   # peers (bench only)
    .venv/bin/python benchmarks/bench_peers.py [--texts 3000] [--peer-texts 300]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from figure_corpus import generate  # noqa: E402

from newsledger.extract.figures import find_figures  # noqa: E402

SPECS = HERE.parent.parent / "shared" / "peers" / "recognizers-text"
RT_UNITS = {"Chinese yuan": "CNY", "United States dollar": "USD", "Japanese yen": "JPY", "Euro": "EUR",
            "Hong Kong dollar": "HKD", "New Taiwan dollar": "TWD", "Swiss franc": "CHF",
            "British pound": "GBP", "South Korean won": "KRW"}
JIO_UNITS = {"元": "CNY", "人民币": "CNY", "美元": "USD", "港元": "HKD", "港币": "HKD", "日元": "JPY",
             "欧元": "EUR", "英镑": "GBP", "韩元": "KRW", "新台币": "TWD"}


def _r(x: float) -> float:
    return float(f"{x:.6g}")


# ---------------------------------------------------------------- spec agreement
def _spec_value(res: dict) -> float | None:
    v = str(res.get("value", "")).rstrip("%")
    try:
        return _r(float(v))
    except ValueError:
        return None


def spec_agreement(name: str, path: Path, kinds: set[str] | None, currency: bool) -> dict:
    cases = json.loads(path.read_text(encoding="utf-8"))
    agree = agree_supported = supported = 0
    for case in cases:
        want = Counter()
        for r in case["Results"]:
            v = _spec_value(r["Resolution"])
            if v is None:
                continue
            iso = r["Resolution"].get("isoCurrency") or RT_UNITS.get(r["Resolution"].get("unit", ""), r["Resolution"].get("unit"))
            want[(v, iso) if currency else v] += 1
        got = Counter()
        for f in find_figures(case["Input"]):
            if kinds and f.kind not in kinds:
                continue
            for v in (f.value, f.high):
                if v is not None:
                    got[(_r(v), f.unit) if currency else _r(v)] += 1
        ok = want == got
        agree += ok
        if "python" not in str(case.get("NotSupported", "")).lower():
            supported += 1
            agree_supported += ok
    return {"spec": name, "cases": len(cases), "agree": agree, "share": agree / len(cases)}


# ---------------------------------------------------------------- corpus P/R
def _ours(text):
    return [(f.start, f.end, f.kind, f.value, f.high, f.unit) for f in find_figures(text)]


def _rt_factory():
    from recognizers_number import Culture, NumberRecognizer
    from recognizers_number_with_unit import NumberWithUnitRecognizer

    num = NumberRecognizer(Culture.Chinese)
    pct = num.get_percentage_model(Culture.Chinese)
    cur = NumberWithUnitRecognizer(Culture.Chinese).get_currency_model(Culture.Chinese)

    def run(text):
        out = []
        for r in cur.parse(text):
            v = _spec_value(r.resolution or {})
            unit = (r.resolution or {}).get("isoCurrency") or RT_UNITS.get((r.resolution or {}).get("unit", ""))
            if v is not None:
                out.append((r.start, r.end + 1, "money", v, None, unit))
        for r in pct.parse(text):
            v = _spec_value(r.resolution or {})
            if v is not None:
                out.append((r.start, r.end + 1, "percent", v, None, "%"))
        return out

    return run


def _jio_factory():
    import jionlp as jio

    def run(text):
        out = []
        for m in jio.ner.extract_money(text, with_parsing=True):
            num = m["detail"]["num"]
            lo, hi = (num, None) if isinstance(num, str) else (num[0], num[1])
            unit = JIO_UNITS.get(m["detail"].get("case"), m["detail"].get("case"))
            out.append((m["offset"][0], m["offset"][1], "money", float(lo), float(hi) if hi else None, unit))
        return out

    return run


def _close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def score(preds, golds, kinds):
    tp = fp = fn = 0
    for pred, gold in zip(preds, golds):
        g = [x for x in gold if x["kind"] in kinds]
        used = set()
        for (s, e, kind, v, hi, unit) in pred:
            if kind not in kinds:
                continue
            hit = None
            for i, x in enumerate(g):
                if i in used or x["kind"] != kind or s >= x["end"] or e <= x["start"]:
                    continue
                if _close(v, x["value"]) and _close(hi, x["high"]) and (kind != "money" or unit == x["unit"]):
                    hit = i
                    break
            if hit is None:
                fp += 1
            else:
                used.add(hit)
                tp += 1
        fn += len(g) - len(used)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r


def timed(fn, texts):
    """chars per CPU second of this process: all three tools are single-threaded, and CPU time
    stays meaningful when the (shared, 2-core) machine is busy."""
    t0 = time.process_time()
    preds = [fn(t) for t in texts]
    dt = time.process_time() - t0
    return preds, sum(map(len, texts)) / dt


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=3000, help="generated texts for newsledger (≈ 450 chars each)")
    ap.add_argument("--peer-texts", type=int, default=300, help="the first N of them for the (slow) peers")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--news-chars", type=int, default=1_000_000, help="news-like text for the speed run")
    args = ap.parse_args(argv)

    print("## Recognizers-Text Chinese specs: share of cases whose figures agree in value (and currency)")
    if SPECS.is_dir():
        rows = [spec_agreement("Number", SPECS / "Number/Chinese/NumberModel.json", None, False),
                spec_agreement("Percent", SPECS / "Number/Chinese/PercentModel.json", {"percent"}, False),
                spec_agreement("Currency", SPECS / "NumberWithUnit/Chinese/CurrencyModel.json", {"money"}, True)]
        print(f"{'spec':10} {'cases':>6} {'agree':>6} {'share':>7}")
        for r in rows:
            print(f"{r['spec']:10} {r['cases']:6d} {r['agree']:6d} {r['share']:7.1%}")
    else:
        print(f"(specs not found at {SPECS})")

    data = list(generate(args.texts, seed=args.seed))
    texts = [t for t, _ in data]
    golds = [g for _, g in data]
    find_figures(texts[0])  # warm up (compile tables)
    tools = [("newsledger", lambda: _ours, texts, golds)]
    if not args.no_peers:
        tools += [("Recognizers-Text", _rt_factory, texts[: args.peer_texts], golds[: args.peer_texts]),
                  ("JioNLP money", _jio_factory, texts[: args.peer_texts], golds[: args.peer_texts])]
    print(f"\n## Generated corpus: {args.texts} texts, {sum(map(len, texts)):,} chars, "
          f"{sum(map(len, golds)):,} gold figures (peers on the first {args.peer_texts})")
    print(f"{'tool':18} {'chars/CPU s':>12} {'money P':>8} {'money R':>8} {'pct P':>7} {'pct R':>7} {'all P':>7} {'all R':>7}")
    speeds = {}
    for name, factory, tx, gd in tools:
        try:
            fn = factory()
        except ImportError as exc:
            print(f"{name:18} not installed ({exc}); pip install recognizers-text-suite 'emoji<1.0' jionlp")
            continue
        fn(tx[0])
        preds, cps = timed(fn, tx)
        speeds[name] = cps
        mp, mr = score(preds, gd, {"money"})
        pp, pr = score(preds, gd, {"percent"})
        ap_, ar = score(preds, gd, {"money", "percent", "count", "multiplier", "fraction", "percentage_point"})
        pct = f"{pp:7.3f} {pr:7.3f}" if name != "JioNLP money" else f"{'-':>7} {'-':>7}"
        allc = f"{ap_:7.3f} {ar:7.3f}" if name == "newsledger" else f"{'-':>7} {'-':>7}"
        print(f"{name:18} {cps:12,.0f} {mp:8.3f} {mr:8.3f} {pct} {allc}")
    if "newsledger" in speeds:
        for peer in ("Recognizers-Text", "JioNLP money"):
            if peer in speeds:
                print(f"newsledger is {speeds['newsledger'] / speeds[peer]:,.0f}× faster than {peer}")

    # Speed on news-like text: the bundled example digests (and the sample digest when present),
    # whose figure density is that of real news rather than the figure-in-every-clause corpus.
    import newsledger

    paths = sorted((HERE.parent / "examples").glob("*.txt")) + sorted((SPECS.parent.parent / "seed").glob("*.txt"))
    bodies = [a.body for p in paths for a in newsledger.read(p)]
    news = []
    while sum(map(len, news)) < args.news_chars:
        news.extend(bodies)
    print(f"\n## News-like text: {len(paths)} digests, repeated to {sum(map(len, news)):,} chars")
    print(f"{'tool':18} {'chars/CPU s':>12} {'figures/1000 chars':>19}")
    base = None
    for name, factory, _, _ in tools:
        try:
            fn = factory()
        except ImportError:
            continue
        sub = news if name == "newsledger" else news[: max(1, len(news) // 5)]
        preds, cps = timed(fn, sub)
        dens = 1000 * sum(map(len, preds)) / sum(map(len, sub))
        base = base or cps
        ratio = "" if name == "newsledger" else f"  (newsledger {base / cps:,.0f}× faster)"
        print(f"{name:18} {cps:12,.0f} {dens:19.1f}{ratio}")


if __name__ == "__main__":
    main()

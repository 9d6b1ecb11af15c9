"""Entity-level precision / recall / F1 per type, and speed, of newsledger's entity finder.

    .venv/bin/python benchmarks/bench_ner.py [--data ../shared/data/ner] [--skip-jieba] [--msra-only]
        [--model path/to/model.npz]   # score another exported model instead of the packaged one
        [--rank R]                    # rank of the recurrent matrices (0 = full; default ner.RECURRENT_RANK)
        [--speed-only]                # only the speed lines on the sample

Systems, all in one run: (a) the model alone, (b) gazetteer + patterns alone, (c) the combination
(find_entities), (d) the jieba part-of-speech baseline (posseg nr/nrt/nrfg → PER, ns → LOC, nt → ORG).
Corpora: MSRA test (all lines, and without its nine longest lines, which are mostly
lists of names run together), CLUENER dev mapped to coarse types: name → PER; company, organization, government →
ORG; address and scene (landmarks and scenic places are LOC in our scheme, and in training) → LOC; position,
book, game, movie dropped (the previous mapping, scene dropped, is printed beside).  Our types are mapped the
same way: PERSON → PER, ORG and COMPANY → ORG, GPE and LOC → LOC.  A hit needs exact offsets and type.
Texts are joined with newlines (the finder never crosses one) and tagged in one call.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from newsledger.extract import ExtractOptions  # noqa: E402
from newsledger.extract import ner  # noqa: E402
from newsledger.extract.entities import find_entities, find_entities_many  # noqa: E402

COARSE = {"PERSON": "PER", "ORG": "ORG", "COMPANY": "ORG", "GPE": "LOC", "LOC": "LOC",
          "PER": "PER"}
CLUE = {"name": "PER", "company": "ORG", "organization": "ORG", "government": "ORG", "address": "LOC",
        "scene": "LOC"}  # as in training (scripts/train_ner.py CLUE_TYPES): our LOC holds landmarks and scenic places
TYPES = ("PER", "LOC", "ORG")


def read_msra(path: Path) -> list[tuple[str, set]]:
    tag_id = {t: i for i, t in enumerate(ner.TAGS)}
    out, chars, labels = [], [], []
    for line in path.read_text(encoding="utf-8").split("\n") + [""]:
        if not line.strip():
            if chars:
                out.append(("".join(chars), set(ner.bio_spans(labels))))
            chars, labels = [], []
            continue
        c, _, lab = line.partition("\t")
        chars.append(c[:1] or " ")
        labels.append(tag_id.get(lab.strip() or "O", 0))
    return out


def read_clue(path: Path, mapping: dict | None = None) -> list[tuple[str, set]]:
    mapping = CLUE if mapping is None else mapping
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        gold = set()
        for typ, surf in d.get("label", {}).items():
            if typ in mapping:
                for spans in surf.values():
                    for a, b in spans:
                        gold.add((a, b + 1, mapping[typ]))
        out.append((d["text"].replace("\n", " "), gold))
    return out


def long_lines(data, n: int = 9) -> set[int]:
    """The n longest lines (in MSRA test: lists of names run together, 654 of 1,973 person names)."""
    return set(sorted(range(len(data)), key=lambda i: -len(data[i][0]))[:n])


def joined(data):
    text = "\n".join(t for t, _ in data)
    offs, pos = [], 0
    for t, _ in data:
        offs.append(pos)
        pos += len(t) + 1
    return text, offs


def split_back(spans, data, offs):
    """Per-line prediction sets from spans over the joined text."""
    import bisect

    out = [set() for _ in data]
    for a, b, t in spans:
        i = bisect.bisect_right(offs, a) - 1
        if b <= offs[i] + len(data[i][0]):
            out[i].add((a - offs[i], b - offs[i], t))
    return out


def score(data, preds, keep=None) -> dict:
    c = {t: Counter() for t in TYPES + ("ALL",)}
    for i, ((_, gold), pred) in enumerate(zip(data, preds)):
        if keep is not None and not keep[i]:
            continue
        for t in TYPES:
            g = {x for x in gold if x[2] == t}
            p = {x for x in pred if x[2] == t}
            for k in (t, "ALL"):
                c[k]["tp"] += len(g & p)
                c[k]["fp"] += len(p - g)
                c[k]["fn"] += len(g - p)
    res = {}
    for k, v in c.items():
        p = v["tp"] / max(1, v["tp"] + v["fp"])
        r = v["tp"] / max(1, v["tp"] + v["fn"])
        res[k] = (p, r, 2 * p * r / max(1e-9, p + r))
    return res


def systems(skip_jieba: bool):
    def model(text):
        return [(a, b, t) for a, b, t in ner.tagger().tag(text)]

    def gaz_patterns(text):
        return [(e.start, e.end, COARSE[e.type]) for e in find_entities(text, ExtractOptions(model=False))]

    def combined(text):
        return [(e.start, e.end, COARSE[e.type]) for e in find_entities(text)]

    out = {"model": model, "gazetteer+patterns": gaz_patterns, "combined": combined}
    if not skip_jieba:
        import jieba
        import jieba.posseg as pseg

        jieba.dt.tmp_dir = str(ner.cache_dir())
        jieba.setLogLevel(60)

        def jieba_pos(text):
            spans, pos = [], 0
            for w, flag in pseg.cut(text, HMM=True):
                t = {"nr": "PER", "nrt": "PER", "nrfg": "PER", "ns": "LOC", "nt": "ORG"}.get(flag)
                if t:
                    spans.append((pos, pos + len(w), t))
                pos += len(w)
            return spans

        out["jieba posseg"] = jieba_pos
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "ner"))
    ap.add_argument("--skip-jieba", action="store_true")
    ap.add_argument("--msra-only", action="store_true", help="skip CLUENER dev")
    ap.add_argument("--speed-only", action="store_true", help="only the speed lines on the sample")
    ap.add_argument("--model", help="an exported model (.npz) to use instead of the packaged one")
    ap.add_argument("--rank", type=int, help="rank of the recurrent matrices (0 = full)")
    args = ap.parse_args()
    if args.model or args.rank is not None:
        kw = {} if args.rank is None else {"rank": args.rank}
        tagger = ner.load(Path(args.model or ner.MODEL_PATH), **kw)
        ner.tagger = lambda: tagger  # entities.py looks the tagger up through this function
    t = ner.tagger()
    if isinstance(t, ner.ConvTagger):
        print(f"model: {args.model or ner.MODEL_PATH} (dilated CNN, {t.H} channels, dilations {t.dilations})")
    else:
        rank = "full" if t.w_u is None else t.w_u.shape[2]
        print(f"model: {args.model or ner.MODEL_PATH} (BiLSTM, hidden {t.H}, recurrent rank {rank})")
    if args.speed_only:
        return speed()
    data = Path(args.data)
    corpora = {"MSRA test": read_msra(data / "msra" / "msra_test_bio")}
    if not args.msra_only:
        corpora["CLUENER dev"] = read_clue(data / "cluener2020" / "cluener_public" / "dev.json")
        no_scene = read_clue(data / "cluener2020" / "cluener_public" / "dev.json",
                             {k: v for k, v in CLUE.items() if k != "scene"})
    longest = long_lines(corpora["MSRA test"])
    names = [i in longest for i in range(len(corpora["MSRA test"]))]
    n_per = sum(1 for i in longest for g in corpora["MSRA test"][i][1] if g[2] == "PER")
    print(f"MSRA test: {len(corpora['MSRA test'])} lines, the {len(longest)} longest hold {n_per} person names"
          + (f"; CLUENER dev: {len(corpora['CLUENER dev'])} lines" if "CLUENER dev" in corpora else ""))
    ner.tagger()
    find_entities("预热：特朗普在北京。")
    for cname, cdata in corpora.items():
        text, offs = joined(cdata)
        print(f"\n== {cname} ({len(text):,} chars)")
        print(f"{'system':<22}{'subset':<14}" + "".join(f"{t:>20}" for t in TYPES + ("ALL",)) + f"{'chars/s':>12}")
        for sname, fn in systems(args.skip_jieba).items():
            t0 = time.perf_counter()
            spans = fn(text)
            dt = time.perf_counter() - t0
            preds = split_back(spans, cdata, offs)
            subsets = [("all", None)]
            if cname == "MSRA test":
                subsets.append(("w/o 9 longest", [not x for x in names]))
            if cname == "CLUENER dev":
                subsets.append(("scene dropped", "no_scene"))
            for sub, keep in subsets:
                res = score(no_scene, preds) if keep == "no_scene" else score(cdata, preds, keep)
                cells = "".join(f"{res[t][0]:>6.3f}/{res[t][1]:.3f}/{res[t][2]:.3f}" for t in TYPES + ("ALL",))
                print(f"{sname:<22}{sub:<14}{cells}{len(text) / dt:>12,.0f}")
    print("\ncells are precision/recall/F1")
    if "CLUENER dev" not in corpora:
        return speed()
    # CLUENER is the only corpus with company labels: how well is COMPANY itself found?
    clue = [(d["text"].replace("\n", " "), {(a, b + 1, "COMPANY") for spans in d.get("label", {}).get("company", {}).values()
                                             for a, b in spans})
            for d in map(json.loads, (data / "cluener2020" / "cluener_public" / "dev.json")
                         .read_text(encoding="utf-8").splitlines())]
    text, offs = joined(clue)
    for label, opts in (("gazetteer+patterns", ExtractOptions(model=False)), ("combined", None)):
        spans = [(e.start, e.end, e.type) for e in find_entities(text, opts) if e.type == "COMPANY"]
        preds = split_back(spans, clue, offs)
        tp = sum(len(g & p) for (_, g), p in zip(clue, preds))
        npred, ngold = sum(map(len, preds)), sum(len(g) for _, g in clue)
        p_, r_ = tp / max(1, npred), tp / max(1, ngold)
        print(f"CLUENER dev company → COMPANY, {label}: P {p_:.3f} R {r_:.3f} F1 {2 * p_ * r_ / max(1e-9, p_ + r_):.3f}")
    speed()


def speed() -> None:
    """Chars per CPU second on the sample, one thread: median of repeated runs (the machine is shared,
    so CPU time is steadier than wall time; the load average is printed beside)."""
    import os
    import statistics

    from newsledger.extract import extract

    seed = ROOT.parent / "shared" / "seed"
    samples = sorted(seed.glob("*.txt")) if seed.exists() else []
    if not samples:
        print("no sample under ../shared/seed: speed not measured")
        return
    s = samples[0].read_text(encoding="utf-8")
    no_claims = ExtractOptions(claims=False, checks=False)
    pieces = [s[i:i + 800] for i in range(0, len(s), 800)]  # short articles: one model pass or many
    runs = [("model alone (Tagger.tag)", lambda: ner.tagger().tag(s)),
            ("find_entities", lambda: find_entities(s)),
            ("find_entities (no model)", lambda: find_entities(s, ExtractOptions(model=False))),
            ("extract() figures+times+entities", lambda: extract(s, options=no_claims)),
            ("extract() default options", lambda: extract(s)),
            ("extract() default, no model", lambda: extract(s, options=ExtractOptions(model=False))),
            ("find_entities, 800-char pieces", lambda: [find_entities(p) for p in pieces]),
            ("find_entities_many, 800-char pieces", lambda: find_entities_many(pieces))]
    print(f"\nspeed on the sample ({len(s):,} chars), load average {os.getloadavg()[0]:.1f}:")
    for label, fn in runs:
        fn()
        times, t0 = [], time.perf_counter()
        while time.perf_counter() - t0 < 4 or len(times) < 5:
            c = time.process_time()
            fn()
            times.append(time.process_time() - c)
        med = statistics.median(times)
        print(f"  {label:<36}{len(s) / med:>12,.0f} chars/CPU-s (median of {len(times)}; best {len(s) / min(times):,.0f})")




if __name__ == "__main__":
    main()

"""Speed of the text views on a generated corpus: segmentation (jieba vs rjieba), the Simplified
view with its offset map, index text, sentences, script detection, digest reading.

    .venv/bin/python benchmarks/bench_text.py [--chars 1000000]

The corpus is built from the sentences of examples/*.txt, shuffled with a fixed seed, in both
scripts (the Traditional examples as they are, the Simplified ones as they are).  Prints chars/s.
"""
from __future__ import annotations

import argparse
import difflib
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(n_chars: int) -> str:
    from newsledger.sources import read
    from newsledger.text.sentences import split_sentences

    sents = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        for art in read(path):
            sents += [art.body[s:e] for s, e in split_sentences(art.body)]
    rng = random.Random(20251228)
    parts, size = [], 0
    while size < n_chars:
        s = rng.choice(sents)
        parts.append(s)
        size += len(s)
    return "".join(parts)[:n_chars]


def rate(fn, text: str, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return len(text) / best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=1_000_000)
    args = ap.parse_args()
    text = corpus(args.chars)

    from newsledger.text import segment
    from newsledger.text.script import converter, detect_script, simplified_view
    from newsledger.text.sentences import split_sentences

    simp = converter("tw2sp").convert(text)
    tk = segment.jieba_tokenizer()
    print(f"corpus: {len(text):,} characters from examples/*.txt")
    print(f"jieba  precise         {rate(lambda t: list(tk.cut(t)), simp):>14,.0f} chars/s")
    try:
        import rjieba
    except ImportError:
        print("rjieba not installed")
    else:
        print(f"rjieba precise         {rate(rjieba.cut, simp, 3):>14,.0f} chars/s")
        print(f"jieba  search mode     {rate(lambda t: list(tk.cut_for_search(t)), simp):>14,.0f} chars/s")
        print(f"rjieba search mode     {rate(rjieba.cut_for_search, simp, 3):>14,.0f} chars/s")
        sample = simp[:200_000]
        a, b = list(tk.cut(sample)), rjieba.cut(sample)
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        agree = sum(m.size for m in sm.get_matching_blocks()) / max(len(a), 1)
        print(f"precise-mode raw token agreement jieba/rjieba on 200k chars: {agree:.4%}")
        pa = [p for t in a for p in segment._split(t)]
        pb = [p for t in b for p in segment._split(t)]
        print(f"identical after newsledger's ASCII-punctuation split: {pa == pb} ({len(pa):,} tokens)")
    print(f"segment backend in use: {segment.backend()}")
    print(f"simplified_view        {rate(simplified_view, text, 3):>14,.0f} chars/s")
    print(f"index_text             {rate(segment.index_text, text, 3):>14,.0f} chars/s")
    print(f"token_spans            {rate(segment.token_spans, text):>14,.0f} chars/s")
    print(f"split_sentences        {rate(split_sentences, text, 3):>14,.0f} chars/s")
    print(f"detect_script          {rate(detect_script, text, 3):>14,.0f} chars/s")


if __name__ == "__main__":
    main()

"""Speed of find_times: prints characters per second on one core, for two texts.

- realistic: the sample digest (../shared/seed, read at run time, never copied) and the project's
  example digests (examples/*.txt), repeated to about 2 MB: about one time per 110 characters;
- dense: news-like sentences written for this benchmark, about one time per 20 characters
  (a worst case: every time costs a resolver call).
chars/s is per CPU second of this process (the machine is shared, so wall time depends on the\nload); wall-clock figures are printed beside it.  Best of 5 runs.
Run: .venv/bin/python benchmarks/bench_times_speed.py
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from newsledger.extract.times import find_times, grammar

ROOT = Path(__file__).resolve().parents[1]

# Own sentences (not from any sample): dense in times, figures and ordinary prose.
SENTENCES = [
    "國家統計局今日公佈,今年前三季度全國規模以上工業增加值同比增長5.9%,比上半年加快0.2個百分點。",
    "截至2024年底,全國共有各類市場主體1.8億户,其中企業超過5800萬家,較上年同期增加7.1%。",
    "公司於2023年3月15日至17日在上海舉辦發佈會,預計明年第一季度推出新一代產品,售價約為2999元。",
    "过去五年,该市GDP年均增长6.5%,近十年累计吸引外资超过300亿美元,未来三年还将新建12个产业园。",
    "這家成立於1998年的企業,在20世紀90年代末開始出口,如今產品銷往全球60多個國家和地區。",
    "會議指出,要在2030年前實現碳達峰,2060年前實現碳中和,並在今後15年—20年內完成能源結構轉型。",
    "研究人员花了三个月时间,对1200名受访者进行了长达40多分钟的访谈,平均每人用时约1小时。",
    "他说,改革开放40多年来,中国经济总量从1978年的3679亿元增长到2024年的134.9万亿元。",
]


def _repeat(text: str, size: int = 2_000_000) -> str:
    return text * max(1, size // max(1, len(text)))


def realistic() -> str | None:
    files = sorted((ROOT / "examples").glob("*.txt")) if (ROOT / "examples").is_dir() else []
    files += sorted((ROOT.parent / "shared" / "seed").glob("*.txt"))
    text = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files)
    return _repeat(text) if text else None


def dense() -> str:
    return _repeat("".join(SENTENCES))


def measure(label: str, text: str, runs: int = 5) -> None:
    ref = dt.date(2025, 12, 29)
    best = wall = None
    n = 0
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        n = len(find_times(text, ref_date=ref))
        cpu, w = time.process_time() - c0, time.perf_counter() - w0
        best = cpu if best is None else min(best, cpu)
        wall = w if wall is None else min(wall, w)
    print(f"{label:10s} {len(text):>10,} chars {n:>8,} times  best of {runs}: {best:.3f} s CPU "
          f"({len(text) / best:,.0f} chars/s), {wall:.3f} s wall ({len(text) / wall:,.0f} chars/s)")


def main() -> None:
    grammar()  # compile once, outside the timing
    text = realistic()
    if text is None:
        print("realistic: no sample or example digests found")
    else:
        measure("realistic", text)
    measure("dense", dense())


if __name__ == "__main__":
    main()

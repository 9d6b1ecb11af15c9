"""Speed of find_times on realistic news text: prints characters per second (one core).

The text is the project's own example digests when present (examples/*.txt), else a synthetic
mix of news-like sentences written for this benchmark; repeated to about 2 MB.
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


def corpus() -> str:
    files = sorted((ROOT / "examples").glob("*.txt")) if (ROOT / "examples").is_dir() else []
    text = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files)
    text = text + "\n" + "".join(SENTENCES) * 20
    reps = max(1, 2_000_000 // len(text))
    return text * reps


def main() -> None:
    grammar()  # compile once, outside the timing
    text = corpus()
    ref = dt.date(2025, 12, 29)
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        n = len(find_times(text, ref_date=ref))
        dt_ = time.perf_counter() - t0
        best = dt_ if best is None else min(best, dt_)
    print(f"find_times: {len(text):,} chars, {n:,} times, best of 3 {best:.3f} s, {len(text) / best:,.0f} chars/s")


if __name__ == "__main__":
    main()

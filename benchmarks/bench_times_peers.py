"""How often find_times agrees with Microsoft Recognizers-Text's Chinese DateTime spec cases.

Reads the spec JSON under ../shared/peers/recognizers-text/DateTime/Chinese at run time (nothing
is copied into the project) and, for each case, compares the texts we match with the texts the
spec expects:
- exact: the same set of matched texts (an empty set when the spec expects none);
- covered: every expected text overlaps one of ours (spans may differ: 从一月十日到十二日 vs 一月十日到十二日).
Only date, date-range and duration results are compared (times of day and sets are out of scope);
cases expecting only out-of-scope types are skipped.  For the DateTimeModel cases it also reports
how often our value says what the spec's resolution says (see _value_agrees).
Not a test: spec conventions differ from ours on purpose (明天 as a date yes; 最近 and 下周 spans).
Run: .venv/bin/python benchmarks/bench_times_peers.py [-v]
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from newsledger.extract.times import find_times
from newsledger.extract.times_resolve import end_date, start_date

PEERS = Path(__file__).resolve().parents[1].parent / "shared" / "peers" / "recognizers-text" / "DateTime" / "Chinese"
FILES = ["DateExtractor.json", "DatePeriodExtractor.json", "DurationExtractor.json", "DateTimeModel.json"]
IN_SCOPE = {"date", "daterange", "duration", "datetimeV2.date", "datetimeV2.daterange", "datetimeV2.duration"}


def _ref(case) -> dt.date:
    raw = (case.get("Context") or {}).get("ReferenceDateTime")
    return dt.date.fromisoformat(raw[:10]) if raw else dt.date(2016, 11, 7)  # the suite's default "now"


def _kind(r) -> str:
    return r.get("Type") or r.get("TypeName") or ""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_SECONDS = {"Y": 31536000, "M": 2592000, "W": 604800, "D": 86400, "TH": 3600, "TM": 60, "TS": 1}


def _seconds(iso: str) -> float | None:
    """Seconds of a simple ISO duration with the spec's conventions (year 365 d, month 30 d)."""
    if not iso or not iso.startswith("P") or "/" in iso:
        return None
    date, _, time = iso[1:].partition("T")
    total = 0.0
    for part, prefix in ((date, ""), (time, "T")):
        for n, d in re.findall(r"(\d+(?:\.\d+)?)([YMWDHS])", part):
            total += float(n) * _SECONDS[prefix + d]
    return total


def _value_agrees(ours, r) -> bool | None:
    """Does our value say what the spec's resolution says?  None when they cannot be compared.

    Dates: equal.  Durations: equal length.  Ranges: same first day, and the spec's end is our
    last day or the day after it (the spec writes day ranges inclusive, month and year ranges
    exclusive).
    """
    values = (r.get("Resolution") or {}).get("values") or []
    if not values or ours.value is None:
        return None
    v = values[-1]
    if v.get("type") == "duration" and "value" in v:
        return _seconds(ours.value) == float(v["value"])
    if v.get("type") == "date" and "value" in v:
        return ours.value == v["value"]
    if "start" in v and "end" in v and "/" in ours.value and ".." not in ours.value:
        a, b = ours.value.split("/")
        try:
            last = dt.date.fromisoformat(end_date(b))
        except ValueError:
            return None
        ends = {last.isoformat(), (last + dt.timedelta(days=1)).isoformat()}
        return start_date(a) == v["start"] and v["end"] in ends
    return None


def main(verbose: bool = False) -> None:
    if not PEERS.is_dir():
        print(f"peer spec files not found at {PEERS}: nothing to compare")
        return
    total = {"cases": 0, "exact": 0, "covered": 0}
    for name in FILES:
        cases = json.loads((PEERS / name).read_text(encoding="utf-8-sig"))
        n = exact = covered = vals = vals_ok = 0
        for case in cases:
            results = case.get("Results") or []
            if results and not any(_kind(r) in IN_SCOPE for r in results):
                continue
            text = case["Input"]
            want = [r for r in results if _kind(r) in IN_SCOPE]
            ours = find_times(text, ref_date=_ref(case))
            n += 1
            got_texts = sorted(t.text for t in ours)
            want_texts = sorted(r["Text"] for r in want)
            ok = got_texts == want_texts
            exact += ok
            spans = []
            for r in want:
                start = r.get("Start", text.find(r["Text"]))
                spans.append((start, start + len(r["Text"])))
            cov = all(any(_overlap(s, (t.start, t.end)) for t in ours) for s in spans) and (bool(ours) == bool(want))
            covered += cov
            for r, s in zip(want, spans):
                match = next((t for t in ours if (t.start, t.end) == s), None)
                if match is not None:
                    agree = _value_agrees(match, r)
                    if agree is not None:
                        vals += 1
                        vals_ok += agree
            if verbose and not ok:
                print(f"  {name}: {text!r}: spec {want_texts} ours {[(t.text, t.value) for t in ours]}")
        line = f"{name:28s} {n:4d} cases  exact {exact:4d} ({exact / max(1, n):.0%})  covered {covered:4d} ({covered / max(1, n):.0%})"
        if vals:
            line += f"  values agree {vals_ok}/{vals}"
        print(line)
        total["cases"] += n
        total["exact"] += exact
        total["covered"] += covered
    c = total["cases"]
    print(f"{'all':28s} {c:4d} cases  exact {total['exact']:4d} ({total['exact'] / max(1, c):.0%})  "
          f"covered {total['covered']:4d} ({total['covered'] / max(1, c):.0%})")


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)

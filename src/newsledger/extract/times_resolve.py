"""Resolvers for the time rules of ``data/times.yaml``: named groups → (type, ISO value, relative).

One function per rule name, registered in ``RESOLVERS``; each gets the rule match's groupdict and
``ref`` (the article's date or None) and returns ``(type, value, relative)``, or None to reject the
match (an impossible date such as 2月30日).  Conventions are documented at the top of times.yaml.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .numerals import parse_numeral
from .times import tables

Result = tuple[str, str | None, bool] | None
G = dict[str, Any]


@lru_cache(maxsize=1)
def _t() -> dict[str, Any]:
    return tables()


def _num(s: str | None) -> float | None:
    if not s:
        return None
    return parse_numeral(s)


def _int(s: str | None) -> int | None:
    v = _num(s)
    return int(v) if v is not None and v == int(v) else None


# ---- formatting -------------------------------------------------------------------------------

def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _span(a: str, b: str) -> str:
    return a if a == b else f"{a}/{b}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _fmt_num(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def duration(parts: list[tuple[float, str]]) -> str:
    """ISO 8601 duration from (amount, designator) pairs; designators Y M W D and TH TM TS."""
    acc: dict[str, float] = {}
    for n, d in parts:
        acc[d] = acc.get(d, 0) + n
    date = "".join(f"{_fmt_num(acc[d])}{d}" for d in ("Y", "M", "W", "D") if d in acc)
    time = "".join(f"{_fmt_num(acc[d])}{d[1]}" for d in ("TH", "TM", "TS") if d in acc)
    return "P" + date + ("T" + time if time else "")


# ---- years ------------------------------------------------------------------------------------

def _year(g: G, ref: _dt.date | None, y="y", cy="cy", ry="ry") -> tuple[int | None, bool, bool]:
    """(year, relative, given): the year of a YEAR fragment; given=False when the text has none."""
    if g.get(y):
        return _int(g[y]), False, True
    if g.get(cy):
        return _int(g[cy]), False, True
    if g.get(ry):
        off = _t()["relative_years"][g[ry]]
        return (ref.year + off if ref else None), True, True
    return None, False, False


def _window_year(month_index: int, ref: _dt.date) -> int:
    """The year that puts a month (y*12+m-1 with y = ref.year) inside the yearless window.

    News writes a date without its year when it is recent or near: a month is placed in the twelve
    months from ``window_back`` months before ref_date's month to ``window_ahead`` after it.
    """
    back, ahead = _t()["yearless_window"]
    here = ref.year * 12 + ref.month - 1
    y = ref.year
    if month_index - here > ahead:
        y -= 1
    elif here - month_index > back:
        y += 1
    return y


def _nearest_year_month(m: int, ref: _dt.date) -> int:
    return _window_year(ref.year * 12 + m - 1, ref)


def _nearest_year_date(m: int, d: int, ref: _dt.date) -> int | None:
    y = _window_year(ref.year * 12 + m - 1, ref)
    if _date(y, m, d) is None:  # 2月29日 outside a leap year: the nearest leap year is too far
        return None
    return y


def _year_for(g: G, ref, m: int, d: int | None = None) -> tuple[int | None, bool]:
    """The year of a month/date: written, relative, or (absent) the one nearest to ref."""
    year, rel, given = _year(g, ref)
    if given:
        return year, rel
    if ref is None:
        return None, True
    return (_nearest_year_month(m, ref) if d is None else _nearest_year_date(m, d, ref)), True


# ---- resolvers --------------------------------------------------------------------------------

def r_ymd_numeric(g: G, ref) -> Result:
    day = _date(int(g["y"]), int(g["m"]), int(g["d"]))
    return ("date", day.isoformat(), False) if day else None


def r_date(g: G, ref) -> Result:
    m, d = _int(g["m"]), _int(g["d"])
    y, rel = _year_for(g, ref, m, d)
    day = _date(y if y is not None else 2000, m, d)
    if day is None:
        return None
    return "date", (day.isoformat() if y is not None else None), rel


def r_date_range(g: G, ref) -> Result:
    m1, d1, d2 = _int(g["m1"]), _int(g["d1"]), _int(g["d2"])
    m2 = _int(g["m2"]) if g.get("m2") else m1
    y1, rel = _year_for(g, ref, m1, d1)
    if _date(2000, m1, d1) is None or _date(2000, m2, d2) is None:
        return None
    if y1 is None:
        return "period", None, rel
    y2 = _int(g["y2"]) if g.get("y2") else (y1 + 1 if (m2, d2) < (m1, d1) else y1)
    a, b = _date(y1, m1, d1), _date(y2, m2, d2)
    if a is None or b is None or b < a:
        return None
    return "period", f"{a.isoformat()}/{b.isoformat()}", rel


def r_month_range(g: G, ref) -> Result:
    m1, m2 = _int(g["m1"]), _int(g["m2"])
    y1, rel = _year_for(g, ref, m1)
    if y1 is None:
        return "period", None, rel
    if ref is not None and not _year(g, ref)[2] and not g.get("y2"):
        # no year written: the window places the range's END (1-11月 read in December is
        # January–November of that year, the figure reported to date), the start follows it
        y2 = _nearest_year_month(m2, ref)
        y1 = y2 if m1 <= m2 else y2 - 1
    else:
        y2 = _int(g["y2"]) if g.get("y2") else (y1 + 1 if m2 < m1 else y1)
    if (y2, m2) <= (y1, m1):
        return None
    return "period", f"{_ym(y1, m1)}/{_ym(y2, m2)}", rel


def r_year_range(g: G, ref) -> Result:
    y1 = _int(g.get("y1") or g.get("cy1"))
    y2 = _int(g.get("y2") or g.get("cy2"))
    if y1 is None or y2 is None or y2 <= y1:
        return None
    return "period", f"{y1:04d}/{y2:04d}", False


def r_split_year(g: G, ref) -> Result:
    """A year that straddles two calendar years (2025/26年度, 2024-2025學年): both years, ends
    included.  A two-digit end takes the first year's century (1999/00 → 1999/2000)."""
    y1 = int(g["y1"])
    if g.get("y4"):
        y2 = int(g["y4"])
    else:
        y2 = y1 // 100 * 100 + int(g["y2"])
        if y2 <= y1:
            y2 += 100
    if not y1 < y2 <= y1 + 10:
        return None
    return "period", f"{y1:04d}/{y2:04d}", False


def _century_part(part: str | None) -> tuple[int, int]:
    if not part:
        return 1, 100
    table = _t()["parts"]["century"]
    if part in table:
        return tuple(table[part])
    thirds = [_t()["century_thirds"][c] for c in part if c in _t()["century_thirds"]]
    spans = [table[x] for x in thirds]
    return min(s[0] for s in spans), max(s[1] for s in spans)


def r_century(g: G, ref) -> Result:
    rel = bool(g.get("rc"))
    if rel:
        if ref is None:
            return "period", None, True
        current = (ref.year - 1) // 100 + 1
        c = current - 1 if g["rc"] == "上" else current
    else:
        c = _int(g["c"])
        if c is None or not 1 <= c <= 30:
            return None
    base = (c - 1) * 100
    if g.get("dec"):
        dec = _int(g["dec"])
        a = (c - 1) * 100 + dec
        return "period", f"{a:04d}/{a + 9:04d}", rel
    lo, hi = _century_part(g.get("part"))
    return "period", f"{base + lo:04d}/{base + hi:04d}", rel


def r_decade(g: G, ref) -> Result:
    if g.get("y"):
        a = int(g["y"])
    else:  # two-digit decades: 30..90 are the 1900s, 00..20 the 2000s (see times.yaml)
        yy = _int(g.get("yy") or g.get("cn"))
        a = (1900 if yy >= 30 else 2000) + yy
    return "period", f"{a:04d}/{a + 9:04d}", False


def _year_or_ref(g: G, ref) -> tuple[int | None, bool]:
    year, rel, given = _year(g, ref)
    if given:
        return year, rel
    return (ref.year if ref else None), True


def r_first_day(g: G, ref) -> Result:
    y, rel, _ = _year(g, ref)
    if y is None:
        return "date", None, rel
    return "date", (f"{y:04d}-01-01" if g["fd"] in ("第一天", "首日") else f"{y:04d}-12-31"), rel


def r_five_year_plan(g: G, ref) -> Result:
    n = _int(g["n"])
    a = _t()["five_year_plan_first"] + 5 * (n - _t()["five_year_plan_base"])
    return "period", f"{a:04d}/{a + 4:04d}", False


def r_first_quarters(g: G, ref) -> Result:
    n = _int(g["n"])
    y, rel = _year_or_ref(g, ref)
    if not n or n > 4:
        return None
    return "period", (f"{_ym(y, 1)}/{_ym(y, 3 * n)}" if y is not None else None), rel


def r_first_months(g: G, ref) -> Result:
    n = _int(g["n"])
    if not n or n > 12:
        return None
    y, rel = _year_or_ref(g, ref)
    return "period", (_span(_ym(y, 1), _ym(y, n)) if y is not None else None), rel


def _months_value(y: int | None, a: int, b: int) -> tuple[str, str | None]:
    typ = "month" if a == b else "period"
    return typ, (None if y is None else _span(_ym(y, a), _ym(y, b)))


def r_half_year(g: G, ref) -> Result:
    a, b = _t()["parts"]["year"][g["h"]]
    y, rel = _year_or_ref(g, ref)
    typ, value = _months_value(y, a, b)
    return typ, value, rel


def r_quarter(g: G, ref) -> Result:
    word = next(g[k] for k in ("q", "q2", "q3", "q4", "q5") if g.get(k))
    q = _t()["quarter_words"].get(word)
    if q is None:
        q = _int(word)  # full-width digits (第３季)
    if g.get("yq"):
        y, rel = int(g["yq"]), False
    else:
        y, rel = _year_or_ref(g, ref)
    if g.get("part"):
        k = _t()["parts"]["quarter"][g["part"]]
        a, b = 3 * (q - 1) + k[0], 3 * (q - 1) + k[1]
        typ, value = _months_value(y, a, b)
        return typ, value, rel
    return "quarter", (f"{y:04d}-Q{q}" if y is not None else None), rel


def r_rel_quarter(g: G, ref) -> Result:
    """上季度 / 本季度 / 下季度 (and their parts: 上季末) from ref_date's quarter."""
    if ref is None:
        return ("quarter" if not g.get("part") else "month"), None, True
    y, q0 = divmod(ref.year * 4 + (ref.month - 1) // 3 + _t()["relative_quarters"][g["rq"]], 4)
    if g.get("part"):
        k = _t()["parts"]["quarter"][g["part"]]
        typ, value = _months_value(y, 3 * q0 + k[0], 3 * q0 + k[1])
        return typ, value, True
    return "quarter", f"{y:04d}-Q{q0 + 1}", True


def r_fiscal(g: G, ref) -> Result:
    return "relative", None, True


r_season = r_fiscal  # 上賽季: the league's calendar is not in the text


def r_paren_day(g: G, ref) -> Result:
    d = _int(g["d"])
    if ref is None:
        return "date", None, True
    day = _date(ref.year, ref.month, d)
    return ("date", day.isoformat(), True) if day else None


def _month_of(g: G, ref) -> tuple[int | None, int | None, bool]:
    if g.get("rm") or "m" not in g:  # a relative month, or none written (月底 is this month's)
        off = _t()["relative_months"][g["rm"]] if g.get("rm") else 0
        if ref is None:
            return None, None, True
        y, m = _add_months(ref.year, ref.month, off)
        return y, m, True
    m = _int(g["m"])
    y, rel = _year_for(g, ref, m)
    return y, m, rel


def r_month_part(g: G, ref) -> Result:
    y, m, rel = _month_of(g, ref)
    a, b = _t()["parts"]["month"][g["part"]]
    if y is None:
        return "period", None, rel
    b = min(b, _last_day(y, m))
    return "period", f"{_ym(y, m)}-{a:02d}/{_ym(y, m)}-{b:02d}", rel


r_bare_month_part = r_month_part


def r_month(g: G, ref) -> Result:
    y, m, rel = _month_of(g, ref)
    return "month", (_ym(y, m) if y is not None else None), rel


r_rel_month = r_month


def r_year_part(g: G, ref) -> Result:
    a, b = _t()["parts"]["year"][g["part"]]
    y, rel = _year_or_ref(g, ref)
    typ, value = _months_value(y, a, b)
    return typ, value, rel


r_year_mid = r_year_part  # 2025年年中, 今年年中: parts.year 中 (June–July)


def r_same_period(g: G, ref) -> Result:
    y, rel, _ = _year(g, ref)
    return "year", (f"{y:04d}" if y is not None else None), rel


r_rel_year = r_same_period


def r_year_within(g: G, ref) -> Result:
    """年內 with no year before it: within the present year."""
    return "year", (f"{ref.year:04d}" if ref else None), True


def r_year(g: G, ref) -> Result:
    y, _, _ = _year(g, ref)
    if y is None or not 1000 <= y <= 2999:
        return None
    return "year", f"{y:04d}", False


def r_year_bare(g: G, ref) -> Result:
    y = int(g["y"])
    return ("year", f"{y:04d}", False) if 1900 <= y <= 2100 else None


def r_window(g: G, ref) -> Result:
    n = _num(g["n"])
    if n is None or n != int(n) or n < 1:
        return None
    n = int(n)
    sign = _t()["window_words"][g["w"]]
    if ref is None:
        return "period", None, True
    u = g["u"]
    if u == "年":
        a, b = (ref.year - n, ref.year - 1) if sign < 0 else (ref.year + 1, ref.year + n)
        return "period", _span(f"{a:04d}", f"{b:04d}"), True
    if u in ("月", "季度"):
        k = n * (3 if u == "季度" else 1)
        lo, hi = (-k, -1) if sign < 0 else (1, k)
        return "period", _span(_ym(*_add_months(ref.year, ref.month, lo)), _ym(*_add_months(ref.year, ref.month, hi))), True
    days = n * (1 if u == "天" else 7)
    lo, hi = (-days, -1) if sign < 0 else (1, days)
    a, b = ref + _dt.timedelta(days=lo), ref + _dt.timedelta(days=hi)
    return "period", _span(a.isoformat(), b.isoformat()), True


def _dur(g: G, n_key="n", u_key="u", half_key="half") -> str | None:
    n = _num(g[n_key])
    if n is None or n <= 0:
        return None
    d = _t()["duration_units"][g[u_key].strip()]
    parts = [(n, d)]
    if g.get(half_key):
        amount, des = _t()["half_units"][d]
        parts.append((amount, des))
    return duration(parts)


def r_offset(g: G, ref) -> Result:
    value = _dur(g)
    return ("relative", value, False) if value else None


def r_duration(g: G, ref) -> Result:
    value = _dur(g)
    return ("duration", value, False) if value else None


def r_duration_range(g: G, ref) -> Result:
    u2 = g["u2"].strip()
    u1 = (g.get("u1") or u2).strip()
    units = _t()["duration_units"]
    if units[u1] != units[u2]:
        return None
    n1, n2 = _num(g["n1"]), _num(g["n2"])
    if n1 is None or n2 is None or not 0 < n1 < n2:
        return None
    return "duration", f"{duration([(n1, units[u1])])}/{duration([(n2, units[u1])])}", False


def r_half_duration(g: G, ref) -> Result:
    amount, des = _t()["half_units"][_t()["duration_units"][g["u"]]]
    return "duration", duration([(amount, des)]), False


def r_rel_day(g: G, ref) -> Result:
    if ref is None:
        return "date", None, True
    return "date", (ref + _dt.timedelta(days=_t()["relative_days"][g["rd"]])).isoformat(), True


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def r_rel_week(g: G, ref) -> Result:
    wd = g.get("wd")
    typ = "date" if wd and wd != "末" else "period"
    if ref is None:
        return typ, None, True
    day = ref + _dt.timedelta(weeks=_t()["relative_weeks"][g["rw"]])
    monday = day - _dt.timedelta(days=day.weekday())
    if not wd:
        iso = day.isocalendar()
        return "period", f"{iso.year:04d}-W{iso.week:02d}", True
    if wd == "末":
        return "period", f"{(monday + _dt.timedelta(days=5)).isoformat()}/{(monday + _dt.timedelta(days=6)).isoformat()}", True
    return "date", (monday + _dt.timedelta(days=_WEEKDAYS[wd])).isoformat(), True


def r_rel_month_day(g: G, ref) -> Result:
    if ref is None:
        return "date", None, True
    y, m = _add_months(ref.year, ref.month, _t()["relative_months"][g["rm"]])
    day = _date(y, m, _int(g["d"]))
    return ("date", day.isoformat(), True) if day else None


def r_weekday(g: G, ref) -> Result:
    if ref is None:
        return "date", None, True
    monday = ref - _dt.timedelta(days=ref.weekday())
    return "date", (monday + _dt.timedelta(days=_WEEKDAYS[g["wd"]])).isoformat(), True


def r_deictic(g: G, ref) -> Result:
    return "relative", None, True


RESOLVERS: dict[str, Callable[[G, _dt.date | None], Result]] = {
    name[2:]: fn for name, fn in list(globals().items()) if name.startswith("r_") and callable(fn)
}


def resolve(rule: str, groups: G, ref: _dt.date | None) -> Result:
    """Resolve one rule match; None rejects it."""
    return RESOLVERS[rule](groups, ref)


_DUR_PART = __import__("re").compile(r"(\d+(?:\.\d+)?)([YMWDHS])")


def add_durations(a: str, b: str) -> str | None:
    """The sum of two simple ISO durations ("P1Y" + "P3M" → "P1Y3M"); None for ranges."""
    if "/" in a or "/" in b:
        return None
    parts: list[tuple[float, str]] = []
    for v in (a, b):
        date, _, time = v[1:].partition("T")
        parts += [(float(n), d) for n, d in _DUR_PART.findall(date)]
        parts += [(float(n), "T" + d) for n, d in _DUR_PART.findall(time)]
    return duration(parts)


def end_date(value: str) -> str:
    """The last day of an ISO value: "2030" → "2030-12-31", "2025-Q3" → "2025-09-30"."""
    last = value.split("/")[-1]
    if "-W" in last:
        y, w = last.split("-W")
        return _dt.date.fromisocalendar(int(y), int(w), 7).isoformat()
    if "-Q" in last:
        y, q = last.split("-Q")
        m = 3 * int(q)
        return f"{y}-{m:02d}-{_last_day(int(y), m):02d}"
    parts = last.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31"
    if len(parts) == 2:
        return f"{last}-{_last_day(int(parts[0]), int(parts[1])):02d}"
    return last


def open_value(value: str | None, before: bool) -> str | None:
    """X前 → "../<last day of X>", X起 → "<first day of X>/.."."""
    if value is None or value.startswith("..") or value.endswith(".."):
        return None
    return f"../{end_date(value)}" if before else f"{start_date(value)}/.."


def start_date(value: str) -> str:
    """The first day of an ISO value: "2016" → "2016-01-01", "2023-Q1" → "2023-01-01"."""
    first = value.split("/")[0]
    if "-W" in first:
        y, w = first.split("-W")
        return _dt.date.fromisocalendar(int(y), int(w), 1).isoformat()
    if "-Q" in first:
        y, q = first.split("-Q")
        return f"{y}-{3 * (int(q) - 1) + 1:02d}-01"
    parts = first.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-01-01"
    if len(parts) == 2:
        return f"{first}-01"
    return first


def since_value(value: str | None, ref: _dt.date | None) -> str | None:
    """X以來 / X至今: from the first day of X to ref_date (open end ".." without it)."""
    if value is None:
        return None
    return f"{start_date(value)}/{ref.isoformat() if ref else '..'}"

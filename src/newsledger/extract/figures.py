"""Find every figure in Chinese news text (Traditional or Simplified) and normalise it.

``find_figures(text, region=None) -> list[Figure]``: sorted by start, non-overlapping, each with
``text == input[start:end]``, a value in the unit's own terms (74.5% → 74.5; 340662億元 → 3.40662e13
CNY), ``high`` for ranges, ``approx`` from adjacent qualifiers, ``per`` for per-unit prices and the
``rule`` that produced it (shown by ``newsledger extract --explain``).

Design: one regex built from the data tables (figures_patterns.py) finds candidates at C speed;
per match, Python reads a few groups and applies the decisions that are not expressible as data:

- time words (年, 月, 日, 季度, 小時 …) after a number make it a time expression → no figure;
- a bare number (no unit) is dropped when it looks like a year (1800–2100), a code (7+ digits,
  or a number alone in parentheses: ``(300750,中國)``), a list number (``1.`` ``2、``), a version
  or product (ASCII letters touching it: 5G, iPhone 16, A320), or a small Chinese numeral (一是,
  二十: too often words);
- a lone 一 with a classifier (一家公司, 一個國家) reads "a company", not a count of one → dropped;
- a bare 元 is CNY, TWD or HKD by the region of its line (detect_region), unless ``region`` is given.

Written by hand because no library extracts Chinese money/percent/count figures with offsets at
this speed (Recognizers-Text is ~100× slower and misreads 兆, 新臺幣, 個).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..errors import ConfigError
from ..model import Figure
from .figures_patterns import build
from .numerals import parse_numeral as _parse_numeral
from .region import REGIONS, detect_region, region_scores
from .figures_data import table

_PATTERN, _T = build()
# Figures repeat the same few numerals (3, 2025, 一 …): memoise the parse.
parse_numeral = lru_cache(maxsize=8192)(_parse_numeral)
_LARGE = _T.large_mag
_TRAIL_MAG = re.compile("(?:" + "|".join(map(re.escape, sorted(_LARGE, key=len, reverse=True))) + ")+$")
_HAS_LARGE = re.compile("[" + "".join(k for k in _LARGE if len(k) == 1) + "]")
_AR_DIGIT = re.compile(r"[0-9０-９]")
_CN_DIGIT = re.compile("[" + "".join(table("numerals")["digits"]) + "十拾廿卅]")
_ASCII_ALNUM = re.compile(r"[A-Za-z]")
_PLAIN_INT = re.compile(r"[0-9０-９]+")
_VERSION = re.compile(r"[0-9]+\.0")
_ONE = frozenset("一壹")
_ADJACENT = re.compile("一二|二三|兩三|两三|三四|四五|五六|六七|七八|八九")
_ZERO = frozenset("零〇○")
_OPEN = frozenset("(（")
_CLOSE_OR_COMMA = frozenset(",，)）")
_LIST_MARK = frozenset(".．、")
_BOUND_RANK = {"approx": 0, "exact": -1}  # any bound (more_than, at_least …) outranks approx


def _combine(quals: list[str]) -> str:
    """approx of several qualifiers: first bound wins; else approx if any; else exact."""
    kinds = [_T.qualifier[q] for q in quals if q]
    for k in kinds:
        if k not in _BOUND_RANK:
            return k
    return "approx" if "approx" in kinds else "exact"


@lru_cache(maxsize=16384)
def _value(n: str | None, mag: str | None) -> float | None:
    if not n:
        return None
    v = parse_numeral(n)
    if v is None:
        return None
    if mag:
        m = parse_numeral(mag)
        if m is None:
            return None
        v = float(f"{v * m:.12g}")
    return v


class _Regions:
    """Region per line, computed only when a bare 元 needs it (most lines never do)."""

    def __init__(self, text: str, fixed: str | None) -> None:
        self.text, self.fixed, self.cache, self.whole = text, fixed, {}, None

    def at(self, pos: int) -> str:
        if self.fixed:
            return self.fixed
        start = self.text.rfind("\n", 0, pos) + 1
        if start not in self.cache:
            end = self.text.find("\n", pos)
            line = self.text[start:] if end < 0 else self.text[start:end]
            scores = region_scores(line)
            if max(scores.values()) >= 3:  # the line says where it is from
                self.cache[start] = detect_region(line)
            else:
                if self.whole is None:
                    self.whole = detect_region(self.text)
                self.cache[start] = self.whole
        return self.cache[start]


def _bare_ok(text: str, s: int, e: int, n: str) -> str | None:
    """Why a unit-less number is not a figure (a rule name), or None if it is one."""
    if not _AR_DIGIT.search(n):
        v = parse_numeral(n)
        if v is None or v < 100 or not _CN_DIGIT.search(n):
            return "skip:small-chinese-numeral"
        return None
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    if _ASCII_ALNUM.match(after) or _ASCII_ALNUM.match(before) or (
        before == " " and s > 1 and _ASCII_ALNUM.match(text[s - 2])
    ):
        return "skip:version-or-product"
    if before in _OPEN and (after in _CLOSE_OR_COMMA or not after):
        return "skip:parenthetical-code"
    plain = _PLAIN_INT.fullmatch(n)
    if plain:
        if after == "、" or after in _LIST_MARK and not (e + 1 < len(text) and text[e + 1].isdigit()):
            return "skip:list-number"  # 1. 美國 / 2、 / 1、2月
        if _T.year_lo <= int(n.translate(_FW)) <= _T.year_hi and len(n) == 4:
            return "skip:year-like"
        if len(n) >= _T.code_digits:
            return "skip:code"
    if _VERSION.fullmatch(n):
        return "skip:version"
    if after in _T.bare_not_before:
        return "skip:ranking"  # 前10大客戶, 500強
    return None


_FW = str.maketrans("０１２３４５６７８９", "0123456789")


def find_figures(text: str, region: str | None = None) -> list[Figure]:
    """Every figure in ``text``, sorted by start, non-overlapping (see the module docstring).

    ``region`` ("CN", "TW", "HK") fixes what a bare 元 means; None detects it per line.
    """
    if not isinstance(text, str):
        raise ConfigError(f"find_figures() wants a str, got {type(text).__name__}")
    if region is not None and region not in REGIONS:
        raise ConfigError(f"unknown region {region!r}: use CN, TW or HK, or None to detect it", region=region)
    out: list[Figure] = []
    regions = _Regions(text, region)
    trigger, match = _T.trigger.search, _PATTERN.match
    pos, floor = 0, 0
    while True:
        t = trigger(text, pos)
        if t is None:
            break
        s = t.start()
        m = match(text, s)
        if m is None:
            pos = s + 1
            continue
        pos = max(m.end(), s + 1)
        kind = m.lastgroup
        if kind == "stop" or kind.startswith("skip_"):
            floor = pos
            continue
        if s and text[s - 1] in _NUM_BEFORE:
            continue  # inside a number a skip rule cut (0700.HK) 
        before = len(out)
        if m.group("f_num") is not None:
            _fraction(m, _prefixes(text, s, floor, False), out, m.group("m_n1"), m.group("f_num"),
                      m.group("f_post"), "fraction:分之")
        elif m.group("m_n1") is not None:
            _main(text, m, _prefixes(text, s, floor, True), regions, out)
        else:
            P = _prefixes(text, s, floor, False)
            if m.group("p_n1") is not None:
                _percent_words(m, P, out)
            elif m.group("a_num") is not None:
                _fraction(m, P, out, m.group("a_den"), m.group("a_num"), None, "fraction:a/b")
            elif m.group("h_word") is not None or m.group("h_more") is not None:
                more = "more_than" if m.group("h_more") else None
                approx = more or _combine([P.get("m_pre1"), m.group("h_post")])
                out.append(Figure(P["start"], m.end(), text[P["start"]:m.end()], "percent", 50.0, None, "%",
                                  approx, None, "percent:half"))
            elif m.group("d_n") is not None or m.group("d_plain") is not None:
                k = parse_numeral(m.group("d_n")) if m.group("d_n") else 1.0
                if k:
                    out.append(Figure(P["start"], m.end(), text[P["start"]:m.end()], "multiplier", 2.0 ** k, None,
                                      "x", _combine([P.get("m_pre1")]), None, "multiplier:翻番"))
        if len(out) > before:
            floor = out[-1].end
    return out


_NUM_BEFORE = frozenset("0123456789０１２３４５６７８９")


def _percent_words(m: re.Match, P: dict, out: list[Figure]) -> None:
    n1 = m.group("p_n1")
    lo, hi = parse_numeral(n1), _value(m.group("p_n2"), None)
    approx_pair = None
    pair = _ADJACENT.search(n1) if hi is None and not _AR_DIGIT.search(n1) else None
    if pair:  # 百分之二三十 = 20–30 %, as 三四家 = 3–4 (not 230)
        lo = parse_numeral(n1[:pair.start() + 1] + n1[pair.end():])
        hi = parse_numeral(n1[:pair.start()] + n1[pair.start() + 1:])
        approx_pair = "approx"
    if lo is None:
        return
    if P.get("m_neg1"):
        lo = -lo
    if hi is not None and hi <= lo:
        return
    rule = "range:percent:百分之" if hi is not None else "percent:chinese-百分之"
    s = P["start"]
    approx = _combine([P.get("m_pre1"), m.group("p_post")])
    if approx_pair and approx == "exact":
        approx = approx_pair
    out.append(Figure(s, m.end(), m.string[s:m.end()], "percent", lo, hi, "%", approx, None, rule))


def _fraction(m: re.Match, P: dict, out: list[Figure], den: str, num: str, post: str | None, rule: str) -> None:
    d, n = parse_numeral(den), parse_numeral(num)
    if not d or n is None or n >= d and rule == "fraction:a/b":
        return
    approx = _combine([P.get("m_pre1"), post])
    s = P["start"]
    out.append(Figure(s, m.end(), m.string[s:m.end()], "fraction", n / d, None, None, approx, None, rule))


_PREFIX_GROUPS = frozenset({"m_per", "m_pre1", "m_cur1", "m_neg1"})
_GROUPS = frozenset(_PATTERN.groupindex)


def _g(m: re.Match, P: dict, name: str) -> str | None:
    """A group of the match, or for side-1 prefixes the word read backwards from the number."""
    if name in _PREFIX_GROUPS:
        return P.get(name)
    return m.group(name) if name in _GROUPS else None


def _back(text: str, pos: int, floor: int, words: dict | frozenset, lengths: tuple[int, ...]) -> str | None:
    """The longest word of ``words`` ending at ``pos`` (not reaching below ``floor``), or None."""
    for n in lengths:
        if pos - n >= floor and text[pos - n:pos] in words:
            return text[pos - n:pos]
    return None


def _lengths(words) -> tuple[int, ...]:
    return tuple(sorted({len(w) for w in words}, reverse=True))


_NEG_L, _CUR_L = _lengths(_T.negative_prefixes), _lengths(_T.currency_prefixes)
_QUAL_L, _PER_L = _lengths(_T.prefix_qualifiers), _lengths(_T.per_prefixes)
_ASCII_MINUS = frozenset("-−－")
_PREFIX_LAST = frozenset(w[-1] for ws in (_T.negative_prefixes, _T.currency_prefixes, _T.prefix_qualifiers,
                                           _T.per_prefixes) for w in ws)
_ALNUM_BEFORE_MINUS = re.compile(r"[0-9A-Za-z０-９]")  # "A-1", "3-": a hyphen, not a sign


def _prefixes(text: str, s: int, floor: int, main: bool) -> dict:
    """Read sign, currency, qualifier and per-unit words backwards from the number at ``s``:
    超過新臺幣23.7億元, 人均約3萬元, 負增長2.3%."""
    P: dict = {"start": s}
    if not s or text[s - 1] not in _PREFIX_LAST and text[s - 1] not in _T.several:
        return P  # the common case: nothing before the number can be a prefix
    pos = s
    w = _back(text, pos, floor, _T.negative_prefixes, _NEG_L)
    if w and not (w in _ASCII_MINUS and pos - 2 >= 0 and _ALNUM_BEFORE_MINUS.match(text[pos - 2])):
        P["m_neg1"], pos = w, pos - len(w)
    if main:
        w = _back(text, pos, floor, _T.currency_prefixes, _CUR_L)
        if w:
            P["m_cur1"], pos = w, pos - len(w)
    w = _back(text, pos, floor, _T.prefix_qualifiers, _QUAL_L)
    if w:
        P["m_pre1"], pos = w, pos - len(w)
    elif pos - 1 >= floor and text[pos - 1] in _T.several and text[s] in _T.several_starts:
        P["m_pre1"], pos = text[pos - 1], pos - 1  # 數十億美元: several billion, approx
    if main:
        w = _back(text, pos, floor, _T.per_prefixes, _PER_L)
        if w:
            P["m_per"], pos = w, pos - len(w)
    P["start"] = pos
    return P


_SIDE_GROUPS = {1: ("m_n1", "m_mag1", "m_u1"), 2: ("m_n2", "m_mag2", "m_u2")}


def _side(m: re.Match, i: int) -> tuple[str, float | None, str | None, str | None]:
    """(numeral text, value, unit word, unit category) of side ``i`` of a main match."""
    n, mag, u = m.group(*_SIDE_GROUPS[i])
    return n, _value(n, mag), u, (_T.unit_category.get(u) if u else None)


@lru_cache(maxsize=4096)
def _rule(kind: str, fmt: str, has_mag: bool, tag: str, ranged: bool, per: bool, negative: bool) -> str:
    """The rule name shown by ``extract --explain``: "money:num+mag+currency", "range:percent:num+%"."""
    rule = f"{kind}:{fmt}{'+mag' if has_mag else ''}+{tag}"
    if ranged:
        rule = f"range:{rule}"
    return rule + ("+per" if per else "") + ("+negative" if negative else "")


def _main(text: str, m: re.Match, P: dict, regions: _Regions, out: list[Figure]) -> None:
    u1 = m.group("m_u1")
    if u1 is not None and _T.unit_category[u1] == "time" and m.group("m_n2") is None:
        return  # 2026年, 40多年, 1小時: times are engineer T's (the common case, decided early)
    n1, v1, u1, c1 = _side(m, 1)
    if m.group("m_n2") is None:
        if c1 == "time" or v1 is None:
            return  # 2026年, 40多年, 1小時: times are engineer T's
        if _g(m, P, "m_neg1"):
            v1 = -v1
        fig = _make(text, m, P, regions, P["start"], m.end(), n1, v1, None, u1, c1, _g(m, P, "m_cur1"),
                    m.group("m_post"), False)
        if fig is not None:
            out.append(fig)
        return
    n2, v2, u2, c2 = _side(m, 2)
    if c1 == "time" or c2 == "time":
        return  # 12月27日至28日, 15年—20年, 2014年到2025年
    if v1 is None or v2 is None or (u1 and u2 and c1 != c2):
        _emit_split(text, m, P, regions, out)
        return
    # The first side borrows the second's magnitude when it has none: 3至5億元 = 3億..5億;
    # 3萬—4兆美元 keeps its own 萬 (as written).
    if not m.group("m_mag1") and not _HAS_LARGE.search(n1):
        mag = m.group("m_mag2") or (_TRAIL_MAG.search(n2).group() if _TRAIL_MAG.search(n2) else None)
        if mag:
            v1 = float(f"{v1 * parse_numeral(mag):.12g}")
    if _g(m, P, "m_neg1"):
        v1 = -v1
    if m.group("m_neg2"):
        v2 = -v2
    if v2 <= v1:  # 由8%到6%: two figures, not a range
        _emit_split(text, m, P, regions, out)
        return
    fig = _make(text, m, P, regions, P["start"], m.end(), n1, v1, v2, u2 or u1, c2 or c1,
                _g(m, P, "m_cur1") or m.group("m_cur2"), m.group("m_post"), True)
    if fig is not None:
        out.append(fig)


def _emit_split(text: str, m: re.Match, P: dict, regions: _Regions, out: list[Figure]) -> None:
    """Two figures joined by a separator that is not a range (8%到6%, 5%至3億元)."""
    for i in (1, 2):
        n, v, u, c = _side(m, i)
        if v is None or c == "time":
            continue
        if _g(m, P, f"m_neg{i}"):
            v = -v
        if i == 1:
            s = P["start"]
        else:
            s = min(x for x in (m.start("m_cur2"), m.start("m_neg2"), m.start("m_n2")) if x >= 0)
        e = max(m.end(f"m_n{i}"), m.end(f"m_in{i}"), m.end(f"m_mag{i}"), m.end(f"m_u{i}"))
        post = None
        if i == 2:
            e, post = m.end(), m.group("m_post")
        fig = _make(text, m, P, regions, s, e, n, v, None, u, c, _g(m, P, f"m_cur{i}"), post, False, side=i)
        if fig is not None:
            out.append(fig)


def _make(text, m, P, regions, start, end, n1, v1, v2, unit_word, cat, cur, post, ranged, side=1) -> Figure | None:
    i = side
    if n1[0] in _ZERO and not _AR_DIGIT.search(n1):
        return None  # 零件, 零組件: a word, not zero of something
    quals = [_g(m, P, f"m_pre{i}"), m.group(f"m_in{i}"), post]
    if ranged:
        quals = [_g(m, P, "m_pre1"), m.group("m_in2") or m.group("m_in1"), post]
    approx = _combine(quals)
    has_ar = bool(_AR_DIGIT.search(n1))
    has_mag = bool(m.group(f"m_mag{i}") or _HAS_LARGE.search(n1)) or (
        ranged and bool(m.group("m_mag2") or _HAS_LARGE.search(m.group("m_n2"))))
    per = None
    if side == 1 and _g(m, P, "m_per"):
        p = _g(m, P, "m_per")
        per = _T.per_words.get(p, p[1:])
    if m.group("m_perunit") and (side == 2 or not ranged):
        per = m.group("m_perunit")
    high = v2 if ranged else None
    if cur and cat in (None, "local", "currency"):
        code = _T.currency_code[cur] if cat != "currency" else _T.currency_code[unit_word]
        kind, unit, tag = "money", code, "currency-prefix"
    elif cat is None:
        if per is not None:
            return None
        if _bare_ok(text, m.start(f"m_n{i}"), m.end(f"m_n{i}"), n1) or (
            ranged and _bare_ok(text, m.start("m_n2"), m.end("m_n2"), m.group("m_n2"))
        ):
            return None
        kind, unit, tag = "number", None, "bare"
    elif cat == "currency":
        kind, unit, tag = "money", _T.currency_code[unit_word], "currency"
    elif cat == "local":
        kind, unit, tag = "money", _T.region_currency[regions.at(start)], f"local-{unit_word}"
    elif cat == "percent":
        s = _T.percent_scale[unit_word]
        kind, unit, tag = "percent", "%", "%"
        v1, high = v1 * s, (high * s if high is not None else None)
    elif cat == "tenths":
        if has_ar and not _PLAIN_INT.fullmatch(n1) or not 1 <= abs(v1) <= 10 or v1 != int(v1):
            return None
        s = _T.percent_scale[unit_word]
        kind, unit, tag = "percent", "%", "chinese-成"
        v1, high = v1 * s, (high * s if high is not None else None)
    elif cat == "pp":
        kind, unit, tag = "percentage_point", "pp", "個百分點"
        if unit_word in _T.basis_points:
            v1, high, tag = v1 / 100, (high / 100 if high is not None else None), "basis-points"
    elif cat == "multiplier":
        kind, unit, tag = "multiplier", "x", "倍"
    else:  # classifier / measure
        if not has_ar and n1 in _ONE:
            return None  # 一家公司 = "a company" (rule skip:一+classifier)
        kind, unit, tag = "count", unit_word, cat
    if not has_ar and kind != "money" and not _CN_DIGIT.search(n1) and P.get("m_pre1") not in _T.several:
        return None  # 百/千/萬 with no digit (千家萬戶, 百萬級) is a word, unless money (百億美元)
    if not has_ar and not ranged:
        pair = _ADJACENT.search(n1)
        if pair:  # 三四家 = 3–4, 五六十家 = 50–60: an approximate range
            lo = parse_numeral(n1[:pair.start() + 1] + n1[pair.end():])
            hi = parse_numeral(n1[:pair.start()] + n1[pair.start() + 1:])
            if lo is None or hi is None:
                return None
            scale = v1 / parse_numeral(n1) if parse_numeral(n1) else 1.0
            v1, high, approx, ranged = lo * scale, hi * scale, "approx", True
            if cat in ("percent", "tenths"):
                v1, high = v1 * _T.percent_scale[unit_word], high * _T.percent_scale[unit_word]
    rule = _rule(kind, "num" if has_ar else "cn", has_mag, tag, ranged, bool(per), bool(_g(m, P, f"m_neg{i}")))
    return Figure(start, end, text[start:end], kind, v1, high, unit, approx, per, rule)


__all__ = ["find_figures"]

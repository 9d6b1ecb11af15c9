"""Build the one candidate regex of the figures engine from the data tables, at import.

One compiled alternation finds every candidate at C speed; Python then only reads the groups of
each match (see figures.py).  Alternatives, tried in this order at each position:

1. ``stop``: stopwords containing numerals (一些, 三星, 十大) — swallowed, never figures;
2. ``skip_<name>``: structural non-figures (ordinals 第三, times of day, phone numbers, 0700.HK);
3. ``p_*``: 百分之 percents (百分之三十五, 百分之十至十五);
4. ``a_*``: Arabic fractions (2/3);
5. ``h_*``: a half as a share (一半, 半數, 過半); ``d_*``: doublings (翻一番, 翻兩番);
6. ``m_*``: the main pattern — [per] [qualifier] [currency] [sign] number [多/餘] [magnitude] [unit]
   [separator … second number [unit]] [/unit] [qualifier], or number 分之 number (三分之一,
   ``f_*``).  Time words are units here too, so
   2014年到2025年 is consumed whole and then dropped as a time expression.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .figures_data import longest_first, table


def _alt(words, not_before: dict[str, list[str]] | None = None) -> str:
    """A non-capturing alternation of ``words`` that prefers the longest, each word with its own
    negative lookahead from ``not_before``.

    Emitted as a character trie (``(?:美(?:元|金)|元(?!素|旦))``), not a flat list: the regex engine
    then branches on one character instead of trying hundreds of words at every candidate.
    Children come before the end of a word, so longer words win, as in a longest-first list."""
    not_before = not_before or {}
    trie: dict = {}
    for w in set(map(str, words)):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if "" in node:
            nb = not_before.get(node[""])
            alts.append(f"(?!{'|'.join(re.escape(x) for x in longest_first(nb))})" if nb else "")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return "(?:" + emit(trie) + ")"


@dataclass
class Tables:
    """Everything the interpreter needs besides the compiled regex."""

    unit_category: dict[str, str] = field(default_factory=dict)  # word → currency|local|percent|...
    currency_code: dict[str, str] = field(default_factory=dict)
    percent_scale: dict[str, float] = field(default_factory=dict)
    basis_points: frozenset[str] = frozenset()
    qualifier: dict[str, str] = field(default_factory=dict)  # any prefix/infix/suffix → approx
    per_words: dict[str, str] = field(default_factory=dict)
    region_currency: dict[str, str] = field(default_factory=dict)
    large_mag: dict[str, float] = field(default_factory=dict)
    year_lo: int = 1800
    year_hi: int = 2100
    code_digits: int = 7
    prefix_qualifiers: dict[str, str] = field(default_factory=dict)
    per_prefixes: dict[str, str] = field(default_factory=dict)  # 人均 → 人, 每股 → 股
    currency_prefixes: dict[str, str] = field(default_factory=dict)
    negative_prefixes: frozenset[str] = frozenset()
    trigger: re.Pattern[str] | None = None
    several: frozenset[str] = frozenset()
    several_starts: frozenset[str] = frozenset()
    bare_not_before: frozenset[str] = frozenset()


def build() -> tuple[re.Pattern[str], Tables]:
    num = table("numerals")
    mag = table("magnitudes")
    cur = table("currencies")
    units = table("units")
    cls = table("classifiers")
    qual = table("qualifiers")
    rules = table("figure_rules")
    stops = table("figure_stopwords")
    t = Tables()

    # --- numbers -----------------------------------------------------------------------------
    digit_chars = "".join(num["digits"]) + "".join(num.get("tens", {})) + "十拾"
    mag_nb = {k: v for k, v in mag.get("not_before", {}).items()}
    big = list(mag["magnitudes"]) + list(mag.get("compounds", {}))
    small = [u for u in num["small_units"] if u not in "十拾"]
    mag_alt = _alt(big + small, mag_nb)  # after Arabic digits: 3.5萬億, 3千萬
    point = "[" + "".join(num["decimal_points"]) + "]"
    cn_char = f"(?:[{digit_chars}]|{_alt(big + small, mag_nb)})"
    ar = r"[0-9０-９]+(?:,[0-9０-９]{3}(?![0-9０-９]))*(?:[.．][0-9０-９]+)?"
    cn = f"{cn_char}+(?:{point}[{''.join(num['digits'])}]+{mag_alt}*)?"
    # 3兆1,200億 / 1億2,000萬 / 2萬3千: Arabic sections after a large magnitude, each closed by a
    # magnitude, are one number (parse_numeral adds the sections)
    big_alt = _alt(big, mag_nb)
    # and after 萬 a last section without magnitude, written as thousands (1萬2,345輛 = 12,345)
    wan = "".join(k for k, v in mag["magnitudes"].items() if v == 10000)
    tail = f"(?<=[{wan}])(?:[0-9]{{1,3}},[0-9]{{3}}|[1-9][0-9]{{3}})(?![0-9０-９.．,年])"
    number = f"(?:(?<![0-9０-９.．]){ar}(?:{mag_alt}*{big_alt}(?:(?:{ar}{mag_alt}+)+(?:{tail})?|{tail})|{mag_alt}*)|{cn})"
    t.large_mag = {k: float(v) for k, v in {**mag["magnitudes"], **mag.get("compounds", {})}.items()}

    # --- units -------------------------------------------------------------------------------
    unit_nb: dict[str, list[str]] = {}
    for w, code in cur["currencies"].items():
        t.unit_category[w] = "currency"
        t.currency_code[w] = code
    for w in cur["local_words"]:
        t.unit_category[w] = "local"
        unit_nb[w] = list(cur.get("local_not_before", []))
    t.region_currency = dict(cur["region_currency"])
    for w, scale in units["percent"].items():
        t.unit_category[w] = "percent"
        t.percent_scale[w] = float(scale)
    for w, scale in units["tenths"].items():
        t.unit_category[w] = "tenths"
        t.percent_scale[w] = float(scale)
        unit_nb[w] = list(units.get("tenths_not_before", []))
    for w in units["percentage_point"]:
        t.unit_category[w] = "pp"
    t.basis_points = frozenset(units.get("basis_point_words", []))
    for w in units["multiplier"]:
        t.unit_category[w] = "multiplier"
    for w in cls["classifiers"]:
        t.unit_category[w] = "classifier"
    unit_nb.update({k: list(v) for k, v in cls.get("not_before", {}).items()})
    for w in units["measure"]:
        t.unit_category.setdefault(w, "measure")
    for k, v in units.get("measure_not_before", {}).items():
        unit_nb[k] = sorted(set(unit_nb.get(k, [])) | set(v))
    for w in units["time"]:
        t.unit_category[w] = "time"
    cjk_units = [w for w in t.unit_category]
    ascii_units = list(units.get("ascii_units", []))
    for w in ascii_units:
        t.unit_category[w] = "measure"
    unit_alt = "(?:" + _alt(cjk_units, unit_nb) + "|" + _alt(ascii_units) + "(?![A-Za-z]))"
    count_words = [w for w, c in t.unit_category.items() if c in ("classifier", "measure")]

    # --- qualifiers, signs, separators ---------------------------------------------------------
    for group in ("prefix", "infix", "suffix"):
        t.qualifier.update({str(k): str(v) for k, v in qual[group].items()})
    pre = _alt(qual["prefix"])
    infix = _alt(qual["infix"])
    suffix = _alt(qual["suffix"])
    sep = _alt(rules["range_separators"])
    neg_words = [w for w in rules["negative_prefixes"] if not re.fullmatch(r"[-−－]", w)]
    neg_signs = "".join(w for w in rules["negative_prefixes"] if re.fullmatch(r"[-−－]", w))
    neg = f"(?:{_alt(neg_words)}|(?<![0-9A-Za-z０-９])[{re.escape(neg_signs)}](?=[0-9０-９]))"
    cur_prefix = "(?:" + _alt(list(cur["currencies"])) + "|" + _alt(list(cur["prefix_symbols"])) + ")"
    for w, code in cur["prefix_symbols"].items():
        t.currency_code[w] = code
    t.per_words = {str(k): str(v) for k, v in rules["per_words"].items()}
    per_sep = "[" + "".join(re.escape(s) for s in rules["per_suffix_separators"]) + "]"
    t.year_lo, t.year_hi = (int(x) for x in rules["year_like"])
    t.code_digits = int(rules["code_digits"])

    # Prefixes are read backwards from the number in Python (the scan starts at numerals).
    t.prefix_qualifiers = {str(k): str(v) for k, v in qual["prefix"].items()}
    t.per_prefixes = dict(t.per_words)
    t.per_prefixes.update({rules["per_prefix"] + w: w for w in count_words})
    t.currency_prefixes = {**{k: v for k, v in cur["currencies"].items()}, **cur["prefix_symbols"]}
    t.negative_prefixes = frozenset(rules["negative_prefixes"])
    t.several = frozenset(map(str, qual.get("several", {})))
    t.qualifier.update({str(k): str(v) for k, v in qual.get("several", {}).items()})
    t.several_starts = frozenset(map(str, qual.get("several_starts", [])))
    t.bare_not_before = frozenset(map(str, rules.get("bare_not_before", [])))

    # --- the alternatives ----------------------------------------------------------------------
    alts = [f"(?P<stop>{_alt([str(s) for s in stops['stopwords']])})"]
    for name, rx in rules["skip"].items():
        alts.append(f"(?P<skip_{name}>{rx})")
    pct = _alt(rules["percent_prefix"])
    alts.append(
        f"{pct}(?P<p_n1>{number})"
        f"(?:(?P<p_sep>{sep}){pct}?(?P<p_n2>{number}))?(?P<p_post>{suffix})?"
    )
    frac = _alt(rules["fraction_infix"])
    alts.append(
        f"(?<![0-9０-９/.．])(?P<a_num>[0-9]{{1,2}})[/／](?P<a_den>[0-9]{{1,3}})(?![0-9/.%％])"
    )
    half = rules["half"]
    alts.append(f"(?:(?P<h_word>{_alt(half['words'])})|(?P<h_more>{_alt(half['more_than'])}))(?P<h_post>{suffix})?"
                "(?![0-9０-９])")
    dbl = rules["doubling"]
    alts.append(
        f"(?:{_alt(dbl['words'])}(?P<d_n>[{''.join(num['digits'])}1-9]){re.escape(dbl['unit'])}"
        f"|(?P<d_plain>{_alt(dbl['plain'])}))"
    )
    side = (
        "(?P<m_cur{i}>{cur})?(?P<m_neg{i}>{neg})?(?P<m_n{i}>{number})"
        "(?P<m_in{i}>{infix})?(?P<m_mag{i}>{mag})?(?P<m_u{i}>{unit})?"
    )
    fill = dict(pre=pre, cur=cur_prefix, neg=neg, number=number, infix=infix, mag=mag_alt, unit=unit_alt)
    alts.append(
        "(?P<m_n1>" + number + ")"
        # 三分之一: the fraction shares the numerator scan with the main pattern (one parse, not two)
        + f"(?:{frac}(?P<f_num>{number})(?P<f_post>{suffix})?|"
        + "(?P<m_in1>" + infix + ")?(?P<m_mag1>" + mag_alt + ")?(?P<m_u1>" + unit_alt + ")?"
        + f"(?:(?P<m_sep>{sep})" + side.format(i=2, **fill) + ")?"
        + f"(?:{per_sep}(?P<m_perunit>{_alt(count_words)}))?"
        + f"(?P<m_post>{suffix})?)"
    )
    # Where a candidate may start: numerals, and the first characters of stopwords, skips, 翻.
    starts = set("0123456789０１２３４５６７８９") | set(digit_chars) | set(big[:0])
    starts |= {c for w in big + small for c in w[:1]}
    starts |= {str(w)[0] for w in stops["stopwords"]}
    starts |= {w[0] for w in dbl["words"] + dbl["plain"]} | {"第"} | {w[0] for w in rules["percent_prefix"]}
    starts |= {w[0] for w in half["words"] + half["more_than"]}
    t.trigger = re.compile("[" + "".join(re.escape(c) for c in sorted(starts)) + "]")
    return re.compile("|".join(alts)), t


__all__ = ["build", "Tables"]

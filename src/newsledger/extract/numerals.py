"""Parse a numeral written any way Chinese news writes it into a float.

``parse_numeral("三千五百萬") == 3.5e7``, ``"1.2万亿"`` → 1.2e12, ``"１２"`` → 12, ``"2,500"`` → 2500,
``"兩"`` → 2, ``"-8.65億"`` → -8.65e8, ``"三點五"`` → 3.5, ``"二〇二五"`` → 2025.

Written by hand because no maintained library parses mixed Arabic/Chinese numerals with 兆 = 10^12
and Traditional forms (cn2an, the usual choice, stops at 億 and rejects 3.5萬億 / 4兆).  The
characters come from ``data/numerals.yaml`` and ``data/magnitudes.yaml``.

The algorithm is the usual section parse: 十百千 multiply the digit before them inside a section;
萬/億/兆 close the section and multiply everything before them when they are larger than every
magnitude seen so far (三萬億 = 3×10^4×10^8), else add (一億二千萬 = 10^8 + 2000×10^4).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .figures_data import table

# Full-width digits, point, comma and minus to ASCII (NFKC would also do this, but touches more).
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.S)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], dict[str, float], dict[str, float], frozenset[str], tuple[str, ...], dict[str, float]]:
    num = table("numerals")
    mag = table("magnitudes")
    digits = {k: float(v) for k, v in num["digits"].items()}
    small = {k: float(v) for k, v in num["small_units"].items()}
    small.update({k: float(v) for k, v in num.get("tens", {}).items()})
    large = {k: float(v) for k, v in mag["magnitudes"].items()}
    points = frozenset(num["decimal_points"])
    signs = tuple(sorted(num["negative_signs"], key=len, reverse=True))
    compounds = {k: float(v) for k, v in mag.get("compounds", {}).items()}
    return digits, small, large, points, signs, compounds


def numeral_chars() -> str:
    """Every character a Chinese numeral may contain (digits, units, magnitudes, decimal point)."""
    digits, small, large, points, _, _ = _tables()
    return "".join(sorted(set(digits) | set(small) | set(large) | set(points)))


def parse_numeral(s: str) -> float | None:
    """The value of numeral ``s`` (Arabic, full-width, Chinese or mixed), or None if ``s`` is not one.

    Thousands separators and a leading sign (``-``, ``−``, ``負``) are accepted; anything else that
    is not a numeral character (a unit, a qualifier) makes the result None.
    """
    if not s:
        return None
    digits, small, large, points, signs, compounds = _tables()
    s = s.strip().translate(_FULLWIDTH)
    negative = False
    for sign in signs:
        if s.startswith(sign):
            negative, s = True, s[len(sign):].lstrip()
            break
    if s.startswith("+"):
        s = s[1:]
    if not s:
        return None
    s = _THOUSANDS.sub("", s)

    total = 0.0  # everything closed by a large magnitude
    last_large = 0.0  # the largest magnitude applied so far
    section = 0.0  # value below 萬 of the current section
    number: float | None = None  # the digit(s) waiting for a unit
    prev_digit = False  # previous token was a Chinese digit (二〇二五 reads digit by digit)
    frac_scale = 0.0  # > 0 while reading digits after 點
    seen = False
    for tok in _TOKEN.findall(s):
        if tok[0].isdigit():
            if number is not None and not frac_scale:
                return None  # two Arabic numbers in a row: "3 5"
            number = float(tok)
            prev_digit = False
            seen = True
        elif tok in digits:
            d = digits[tok]
            if frac_scale:
                number = (number or 0.0) + d * frac_scale
                frac_scale /= 10
            elif prev_digit and number is not None:
                number = number * 10 + d
            else:
                number = d
            prev_digit = True
            seen = True
        elif tok in points:
            if number is None or frac_scale:
                return None
            frac_scale = 0.1
            prev_digit = False
        elif tok in small:
            section += (1.0 if number is None else number) * small[tok]
            number, prev_digit, frac_scale = None, False, 0.0
            seen = True
        elif tok in large:
            mag = large[tok]
            cur = section + (number or 0.0)
            if cur == 0.0 and total == 0.0:
                cur = 1.0  # a bare 萬 / 億
            if mag > last_large:
                total = (total + cur) * mag
                last_large = mag
            else:
                total += cur * mag
            section, number, prev_digit, frac_scale = 0.0, None, False, 0.0
            seen = True
        else:
            return None
    if not seen or frac_scale == 0.1:  # nothing read, or 點 with no digit after it
        return None
    # 12 significant digits drop binary noise such as 1.1 × 10^8 = 110000000.00000001.
    value = float(f"{total + section + (number or 0.0):.12g}")
    return -value if negative else value


def compound_magnitude(word: str) -> float | None:
    """The factor of a magnitude word (萬, 億, 萬億, 兆 …), or None."""
    _, _, large, _, _, compounds = _tables()
    if word in compounds:
        return compounds[word]
    return parse_numeral(word) if word and all(c in large for c in word) else None


__all__ = ["parse_numeral", "numeral_chars", "compound_magnitude"]

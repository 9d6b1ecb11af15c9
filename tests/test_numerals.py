"""parse_numeral: the examples beside the numeral tables, plus forms the figures engine relies on."""
from __future__ import annotations

import math

import pytest

from newsledger.extract.figures_data import table
from newsledger.extract.numerals import parse_numeral


def _data_examples():
    for name in ("numerals", "magnitudes"):
        for text, value in table(name).get("examples", {}).items():
            yield pytest.param(str(text), float(value), id=f"{name}:{text}")


@pytest.mark.parametrize("text,value", list(_data_examples()))
def test_table_examples(text, value):
    assert math.isclose(parse_numeral(text), value, rel_tol=1e-12)


@pytest.mark.parametrize(
    "text,value",
    [
        ("１２", 12), ("2,500", 2500), ("2，500", 2500), ("12,345,678.5", 12345678.5), ("兩", 2),
        ("-8.65億", -8.65e8), ("負2.3", -2.3), ("−3", -3), ("一億二千萬", 1.2e8), ("萬億", 1e12),
        ("三萬億", 3e12), ("1萬2千", 12000), ("一百零五", 105), ("三千零二十", 3020), ("0.35", 0.35),
        ("1.1億", 1.1e8), ("七", 7), ("九十九", 99), ("五千亿", 5e11), ("４兆", 4e12), ("3.5万亿", 3.5e12),
        ("十二万三千四百", 123400), ("二十五萬", 250000), ("一千二百三十四萬五千", 12345000),
    ],
)
def test_forms(text, value):
    assert math.isclose(parse_numeral(text), value, rel_tol=1e-12)


@pytest.mark.parametrize("text", ["", "abc", "3 5", "元", "3元", "點五", "三點", "-"])
def test_not_numerals(text):
    assert parse_numeral(text) is None


def test_exact_decimal_products():
    assert parse_numeral("1.1億") == 110000000.0
    assert parse_numeral("66.5萬") == 665000.0

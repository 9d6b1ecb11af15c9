"""find_figures, generated from the example corpus (tests/corpus/figures/*.yaml) and from the
examples kept beside the rules in src/newsledger/extract/data/*.yaml: one case per example."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from newsledger.errors import ConfigError
from newsledger.extract.figures import find_figures
from newsledger.extract.figures_data import table
from newsledger.model import FIGURE_KINDS, APPROX_VALUES

CORPUS = Path(__file__).parent / "corpus" / "figures"


def _load(name: str):
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def _single_files():
    return sorted(p.name for p in CORPUS.glob("*.yaml") if p.name not in ("nonfigures.yaml", "in_context.yaml"))


def _single_examples():
    for name in _single_files():
        for i, ex in enumerate(_load(name)["examples"]):
            yield pytest.param(ex, id=f"{name[:-5]}:{i}:{ex['text']}")


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _check_one(text: str, ex: dict) -> None:
    figs = find_figures(text, ex.get("region"))
    assert len(figs) == 1, f"expected one figure in {text!r}, got {[f.text for f in figs]}"
    f = figs[0]
    assert (f.start, f.end, f.text) == (0, len(text), text)
    assert f.kind == ex["kind"]
    assert _close(f.value, ex["value"]), (f.value, ex["value"])
    assert _close(f.high, ex.get("high")), (f.high, ex.get("high"))
    assert f.unit == ex.get("unit")
    assert f.approx == ex.get("approx", "exact")
    assert f.per == ex.get("per")
    assert f.rule.split(":")[0] in (f.kind, "range")


@pytest.mark.parametrize("ex", list(_single_examples()))
def test_example(ex):
    _check_one(str(ex["text"]), ex)


@pytest.mark.parametrize("text", [pytest.param(str(t), id=str(t)) for t in _load("nonfigures.yaml")["examples"]])
def test_not_a_figure(text):
    assert find_figures(text) == [], [f"{f.text} ({f.rule})" for f in find_figures(text)]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["sentence"][:12]) for c in _load("in_context.yaml")["cases"]])
def test_in_context(case):
    got = find_figures(case["sentence"], case.get("region"))
    want = case["figures"]
    assert [(f.start, f.end, f.text) for f in got] == [(w["start"], w["end"], w["text"]) for w in want]
    for f, w in zip(got, want):
        assert f.kind == w["kind"] and f.unit == w.get("unit") and f.approx == w.get("approx", "exact")
        assert f.per == w.get("per")
        assert _close(f.value, w["value"]) and _close(f.high, w.get("high"))


# --- examples beside the rules (data files) ---------------------------------------------------

def _data_examples():
    for ex in table("currencies")["examples"]:
        yield pytest.param({"kind": "money", **ex}, id=f"currencies:{ex['text']}")
    for ex in table("units")["examples"]:
        yield pytest.param(ex, id=f"units:{ex['text']}")
    for ex in table("classifiers")["examples"]:
        yield pytest.param({"kind": "count", **ex}, id=f"classifiers:{ex['text']}")


@pytest.mark.parametrize("ex", list(_data_examples()))
def test_data_file_example(ex):
    _check_one(str(ex["text"]), ex)


@pytest.mark.parametrize("ex", [pytest.param(e, id=e["text"]) for e in table("qualifiers")["examples"]])
def test_qualifier_example(ex):
    figs = find_figures(ex["text"])
    assert [f.text for f in figs] == [ex["text"]]
    assert figs[0].approx == ex["approx"]


@pytest.mark.parametrize("text", table("figure_stopwords")["examples"])
def test_stopword_example(text):
    assert find_figures(text) == []


# --- invariants over the whole corpus ---------------------------------------------------------

def _all_texts():
    for name in _single_files():
        for ex in _load(name)["examples"]:
            yield str(ex["text"]), ex.get("region")
    for t in _load("nonfigures.yaml")["examples"]:
        yield str(t), None
    for c in _load("in_context.yaml")["cases"]:
        yield c["sentence"], c.get("region")


def test_offsets_and_order_over_corpus():
    texts = list(_all_texts())
    joined = "\n".join(t for t, _ in texts)  # also as one text: offsets must still hold
    for text, region in texts + [(joined, None)]:
        figs = find_figures(text, region)
        for f in figs:
            assert text[f.start:f.end] == f.text
            assert f.kind in FIGURE_KINDS and f.approx in APPROX_VALUES and f.rule
        for a, b in zip(figs, figs[1:]):
            assert a.end <= b.start


def test_corpus_size_and_scripts():
    n = sum(len(_load(name)["examples"]) for name in _single_files())
    n += len(_load("nonfigures.yaml")["examples"]) + len(_load("in_context.yaml")["cases"])
    assert n >= 400
    texts = "".join(t for t, _ in _all_texts())
    assert "億" in texts and "亿" in texts and "萬" in texts and "万" in texts


def test_rejects_bad_input():
    with pytest.raises(ConfigError):
        find_figures(b"3%")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        find_figures("3%", region="US")


def test_region_decides_bare_yuan():
    assert find_figures("5億元", region="TW")[0].unit == "TWD"
    assert find_figures("5億元", region="HK")[0].unit == "HKD"
    assert find_figures("5億元")[0].unit == "CNY"
    mixed = "經濟部表示，新臺幣匯率穩定，產值達5億元。\n國務院表示，今年安排5億元。"
    assert [f.unit for f in find_figures(mixed)] == ["TWD", "CNY"]


def test_random_strings_never_break_offsets():
    """Seeded random strings over numeral, unit and qualifier characters: no exception, offsets
    hold, figures sorted and non-overlapping."""
    import random

    alphabet = list("0123456789０１.,，-—~至到%％元億亿萬万兆千百十一二三兩零家個人年月日第倍成分之/約近逾超過以上左右多餘"
                    "每股人均新臺幣美元(（)）、 5GA負增長個百分點翻番")
    rng = random.Random(20261126)
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        figs = find_figures(s)
        for f in figs:
            assert s[f.start:f.end] == f.text
        for a, b in zip(figs, figs[1:]):
            assert a.end <= b.start


@pytest.mark.parametrize("text", ["1.Broadcom 是", "8. ABC Inc (6501,日本)", "\\3. Xy Holdings (XY,巴西)"])
def test_list_numbers_and_tickers(text):
    assert find_figures(text) == []

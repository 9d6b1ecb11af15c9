"""Tests for newsledger.extract.times, generated from tests/corpus/times/*.yaml (one case each).

- expressions_*.yaml: each text yields exactly one time covering it, with the expected type, value,
  relative flag (and rule when given); relative ones are checked again without ref_date.
- context.yaml: the exact list of times (text, offset, type, value) in a sentence.
- negatives.yaml: strings that yield no time.
expressions_simp.yaml is the OpenCC t2s twin of expressions_trad.yaml; regenerate it with
``.venv/bin/python tests/test_times.py --write-simp``.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
import yaml

from newsledger.extract.times import find_times, grammar, tables
from newsledger.model import Figure, TIME_TYPES

CORPUS = Path(__file__).resolve().parent / "corpus" / "times"


def _load(name: str) -> dict:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def _date(v) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _expression_cases():
    for name in ("expressions_trad.yaml", "expressions_simp.yaml"):
        data = _load(name)
        for i, ex in enumerate(data["examples"]):
            yield pytest.param(ex, _date(ex.get("ref_date", data.get("ref_date"))), id=f"{name[12:16]}-{i}-{ex['text']}")


@pytest.mark.parametrize("ex,ref", list(_expression_cases()))
def test_expression(ex, ref):
    text = str(ex["text"])
    found = find_times(text, ref_date=ref)
    assert len(found) == 1, [(t.text, t.rule) for t in found]
    t = found[0]
    assert t.text == str(ex.get("span", text))
    assert text[t.start:t.end] == t.text
    assert (t.type, t.value, t.relative) == (ex["type"], ex["value"], ex.get("relative", False))
    if "rule" in ex:
        assert t.rule == ex["rule"]
    assert t.rule.split("+")[-1] in {r["name"] for r in tables()["rules"]}
    if ex.get("relative"):
        bare = find_times(text, ref_date=None)
        assert len(bare) == 1 and bare[0].relative is True
        assert bare[0].value == ex.get("value_without_ref")
        assert bare[0].type == t.type


def _context_cases():
    data = _load("context.yaml")
    for i, case in enumerate(data["cases"]):
        yield pytest.param(case, _date(data["ref_date"]), id=f"ctx-{i}")


@pytest.mark.parametrize("case,ref", list(_context_cases()))
def test_context(case, ref):
    text = case["text"]
    got = [(t.text, t.start, t.type, t.value) for t in find_times(text, ref_date=ref)]
    want = [(str(w["text"]), w["start"], w["type"], w["value"]) for w in case["times"] or []]
    assert got == want


@pytest.mark.parametrize("text", [str(s) for s in _load("negatives.yaml")["negatives"]])
def test_negative(text):
    assert find_times(text, ref_date=dt.date(2025, 12, 29)) == []


def test_simp_corpus_is_current():
    """The committed Simplified corpus is exactly the t2s conversion of the Traditional one."""
    assert _load("expressions_simp.yaml") == simp_corpus()


def test_corpus_size_and_types():
    n = sum(len(_load(f)["examples"]) for f in ("expressions_trad.yaml", "expressions_simp.yaml"))
    n += len(_load("context.yaml")["cases"])
    assert n >= 150
    seen = {ex["type"] for ex in _load("expressions_trad.yaml")["examples"]}
    assert seen == set(TIME_TYPES)


def test_never_overlaps_a_figure():
    text = "公司2025年營收達到2025萬元,12月27日公佈。"
    plain = find_times(text, dt.date(2025, 12, 29))
    assert [t.text for t in plain] == ["2025年", "12月27日"]
    fig = Figure(start=3, end=8, text=text[3:8], kind="number", value=2025.0)
    taken = find_times(text, dt.date(2025, 12, 29), figures=[fig])
    assert [t.text for t in taken] == ["12月27日"]
    assert all(t.end <= fig.start or t.start >= fig.end for t in taken)


def test_never_reads_the_clock():
    """Without ref_date nothing relative gets a value, whatever today is."""
    for t in find_times("今年前三季度和去年同期相比,明年6月再看,今(24)日公佈。"):
        assert t.relative and t.value is None


def test_spans_are_sorted_and_disjoint():
    text = "".join(str(ex["text"]) + "，" for ex in _load("expressions_trad.yaml")["examples"])
    found = find_times(text, dt.date(2025, 12, 29))
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert all(text[t.start:t.end] == t.text for t in found)
    assert all(t.type in TIME_TYPES for t in found)


def test_grammar_compiles_every_rule():
    g = grammar()
    assert set(g.rules) == {r["name"] for r in tables()["rules"]}


def simp_corpus() -> dict:
    """expressions_trad.yaml with every text converted to Simplified by OpenCC (t2s)."""
    import opencc

    cc = opencc.OpenCC("t2s")
    data = _load("expressions_trad.yaml")
    out = {"ref_date": data["ref_date"], "examples": []}
    for ex in data["examples"]:
        ex = dict(ex)
        ex["text"] = cc.convert(str(ex["text"]))
        if "span" in ex:
            ex["span"] = cc.convert(str(ex["span"]))
        out["examples"].append(ex)
    return out


if __name__ == "__main__" and "--write-simp" in sys.argv:
    header = ("# GENERATED from expressions_trad.yaml by `python tests/test_times.py --write-simp` "
              "(OpenCC t2s). Do not edit.\n")
    body = yaml.safe_dump(simp_corpus(), allow_unicode=True, sort_keys=False, width=200)
    (CORPUS / "expressions_simp.yaml").write_text(header + body, encoding="utf-8")
    print("wrote", CORPUS / "expressions_simp.yaml")

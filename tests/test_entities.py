"""find_entities on the examples in tests/corpus/entities/*.yaml (both scripts), and its invariants."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from newsledger.extract import ExtractOptions
from newsledger.extract.entities import find_entities
from newsledger.extract.ner import MODEL_PATH
from newsledger.model import ENTITY_TYPES

CORPUS = Path(__file__).parent / "corpus" / "entities"
NO_MODEL = ExtractOptions(model=False)


def _cases():
    for path in sorted(CORPUS.glob("*.yaml")):
        for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield pytest.param(path.stem, case, id=f"{path.stem}-{i}")


def _at(text: str, surface: str, nth: int = 0) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(surface, pos + 1)
    return pos


@pytest.mark.parametrize("kind,case", list(_cases()))
def test_corpus_example(kind, case):
    if kind == "model" and not MODEL_PATH.exists():
        pytest.skip("NER model not built")
    text = case["text"]
    found = find_entities(text, None if kind == "model" else NO_MODEL)
    by_span = {(e.start, e.end): e for e in found}
    for exp in case.get("entities", []):
        start = _at(text, exp["text"], exp.get("nth", 0))
        e = by_span.get((start, start + len(exp["text"])))
        assert e is not None, f"{exp['text']!r} not found; got {[(x.text, x.type) for x in found]}"
        assert e.type == exp["type"], (e, exp)
        assert e.canonical == exp["canonical"], (e, exp)
        if "ticker" in exp:
            assert e.ticker == exp["ticker"], (e, exp)
    for surface in case.get("absent", []):
        assert surface not in {e.text for e in found}, surface


@pytest.mark.parametrize("opts", [NO_MODEL, None], ids=["no-model", "model"])
def test_invariants(opts):
    if opts is None and not MODEL_PATH.exists():
        pytest.skip("NER model not built")
    text = ("臺灣積體電路製造與輝達宣布合作，黃仁勳表示，台積電(2330.TW)將擴產。\n"
            "美联储主席鲍威尔在华盛顿说，欧洲央行与日本央行立场不同。")
    found = find_entities(text, opts)
    assert found
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start, (a, b)  # sorted and non-overlapping
    for e in found:
        assert text[e.start:e.end] == e.text
        assert e.type in ENTITY_TYPES
        assert e.canonical


def test_empty_and_ascii_only():
    assert find_entities("", NO_MODEL) == []
    assert [e.canonical for e in find_entities("Shares of Broadcom rose.", NO_MODEL)] == ["博通"]


@pytest.mark.parametrize("opts", [None, ExtractOptions(model=False)], ids=["combined", "no-model"])
@pytest.mark.parametrize("text, start", [
    ("行政院通過總預算案，其中國防預算增加一成。", 11),   # 其中/國防: no 中國 at 11
    ("报告显示，其中国防开支占比上升。", 6),
])
def test_a_place_name_read_across_two_words_is_not_an_entity(opts, text, start):
    ents = find_entities(text, opts)
    assert not any(e.start == start and e.text in ("中國", "中国") for e in ents), ents


@pytest.mark.parametrize("text, name", [
    ("今年共有3家中國公司入選榜單。", "中國"),      # 家中 and 國公 are words, but jieba cuts 3/家/中國/公司
    ("外資持續在中國投資設廠。", "中國"),
    ("股價接近日本國立銀行的估值。", "日本"),
])
def test_a_place_name_between_word_lookalikes_is_kept(text, name):
    ents = find_entities(text, ExtractOptions(model=False))
    assert any(name in e.text for e in ents), ents


@pytest.mark.parametrize("simp, span, want", [
    ("厂商想甩掉「充电宝公司」标签", (2, 11), (6, 11)),    # cut after the corner quote
    ("他读过《科技日报》的报道", (2, 8), (4, 8)),
    ("北京“三联”书店", (0, 6), (0, 6)),                  # curly quotes stay: MSRA names hold them
    ("「」", (0, 2), None),                               # nothing of two characters is left
])
def test_model_spans_do_not_run_across_corner_quotes(simp, span, want):
    from newsledger.extract.entities import _clean_model_spans

    got = _clean_model_spans(simp, [(*span, "ORG")])
    assert got == ([] if want is None else [(*want, "ORG")])

"""Entities in the real sample digest (read at run time from ../shared/seed; skipped when absent).

The hand annotation is tests/corpus/entities/sample_gold.tsv (surfaces in t2s form, coarse types).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.extract import ExtractOptions
from newsledger.extract.entities import find_entities
from newsledger.extract.ner import MODEL_PATH, simplified_same_length

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
GOLD = Path(__file__).parent / "corpus" / "entities" / "sample_gold.tsv"
COARSE = {"PERSON": "PER", "ORG": "ORG", "COMPANY": "ORG", "GPE": "LOC", "LOC": "LOC"}

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is absent")


def load_gold() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    gold, must = set(), set()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        gold.add((parts[0], parts[1]))
        if len(parts) > 2 and parts[2] == "must":
            must.add((parts[0], parts[1]))
    return gold, must


@pytest.fixture(scope="module", params=["combined", "no-model"])
def found(request):
    if request.param == "combined" and not MODEL_PATH.exists():
        pytest.skip("NER model not built")
    text = sorted(SEED.glob("*.txt"))[0].read_text(encoding="utf-8")
    opts = None if request.param == "combined" else ExtractOptions(model=False)
    return text, find_entities(text, opts)


def _surfaces(text, ents):
    simp = simplified_same_length(text)
    return {(simp[e.start:e.end], COARSE[e.type]) for e in ents}


def test_required_entities_found(found):
    text, ents = found
    got = _surfaces(text, ents)
    _, must = load_gold()
    missing = sorted(must - got)
    assert not missing, f"missing: {missing}"


def test_canonical_names_and_tickers(found):
    _, ents = found
    by_canon = {}
    for e in ents:
        by_canon.setdefault(e.canonical, []).append(e)
    assert {e.text for e in by_canon["特朗普"]} == {"川普"}
    assert any(e.ticker == "300750" and e.text.startswith("寧德時代") for e in by_canon["宁德时代"])
    assert any(e.ticker == "AVGO" and e.text == "Broadcom" for e in ents)
    assert {e.text for e in by_canon["国家数据局"]} == {"國家資料局"}
    for canon in ("高盛", "摩根士丹利", "埃森哲", "安克创新", "百度", "腾讯", "中金公司", "财政部", "吴晓波",
                  "任正非", "阳萌", "周志华", "藤波匠", "中国", "美国", "南京", "武汉", "日本"):
        assert canon in by_canon, canon
    assert all(e.type == "COMPANY" for e in by_canon["高盛"])
    assert all(e.type == "PERSON" for e in by_canon["阳萌"])
    assert all(e.type == "GPE" for e in by_canon["南京"])


def test_precision_and_recall_over_distinct_surfaces(found):
    text, ents = found
    got = _surfaces(text, ents)
    gold, _ = load_gold()
    precision = len(got & gold) / len(got)
    recall = len(got & gold) / len(gold)
    print(f"\nsample entities over distinct surfaces: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.8 and recall >= 0.75, (precision, recall, sorted(got - gold), sorted(gold - got))


def test_offsets_hold(found):
    text, ents = found
    for e in ents:
        assert text[e.start:e.end] == e.text
    for a, b in zip(ents, ents[1:]):
        assert a.end <= b.start

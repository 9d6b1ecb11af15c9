"""The gazetteer: generated table is current, canonical names across scripts, longest match."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from newsledger.extract import gazetteer

ROOT = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_table_is_current():
    mod = _build_module()
    assert gazetteer.TABLE.read_text(encoding="utf-8") == mod.build(), \
        "generated.tsv is stale: run .venv/bin/python scripts/build_gazetteer.py"
    assert gazetteer.TABLE.read_text(encoding="utf-8").startswith("# GENERATED")


def test_generated_has_both_scripts():
    mod = _build_module()
    text = mod.build()
    surfaces = {line.split("\t")[0] for line in text.splitlines() if not line.startswith("#")}
    for simp, trad in [("宁德时代", "寧德時代"), ("国家数据局", "國家資料局"), ("台湾", "臺灣"), ("吴晓波", "吳曉波")]:
        assert simp in surfaces and trad in surfaces


def test_canonical_across_scripts_and_spellings():
    assert gazetteer.canonical("川普") == gazetteer.canonical("特朗普") == gazetteer.canonical("Trump") == "特朗普"
    assert gazetteer.canonical("Goldman Sachs") == gazetteer.canonical("高盛") == "高盛"
    assert gazetteer.canonical("寧德時代") == gazetteer.canonical("CATL") == "宁德时代"
    assert gazetteer.canonical("大摩") == "摩根士丹利"
    assert gazetteer.canonical("Accenture") == gazetteer.canonical("埃森哲") == "埃森哲"
    assert gazetteer.canonical("一个不存在的名字") is None


def test_longest_match_and_boundaries():
    text = "中國人民銀行與中國；CATL不是Caterpillar，0700.HK也不是香港。"
    got = [(text[m.start:m.end], m.entry.canonical) for m in gazetteer.find(text)]
    assert ("中國人民銀行", "中国人民银行") in got
    assert ("中國", "中国") in got
    assert ("CATL", "宁德时代") in got and ("Caterpillar", "卡特彼勒") in got
    assert all(s != "中國" or c == "中国" for s, c in got)
    assert "CAT" not in [s for s, _ in got]
    starts = [m.start for m in gazetteer.find(text)]
    assert starts == sorted(starts)

"""The gazetteer: generated table is current, canonical names across scripts, longest match."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from newsledger.extract import gazetteer

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str):
    """A build script of scripts/ as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _build_module():
    return _script("build_gazetteer")


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


def _divisions_module():
    return _script("build_divisions")


def test_cn_cities_is_current():
    mod = _divisions_module()
    assert mod.OUT.read_text(encoding="utf-8") == mod.build(), \
        "cn_cities.yaml is stale: run .venv/bin/python scripts/build_divisions.py"


def test_city_short_forms_follow_the_rules():
    """Short forms drop 市/地区/盟/自治州 and the nationalities before 自治州; short forms that are
    words (白银 silver, 大庆 a celebration) are not names; a name another file has stays there."""
    mod = _divisions_module()
    rules = {"suffixes": ["自治州", "地区", "盟", "市"], "nationalities": ["朝鲜族", "布依族", "苗族", "蒙古"]}
    assert mod.short_form("阳江市", rules) == "阳江"
    assert mod.short_form("延边朝鲜族自治州", rules) == "延边"
    assert mod.short_form("黔西南布依族苗族自治州", rules) == "黔西南"
    assert mod.short_form("博尔塔拉蒙古自治州", rules) == "博尔塔拉"
    assert mod.short_form("锡林郭勒盟", rules) == "锡林郭勒"
    assert gazetteer.canonical("陽江市") == gazetteer.canonical("阳江") == "阳江"
    assert gazetteer.canonical("白银市") == "白银市" and gazetteer.canonical("白银") is None
    assert gazetteer.canonical("大庆市") == "大庆市" and gazetteer.canonical("大庆") is None
    assert gazetteer.canonical("吉林") == "吉林" and gazetteer.lookup("吉林").type == "GPE"  # the province
    assert gazetteer.canonical("晋江市") == "晋江市" and gazetteer.canonical("晋江") is None


def test_a_city_name_does_not_run_into_market():
    """深圳市场 is 深圳 + 市场 (a market), not 深圳市 + 场."""
    text = "深圳市场与唐山市政府"
    got = [text[m.start:m.end] for m in gazetteer.find(text)]
    assert got == ["深圳", "唐山市"]

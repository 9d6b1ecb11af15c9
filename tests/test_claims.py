"""Claims: cue cases generated from corpus/claims/cues.yaml, the gold set's floors, and invariants."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from newsledger.extract import extract
from newsledger.claims import build_claims
from newsledger.claims_eval import load_gold, oracle_extraction, score
from newsledger.model import Extraction

HERE = Path(__file__).parent / "corpus" / "claims"
CUES = yaml.safe_load((HERE / "cues.yaml").read_text(encoding="utf-8"))
GOLD = load_gold(HERE / "gold.yaml")
FLOORS = json.loads((HERE / "floors.json").read_text(encoding="utf-8"))


def _claim_for(text, fig):
    i = text.index(fig)
    claims = extract(text).claims
    hits = [c for c in claims if c.figure.start < i + len(fig) and i < c.figure.end]
    assert hits, f"no claim for {fig!r} in {text!r}: {[c.figure.text for c in claims]}"
    return hits[0]


@pytest.mark.parametrize("case", CUES, ids=[c["text"] for c in CUES])
def test_cue_case(case):
    c = _claim_for(case["text"], str(case["figure"]))
    assert c.relation == case["relation"]
    assert c.direction == case.get("direction")
    if case.get("other"):
        assert c.other is not None and c.other.text == case["other"]
    if case.get("subject"):
        assert c.subject is not None and c.subject.text == case["subject"]
    if case.get("metric"):
        assert c.metric == case["metric"]


def test_gold_set_is_large_and_in_both_scripts():
    assert sum(len(g["claims"]) for g in GOLD) >= 150
    from newsledger.text.script import detect_script

    scripts = {detect_script(g["text"]) for g in GOLD}
    assert {"trad", "simp"} <= scripts


def test_floors_match_this_gold_set():
    digest = hashlib.sha256((HERE / "gold.yaml").read_bytes()).hexdigest()
    assert FLOORS["gold_sha256"] == digest, "gold.yaml changed: re-pin with benchmarks/bench_claims.py --pin"


def test_pipeline_accuracy_stays_above_floors():
    got = score(GOLD, "pipeline").as_dict()
    low = {k: (got[k], v) for k, v in FLOORS["floors"].items() if got[k] < v}
    assert not low, f"accuracy fell below the pinned floors (got, floor): {low}"


def test_oracle_linking_beats_pipeline_floors():
    # with perfect figures/times/entities, the linking alone must do at least as well
    got = score(GOLD, "oracle").as_dict()
    for k in ("subject_precision", "metric_precision", "period_precision"):
        assert got[k] >= FLOORS["floors"][k]


@pytest.mark.parametrize("item", GOLD[::7], ids=lambda g: g["text"][:12])
def test_claim_offsets_and_sentences(item):
    text = item["text"]
    ext = extract(text)
    assert len(ext.claims) == len(ext.figures)
    for c in ext.claims:
        assert text[c.figure.start : c.figure.end] == c.figure.text
        assert c.sentence_start <= c.figure.start < c.figure.end <= c.sentence_end
        if c.subject is not None:
            assert text[c.subject.start : c.subject.end] == c.subject.text
        if c.period is not None:
            assert text[c.period.start : c.period.end] == c.period.text
        if c.metric:
            assert c.metric in text  # cut from the original, in its own script


def test_no_figures_no_claims():
    assert build_claims("沒有數字的句子。", Extraction(text="沒有數字的句子。")) == []


def test_oracle_extraction_is_built_from_gold_spans():
    ext = oracle_extraction(GOLD[0])
    assert [f.text for f in ext.figures] == [str(c["figure"]) for c in GOLD[0]["claims"]]


# --- lists of items, each a company with its ticker and a figure (own example sentences) ---------

def _hand_extraction(text, figures, entities):
    """An Extraction with the given figure and entity texts (first occurrence unless an index is
    given as (text, n)), so that only the linking in build_claims is under test."""
    from newsledger.model import Entity, Figure

    def at(spec):
        s, n = spec if isinstance(spec, tuple) else (spec, 0)
        i = -1
        for _ in range(n + 1):
            i = text.index(s, i + 1)
        return i, i + len(s), s

    figs = []
    for spec in figures:
        a, b, s = at(spec)
        figs.append(Figure(a, b, s, "percent" if s.endswith("%") else "money", 1.0,
                           unit="%" if s.endswith("%") else "CNY"))
    ents = []
    for spec, typ in entities:
        a, b, s = at(spec)
        ents.append(Entity(a, b, s, typ, s))
    return Extraction(text=text, figures=figs, entities=sorted(ents, key=lambda e: e.start))


LIST_TEXT = "某券商的年度名單：華新科技（600001，中國）是中國最大的被動元件廠，預計上漲20%；大成電子（600002，中國）在日本擴產，預計上漲15%。"
LIST_ENTS = [("華新科技", "COMPANY"), (("中國", 0), "GPE"), (("中國", 1), "GPE"),
             ("大成電子", "COMPANY"), (("中國", 2), "GPE"), ("日本", "GPE")]


def test_list_item_figure_is_about_the_item_company_not_a_country_in_its_description():
    claims = build_claims(LIST_TEXT, _hand_extraction(LIST_TEXT, ["20%", "15%"], LIST_ENTS))
    assert [c.subject.text for c in claims] == ["華新科技", "大成電子"]


def test_list_item_with_an_unrecognised_company_gets_no_subject_rather_than_the_previous_item():
    text = "某券商的推薦組合：華新科技（600001，中國）預計上漲20%，大成電子（600002，中國）預計上漲15%。"
    ents = [("華新科技", "COMPANY"), (("中國", 0), "GPE"), (("中國", 1), "GPE")]  # 大成電子 not found
    claims = build_claims(text, _hand_extraction(text, ["20%", "15%"], ents))
    assert claims[0].subject is not None and claims[0].subject.text == "華新科技"
    assert claims[1].subject is None


def test_one_ticker_is_not_a_list():
    # a single company with a ticker: the usual rules (the source 華新科技 is not the subject)
    text = "華新科技（600001）表示，中國市場營收增長20%。"
    ents = [("華新科技", "COMPANY"), ("中國", "GPE")]
    claims = build_claims(text, _hand_extraction(text, ["20%"], ents))
    assert claims[0].subject is not None and claims[0].subject.text == "中國"


def test_abbreviation_in_parentheses_does_not_open_an_item():
    # "(AI)" is an abbreviation, not a ticker: the middle figure stays with 大成電子
    text = ("某券商的名單：華新科技（600001，中國）預計上漲20%；大成電子的人工智慧（AI）伺服器營收預計增長15%；"
            "東亞精密（600003，中國）預計上漲12%。")
    ents = [("華新科技", "COMPANY"), (("中國", 0), "GPE"), ("大成電子", "COMPANY"),
            ("東亞精密", "COMPANY"), (("中國", 1), "GPE")]
    claims = build_claims(text, _hand_extraction(text, ["20%", "15%", "12%"], ents))
    assert [c.subject.text if c.subject else None for c in claims] == ["華新科技", "大成電子", "東亞精密"]


def test_ticker_after_a_company_is_not_part_of_the_metric():
    text = "華新科技(600001.SH)目標價上看45元,大成電子(600002.SZ)目標價上看30元。"
    ents = [("華新科技", "COMPANY"), ("大成電子", "COMPANY")]
    claims = build_claims(text, _hand_extraction(text, ["45元", "30元"], ents))
    assert [(c.subject.text, c.metric) for c in claims] == [("華新科技", "目標價"), ("大成電子", "目標價")]


def test_pos_tokenizer_from_its_state_file_equals_a_fresh_build(tmp_path, monkeypatch):
    from newsledger import claims_pos

    monkeypatch.setenv("NEWSLEDGER_CACHE", str(tmp_path))
    claims_pos._tokenizer.cache_clear()
    try:
        fresh = claims_pos._tokenizer()  # builds with add_word and writes the state file
        assert list(tmp_path.glob("claims-pos-*.marshal"))
        claims_pos._tokenizer.cache_clear()
        cached = claims_pos._tokenizer()  # reads the state file
        assert cached is not fresh
        assert cached.tokenizer.total == fresh.tokenizer.total
        assert cached.tokenizer.FREQ == fresh.tokenizer.FREQ
        for s in ("全球电动汽车销量", "营收同比增长", "占比", "净息差收窄", "AI服务器出货量", "台积电第三季毛利率"):
            assert [(p.word, p.flag) for p in cached.cut(s)] == [(p.word, p.flag) for p in fresh.cut(s)]
    finally:
        claims_pos._tokenizer.cache_clear()


def test_the_article_period_comes_from_the_body_not_the_headline():
    """Ingest extracts "title\nbody"; a target year in the headline is not the period of a body
    figure whose sentence names no time (that falls back to the body's first time)."""
    from newsledger.extract import extract

    text = "算力平台擴建計畫，2030年目標翻倍\n市府公布統計，本市資料中心用電已超過12億度。統計截至11月5日。"
    claims = {c.figure.text: c for c in extract(text).claims}
    assert claims["超過12億度"].period is not None and claims["超過12億度"].period.text == "截至11月5日"
    # a first line that is a paragraph (ends with 。) is body: its time counts
    text = "市府11月5日更新資料。\n市府公布統計，本市資料中心用電已超過12億度。"
    claims = {c.figure.text: c for c in extract(text).claims}
    assert claims["超過12億度"].period.text == "11月5日"


def test_a_cached_start_imports_jieba_posseg_without_reading_its_dictionary(tmp_path):
    """With the tag table cached, a fresh process imports jieba.posseg over an empty dictionary (0.7 s
    saved at every start) and hands it the cached table: jieba.posseg's own tagger still tags dictionary
    words as a normal import does."""
    import json
    import subprocess
    import sys

    probe = ("import json, jieba.posseg as p; from newsledger import claims_pos as c;"
             "a = [list(t[:2]) for t in c.pos_tokens('台积电第三季毛利率同比提升')];"
             "b = [[w.word, w.flag] for w in p.cut('我在北京天安门看升旗')];"
             "print(json.dumps([a, b, len(p.dt.word_tag_tab) > 100000]))")
    probe_cached = probe.replace("import json, jieba.posseg as p; from newsledger import claims_pos as c;",
                                 "import json; from newsledger import claims_pos as c; c._tokenizer(); "
                                 "import jieba.posseg as p;")
    env = {**__import__("os").environ, "NEWSLEDGER_CACHE": str(tmp_path)}
    outs = []
    for code in (probe, probe_cached, probe_cached):  # a plain import that builds the cache; two cached starts
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
        outs.append(json.loads(r.stdout.strip().splitlines()[-1]))
    assert list(tmp_path.glob("claims-pos-*.marshal")) and (tmp_path / "empty-dict.txt").exists()
    assert outs[0] == outs[1] == outs[2]
    assert outs[2][2] is True

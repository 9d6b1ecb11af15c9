"""Near-duplicates across scripts AND regional vocabulary: a Taiwan article reposted in mainland
Simplified (資料 → 数据, 網際網路 → 互联网, 軟體 → 软件), and the other way round, is found; a
different article on the same topic, in the same words, is not.

Reads the sample digest from ../shared/seed at run time (skipped when absent) and the digests in
examples/; the example articles below are our own sentences.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import newsledger
from newsledger import dedup
from newsledger.text.script import converter, normalise

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed"

TW = (
    "經濟部推動資料中心與軟體產業升級",
    "經濟部表示，今年將投入約一百二十億元，協助中小企業建置資料中心並導入雲端軟體。官員指出，"
    "網際網路流量去年成長百分之三十五，資料儲存需求隨之攀升，記憶體與伺服器訂單同步增加。業者預期，"
    "明年人工智慧應用將帶動另一波軟體採購，資料安全人才缺口約八千人。",
)
CN = (
    "工信部：互联网企业加快数据基础设施建设",
    "工信部发布数据显示，上半年互联网企业在数据中心和软件研发上的投入同比增长百分之二十八。多家企业表示，"
    "将把人工智能模型部署到更多生产线，并扩大内存芯片和服务器采购。分析人士认为，数据安全和信息共享规则"
    "明年有望出台，行业规模预计突破三万亿元。",
)
# Same topic, same vocabulary (資料中心, 軟體, 網際網路), other facts: not a repost of TW.
TW_OTHER = (
    "資料中心用電三年倍增",
    "數位發展部公布調查，全台資料中心用電量三年內增加近一倍，部分業者改用液冷技術以降低能耗。報告也提到，"
    "軟體服務業營收今年首季衰退百分之四，網際網路廣告支出則與去年持平，雲端軟體訂閱戶約有六萬家。",
)


def _convert(config: str, title: str, body: str) -> tuple[str, str]:
    conv = converter(config).convert
    return conv(title), conv(body)


def _edit(body: str) -> str:
    """Small edits a reposting outlet makes: punctuation, one word, a byline."""
    return body.replace("，", ",", 2).replace("預期", "預估", 1).replace("认为", "表示", 1) + "（編譯 陳某）"


@pytest.fixture(scope="module")
def index():
    idx = dedup.NearDuplicateIndex()
    idx.add("tw", dedup.signature(*TW))
    idx.add("cn", dedup.signature(*CN))
    return idx


@pytest.mark.parametrize(("original", "config", "aid"), [(TW, "tw2sp", "tw"), (CN, "s2twp", "cn")])
def test_a_repost_in_the_other_script_and_vocabulary_is_found(index, original, config, aid):
    title, body = _convert(config, *original)
    # the repost differs in vocabulary, not only in script: folding the script alone leaves a difference
    assert normalise(body) != normalise(original[1])
    for b in (body, _edit(body)):
        found = index.find(dedup.signature(title, b))
        assert found is not None and found[0] == aid and found[1] >= dedup.THRESHOLD


def test_vocabulary_is_folded_in_the_canonical_text():
    for tw, cn in (("資料", "数据"), ("網際網路", "互联网"), ("軟體", "软件"), ("人工智慧", "人工智能"), ("記憶體", "内存")):
        assert dedup.canonical("", "今年的" + tw + "市場") == dedup.canonical("", "今年的" + cn + "市场")
    # punctuation, spaces and Latin case do not count
    assert dedup.canonical("AI 晶片", "產能。") == dedup.canonical("ai晶片", "產能")


def test_a_different_article_on_the_same_topic_is_not_found(index):
    for config in (None, "tw2sp"):
        art = TW_OTHER if config is None else _convert(config, *TW_OTHER)
        assert index.find(dedup.signature(*art)) is None
    assert dedup.signature(*TW).jaccard(dedup.signature(*TW_OTHER)) < 0.5


def _digest_articles() -> list[tuple[str, str, str]]:
    files = sorted((ROOT / "examples").glob("*.txt"))
    if SEED.is_dir():
        files += sorted(SEED.glob("*.txt"))
    return [(f.name, a.title, a.body) for f in files for a in newsledger.read(str(f))]


def test_every_digest_article_converted_either_way_is_found():
    """Every article of examples/ and of the sample digest (when present), reposted through OpenCC
    in both directions, with and without small edits, is linked to itself and to no other."""
    arts = _digest_articles()
    assert len(arts) >= 10
    idx = dedup.NearDuplicateIndex()
    for i, (_, t, b) in enumerate(arts):
        idx.add(f"a{i}", dedup.signature(t, b))
    converted = 0
    for config in ("tw2sp", "s2twp"):
        for i, (name, t, b) in enumerate(arts):
            t2, b2 = _convert(config, t, b)
            if (t2, b2) == (t, b):
                continue
            converted += 1
            found = idx.find(dedup.signature(t2, b2))
            assert found is not None and found[0] == f"a{i}", (name, config, t[:12])
        for i, (_, t, b) in enumerate(arts):  # distinct digest articles never match each other
            assert idx.find(dedup.signature(t, b), exclude=f"a{i}") is None
    assert converted >= len(arts)  # each article changes in at least one direction


def test_long_articles_are_found_after_a_figure_change():
    arts = [a for a in _digest_articles() if len(a[2]) > 400]
    if not arts:
        pytest.skip("no long article available")
    idx = dedup.NearDuplicateIndex()
    for i, (_, t, b) in enumerate(arts):
        idx.add(f"a{i}", dedup.signature(t, b))
    for i, (_, t, b) in enumerate(arts):
        t2, b2 = _convert("tw2sp", t, b)
        b2 = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), b2, count=2)
        assert idx.find(dedup.signature(t2, b2))[0] == f"a{i}"


@pytest.fixture(scope="module")
def gen_corpus():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gen_corpus as module

    return module


def test_generated_articles_are_not_near_duplicates_of_each_other(gen_corpus):
    """Generated articles share templates and vocabulary; without reposts none is a near-duplicate."""
    idx = dedup.NearDuplicateIndex()
    hits = []
    for n, a in enumerate(gen_corpus.generate(1200, seed=3, repost_rate=0.0, dup_rate=0.0)):
        sig = dedup.signature(a["title"], a["body"])
        found = idx.find(sig)
        if found is not None:
            hits.append((n, found))
        idx.add(f"g{n}", sig)
    assert hits == []


def test_generated_articles_reposted_in_the_other_script_are_found(gen_corpus):
    arts = list(gen_corpus.generate(300, seed=5, repost_rate=0.0, dup_rate=0.0))
    idx = dedup.NearDuplicateIndex()
    for n, a in enumerate(arts):
        idx.add(f"g{n}", dedup.signature(a["title"], a["body"]))
    for n, a in enumerate(arts):
        config = "tw2sp" if a["script"] == "trad" else "s2twp"
        found = idx.find(dedup.signature(*_convert(config, a["title"], a["body"])))
        assert found is not None and found[0] == f"g{n}"

"""Segmentation on the Simplified view, index text for full-text search."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newsledger.text import segment
from newsledger.text.segment import index_text, token_spans, tokens


def test_tokens_are_simplified_and_vocabulary_converted():
    toks = tokens("網際網路與記憶體的資料科技")
    assert toks == ["互联网", "与", "内存", "的", "数据", "科技"]


def test_token_spans_point_into_original():
    text = "國家資料局在網際網路上發佈 US-CHINA 報告，增長3.5%。"
    spans = token_spans(text)
    assert [t for _, _, t in spans] == tokens(text)
    prev = 0
    for s, e, tok in spans:
        assert prev <= s < e <= len(text)
        prev = e
        assert not text[s:e].isspace()
    assert ("網際網路" in [text[s:e] for s, e, _ in spans])
    assert (text.index("3.5%"), text.index("3.5%") + 4, "3.5%") in spans


def test_index_text_matches_across_scripts_and_widths():
    # the mainland reading of the Traditional name holds every token of the Simplified one (the
    # Traditional text also keeps its words as written: 资料)
    assert set(index_text("国家数据局").split()) <= set(index_text("國家資料局").split())
    assert "资料" in index_text("國家資料局").split()
    assert index_text("ＡＢＣ１２") == index_text("abc12")
    assert "," not in index_text("1,200億元，增長")


def test_index_text_search_mode_finds_short_words_inside_long_ones():
    # search mode adds dictionary words found inside longer words
    idx = index_text("中華人民共和國").split()
    assert "中华" in idx and "共和国" in idx
    # the query goes through the same function: all its tokens are in the document's index
    assert set(index_text("共和國").split()) <= set(idx)
    assert set(index_text("数据").split()) <= set(index_text("國家大數據資料庫").split())


def test_ascii_punctuation_split_like_jieba():
    assert tokens("US-CHINA 1.AI") == ["US", "-", "CHINA", "1", ".", "AI"]


def test_jieba_cache_in_project_folder(tmp_path):
    code = ("from newsledger.text import segment; import jieba;"
            "segment.jieba_tokenizer(); print(jieba.dt.tmp_dir)")
    env = {**os.environ, "NEWSLEDGER_CACHE": str(tmp_path), "NEWSLEDGER_SEGMENTER": "jieba"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path)
    assert (tmp_path / "jieba.cache").exists()
    assert "PermissionError" not in out.stderr


def test_backends_agree_on_chinese():
    pytest.importorskip("rjieba")
    import rjieba

    tk = segment.jieba_tokenizer()
    text = "国家数据局发布关于加强数据科技创新的实施意见，到2030年数据领域关键技术达到国际领先水平。"
    assert rjieba.cut(text) == list(tk.cut(text))
    assert rjieba.cut_for_search(text) == list(tk.cut_for_search(text))

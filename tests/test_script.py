"""Script detection, normalisation and the Simplified view's offset map."""
from __future__ import annotations

import random

import pytest

from newsledger.errors import ConfigError
from newsledger.text.script import converter, detect_script, normalise, simplified_view, to_script

# words whose tw2sp conversion changes length or vocabulary, mixed with plain text
PHRASES = ["網際網路", "記憶體", "部落格", "計程車", "資料", "軟體", "新臺幣", "伺服器", "數位", "雷射",
           "滑鼠", "奈米", "矽谷", "硬碟", "程式", "影片"]
FILLER = list("的和在了是中國經濟增長我們公司市場這一年度億萬元") + ["3", "12", "AI", "5G", " ", "，", "。",
          "、", "「", "」", "(", ")", "\n", "%", "1,500", "ＡＢＣ", "１２"]


def _random_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.randint(0, 40)
        out.append("".join(rng.choice(PHRASES if rng.random() < 0.3 else FILLER) for _ in range(k)))
    return out


def _char_spans(view):
    return [view.span_to_original(j, j + 1) for j in range(len(view.text))]


@pytest.mark.parametrize(
    "text,expected",
    [("中國財政部佈置明年重點工作", "trad"), ("中国财政部布置明年重点工作", "simp"),
     ("這個國家的经济发展很快，资料显示", "mixed"), ("GDP 3.5%", "mixed"), ("", "mixed")],
)
def test_detect_script(text, expected):
    assert detect_script(text) == expected


def test_detect_script_tolerates_a_few_stray_characters():
    trad = "臺灣經濟部表示，今年出口總額達到新臺幣一千億元，較去年成長兩成。" * 3
    assert detect_script(trad + "这") == "trad"


def test_normalise_nfkc_t2s_whitespace():
    assert normalise("  中國　ＧＤＰ\n\n增長１２％ ") == "中国 GDP 增长12%"
    assert normalise("資料") == normalise("资料")  # t2s keeps vocabulary: ids stay character-level


def test_to_script_round_trip_and_error():
    assert to_script("網際網路", "simp") == "互联网"
    assert to_script("互联网", "trad") == "網際網路"
    with pytest.raises(ConfigError):
        to_script("x", "klingon")


@pytest.mark.parametrize(
    "text,word,original",
    [("他用記憶體和網際網路寫部落格", "内存", "記憶體"),
     ("他用記憶體和網際網路寫部落格", "互联网", "網際網路"),
     ("他用記憶體和網際網路寫部落格", "博客", "部落格"),
     ("國家資料局發佈意見", "数据局", "資料局"),
     ("新臺幣23.7億元", "新台币", "新臺幣")],
)
def test_view_maps_converted_words_back(text, word, original):
    view = simplified_view(text)
    j = view.text.index(word)
    s, e = view.span_to_original(j, j + len(word))
    assert text[s:e] == original


def test_view_block_inside_phrase_maps_to_whole_phrase():
    text = "網際網路"
    view = simplified_view(text)
    assert view.text == "互联网"
    for j in range(3):
        assert view.span_to_original(j, j + 1) == (0, 4)
    assert view.to_original(3) == 4


def test_identity_view_for_simplified_text():
    text = "中国经济增长5%，数据显示"
    view = simplified_view(text)
    assert view.text == text
    assert all(view.span_to_original(j, j + 1) == (j, j + 1) for j in range(len(text)))


@pytest.mark.parametrize("text", _random_texts(400))
def test_view_properties(text):
    view = simplified_view(text)
    # the view is OpenCC's own tw2sp conversion (pieces here are shorter than the cut length)
    assert view.text == converter("tw2sp").convert(text)
    spans = _char_spans(view)
    # every span maps inside the original, monotone, and the character spans tile the original
    prev_end = 0
    for s, e in dict.fromkeys(spans):  # distinct spans, in order
        assert 0 <= s < e <= len(text)
        assert s == prev_end
        prev_end = e
    assert prev_end == len(text)
    assert view.span_to_original(0, len(view.text)) == (0, len(text))
    # a block whose length changed converts back to exactly its view characters
    for (s, e) in dict.fromkeys(spans):
        js = [j for j, sp in enumerate(spans) if sp == (s, e)]
        if len(js) != e - s:
            assert converter("tw2sp").convert(text[s:e]) == view.text[js[0]:js[-1] + 1]
    # round trips between the two offset systems
    for j in range(len(view.text) + 1):
        i = view.to_original(j)
        assert view.from_original(i) <= j
    for i in range(len(text) + 1):
        j = view.from_original(i)
        assert 0 <= j <= len(view.text)
        assert view.to_original(j) >= i or j == len(view.text)
    # every span of the view covers its text: subspans map inside their superspans
    for a in range(0, len(view.text), 3):
        for b in range(a, len(view.text) + 1, 4):
            s, e = view.span_to_original(a, b)
            assert 0 <= s <= e <= len(text)


def test_long_runs_without_punctuation():
    text = "".join(random.Random(3).choice(PHRASES + list("的和在中國經濟")) for _ in range(600))
    view = simplified_view(text)
    spans = list(dict.fromkeys(_char_spans(view)))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert "網際網路" not in text or "互联网" in view.text


def test_offsets_out_of_range():
    view = simplified_view("網際網路")
    with pytest.raises(IndexError):
        view.span_to_original(0, 9)
    with pytest.raises(IndexError):
        view.to_original(-1)

"""Sentence splitting with offsets into the original."""
from __future__ import annotations

import random

import pytest

from newsledger.text.sentences import split_sentences


def _sents(text):
    spans = split_sentences(text)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("今年增長3.5%。明年預計放緩！會嗎？", ["今年增長3.5%。", "明年預計放緩！", "會嗎？"]),
        ("他說：「我們會做到。」然後離開了。", ["他說：「我們會做到。」", "然後離開了。"]),
        ("“第一句。第二句。”第三句", ["“第一句。", "第二句。”", "第三句"]),
        ('He said "yes!" Then left.', ['He said "yes!"', "Then left."]),
        ("一是擴大支出；二是優化結構;三是", ["一是擴大支出；", "二是優化結構;", "三是"]),
        ("標題一行\n正文第一句。正文第二句", ["標題一行", "正文第一句。", "正文第二句"]),
        ("出生人數創新低……預計明年再降", ["出生人數創新低……", "預計明年再降"]),
        ("真的嗎？！（記者注）", ["真的嗎？！", "（記者注）"]),
        ("重要優勢。）後面", ["重要優勢。）", "後面"]),
        ("1. 美國 2. 中國 3.5萬元", ["1. 美國 2. 中國 3.5萬元"]),
        ("  \n\n  ", []),
        ("", []),
    ],
)
def test_split(text, expected):
    assert _sents(text) == expected


def test_random_texts_cover_everything_but_space():
    rng = random.Random(11)
    alphabet = list("中國經濟增長，、的了") + ["。", "！", "？", "；", "」", "”", "\n", " ", "……", "3.5", "\""]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        spans = split_sentences(text)
        covered = set()
        for s, e in spans:
            covered.update(range(s, e))
            assert not text[s].isspace() and not text[e - 1].isspace()
        assert all(text[i].isspace() for i in range(len(text)) if i not in covered)

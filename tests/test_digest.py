"""Digest reading: tag, title/body pairs, trailing sources, offsets, odd cases, encodings."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

import newsledger
from newsledger.errors import DecodeError, FormatError, NotFound
from newsledger.sources import article_id, detect_format, make_article, read
from newsledger.sources.digest import read_digest, split_source

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "corpus" / "digests"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"  # ../shared/seed beside the repo
EXAMPLES = HERE.parent / "examples"

SIMP = ("#财经\n"
        "国家统计局：前三季度社会消费品零售总额同比增长4.5%\n"
        "国家统计局发布数据，前三季度全国社会消费品零售总额约36.6万亿元，比去年同期增长4.5%。 (统计快讯)\n"
        "\n"
        "两家车企公布十月销量\n"
        "甲汽车十月交付新车1,500辆，乙汽车交付800余辆，两家合计较上月增长约三成。\n")
TRAD = ("#財經\n"
        "經濟部：今年外銷訂單年增逾一成\n"
        "經濟部統計處表示，今年前十個月外銷訂單累計約一千八百億美元，較去年同期增加百分之十二。 （中央社）\n"
        "台積電公布月營收\n"
        "台積電(2330.TW)十月營收約新臺幣三千億元，創單月新高。\n")


def _check_offsets(text, articles):
    for a in articles:
        assert text[a.title_start:a.title_end] == a.title
        assert text[a.body_start:a.body_end] == a.body
        assert a.title_end <= a.body_start


def test_simple_digest():
    arts = read(SIMP)
    assert [a.title for a in arts] == ["国家统计局：前三季度社会消费品零售总额同比增长4.5%", "两家车企公布十月销量"]
    assert [a.source for a in arts] == ["统计快讯", None]
    assert arts[0].body.endswith("增长4.5%。")  # the source and the space before it are cut off
    assert all(a.tag == "财经" and a.script == "simp" for a in arts)
    _check_offsets(SIMP, arts)


def test_tag_argument_overrides_and_published():
    arts = read(TRAD, tag="經濟", published="2025-11-10")
    assert {a.tag for a in arts} == {"經濟"}
    assert {a.published for a in arts} == {dt.date(2025, 11, 10)}
    assert [a.source for a in arts] == ["中央社", None]
    assert arts[1].body.startswith("台積電(2330.TW)")  # parentheses mid-text stay in the body
    assert all(a.script == "trad" for a in arts)


def test_ids_are_stable_and_script_independent():
    a = read(SIMP)[0]
    assert a.id == article_id(a.title, a.body) and len(a.id) == 16
    int(a.id, 16)
    assert read(SIMP)[0].id == a.id
    # the same article in the other script gets the same id (ids hash the t2s-normalised text)
    trad = make_article("國家統計局：前三季度社會消費品零售總額同比增長4.5%", a.body.replace("国家统计局", "國家統計局"))
    assert trad.id == a.id
    assert make_article(a.title, a.body + "另一句。").id != a.id


@pytest.mark.parametrize(
    "body,source,kept",
    [("增速明顯高於平均水平(1.4%)", None, "增速明顯高於平均水平(1.4%)"),
     ("營收增長兩成。（經濟日報）", "經濟日報", "營收增長兩成。"),
     ("營收增長兩成。   (經濟日報)  ", "經濟日報", "營收增長兩成。"),
     ("他表示：「明年還會加大投入。」(中央社)", "中央社", "他表示：「明年還會加大投入。」"),
     ("展覽現場人潮踴躍。(圖/主辦單位提供)", None, None),
     ("報導至此結束。(完)", None, None),
     ("他說(大意)", None, None),
     ("全年配息 (約16元,含特別股息)", None, None),
     ("這是一句話 (Reuters)", "Reuters", "這是一句話"),
     ("(新華社)", None, None),
     ("沒有任何括號的結尾。", None, None)],
)
def test_split_source(body, source, kept):
    end, src = split_source(body)
    assert src == source
    assert body[:end] == (kept if kept is not None else body)


def test_odd_cases_fixture_is_read_leniently():
    text = (FIXTURES / "odd_cases.txt").read_text("utf-8")
    errors = []
    arts = read_digest(text, origin="odd_cases.txt", errors=errors)
    assert [a.title for a in arts] == ["港股通南向資金本周淨流入：逾300億港元", "央行公開市場操作回顧", "兩家晶片廠擴產計劃"]
    assert [a.tag for a in arts] == ["財經", "財經", "科技"]
    assert [a.source for a in arts] == ["港財社", "金融時評", None]
    assert "\n" in arts[1].body and arts[1].body.endswith("之間波動。")  # a body over two lines
    assert arts[2].body.endswith("(規模未公佈)")
    _check_offsets(text, arts)
    assert len(errors) == 2 and all(isinstance(e, FormatError) for e in errors)
    last_line = text.rstrip("\n").count("\n") + 1
    assert f"line {last_line}:" in str(errors[-1]) and "no body" in str(errors[-1])


def test_problems_warn_when_not_collected():
    with pytest.warns(UserWarning, match="no body"):
        arts = read("#x\n標題一\n內文一。\n孤單的標題\n")
    assert len(arts) == 1


def test_title_followed_by_title_is_skipped():
    long_body = "這是一段相當長的內文，" * 20 + "結束。"
    text = f"第一篇標題\n第二篇標題\n{long_body}\n"
    errors = []
    arts = read(text, errors=errors)
    assert [a.title for a in arts] == ["第二篇標題"]
    assert "line 1:" in str(errors[0])


def test_sources_variants_fixture():
    text = (FIXTURES / "sources_variants.txt").read_text("utf-8")
    arts = read_digest(text)
    assert [a.source for a in arts] == [None, "經濟日報", "中央社", None, None, None]
    _check_offsets(text, arts)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "#只有標籤\n"])
def test_empty_gives_no_articles(text):
    assert read(text) == []


@pytest.mark.parametrize(
    "encoding,text", [("utf-8", SIMP), ("utf-8-sig", SIMP), ("gb18030", SIMP), ("big5", TRAD),
                      ("utf-8", TRAD), ("utf-8-sig", TRAD), ("utf-16", TRAD)],
)
def test_files_in_every_encoding(tmp_path, encoding, text):
    path = tmp_path / f"digest-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    from_file = read(path)
    from_text = read(text)
    assert [replace(a, origin=None) for a in from_file] == from_text
    assert {a.origin for a in from_file} == {str(path)}
    assert [a.title for a in read(str(path))] == [a.title for a in from_text]


def test_binary_file_raises_decode_error_naming_it(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(DecodeError, match="photo.txt"):
        read(path)


def test_missing_file_and_format_errors(tmp_path):
    with pytest.raises(NotFound, match="nope.txt"):
        read(str(tmp_path / "nope.txt"))
    with pytest.raises(NotFound):
        read("digests/today.txt")
    with pytest.raises(FormatError, match="folder"):
        read(tmp_path)
    with pytest.raises(newsledger.errors.ConfigError):
        read(SIMP, fmt="pdf")


def test_detect_format():
    assert detect_format("", "a.HTML") == "html"
    assert detect_format("", "feed.rss") == "feed"
    assert detect_format("", "x.ndjson") == "jsonl"
    assert detect_format('<?xml version="1.0"?><rss version="2.0">') == "feed"
    assert detect_format("<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert detect_format('{"title": "a", "body": "b"}') == "jsonl"
    assert detect_format(SIMP) == "digest"


def test_bytes_input():
    assert [a.title for a in read(TRAD.encode("big5"))] == [a.title for a in read(TRAD)]


@pytest.mark.skipif(not SEED.is_dir(), reason="../shared/seed is absent")
def test_sample_digest_splits_into_its_eight_articles():
    path = next(SEED.glob("000_*.txt"))
    text = path.read_text("utf-8")
    errors = []
    arts = read(path, errors=errors)
    assert errors == []
    assert len(arts) == 8
    assert {a.tag for a in arts} == {"創新"}
    assert [a.source for a in arts] == ["吳曉波頻道", "第一財經資訊", "深科技", "一言不涸", "證券時報", None,
                                        "日經GO", "財富中文網"]
    assert arts[1].title == "中國財政部佈置明年重點工作"
    assert arts[7].title.startswith("Fortune雜誌─") and arts[7].title.endswith("?")
    assert arts[3].title.startswith("Jefferies")
    assert all(a.script == "trad" for a in arts)
    assert len({a.id for a in arts}) == 8
    _check_offsets(text, arts)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert [a.title for a in arts] == lines[1::2]
    # the body is its line without the trailing source
    for a, line in zip(arts, lines[2::2]):
        assert line.startswith(a.body)
        rest = line[len(a.body):].strip()
        assert rest == ("" if a.source is None else f"({a.source})")


@pytest.mark.skipif(not list(EXAMPLES.glob("*.txt")), reason="no examples/")
def test_examples_read_cleanly():
    files = sorted(EXAMPLES.glob("*.txt"))
    assert len(files) >= 3
    for path in files:
        errors = []
        arts = read(path, errors=errors)
        assert errors == [] and len(arts) >= 4, path
        assert all(a.source for a in arts), path
        assert len({a.id for a in arts}) == len(arts)


# ---- plain text: what is not in digest form is one article ---------------------------------------
PARAGRAPH = ("交通部今日公布统计，上月全国港口货物吞吐量约15.2亿吨，同比增长3.8%。"
             "其中外贸货物吞吐量增长较快，预计全年将超过180亿吨。")
ARTICLE_IN_PARAGRAPHS = ("港口吞吐量稳步回升\n"
                         "交通部今日公布统计，上月港口货物吞吐量约15.2亿吨。\n"
                         "其中外贸货物吞吐量同比增长5.1%，集装箱吞吐量增长7%。\n"
                         "业内人士预计，明年港口货运仍将保持增长。\n")


@pytest.mark.parametrize("text,expected", [
    (SIMP, True), (TRAD, True), ("", True), ("#只有標籤\n", True),
    ("標題一\n內文一，營收增長兩成。\n", True),  # no #tag, but a headline and its body
    (f"第一篇標題\n第二篇標題\n{'這是一段相當長的內文，' * 20}\n", True),  # a skipped title is still a headline
    (PARAGRAPH, False), ("零售总额增长4.5%", False),  # one line: a title with no body
    (ARTICLE_IN_PARAGRAPHS, False),  # its third line, a sentence, would be read as a title
    ("第一段是一句完整的话。\n第二段也是。\n", False),
    (f"短標題\n{'長段落，' * 60}\n{'另一個長段落，' * 60}\n", False),  # paragraphs, not a body per title
    (f"#標籤\n{PARAGRAPH}\n", True),  # a #tag line makes it a digest whatever follows
])
def test_is_digest_rule(text, expected):
    from newsledger.sources.digest import is_digest

    assert is_digest(text) is expected
    assert detect_format(text) == ("digest" if expected else "text")
    assert detect_format(text, "notes.txt") == ("digest" if expected else "text")


@pytest.mark.parametrize("text", [PARAGRAPH, "  \n" + PARAGRAPH + "  （港航快訊）\n\n", ARTICLE_IN_PARAGRAPHS,
                                  "零售总额增长4.5%"])
def test_plain_text_is_one_article_with_offsets(text):
    errors: list = []
    arts = read(text, errors=errors)
    assert errors == [] and len(arts) == 1
    a = arts[0]
    assert text[a.title_start:a.title_end] == a.title and text[a.body_start:a.body_end] == a.body
    assert a.body == text.strip().removesuffix("（港航快訊）").rstrip()  # the whole text, less a trailing source
    assert a.source == ("港航快訊" if "港航快訊" in text else None)
    assert a.title and len(a.title) <= 60 and "\n" not in a.title and "。" not in a.title
    assert a.body.startswith(a.title)  # the first sentence (or line)


def test_plain_text_title_is_its_first_sentence_or_line():
    assert read(PARAGRAPH)[0].title == PARAGRAPH.split("。")[0]
    assert read(ARTICLE_IN_PARAGRAPHS)[0].title == "港口吞吐量稳步回升"
    long_line = "没有句号的很长一行" * 10
    assert read(long_line)[0].title == long_line[:60]


def test_format_forces_either_reading(tmp_path):
    errors: list = []
    assert read(PARAGRAPH, fmt="digest", errors=errors) == [] and "no body" in str(errors[0])
    assert "format text" in str(errors[0])  # the hint for a sentence read as a title
    assert len(read(SIMP, fmt="text")) == 1
    path = tmp_path / "notes.txt"
    path.write_bytes(ARTICLE_IN_PARAGRAPHS.encode("gb18030"))
    from_file = read(path)
    assert [(a.title, a.body) for a in from_file] == [(a.title, a.body) for a in read(ARTICLE_IN_PARAGRAPHS)]


def test_a_file_cut_in_the_middle_of_a_character_still_decodes(tmp_path):
    data = SIMP.encode("utf-8")
    n = len(data) - 2  # the last line ends "…增长约三成。\n": cut inside 。
    assert data[n - 1] >= 0x80
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:n])
    arts = read(path)
    assert [a.title for a in arts] == [a.title for a in read(SIMP)]
    assert arts[-1].body == read(SIMP)[-1].body[:-1]  # everything but the split character

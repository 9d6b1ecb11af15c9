"""JSON-lines reader: good lines become Articles with offsets into the text; bad lines are reported
with their line number and skipped, the others go on."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsledger.errors import FormatError
from newsledger.sources.jsonl import parse_date, parse_line, read_jsonl

CORPUS = Path(__file__).parent / "corpus" / "sources"


def _read(name: str, **kw):
    errors: list = []
    text = (CORPUS / name).read_text(encoding="utf-8")
    return text, read_jsonl(text, origin=name, errors=errors, **kw), errors


def test_good_lines_become_articles_and_bad_lines_are_reported_by_number():
    text, arts, errors = _read("articles.jsonl")
    lines = text.split("\n")
    good = [json.loads(ln) for ln in lines if ln.startswith("{") and _is_good(ln)]
    assert [a.title for a in arts] == [g["title"] for g in good]
    assert [a.body for a in arts] == [g["body"] for g in good]
    bad_numbers = sorted(e.detail["line"] for e in errors)
    expected = [i for i, ln in enumerate(lines, 1) if ln.strip() and not _is_good(ln)]
    assert bad_numbers == expected
    for e in errors:
        assert isinstance(e, FormatError)
        assert f"articles.jsonl:{e.detail['line']}" in str(e)
        assert "skipped" in e.message


def _is_good(line: str) -> bool:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError:
        return False
    if not isinstance(rec, dict) or not rec.get("title") or not rec.get("body"):
        return False
    try:
        parse_date(rec.get("published"))
    except ValueError:
        return False
    return True


def test_metadata_fields_are_kept():
    _, arts, _ = _read("articles.jsonl")
    first = arts[0]
    assert first.source == "车市观察"
    assert first.url == "https://auto.example.cn/1"
    assert first.tag == "汽车"
    assert first.published == dt.date(2025, 10, 8)
    assert first.script == "simp"
    assert first.origin == "articles.jsonl"
    by_title = {a.title: a for a in arts}
    assert by_title["半導體設備訂單回溫"].published == dt.date(2025, 12, 5)  # 2025年12月5日
    assert by_title["半導體設備訂單回溫"].script == "trad"


def test_offsets_point_into_the_text_when_the_value_has_no_escapes():
    text, arts, _ = _read("articles.jsonl")
    for a in arts:
        assert text[a.body_start:a.body_end] == a.body
        if '"' not in a.title and "\\" not in a.title:
            assert text[a.title_start:a.title_end] == a.title
        else:  # the span of the escaped JSON literal
            assert json.loads('"' + text[a.title_start:a.title_end] + '"') == a.title


def test_published_and_tag_arguments():
    _, arts, _ = _read("articles.jsonl", published=dt.date(2024, 1, 2))
    undated = [a for a in arts if a.title.startswith("标题里有")]
    assert undated and undated[0].published == dt.date(2024, 1, 2)
    assert arts[0].published == dt.date(2025, 10, 8)  # a record's own date wins
    _, tagged, _ = _read("articles.jsonl", tag="批次一")
    assert {a.tag for a in tagged} == {"批次一"}


def test_ids_are_stable_and_depend_on_content():
    _, a1, _ = _read("articles.jsonl")
    _, a2, _ = _read("articles.jsonl", tag="x")
    assert [a.id for a in a1] == [a.id for a in a2]
    assert len({a.id for a in a1}) == len(a1)


def test_unicode_line_separator_inside_a_string_does_not_split_the_record():
    body = "第一句\u2028第二句提到增长5%。"
    text = json.dumps({"title": "分隔符", "body": body}, ensure_ascii=False)
    assert "\u2028" in text
    arts = read_jsonl(text, errors=[])
    assert len(arts) == 1 and arts[0].body == body


def test_without_an_error_list_problems_are_warnings():
    with pytest.warns(UserWarning, match="line 2|:2"):
        arts = read_jsonl('{"title": "甲", "body": "乙丙丁"}\nnot json\n')
    assert len(arts) == 1


@pytest.mark.parametrize("line, field", [
    ('{"title": "", "body": "正文"}', "title"),
    ('{"title": "标题", "body": "   "}', "body"),
    ('{"title": "标题", "body": 12}', "body"),
])
def test_missing_or_empty_fields_are_named(line, field):
    with pytest.raises(FormatError, match=field):
        parse_line(line, 7, origin="x.jsonl")


@pytest.mark.parametrize("value, expected", [
    ("2025-12-27", dt.date(2025, 12, 27)),
    ("2025-12-27T23:30:00+08:00", dt.date(2025, 12, 27)),
    ("2025-12-27T07:30:00Z", dt.date(2025, 12, 27)),
    ("Sat, 27 Dec 2025 07:30:00 +0800", dt.date(2025, 12, 27)),  # the local date, not UTC's 26th
    ("2025/1/5", dt.date(2025, 1, 5)),
    ("2025年12月5日", dt.date(2025, 12, 5)),
    ("", None),
    (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_parse_date_rejects_words():
    with pytest.raises(ValueError):
        parse_date("上周二")


@pytest.mark.parametrize("line", ['{"title": "半截', '   {"title": "半截', '{"title": 1,,}'])
def test_a_broken_line_is_reported_at_its_own_column_and_offset(line):
    """The column and the offset count the line as written (leading blanks included), and the
    message reads as one phrase ("starting at column N", not "starting at at column N")."""
    text = '{"title": "好", "body": "一行"}\n' + line + "\n"
    errors: list = []
    arts = read_jsonl(text, origin="f.jsonl", errors=errors)
    assert len(arts) == 1 and len(errors) == 1
    err = errors[0]
    try:
        json.loads(line.strip())
    except json.JSONDecodeError as exc:
        pos = len(line) - len(line.lstrip()) + exc.pos
    assert err.detail["offset"] == text.index("\n") + 1 + pos
    assert f"column {pos + 1})" in err.message
    assert " at at " not in err.message

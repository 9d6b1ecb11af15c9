"""``newsledger extract``: tables, JSON lines, stdin, --date, errors with codes."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsledger.cli import app

DIGEST = ("#测试\n"
          "统计局：前三季度零售总额同比增长4.5%\n"
          "国家统计局发布数据，前三季度社会消费品零售总额约36.6万亿元，比去年同期增长4.5%，明年有望继续回升。 (统计快讯)\n"
          "两家车企公布销量\n"
          "甲汽车十月交付新车1,500辆，乙汽车交付800余辆。\n")
TRAD = "#測試\n經濟部公布外銷訂單\n今年前十個月外銷訂單累計約新臺幣一千八百億元，較去年同期增加百分之十二。 （中央社）\n"

runner = CliRunner()


def _out(result):
    return result.output + (getattr(result, "stderr", "") or "")


@pytest.fixture
def digest(tmp_path):
    p = tmp_path / "digest.txt"
    p.write_text(DIGEST, "utf-8")
    return p


def test_json_lines_one_object_per_article_with_body_offsets(digest):
    result = runner.invoke(app, ["extract", str(digest), "--json", "--date", "2025-11-15"])
    assert result.exit_code == 0, _out(result)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(rows) == 2
    from newsledger.sources import read

    arts = read(digest)
    for row, art in zip(rows, arts):
        assert set(row) == {"id", "title", "source", "tag", "published", "figures", "times", "entities", "title_spans"}
        assert (row["id"], row["title"], row["source"], row["tag"]) == (art.id, art.title, art.source, art.tag)
        assert row["published"] == "2025-11-15"
        for kind in ("figures", "times", "entities"):
            for span in row[kind]:
                assert art.body[span["start"]:span["end"]] == span["text"]
            for span in row["title_spans"][kind]:  # the headline's spans count from the title
                assert art.title[span["start"]:span["end"]] == span["text"]
    texts = [f["text"] for f in rows[0]["figures"]]
    assert any("4.5%" in t for t in texts)
    assert rows[0]["source"] == "统计快讯" and rows[1]["source"] is None


def test_tables_show_each_article_and_explain_adds_rules(digest):
    plain = runner.invoke(app, ["extract", str(digest)])
    assert plain.exit_code == 0, _out(plain)
    assert "统计局：前三季度零售总额同比增长4.5%" in plain.stdout and "两家车企公布销量" in plain.stdout
    assert "figures" in plain.stdout and "rule" not in plain.stdout
    explained = runner.invoke(app, ["extract", str(digest), "--explain"])
    assert explained.exit_code == 0 and "rule" in explained.stdout


def test_stdin_bytes_in_big5():
    result = runner.invoke(app, ["extract", "-", "--json"], input=TRAD.encode("big5"))
    assert result.exit_code == 0, _out(result)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [r["title"] for r in rows] == ["經濟部公布外銷訂單"]
    assert rows[0]["source"] == "中央社" and rows[0]["published"] is None


def test_several_files_and_stdin_together(digest):
    result = runner.invoke(app, ["extract", str(digest), "-", "--json"], input=TRAD.encode("utf-8"))
    assert result.exit_code == 0, _out(result)
    assert len([ln for ln in result.stdout.splitlines() if ln.strip()]) == 3


@pytest.mark.parametrize(
    "args,code",
    [(["extract", "{missing}"], "[E404]"), (["extract", "{binary}"], "[E101]"),
     (["extract", "{digest}", "--date", "2025-13-40"], "[E301]"),
     (["extract", "{digest}", "--format", "pdf"], "[E301]")],
)
def test_errors_print_code_and_exit_2(tmp_path, digest, args, code):
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    paths = {"missing": str(tmp_path / "missing.txt"), "binary": str(binary), "digest": str(digest)}
    result = runner.invoke(app, [a.format(**paths) for a in args])
    assert result.exit_code == 2
    assert code in _out(result)


def test_title_without_body_is_reported_but_rest_is_printed(tmp_path):
    p = tmp_path / "odd.txt"
    p.write_text(DIGEST + "孤單的標題\n", "utf-8")
    result = runner.invoke(app, ["extract", str(p), "--json"])
    assert result.exit_code == 0
    assert len([ln for ln in result.stdout.splitlines() if ln.startswith("{")]) == 2
    assert "[E102]" in _out(result) and "no body" in _out(result)


PLAIN = "海关总署公布，前十个月货物贸易进出口总值约36万亿元，同比增长3.6%，其中出口增长6.2%。明年外贸有望继续回暖。"


@pytest.mark.parametrize("how", ["stdin", "file"])
def test_plain_text_is_extracted_as_one_text(tmp_path, how):
    if how == "stdin":
        result = runner.invoke(app, ["extract", "-", "--json"], input=PLAIN.encode("utf-8"))
    else:
        p = tmp_path / "note.txt"
        p.write_text(PLAIN + "\n", "utf-8")
        result = runner.invoke(app, ["extract", str(p), "--json"])
    assert result.exit_code == 0, _out(result)
    assert "[E102]" not in _out(result)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(rows) == 1
    assert PLAIN.startswith(rows[0]["title"]) and rows[0]["title"]
    percents = [f["text"] for f in rows[0]["figures"] if f["kind"] == "percent"]
    assert "3.6%" in percents and "6.2%" in percents  # figures of the first sentence and the rest
    for f in rows[0]["figures"]:
        assert PLAIN[f["start"]:f["end"]] == f["text"]  # the body is the whole text


def test_digest_on_stdin_is_still_read_as_articles_and_help_states_the_rule():
    result = runner.invoke(app, ["extract", "-", "--json"], input=DIGEST.encode("utf-8"))
    assert len([ln for ln in result.stdout.splitlines() if ln.strip()]) == 2
    forced = runner.invoke(app, ["extract", "-", "--json", "--format", "text"], input=DIGEST.encode("utf-8"))
    assert len([ln for ln in forced.stdout.splitlines() if ln.strip()]) == 1
    help_text = " ".join(runner.invoke(app, ["extract", "--help"]).output.split())
    assert "#tag line" in help_text and "one text" in help_text and "--format text" in help_text



def test_headline_figures_are_shown_once(tmp_path):
    """A digest headline's figures come in title_spans (as ingest stores them); a title read from
    plain text's first sentence is not extracted twice."""
    digest = tmp_path / "d.txt"
    digest.write_text("#示例\n風電併網量年增三成\n離岸風電今年併網約1,500百萬瓩。（能源報）\n", encoding="utf-8")
    row = json.loads(runner.invoke(app, ["extract", str(digest), "--json"]).stdout.splitlines()[0])
    assert [f["text"] for f in row["title_spans"]["figures"]] == ["三成"]
    assert row["title"][row["title_spans"]["figures"][0]["start"]:row["title_spans"]["figures"][0]["end"]] == "三成"
    tables = runner.invoke(app, ["extract", str(digest)]).stdout
    assert "title figures (1)" in tables
    plain = tmp_path / "p.txt"
    plain.write_text("儲能協會指出，今年新增裝置容量年增35%，業者預估明年再增兩成。\n", encoding="utf-8")
    row = json.loads(runner.invoke(app, ["extract", str(plain), "--json"]).stdout.splitlines()[0])
    assert row["title_spans"] == {"figures": [], "times": [], "entities": []}
    assert sorted(f["text"] for f in row["figures"]) == ["35%", "兩成"]


def test_many_articles_are_extracted_in_batches_with_the_same_results_as_one_by_one(tmp_path, monkeypatch):
    """More articles than one batch, with headlines (JSON lines) and without (a plain text, whose
    title is its first sentence): each row is what extract() gives for that body and headline alone."""
    from newsledger import ingest
    from newsledger.extract import extract
    from newsledger.model import to_dict

    monkeypatch.setattr(ingest, "EXTRACT_BATCH", 8)  # several batches, one across the two files

    rows = [{"title": f"第{i}号工厂产量增长{i % 7 + 1}.5%",
             "body": f"华东第{i}工厂今年前{i % 9 + 1}个月产量增长{i % 7 + 1}.5%，达到{120 + i}万吨，张明远表示明年将扩产。",
             "published": "2025-10-01"} for i in range(20)]
    p = tmp_path / "many.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(PLAIN, "utf-8")
    result = runner.invoke(app, ["extract", str(p), str(plain), "--json", "--date", "2025-10-01"])
    assert result.exit_code == 0, _out(result)
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(got) == len(rows) + 1
    expected = [(r["body"], r["title"]) for r in rows] + [(PLAIN.strip(), None)]
    for row, (body, title) in zip(got, expected):
        alone = extract(body, ref_date="2025-10-01")
        assert row["figures"] == [to_dict(f) for f in alone.figures]
        assert row["times"] == [to_dict(t) for t in alone.times]
        assert row["entities"] == [to_dict(e) for e in alone.entities]
        want = [to_dict(f) for f in extract(title, ref_date="2025-10-01").figures] if title else []
        assert row["title_spans"]["figures"] == want
    assert all(row["title_spans"]["figures"] for row in got[:-1]) and not got[-1]["title_spans"]["figures"]
    assert any(row["entities"] for row in got)

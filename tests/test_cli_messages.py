"""Messages a new user meets: each says what was wrong, under the option's own name, and what to do."""
from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.errors import ConfigError
from newsledger.sources import make_article

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from newsledger.extract import extract
    from newsledger.store import Ledger

    url = f"sqlite:///{tmp_path_factory.mktemp('msg') / 'l.db'}"
    with Ledger(url) as ledger:
        for i, (title, body) in enumerate((("甲廠擴建新產線", "甲廠宣布投資約30億元擴建新產線，預計後年投產。"),
                                           ("乙店營收回升", "乙店上月營收約2億元，較前月回升一成。"))):
            a = make_article(title, body, tag="訊息", source="測試報")  # undated, as digest articles are
            ledger.add(a, extract(a.body))
    return url


def _text(r):
    return " ".join((r.output + " " + str(r.exception or "")).split())


def test_search_without_words_or_filters_says_what_to_give(db):
    r = runner.invoke(app, ["search", "--db", db])
    assert isinstance(r.exception, ConfigError)
    assert "nothing to search" in str(r.exception) and "--tag" in str(r.exception)


def test_search_without_words_lists_and_says_so(db):
    r = runner.invoke(app, ["search", "--db", db, "--tag", "訊息"])
    assert r.exit_code == 0, r.output
    assert "2 article(s) pass the filters" in r.stdout and "result(s) for" not in r.stdout


@pytest.mark.parametrize("cmd", [["search"], ["export"], ["digest"]])
def test_an_empty_date_range_over_undated_articles_explains_why(db, cmd):
    r = runner.invoke(app, [*cmd, "--db", db, "--from", "2025-01-01"])
    assert "articles without a publication date never match --from/--to" in _text(r)
    assert "--date" in _text(r)


def test_digest_checks_script_before_reading(tmp_path):
    r = runner.invoke(app, ["digest", "--db", str(tmp_path / "missing.db"), "--script", "simplified"])
    assert isinstance(r.exception, ConfigError)
    assert "--script 'simplified'" in str(r.exception) and "trad or simp" in str(r.exception)


def test_brief_no_charts_does_not_claim_charts(db, tmp_path):
    out = tmp_path / "b.md"
    r = runner.invoke(app, ["brief", "--db", db, "--format", "md", "--no-charts", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "charts skipped" in r.stdout and not (tmp_path / "b_charts").exists()
    r = runner.invoke(app, ["brief", "--db", db, "--format", "md", "--out", str(out)])
    assert r.exit_code == 0, r.output
    n = len(list((tmp_path / "b_charts").glob("*.png")))
    assert f"{n} charts in" in r.stdout


@pytest.mark.parametrize("cmd", [["ingest", "{digest}", "--db", "{db}", "--no-progress"],
                                 ["extract", "{digest}"],
                                 ["batch", "{digest}", "--db", "{db}", "--scheduler", "sync", "--no-progress"]])
@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday"])
def test_date_option_is_checked_under_its_name(tmp_path, cmd, bad):
    digest = tmp_path / "d.txt"
    digest.write_text("#x\n甲廠擴建新產線\n甲廠宣布投資約30億元擴建新產線。\n", "utf-8")
    db = tmp_path / "new.db"
    args = [a.format(digest=digest, db=db) for a in cmd] + ["--date", bad]
    r = runner.invoke(app, args)
    assert r.exit_code != 0
    assert f"--date {bad!r} is not a date" in _text(r) and "YYYY-MM-DD" in _text(r)
    assert not db.exists()  # refused before a ledger was created


def test_date_helpers_accept_real_dates():
    from newsledger.commands.search import date_option, date_range

    assert date_option("2025-11-30", "--date") == dt.date(2025, 11, 30)
    assert date_option(None, "--date") is None
    assert date_range(None, None, "2025-01-01", None) == (dt.date(2025, 1, 1), None)


@pytest.mark.parametrize("content", ["", "\n\n", "#只有標籤\n"])
def test_extract_says_when_a_file_holds_no_articles(tmp_path, content):
    p = tmp_path / "empty.txt"
    p.write_text(content, "utf-8")
    r = runner.invoke(app, ["extract", str(p)])
    assert r.exit_code == 0
    assert "no articles found in it" in _text(r) and "empty.txt" in _text(r)
    r = runner.invoke(app, ["extract", "-"], input=content.encode("utf-8"))
    assert "<stdin>: no articles found in it" in _text(r)


def test_demo_marks_search_matches_in_a_pipe(tmp_path):
    r = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db"), "--no-serve", "--query", "数据"])
    assert r.exit_code == 0, r.output
    assert "«数据»" in r.stdout or "«資料»" in r.stdout

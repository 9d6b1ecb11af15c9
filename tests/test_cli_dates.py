"""One name for the date range in every command: --from/--to, with the old --date-from/--date-to
kept as hidden aliases; dates are checked under the option's own name."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.sources import make_article

runner = CliRunner()
ROWS = [("甲公司十月營收成長", "甲公司十月營收約新臺幣120億元，年增8%。", dt.date(2025, 10, 31)),
        ("乙公司十一月出貨", "乙公司十一月出貨約3萬台，較上月增加一成。", dt.date(2025, 11, 30)),
        ("丙公司公布年度計畫", "丙公司計畫明年投資約50億元擴建工廠。", dt.date(2025, 12, 15))]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from newsledger.extract import extract
    from newsledger.store import Ledger

    url = f"sqlite:///{tmp_path_factory.mktemp('dates') / 'l.db'}"
    with Ledger(url) as ledger:
        for title, body, day in ROWS:
            a = make_article(title, body, tag="日期", source="測試報", published=day)
            ledger.add(a, extract(a.body, ref_date=day))
    return url


def _titles(cmd, db, *args, tmp_path=None):
    if cmd == "search":
        r = runner.invoke(app, ["search", "--db", db, "--json", *args])
        assert r.exit_code == 0, r.output
        return sorted(h["title"] for h in json.loads(r.stdout)["hits"])
    if cmd == "export":
        r = runner.invoke(app, ["export", "--db", db, "--what", "articles", *args])
        assert r.exit_code == 0, r.output
        return sorted(json.loads(ln)["title"] for ln in r.stdout.splitlines() if ln.startswith("{"))
    if cmd == "digest":
        r = runner.invoke(app, ["digest", "--db", db, *args])
        assert r.exit_code == 0, r.output
        return sorted(t for t, _, _ in ROWS if t in r.stdout)
    out = tmp_path / "b.md"
    r = runner.invoke(app, ["brief", "--db", db, "--format", "md", "--no-charts", "--out", str(out), *args])
    assert r.exit_code == 0, r.output
    text = out.read_text("utf-8")
    return sorted(t for t, _, _ in ROWS if t in text)


@pytest.mark.parametrize("cmd", ["search", "export", "digest", "brief"])
def test_from_to_and_the_old_names_select_the_same(cmd, db, tmp_path):
    want = sorted([ROWS[1][0], ROWS[2][0]])
    assert _titles(cmd, db, "--from", "2025-11-01", tmp_path=tmp_path) == want
    assert _titles(cmd, db, "--date-from", "2025-11-01", tmp_path=tmp_path) == want
    assert _titles(cmd, db, "--from", "2025-11-01", "--to", "2025-11-30", tmp_path=tmp_path) == [ROWS[1][0]]
    assert _titles(cmd, db, "--date-from", "2025-11-01", "--date-to", "2025-11-30", tmp_path=tmp_path) == [ROWS[1][0]]


@pytest.mark.parametrize("cmd", ["search", "export", "digest", "brief"])
def test_help_shows_from_to_only(cmd):
    text = runner.invoke(app, [cmd, "--help"]).output
    assert "--from" in text and "--to" in text
    assert "--date-from" not in text and "--date-to" not in text


@pytest.mark.parametrize("args,words", [
    (["--from", "2025-13-01"], ["--from", "YYYY-MM-DD"]),
    (["--to", "30/11/2025"], ["--to", "YYYY-MM-DD"]),
    (["--from", "2025-12-01", "--to", "2025-11-01"], ["--from 2025-12-01 is after --to 2025-11-01", "swap"]),
    (["--from", "2025-11-01", "--date-from", "2025-10-01"], ["--date-from is the old name of --from"]),
])
@pytest.mark.parametrize("cmd", ["search", "export", "digest"])
def test_bad_dates_are_reported_under_the_option_name(cmd, db, args, words):
    r = runner.invoke(app, [cmd, "--db", db, *args])
    assert r.exit_code != 0
    msg = " ".join((r.output + str(r.exception or "")).split())
    assert all(w in msg for w in words), msg


def test_brief_refuses_ledger_filters_with_input_files(tmp_path):
    p = tmp_path / "d.txt"
    p.write_text("#x\n" + "\n".join(f"{t}\n{b}" for t, b, _ in ROWS) + "\n", "utf-8")
    r = runner.invoke(app, ["brief", "--input", str(p), "--from", "2025-11-01", "--out", str(tmp_path / "b.md"),
                            "--format", "md", "--no-charts"])
    assert r.exit_code != 0
    assert "--from" in str(r.exception) and "--input" in str(r.exception)

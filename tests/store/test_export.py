"""Exports (JSONL, CSV, Parquet) and the search/export/stats commands, on both engines."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.errors import ConfigError
from newsledger.model import Extraction
from newsledger.store import Filters
from newsledger.store.export import export

import _store_examples as ex

KINDS = ("articles", "figures", "times", "entities", "claims", "findings")


@pytest.fixture
def filled(ledger):
    return ledger, ex.fill(ledger)


@pytest.mark.parametrize("what", KINDS)
def test_jsonl_and_csv_match_the_iterators(filled, what):
    ledger, _ = filled
    expected = list(ledger.iter_rows(what))
    assert expected, what
    buf = io.StringIO()
    assert export(ledger, what, "jsonl", buf) == len(expected)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert [r["article_id" if what != "articles" else "id"] for r in lines] == \
        [r["article_id" if what != "articles" else "id"] for r in expected]
    buf = io.StringIO()
    assert export(ledger, what, "csv", buf) == len(expected)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == len(expected)
    assert list(rows[0]) == [c for c, _ in ledger.columns(what)]
    if what == "figures":
        assert [float(r["value"]) for r in rows] == [r["value"] for r in expected]
        assert all(r["text"] in r["sentence"] for r in rows)


@pytest.mark.parametrize("what", KINDS)
def test_parquet_is_typed_and_written_in_row_groups(filled, what, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    ledger, _ = filled
    n = len(list(ledger.iter_rows(what)))
    out = tmp_path / f"{what}.parquet"
    assert export(ledger, what, "parquet", str(out), batch_size=2) == n
    pf = pq.ParquetFile(out)
    assert pf.metadata.num_rows == n
    assert pf.metadata.num_row_groups == (n + 1) // 2  # one row group per batch: streamed, not collected
    schema = pf.schema_arrow
    if what in ("articles", "figures"):
        assert schema.field("published").type == pa.date32()
    if what == "figures":
        assert schema.field("value").type == pa.float64() and schema.field("start").type == pa.int64()
    if what == "findings":
        spans = pf.read().column("spans").to_pylist()
        assert all(isinstance(json.loads(s), list) for s in spans)


def test_export_applies_filters(filled):
    ledger, arts = filled
    buf = io.StringIO()
    n = export(ledger, "figures", "jsonl", buf, Filters(kind="money", unit="USD", value_min=1e11))
    assert n == 1 and json.loads(buf.getvalue())["text"] == "4000億美元"
    buf = io.StringIO()
    assert export(ledger, "articles", "csv", buf, Filters(source="新华社")) == 2


def test_export_streams_many_rows(ledger, tmp_path):
    # 300 articles, exported in 25-row groups: the writer never needs them all at once
    for i in range(300):
        a = ex.make(f"第{i}号报告", f"报告编号{i}，内容为测试数据。", tag="批量", source="生成器", published="2025-01-01")
        ledger.add(a, Extraction(text=a.body))
    import pyarrow.parquet as pq

    out = tmp_path / "a.parquet"
    assert export(ledger, "articles", "parquet", str(out), batch_size=25) == 300
    assert pq.ParquetFile(out).metadata.num_row_groups == 12
    assert ledger.search("测试").total == 300


def test_export_rejects_unknown_kind_and_format(filled):
    ledger, _ = filled
    with pytest.raises(ConfigError, match="--what"):
        export(ledger, "people", "jsonl", io.StringIO())
    with pytest.raises(ConfigError, match="--format"):
        export(ledger, "figures", "xlsx", io.StringIO())


def test_commands(filled, ledger_url, tmp_path):
    ledger, arts = filled
    runner = CliRunner()
    res = runner.invoke(app, ["search", "互联网", "--db", ledger_url, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["total"] == 2 and {h["id"] for h in data["hits"]} == {arts["a2"].id, arts["a3"].id}
    res = runner.invoke(app, ["search", "人工智能", "--db", ledger_url])
    assert res.exit_code == 0 and "人工智慧" in res.stdout and arts["a1"].title in res.stdout
    src = arts["a1"].source
    res = runner.invoke(app, ["search", "--source", src, "--db", ledger_url, "--json"])  # filters, no words
    assert res.exit_code == 0, res.output
    want = {a.id for a in arts.values() if a.source == src}
    assert {h["id"] for h in json.loads(res.stdout)["hits"]} == want
    out = tmp_path / "f.csv"
    res = runner.invoke(app, ["export", "--format", "csv", "--what", "figures", "--unit", "USD", "--db", ledger_url,
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 2
    res = runner.invoke(app, ["stats", "--db", ledger_url, "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["articles"] == 4
    res = runner.invoke(app, ["stats", "--db", ledger_url])
    assert res.exit_code == 0 and "新华社" in res.stdout

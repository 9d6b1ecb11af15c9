"""Batch runs on Dask give the ledger an ingest of the same input gives: same articles, figures,
times, entities, claims, duplicates, errors.  Most tests use the "sync" scheduler (no cluster, fast);
one runs a real 2-process LocalCluster."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from newsledger.extract import extract
from newsledger.ingest import IngestInterrupted, IngestSummary, extraction_text, ingest
from newsledger.scale import run_batch
from newsledger.scale.plan import _line_ranges, plan
from newsledger.store import Ledger

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SOURCES = Path(__file__).parent / "corpus" / "sources"
sys.path.insert(0, str(ROOT / "benchmarks"))
import gen_corpus  # noqa: E402

# Summary fields an ingest also has; "seconds" differs by nature.
FIELDS = ("new", "duplicate", "near_duplicate", "rejected", "figures", "times", "entities", "files",
          "files_failed", "interrupted")


def dump(url) -> dict:
    """Everything a ledger holds, row by row (without ingest timestamps)."""
    with Ledger(url) as led:
        out = {}
        for what in ("articles", "figures", "times", "entities", "claims", "findings"):
            out[what] = [{k: v for k, v in r.items() if k not in ("ingested_at", "added_at")}
                         for r in getattr(led, f"iter_{what}")()]
        out["duplicates"] = sorted(
            (d["article_id"], d["duplicate_of"], d["similarity"], d["origin"])
            for a in out["articles"] for d in led.get(a["id"]).duplicates)
        out["stats"] = led.stats()
    return out


def both(tmp_path, paths, **batch_kw):
    """(ingest summary, batch summary); asserts both ledgers hold exactly the same rows."""
    ing_url, bat_url = str(tmp_path / "ingest.db"), str(tmp_path / "batch.db")
    with Ledger(ing_url) as led:
        s_ing = ingest(paths, led, progress=False, tag=batch_kw.get("tag"), published=batch_kw.get("published"))
    s_bat = run_batch(paths, bat_url, **batch_kw)
    assert {f: getattr(s_bat, f) for f in FIELDS} == {f: getattr(s_ing, f) for f in FIELDS}
    assert s_bat.errors == s_ing.errors
    a, b = dump(ing_url), dump(bat_url)
    for what in a:
        assert b[what] == a[what], what
    return s_ing, s_bat


def write_corpus(folder: Path, n: int, seed: int, *, jsonl_share: float = 0.5, per_file: int = 40) -> list[str]:
    """A generated corpus with many reposts and exact repeats, half JSON lines, half digests."""
    arts = list(gen_corpus.generate(n, seed, repost_rate=0.12, dup_rate=0.05))
    cut = int(n * jsonl_share)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as fh:
        gen_corpus.write_jsonl(arts[:cut], fh)
    gen_corpus.write_digests(iter(arts[cut:]), folder / "digests", per_file=per_file)
    return [str(folder / "feed.jsonl"), str(folder / "digests")]


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_examples_same_as_ingest(tmp_path, scheduler):
    s_ing, s_bat = both(tmp_path, [str(EXAMPLES)], scheduler=scheduler, partition_size=3,
                        tag="样例", published="2025-12-28")
    assert s_bat.new > 10 and s_bat.figures > 50 and s_bat.partitions >= 2


def test_generated_corpus_split_files_same_as_ingest(tmp_path):
    # 16-article partitions: the JSON-lines file spreads over many ranges, the 120-article digest
    # files are cut into slices, and reposts land in other partitions than their originals
    paths = write_corpus(tmp_path / "in", 300, seed=7, per_file=120)
    s_ing, s_bat = both(tmp_path, paths, scheduler="sync", partition_size=16)
    assert s_bat.partitions >= 15
    assert s_bat.near_duplicate > 5 and s_bat.duplicate > 5
    groups = plan(paths, IngestSummary(), 16)[1]
    kinds = {p.kind for g in groups for p in g}
    assert {"jsonl", "slice"} <= kinds


def test_bad_files_and_records_reported_as_ingest(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = {"title": "某市一季度财政收入", "body": "某市一季度一般公共预算收入达到120亿元,同比增长4.5%。"}
    lines = [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"title": "只有标题"}, ensure_ascii=False),
             "", json.dumps({**good, "title": "某市二季度财政收入"}, ensure_ascii=False)]
    bad.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe\x00\x01 binary\n"
                    + json.dumps({**good, "title": "第三条"}, ensure_ascii=False).encode())
    paths = [str(SOURCES), str(bad), str(tmp_path / "missing.txt")]
    s_ing, s_bat = both(tmp_path, paths, scheduler="sync", partition_size=2)
    assert s_bat.rejected >= 7 and s_bat.files_failed >= 4
    lines_reported = sorted(e["line"] for e in s_bat.errors if e["file"] == str(bad))
    assert lines_reported == [2, 3, 6]
    assert any("missing.txt" in e["message"] for e in s_bat.errors)


def test_reingest_adds_nothing_and_skips_extraction(tmp_path, monkeypatch):
    url = str(tmp_path / "l.db")
    first = run_batch([str(EXAMPLES)], url, scheduler="sync", partition_size=4)
    before = dump(url)

    def boom(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("extract() called for an article already stored")

    monkeypatch.setattr(sys.modules["newsledger.extract"], "extract", boom)
    monkeypatch.setattr(sys.modules["newsledger.extract"], "extract_many", boom)
    again = run_batch([str(EXAMPLES)], url, scheduler="sync", partition_size=4)
    assert (again.new, again.duplicate, again.rejected) == (0, first.new, 0)
    assert dump(url) == before


def test_ctrl_c_keeps_whole_articles_only(tmp_path, monkeypatch):
    from newsledger.scale import pipeline

    url = str(tmp_path / "l.db")
    real = pipeline._Writer.store
    calls = {"n": 0}

    def store(self, *a):  # noqa: ANN001, ANN002, ANN202
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt
        return real(self, *a)

    monkeypatch.setattr(pipeline._Writer, "store", store)
    with pytest.raises(IngestInterrupted) as stop:
        run_batch([str(EXAMPLES)], url, scheduler="sync", partition_size=3)
    s = stop.value.summary
    # articles are written a batch at a time (as ingest): the first file's batch is committed, the
    # batch the interrupt fell in (stores 5 and 6, of the second file) is absent, not half-stored
    assert s.interrupted and 0 < s.new < 5
    with Ledger(url) as led:
        ids = [r["id"] for r in led.iter_articles()]
        assert len(ids) == s.new
        for aid in ids:
            stored = led.get(aid)
            fresh = extract(extraction_text(stored.article), ref_date=stored.article.published)
            assert len(stored.extraction.figures) == len(fresh.figures)
            assert len(stored.extraction.entities) == len(fresh.entities)


def test_writes_batches_with_add_many(tmp_path, monkeypatch):
    """The writer stores with Ledger.add_many in ingest's batches, never one article at a time."""
    from newsledger.ingest import EXTRACT_BATCH

    sizes: list[int] = []
    real = Ledger.add_many

    def add_many(self, items):  # noqa: ANN001, ANN202
        items = list(items)
        sizes.append(len(items))
        return real(self, items)

    def add(self, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise AssertionError("Ledger.add called: the batch writer should store with add_many")

    monkeypatch.setattr(Ledger, "add_many", add_many)
    monkeypatch.setattr(Ledger, "add", add)
    paths = write_corpus(tmp_path / "in", 120, seed=11, per_file=40)
    s = run_batch(paths, str(tmp_path / "l.db"), scheduler="sync", partition_size=16)
    assert sum(sizes) == s.new and s.new > 60
    assert max(sizes) <= EXTRACT_BATCH and len(sizes) < s.new / 2  # reposts and repeats cut batches short


def test_failed_extraction_and_bad_record_in_one_batch_reported_as_ingest(tmp_path, monkeypatch):
    """ingest reports a bad record when it reads it, and an article's extraction failure when its
    batch is stored: the batch run gives the same errors in the same order."""
    import newsledger.extract as extract_mod

    real = extract_mod.extract

    def failing(text, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if "故障" in text:
            raise ValueError("simulated extractor bug")
        return real(text, *a, **k)

    def failing_many(texts, ref_dates=None, options=None):  # noqa: ANN001, ANN202
        return [failing(t, ref_date=d, options=options) for t, d in zip(texts, ref_dates or [None] * len(texts))]

    monkeypatch.setattr(extract_mod, "extract", failing)
    monkeypatch.setattr(extract_mod, "extract_many", failing_many)
    recs = [{"title": "甲地设备故障", "body": "甲地一台设备故障,维修花费3万元。"},
            {"title": "乙地粮食收购", "body": "乙地今年收购粮食45万吨,比去年多两成。"},
            {"title": "丙地客流", "body": "丙地车站五一假期发送旅客12.6万人次。"}]
    lines = [json.dumps(recs[0], ensure_ascii=False), json.dumps(recs[1], ensure_ascii=False), "{broken",
             json.dumps(recs[2], ensure_ascii=False)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s_ing, s_bat = both(tmp_path, [str(feed)], scheduler="sync", partition_size=1)
    assert [(e["line"], e["code"]) for e in s_bat.errors] == [(3, s_ing.errors[0]["code"]), (None, "ValueError")]
    assert s_bat.new == 2 and s_bat.rejected == 2


def _caller_module() -> str:
    return sys._getframe(2).f_globals.get("__name__", "")


def test_workers_extract_in_batches_with_extract_many(tmp_path, monkeypatch):
    """Workers extract a partition in ingest's batches (extract_many, at most EXTRACT_BATCH
    articles); extract() one by one only for a batch of one article."""
    import newsledger.extract as extract_mod
    import newsledger.ingest as ingest_mod

    EXTRACT_BATCH = 32  # smaller than the default, so a 70-article partition holds two full batches
    monkeypatch.setattr(ingest_mod, "EXTRACT_BATCH", EXTRACT_BATCH)  # the sync scheduler runs workers here
    real_one, real_many = extract_mod.extract, extract_mod.extract_many
    sizes: list[int] = []
    singles = {"n": 0}

    def one(*a, **k):  # noqa: ANN002, ANN003, ANN202
        singles["n"] += _caller_module() == "newsledger.scale.work"
        return real_one(*a, **k)

    def many(texts, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if _caller_module() == "newsledger.scale.work":
            sizes.append(len(texts))
        return real_many(texts, *a, **k)

    monkeypatch.setattr(extract_mod, "extract", one)
    monkeypatch.setattr(extract_mod, "extract_many", many)
    paths = write_corpus(tmp_path / "in", 150, seed=13, per_file=25)
    s_ing, s_bat = both(tmp_path, paths, scheduler="sync", partition_size=70)
    # a fresh ledger: every article read is extracted by a worker, in a batch or (a partition's
    # last lone article) by itself
    assert sum(sizes) + singles["n"] == s_bat.articles
    assert sizes, "workers never called extract_many"
    assert max(sizes) == EXTRACT_BATCH and min(sizes) > 1
    assert singles["n"] <= s_bat.partitions and sum(sizes) > 0.9 * s_bat.articles


def test_one_failing_article_in_a_worker_batch_only_costs_itself(tmp_path, monkeypatch):
    """When a worker's extract_many batch fails, its articles are extracted one by one: the bad
    one is reported alone (as ingest reports it), the others are stored."""
    import newsledger.extract as extract_mod

    real = extract_mod.extract
    worker_batches: list[list[str]] = []

    def failing(text, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        if "故障" in text:
            raise ValueError("simulated extractor bug")
        return real(text, *a, **k)

    def failing_many(texts, ref_dates=None, options=None):  # noqa: ANN001, ANN202
        if _caller_module() == "newsledger.scale.work":
            worker_batches.append(list(texts))
        return [failing(t, ref_date=d, options=options) for t, d in zip(texts, ref_dates or [None] * len(texts))]

    monkeypatch.setattr(extract_mod, "extract", failing)
    monkeypatch.setattr(extract_mod, "extract_many", failing_many)
    places = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]
    recs = [{"title": f"{p}县{'设备故障' if i == 3 else '粮食收购'}",
             "body": f"{p}县今年{'一台设备故障,维修花费' if i == 3 else '收购粮食'}{i + 2}万{'元' if i == 3 else '吨'}。"}
            for i, p in enumerate(places)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    s_ing, s_bat = both(tmp_path, [str(feed)], scheduler="sync", partition_size=50)
    assert len(worker_batches) == 1 and len(worker_batches[0]) == len(recs)
    assert any("故障" in t for t in worker_batches[0])
    assert s_bat.new == len(recs) - 1 and s_bat.rejected == 1
    assert [e["code"] for e in s_bat.errors] == ["ValueError"] and "丁县" in s_bat.errors[0]["message"]


def test_stdin(tmp_path, monkeypatch):
    data = (SOURCES / "digest_simp.txt").read_text("utf-8").encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    s = run_batch(["-"], str(tmp_path / "l.db"), scheduler="sync")
    assert s.new == 3
    with Ledger(str(tmp_path / "l.db")) as led:
        assert {r["origin"] for r in led.iter_articles()} == {"<stdin>"}


def test_line_ranges_cover_every_line_once(tmp_path):
    p = tmp_path / "x.jsonl"
    for body, n_lines in ((b"a\nbb\n\nccc\nd\n", 5), (b"a\nbb\n\nccc\nd", 5), (b"", 0), (b"x", 1)):
        p.write_bytes(body)
        for per in (1, 2, 3, 10):
            ranges = _line_ranges(str(p), per)
            assert b"".join(body[s:e] for s, e, _, _ in ranges) == body
            assert sum(n for *_, n in ranges) == n_lines
            assert all(n <= per for *_, n in ranges)
            assert [line for _, _, line, _ in ranges] == [1 + sum(r[3] for r in ranges[:i]) for i in range(len(ranges))]


def test_bad_arguments(tmp_path):
    from newsledger.errors import ConfigError

    for kw in ({"scheduler": "nowhere"}, {"workers": 0}, {"partition_size": 0}, {"published": "yesterday"}):
        with pytest.raises(ConfigError):
            run_batch([str(EXAMPLES)], str(tmp_path / "l.db"), **{"scheduler": "sync", **kw})


def test_cli(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    db = str(tmp_path / "cli.db")
    res = CliRunner().invoke(app, ["batch", str(EXAMPLES), "--db", db, "--scheduler", "sync",
                                   "--partition-size", "2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["new"] > 0 and out["scheduler"] == "sync" and out["partitions"] >= 2
    with Ledger(db) as led:
        assert led.stats()["articles"] == out["new"]
    res = CliRunner().invoke(app, ["batch", str(tmp_path / "none*.txt"), "--db", db, "--scheduler", "sync"])
    assert res.exit_code == 2


def test_local_cluster_two_processes(tmp_path):
    """A real LocalCluster (2 worker processes): same ledger as ingest."""
    paths = write_corpus(tmp_path / "in", 80, seed=3, per_file=20)
    s_ing, s_bat = both(tmp_path, paths, scheduler="local", workers=2, partition_size=10)
    assert s_bat.workers == 2 and s_bat.partitions >= 8 and s_bat.new > 50


def test_ctrl_c_on_a_local_cluster_exits_cleanly(tmp_path):
    """SIGINT to `newsledger batch` on a 2-worker LocalCluster: exit 130, whole articles only,
    no worker process left behind."""
    import signal
    import subprocess
    import time

    import psutil

    # far more articles than the first transaction (ingest.EXTRACT_BATCH) holds, so the batch is
    # still running when the signal lands, however fast this machine is at the time
    total = 1200
    paths = write_corpus(tmp_path / "in", total, seed=5, per_file=50)
    db = tmp_path / "l.db"
    proc = subprocess.Popen([sys.executable, "-m", "newsledger.cli", "batch", *paths, "--db", str(db),
                             "--workers", "2", "--partition-size", "10", "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            # a test run started in the background has SIGINT ignored, and a child
                            # inherits that: give the batch the default disposition, as in a terminal
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.time() + 240
        stored = 0
        while time.time() < deadline and proc.poll() is None:
            time.sleep(0.5)
            if db.exists():
                with Ledger(str(db)) as led:
                    stored = led.stats()["articles"]
                if stored >= 3:
                    break
        assert stored >= 3 and proc.poll() is None, "the batch did not start storing in time"
        children = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err[-2000:]
    assert "interrupted" in err
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, [p.cmdline() for p in alive]
    with Ledger(str(db)) as led:
        n = led.stats()["articles"]
        assert 3 <= n < total
        for r in list(led.iter_articles())[:10]:
            stored_art = led.get(r["id"])
            fresh = extract(extraction_text(stored_art.article), ref_date=stored_art.article.published)
            assert len(stored_art.extraction.figures) == len(fresh.figures)


def test_scheduler_address(tmp_path):
    """A running scheduler given by address (here an in-process cluster listening on TCP)."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        s_ing, s_bat = both(tmp_path, [str(EXAMPLES)], scheduler=cluster.scheduler_address, partition_size=4)
    assert s_bat.workers == 1 and s_bat.new > 10

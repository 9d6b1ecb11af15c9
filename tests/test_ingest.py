"""Ingest into a real SQLite ledger: every source kind, duplicates and near-duplicates, bad input
reported and skipped, bounded memory on huge lines, and nothing half-stored after Ctrl-C or kill -9."""
from __future__ import annotations

import datetime as dt
import http.server
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from newsledger.extract import extract
from newsledger.ingest import MAX_ARTICLE_CHARS, MAX_LINE_BYTES, IngestInterrupted, extraction_text, ingest
from newsledger.sources import article_id
from newsledger.store import Ledger
from newsledger.text.script import to_script

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "corpus" / "sources"
SOURCES = ["article_simp_gb18030.html", "article_trad_utf8.html", "articles.jsonl", "articles_gb18030.jsonl",
           "digest_simp.txt", "feed_atom_big5.xml", "feed_rss.xml", "feed_truncated.xml", "junk.txt",
           "menu_only.html", "not_a_feed.xml"]


@pytest.fixture
def ledger(tmp_path):
    with Ledger(str(tmp_path / "ledger.db")) as led:
        yield led


def _ids(ledger) -> list[str]:
    return [r["id"] for r in ledger.iter_articles()]


def assert_complete(ledger) -> int:
    """Every stored article has all the figures, times and entities its text yields: none is half-stored."""
    n = 0
    for aid in _ids(ledger):
        stored = ledger.get(aid)
        fresh = extract(extraction_text(stored.article), ref_date=stored.article.published)
        assert len(stored.extraction.figures) == len(fresh.figures), aid
        assert len(stored.extraction.times) == len(fresh.times), aid
        assert len(stored.extraction.entities) == len(fresh.entities), aid
        n += 1
    return n


def _digest_articles(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text("utf-8").splitlines()[1:]
    return [(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]


def test_digest_ingest_then_reingest_adds_nothing(ledger):
    path = str(CORPUS / "digest_simp.txt")
    first = ingest([path], ledger, progress=False, published="2025-12-28", tag="测试")
    assert (first.new, first.duplicate, first.rejected) == (3, 0, 0)
    assert first.figures > 0 and first.files == 1
    stats = ledger.stats()
    assert stats["articles"] == 3 and stats["figures"] == first.figures
    assert stats["tags"] == {"测试": 3}
    assert {ledger.get(a).article.published for a in _ids(ledger)} == {dt.date(2025, 12, 28)}
    again = ingest([path], ledger, progress=False)
    assert (again.new, again.duplicate, again.figures) == (0, 3, 0)
    assert ledger.stats()["articles"] == 3
    assert assert_complete(ledger) == 3


def test_near_duplicates_in_the_other_script_or_edited_are_linked_not_stored(ledger, tmp_path):
    src = CORPUS / "digest_simp.txt"
    ingest([str(src)], ledger, progress=False)
    text = src.read_text("utf-8")
    (tmp_path / "trad.txt").write_text(to_script(text, "trad"), encoding="utf-8")
    edited = text.replace("420亿元", "430亿元").replace("59.5万套", "59.6万套").replace("215吉瓦", "216吉瓦")
    (tmp_path / "edited.txt").write_text(edited, encoding="utf-8")
    s = ingest([str(tmp_path / "trad.txt"), str(tmp_path / "edited.txt")], ledger, progress=False)
    # ids hash the normalised (Simplified) text: a repost whose conversion changed no vocabulary
    # is the same article; one with Taiwan vocabulary (资料, 元件) is a near-duplicate
    same = sum(article_id(to_script(t, "trad"), to_script(b, "trad")) == article_id(t, b)
               for t, b in _digest_articles(src))
    assert 0 < same < 3
    assert (s.new, s.duplicate, s.near_duplicate) == (0, same, 6 - same)
    stats = ledger.stats()
    assert stats["articles"] == 3 and stats["duplicates"] == 6 - same
    linked = sum(len(ledger.get(a).duplicates) for a in _ids(ledger))
    assert linked == 6 - same


def test_a_folder_of_every_kind_with_bad_files_and_records(ledger, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in SOURCES:
        shutil.copy(CORPUS / name, folder / ("sub" if name.startswith("feed") else "") / name)
    s = ingest([str(folder)], ledger, progress=False)
    # 2 pages + 4 + 2 JSON lines + 3 digest articles + 2 Atom + 3 RSS entries; the truncated feed
    # repeats two RSS entries (duplicates) and loses its third (rejected)
    assert s.new == 2 + 4 + 2 + 3 + 2 + 3
    assert s.duplicate == 2
    assert s.rejected == 4 + 1
    assert s.files_failed == 3 and s.files == len(SOURCES) - 3
    by_file: dict[str, list[dict]] = {}
    for e in s.errors:
        by_file.setdefault(Path(e["file"]).name, []).append(e)
    assert sorted(e["line"] for e in by_file["articles.jsonl"]) == [3, 4, 5, 6]
    assert {e["code"] for e in by_file["junk.txt"]} == {"E101"}
    assert "menu_only.html" in by_file and "not_a_feed.xml" in by_file
    assert any("cut short" in e["message"] for e in by_file["feed_truncated.xml"])
    assert ledger.stats()["articles"] == s.new
    assert assert_complete(ledger) == s.new


def test_globs_and_missing_paths(ledger, tmp_path):
    s = ingest([str(CORPUS / "*.jsonl"), str(tmp_path / "nowhere.txt")], ledger, progress=False)
    assert s.new == 6 and s.files == 2 and s.files_failed == 1
    assert any("nowhere.txt" in e["message"] for e in s.errors)
    nothing = ingest([str(tmp_path / "none*.txt")], ledger, progress=False)
    assert nothing.nothing_read


def test_stdin_in_gb18030(ledger, monkeypatch):
    data = (CORPUS / "digest_simp.txt").read_text("utf-8").encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    s = ingest(["-"], ledger, progress=False)
    assert s.new == 3
    assert {ledger.get(a).article.origin for a in _ids(ledger)} == {"<stdin>"}


def test_a_50mb_line_is_rejected_without_holding_it(ledger, tmp_path):
    path = tmp_path / "huge.jsonl"
    good = [json.dumps({"title": f"第{i}条", "body": f"第{i}条新闻提到营收增长{i}%,达到{i}亿元。"}, ensure_ascii=False)
            for i in (1, 2)]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(good[0] + "\n")
        fh.write('{"title": "巨大", "body": "')
        chunk = "很长的正文" * 200_000  # 1M characters, 3 MB
        for _ in range(18):
            fh.write(chunk)
        fh.write('"}\n')
        fh.write(good[1] + "\n")
    assert path.stat().st_size > 50 * 10**6
    extract("预热:营收增长5%。")  # load the models before measuring
    ingest([str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    tracemalloc.start()
    try:
        s = ingest([str(path)], ledger, progress=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (s.new, s.rejected) == (2, 1)
    err = s.errors[0]
    assert err["code"] == "E103" and err["line"] == 2 and err["offset"] == len(good[0].encode()) + 1
    assert str(MAX_LINE_BYTES) in err["message"]
    assert peak < 3 * MAX_LINE_BYTES + 16 * 2**20, peak  # bounded by the line limit, not the 50 MB line


def test_an_article_over_the_size_limit_is_rejected(ledger, tmp_path):
    path = tmp_path / "big.txt"
    body = "这是一段很长的报道,提到销售额增长3%。" * (MAX_ARTICLE_CHARS // 19 + 10)
    path.write_text(f"#测试\n超长的文章\n{body} (测试报)\n短文章标题\n短文章正文提到利润增长5%,达到2亿元。 (测试报)\n",
                    encoding="utf-8")
    s = ingest([str(path)], ledger, progress=False)
    assert (s.new, s.rejected) == (1, 1)
    assert s.errors[0]["code"] == "E103" and "big.txt" in s.errors[0]["message"]


def test_keyboard_interrupt_keeps_what_was_committed(ledger, monkeypatch):
    import newsledger.ingest as ing

    real = ing._Extractor.__call__
    calls = {"n": 0}

    def flaky(self, text, ref_date):
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt
        return real(self, text, ref_date)

    monkeypatch.setattr(ing._Extractor, "__call__", flaky)
    monkeypatch.setattr(ing, "EXTRACT_BATCH", 1)  # one article at a time: interrupt between articles
    with pytest.raises(IngestInterrupted) as stop:
        ingest([str(CORPUS / "articles.jsonl"), str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    assert isinstance(stop.value, KeyboardInterrupt)
    assert stop.value.summary.interrupted and stop.value.summary.new == 5
    assert ledger.stats()["articles"] == 5
    assert assert_complete(ledger) == 5
    monkeypatch.setattr(ing._Extractor, "__call__", real)
    rest = ingest([str(CORPUS / "articles.jsonl"), str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    assert (rest.new, rest.duplicate) == (2, 5)


def test_keyboard_interrupt_during_a_batch_extraction(ledger, monkeypatch):
    import newsledger.ingest as ing

    real = ing._Extractor.many
    calls = {"n": 0}

    def flaky(self, texts, ref_dates):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch: the first one's articles are committed
            raise KeyboardInterrupt
        return real(self, texts, ref_dates)

    monkeypatch.setattr(ing._Extractor, "many", flaky)
    monkeypatch.setattr(ing, "EXTRACT_BATCH", 3)
    with pytest.raises(IngestInterrupted) as stop:
        ingest([str(CORPUS / "articles.jsonl"), str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    kept = stop.value.summary.new
    assert 3 <= kept < 7  # the first batch (and the file's one-article tail) committed, the rest not
    assert ledger.stats()["articles"] == kept and assert_complete(ledger) == kept
    monkeypatch.setattr(ing._Extractor, "many", real)
    rest = ingest([str(CORPUS / "articles.jsonl"), str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    assert (rest.new, rest.duplicate) == (7 - kept, kept)


def test_ctrl_c_right_after_a_commit_still_counts_the_batch(ledger, monkeypatch):
    """A real SIGINT arriving between a batch's commit and its counting is held until counted."""
    import os
    import signal

    import newsledger.ingest as ing

    real = ledger.add_many
    calls = {"n": 0}

    def commit_then_ctrl_c(items):
        out = real(items)
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch is committed; Ctrl-C lands before it is counted
            os.kill(os.getpid(), signal.SIGINT)
        return out

    monkeypatch.setattr(ledger, "add_many", commit_then_ctrl_c)
    monkeypatch.setattr(ing, "EXTRACT_BATCH", 2)
    # Python's own handler, as in a terminal (a test run started in the background has SIGINT ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(IngestInterrupted) as stop:
            ingest([str(CORPUS / "articles.jsonl"), str(CORPUS / "digest_simp.txt")], ledger, progress=False)
        assert calls["n"] == 2
        assert stop.value.summary.new == ledger.stats()["articles"] == 4
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_batched_ingest_equals_one_by_one(tmp_path, monkeypatch):
    import newsledger.ingest as ing
    from newsledger.store import Ledger

    files = [str(CORPUS / "articles.jsonl"), str(CORPUS / "digest_simp.txt")]
    rows = []
    for size in (1, 4):
        monkeypatch.setattr(ing, "EXTRACT_BATCH", size)
        with Ledger(str(tmp_path / f"b{size}.db")) as led:
            ingest(files, led, progress=False)
            rows.append(sorted((r["article_id"], r["start"], r["text"], r["type"]) for r in led.iter_entities(None)))
    assert rows[0] == rows[1] and rows[0]


def test_interrupt_inside_the_store_transaction_rolls_the_article_back(ledger, monkeypatch):
    import newsledger.ingest as ing

    real = ledger.fts.index
    calls = {"n": 0}

    def index_then_stop(conn, rows):  # the last write of a store transaction: figures etc. are already in
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(conn, rows)

    monkeypatch.setattr(ledger.fts, "index", index_then_stop)
    monkeypatch.setattr(ing, "EXTRACT_BATCH", 1)  # one article a transaction: the third is interrupted
    with pytest.raises(IngestInterrupted) as stop:
        ingest([str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    assert stop.value.summary.new == 2
    stats = ledger.stats()
    assert stats["articles"] == 2
    assert assert_complete(ledger) == 2
    stored_figures = sum(len(ledger.get(a).extraction.figures) for a in _ids(ledger))
    assert stats["figures"] == stored_figures  # no figures left behind by the rolled-back article


def test_interrupt_inside_a_batch_transaction_rolls_the_whole_batch_back(ledger, monkeypatch):
    import newsledger.ingest as ing

    real = ledger.fts.index
    calls = {"n": 0}

    def index_then_stop(conn, rows):
        rows = list(rows)
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch's transaction: its articles' rows are already written
            raise KeyboardInterrupt
        return real(conn, rows)

    monkeypatch.setattr(ledger.fts, "index", index_then_stop)
    monkeypatch.setattr(ing, "EXTRACT_BATCH", 3)
    files = [str(CORPUS / "articles.jsonl"), str(CORPUS / "digest_simp.txt")]
    with pytest.raises(IngestInterrupted) as stop:
        ingest(files, ledger, progress=False)
    kept = stop.value.summary.new
    stats = ledger.stats()
    assert kept == stats["articles"] == 3  # the first batch of three, none of the second
    assert assert_complete(ledger) == kept
    assert stats["figures"] == sum(len(ledger.get(a).extraction.figures) for a in _ids(ledger))
    monkeypatch.setattr(ledger.fts, "index", real)
    rest = ingest(files, ledger, progress=False)
    assert (rest.new, rest.duplicate) == (7 - kept, kept)


def test_a_store_failure_in_a_batch_costs_only_its_article(ledger, monkeypatch):
    real = ledger.fts.index
    seen = []

    def picky(conn, rows):
        rows = list(rows)
        seen.append(len(rows))
        if any("光伏" in doc for _, doc, _ in rows):
            raise ValueError("index refused the article")
        return real(conn, rows)

    monkeypatch.setattr(ledger.fts, "index", picky)
    s = ingest([str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    assert seen[0] == 3  # tried as one batch first, then one by one
    assert (s.new, s.rejected, ledger.stats()["articles"]) == (2, 1, 2)
    assert len(s.errors) == 1 and "index refused" in s.errors[0]["message"]
    assert s.errors[0]["file"].endswith("digest_simp.txt")
    assert s.figures == ledger.stats()["figures"]
    assert assert_complete(ledger) == 2


def test_an_extraction_error_rejects_one_article_and_goes_on(ledger, monkeypatch):
    import newsledger.extract.figures as figures

    real = figures.find_figures

    def picky(text, region=None):  # a stage that breaks on one article, batched or not
        if "光伏" in text:
            raise ValueError("stage broke")
        return real(text, region=region)

    monkeypatch.setattr(figures, "find_figures", picky)
    s = ingest([str(CORPUS / "digest_simp.txt")], ledger, progress=False)
    assert (s.new, s.rejected) == (2, 1)
    assert "stage broke" in s.errors[0]["message"] and s.errors[0]["file"].endswith("digest_simp.txt")


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_a_consistent_ledger(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gen_corpus

    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        gen_corpus.write_jsonl(gen_corpus.generate(400, seed=11), fh)
    db = tmp_path / "kill.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsledger.cli", "ingest", str(corpus), "--db", str(db), "--no-progress", "--json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
            if db.exists():
                try:
                    with Ledger(str(db)) as probe:
                        stored = probe.stats()["articles"]
                except Exception:  # noqa: BLE001 - the schema may be half-created this instant
                    stored = 0
                if stored >= 8:
                    break
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    with Ledger(str(db)) as led:
        before = led.stats()["articles"]
        assert before >= 8
        assert assert_complete(led) == before
        s = ingest([str(corpus)], led, progress=False)
        assert s.duplicate >= before and s.rejected == 0
        assert led.stats()["articles"] == before + s.new
        assert s.articles == 400


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **kw):
        super().__init__(*a, directory=str(CORPUS), **kw)

    def log_message(self, *a):
        pass


def test_urls_are_fetched(ledger):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        s = ingest([f"{base}/feed_rss.xml", f"{base}/article_trad_utf8.html", f"{base}/missing.xml"],
                   ledger, progress=False)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (s.new, s.files, s.files_failed) == (4, 2, 1)
    origins = {ledger.get(a).article.origin for a in _ids(ledger)}
    assert origins == {f"{base}/feed_rss.xml", f"{base}/article_trad_utf8.html"}


def test_cli_json_summary_and_exit_codes(tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    res = runner.invoke(app, ["ingest", str(CORPUS / "articles.jsonl"), "--db", db, "--json", "--tag", "命令行"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["new"] == 4 and summary["rejected"] == 4
    assert summary["entity_model"] is True
    assert {e["line"] for e in summary["errors"]} == {3, 4, 5, 6}
    res = runner.invoke(app, ["ingest", str(CORPUS / "junk.txt"), "--db", db, "--json"])
    assert res.exit_code == 2
    assert json.loads(res.stdout)["files_failed"] == 1
    res = runner.invoke(app, ["ingest", str(CORPUS / "digest_simp.txt"), "--db", db, "--date", "2025-12-01",
                              "--no-progress"])
    assert res.exit_code == 0 and "articles new" in res.stdout
    with Ledger(db) as led:
        assert led.stats()["tags"]["命令行"] == 4


def test_streamed_json_lines_keep_offsets_into_the_decoded_file(ledger):
    for name, enc in (("articles_gb18030.jsonl", "gb18030"), ("articles.jsonl", "utf-8")):
        ingest([str(CORPUS / name)], ledger, progress=False)
        text = (CORPUS / name).read_bytes().decode(enc)
        stored = [ledger.get(a).article for a in _ids(ledger)]
        mine = [a for a in stored if a.origin.endswith(name)]
        assert mine
        for a in mine:
            assert text[a.body_start:a.body_end] == a.body


def test_generated_corpus_is_reproducible_in_both_scripts_and_reads_back(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gen_corpus
    from newsledger.sources import read
    from newsledger.text.script import detect_script

    a = list(gen_corpus.generate(300, seed=4))
    assert a == list(gen_corpus.generate(300, seed=4))
    assert a != list(gen_corpus.generate(300, seed=5))
    scripts = {x["script"] for x in a}
    assert scripts == {"simp", "trad"}
    for x in a:
        assert detect_script(x["title"] + x["body"]) in (x["script"], "mixed")
    gen_corpus.write_digests(iter(a), tmp_path / "d", per_file=40)
    errors: list = []
    back = [art for f in sorted((tmp_path / "d").iterdir()) for art in read(f, errors=errors)]
    assert errors == []
    assert [(r.title, r.body, r.source, r.tag) for r in back] == [(x["title"], x["body"], x["source"], x["tag"]) for x in a]


def test_a_figure_in_a_title_is_stored_with_field_title(ledger, tmp_path):
    title, body = "光纤出口前五月增长23%", "海关数据显示，今年前五个月光纤出口额达到48亿元，同比增长23%。"
    src = tmp_path / "t.jsonl"
    src.write_text(json.dumps({"title": title, "body": body, "published": "2025-06-20"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    s = ingest([str(src)], ledger, progress=False)
    assert s.new == 1
    rows = list(ledger.iter_figures())
    in_title = [r for r in rows if r["field"] == "title"]
    assert [(r["text"], r["start"], r["end"]) for r in in_title] == [("23%", title.index("23%"), len(title))]
    for r in rows:  # every span points at its text in its own field
        assert (title if r["field"] == "title" else body)[r["start"]:r["end"]] == r["text"]
    assert any(r["field"] == "body" and r["text"] == "48亿元" for r in rows)
    stored = ledger.get(_ids(ledger)[0])
    assert stored.extraction.text == f"{title}\n{body}"
    assert s.figures == len(rows) == len(extract(f"{title}\n{body}", ref_date=dt.date(2025, 6, 20)).figures)


def test_articles_read_before_a_file_fails_are_stored(ledger, tmp_path, monkeypatch):
    """A read error in the middle of a file (a disk or network failure) costs the rest of that file,
    never the articles already read from it; the file is counted as failed with its error."""
    import newsledger.ingest as ing

    path = tmp_path / "feed.jsonl"
    rows = [{"title": f"第{i}號風電場併網", "body": f"離岸風電第{i}期工程今年併網，裝置容量約{300 + i}百萬瓩。（能源報）"}
            for i in range(5)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    real = ing._iter_source

    def failing(src, *args):  # noqa: ANN001, ANN202
        for k, art in enumerate(real(src, *args)):
            if k == 3:
                raise OSError(5, "Input/output error")
            yield art

    monkeypatch.setattr(ing, "_iter_source", failing)
    s = ingest([str(path)], ledger, progress=False)
    assert (s.new, s.files, s.files_failed) == (3, 0, 1)
    assert "Input/output error" in s.errors[-1]["message"]
    assert sorted(a["title"] for a in ledger.iter_articles()) == sorted(r["title"] for r in rows[:3])


def test_a_title_read_from_the_body_is_not_extracted_twice(ledger, tmp_path):
    """Plain text gets its first sentence as title: its figures are stored once, in the body."""
    path = tmp_path / "note.txt"
    path.write_text("儲能協會指出，今年前三季新增裝置容量約1,200百萬瓩，年增35%。業者預估明年再增兩成。\n", encoding="utf-8")
    s = ingest([str(path)], ledger, progress=False)
    assert s.new == 1
    (row,) = list(ledger.iter_articles())
    stored = ledger.get(row["id"]).extraction
    texts = [f.text for f in stored.figures]
    assert texts == [f.text for f in extract(row["body"]).figures] and len(texts) == len(set(texts)) == 3
    art = ledger.get(row["id"]).article
    assert extraction_text(art) == art.body


def test_a_digest_title_is_extracted_with_the_body(tmp_path):
    from newsledger import read

    path = tmp_path / "d.txt"
    path.write_text("#示例\n風電併網量年增三成\n離岸風電今年併網約1,500百萬瓩。（能源報）\n", encoding="utf-8")
    (art,) = read(str(path))
    assert extraction_text(art) == f"{art.title}\n{art.body}"


def _unknown_name_jsonl(path: Path) -> Path:
    rows = [{"title": f"第{i}季度业绩", "body": f"瑞丰光电新任总经理林少峰{i}日宣布，公司营收增长{10 + i}%，达到{30 + i}亿元。",
             "source": "测试", "published": "2025-06-30"} for i in range(1, 4)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


def test_ingest_without_the_model_never_runs_it_and_stores_what_the_gazetteer_finds(ledger, tmp_path, monkeypatch):
    from newsledger.extract import ExtractOptions, ner

    def no_model():  # noqa: ANN202
        raise AssertionError("the NER model was asked for")

    monkeypatch.setattr(ner, "tagger", no_model)
    path = _unknown_name_jsonl(tmp_path / "a.jsonl")
    fast = ExtractOptions(model=False)
    s = ingest([str(path)], ledger, progress=False, options=fast)
    assert (s.new, s.rejected, s.entity_model) == (3, 0, False)
    for aid in _ids(ledger):
        stored = ledger.get(aid)
        again = extract(extraction_text(stored.article), ref_date=stored.article.published, options=fast)
        assert [(e.start, e.end, e.type) for e in stored.extraction.entities] == \
            [(e.start, e.end, e.type) for e in again.entities]
        assert len(stored.extraction.figures) == len(again.figures) > 0
    # the default is the full pipeline: here it asks for the model, which fails every article
    with Ledger(str(tmp_path / "full.db")) as other:
        full = ingest([str(path)], other, progress=False)
    assert (full.new, full.rejected) == (0, 3)


def test_cli_no_model_flag_for_ingest_and_batch(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from newsledger.cli import app
    from newsledger.extract import ner

    def no_model():  # noqa: ANN202
        raise AssertionError("the NER model was asked for")

    monkeypatch.setattr(ner, "tagger", no_model)
    path = _unknown_name_jsonl(tmp_path / "a.jsonl")
    runner = CliRunner()
    for cmd in (["ingest"], ["batch", "--scheduler", "sync"]):
        db = str(tmp_path / f"{cmd[0]}.db")
        res = runner.invoke(app, [*cmd, str(path), "--db", db, "--json", "--no-model"])
        assert res.exit_code == 0, res.output
        summary = json.loads(res.stdout)
        assert (summary["new"], summary["rejected"]) == (3, 0), summary
        assert summary["entity_model"] is False
        table = runner.invoke(app, [*cmd, str(path), "--db", db, "--no-model", "--no-progress"])
        assert table.exit_code == 0 and "no NER model" in table.stdout
    res = runner.invoke(app, ["ingest", "--help"])
    assert "--no-model" in res.stdout


def test_batches_are_bounded_by_articles_and_by_characters(monkeypatch):
    from newsledger import ingest as ing
    from newsledger.model import Article

    monkeypatch.setattr(ing, "EXTRACT_BATCH", 4)
    monkeypatch.setattr(ing, "EXTRACT_BATCH_CHARS", 100)

    def art(k: int, n: int) -> Article:
        return Article(id=f"a{k}", title="标题", body="字" * n)

    sizes = [10, 10, 10, 10, 10, 90, 10, 200, 5]
    got = [[len(a.body) for a in b] for b in ing.batches(art(k, n) for k, n in enumerate(sizes))]
    # four articles at most; a batch closes once it reaches 100 characters (title + "\n" + body)
    assert got == [[10, 10, 10, 10], [10, 90], [10, 200], [5]]
    assert [n for b in got for n in b] == sizes


@pytest.mark.parametrize("how", ["ingest", "batch"])
def test_big_articles_are_extracted_in_smaller_batches(tmp_path, monkeypatch, how):
    """A batch of large articles is cut by characters, so extraction memory stays bounded."""
    import newsledger.extract as ex
    from newsledger import ingest as ing

    calls: list[int] = []
    real = ex.extract_many

    def spy(texts, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(sum(map(len, texts)))
        return real(texts, *a, **kw)

    monkeypatch.setattr(ex, "extract_many", spy)
    monkeypatch.setattr(ing, "EXTRACT_BATCH_CHARS", 3_000)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import gen_corpus

    gen = gen_corpus.generate(24, seed=7)
    rows = []
    for i in range(6):  # six distinct articles of 1,000–1,600 characters (four generated ones each)
        parts = [next(gen) for _ in range(4)]
        rows.append({"title": parts[0]["title"], "body": "".join(p["body"] for p in parts),
                     "published": "2025-06-30"})
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    if how == "ingest":
        with Ledger(str(tmp_path / "l.db")) as led:
            s = ingest([str(path)], led, progress=False)
    else:
        from newsledger.scale import run_batch

        s = run_batch([str(path)], str(tmp_path / "l.db"), scheduler="sync")
    assert s.new == 6 and s.rejected == 0
    longest = max(len(r["title"]) + 1 + len(r["body"]) for r in rows)
    total = sum(len(r["title"]) + 1 + len(r["body"]) for r in rows)
    # one call without the bound; with it, each batch closes once it holds 3,000 characters (a
    # batch of one article goes to extract() instead)
    assert len(calls) >= 2 and sum(calls) <= total and max(calls) < 3_000 + longest, calls
